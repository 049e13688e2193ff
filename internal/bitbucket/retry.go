package bitbucket

import (
	"context"
	"errors"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/go-retryablehttp"
)

// checkRetry is the retryablehttp.CheckRetry policy.
//
//   - 429 and 503 are retried for every request: the server refused the
//     request before acting on it (§10 rate limiting).
//   - Other 5xx and connection errors are retried only for calls marked
//     idempotent (GET, permission PUT/DELETE, the default-permission POST).
//     Fixture POSTs may have taken effect before the failure.
//   - A failure to connect is retried for every request: nothing was sent.
//   - Nothing is retried once the context is done, nor when the server's
//     Retry-After lies beyond the context deadline or RetryWaitMax (the
//     caller gets the 429 at once rather than a hang or a context error).
//
// It never returns an error for a response, so with the passthrough
// ErrorHandler the last response reaches the caller and becomes an
// *APIError.
func (c *Client) checkRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	if ctx.Err() != nil {
		return false, ctx.Err()
	}
	meta := metaFrom(ctx)
	idempotent := meta != nil && meta.idempotent

	if err != nil {
		if !idempotent && !neverSent(err) {
			return false, nil
		}
		// The library's policy declines errors that cannot heal: TLS
		// verification, bad scheme, bad header, redirect loops.
		retry, _ := retryablehttp.DefaultRetryPolicy(ctx, nil, err)
		if retry {
			c.logRetry(ctx, meta, map[string]any{"error": err.Error()})
		}
		return retry, nil
	}

	retry := false
	switch code := resp.StatusCode; {
	case code == http.StatusTooManyRequests, code == http.StatusServiceUnavailable:
		retry = true
	case code == 0 || (code >= 500 && code != http.StatusNotImplemented):
		retry = idempotent
	}
	if !retry {
		return false, nil
	}
	fields := map[string]any{"status": resp.StatusCode}
	if wait, ok := retryAfter(resp.Header, time.Now()); ok {
		fields["retry_after"] = wait.String()
		if deadline, has := ctx.Deadline(); has && time.Now().Add(wait).After(deadline) {
			fields["reason"] = "Retry-After exceeds the context deadline"
			c.log.warn(ctx, "not retrying Bitbucket request", withMeta(meta, fields))
			return false, nil
		}
		// Terraform's contexts rarely carry a deadline: a server asking for
		// minutes would otherwise hang the run. Beyond RetryWaitMax the
		// caller gets the 429 at once, with the wait Bitbucket asked for.
		if wait > c.retryWaitMax {
			fields["reason"] = "Retry-After exceeds the longest wait between retries"
			c.log.warn(ctx, "not retrying Bitbucket request", withMeta(meta, fields))
			return false, nil
		}
	}
	c.logRetry(ctx, meta, fields)
	return true, nil
}

func (c *Client) logRetry(ctx context.Context, meta *callMeta, fields map[string]any) {
	if meta == nil || meta.attempt > c.maxRetries {
		return // retryablehttp stops here; the caller sees the result
	}
	fields["max_retries"] = c.maxRetries
	c.log.warn(ctx, "retrying Bitbucket request", withMeta(meta, fields))
}

func withMeta(meta *callMeta, fields map[string]any) map[string]any {
	if meta != nil {
		fields["method"] = meta.method
		fields["path"] = meta.path
		fields["attempt"] = meta.attempt
	}
	return fields
}

// neverSent reports whether err happened while connecting (DNS, refused,
// unreachable), before any byte of the request reached the server.
func neverSent(err error) bool {
	var op *net.OpError
	return errors.As(err, &op) && op.Op == "dial"
}

// backoff is the retryablehttp.Backoff policy: the server's Retry-After on
// 429/503 when present, otherwise exponential from min, capped at max, with
// jitter so parallel Terraform operations do not retry in lockstep.
func backoff(minWait, maxWait time.Duration, attempt int, resp *http.Response) time.Duration {
	if resp != nil && (resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable) {
		if wait, ok := retryAfter(resp.Header, time.Now()); ok {
			return wait
		}
	}
	wait := maxWait
	if attempt < 32 {
		if d := minWait << uint(attempt); d > 0 && d < maxWait {
			wait = d
		}
	}
	// Uniform in [wait/2, wait].
	half := wait / 2
	return half + rand.N(wait-half+1)
}

// retryAfter parses the Retry-After header: delay-seconds or an HTTP date.
func retryAfter(h http.Header, now time.Time) (time.Duration, bool) {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs < 0 {
			return 0, false
		}
		if secs > int64((1<<63-1)/time.Second) {
			secs = int64((1<<63 - 1) / time.Second)
		}
		return time.Duration(secs) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(t.Sub(now), 0), true
	}
	return 0, false
}
