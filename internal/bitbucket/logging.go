package bitbucket

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"
)

const redacted = "REDACTED"

// masker replaces every configured secret (token, password, and the encoded
// Basic credentials) in a string. It is applied to everything logged and to
// error bodies, as a last line of defence behind "never log headers".
type masker struct{ secrets []string }

// minMaskedLength is the shortest secret masked wherever it occurs.
const minMaskedLength = 6

func newMasker(secrets ...string) masker {
	var s []string
	for _, v := range secrets {
		// A secret this short (a test instance's "admin") also occurs in
		// ordinary text such as "/admin/permissions", which masking would
		// garble. Headers and sensitive query parameters are redacted by
		// name whatever their length.
		if len(v) >= minMaskedLength {
			s = append(s, v)
		}
	}
	// Longest first, so a secret containing another is replaced whole.
	sort.Slice(s, func(i, j int) bool { return len(s[i]) > len(s[j]) })
	return masker{secrets: s}
}

func (m masker) apply(s string) string {
	for _, secret := range m.secrets {
		if strings.Contains(s, secret) {
			s = strings.ReplaceAll(s, secret, redacted)
		}
	}
	return s
}

// logSink is the masked front of the caller's Logger; a nil Logger discards.
type logSink struct {
	logger Logger
	mask   masker
}

func (l logSink) debug(ctx context.Context, msg string, fields map[string]any) {
	if l.logger != nil {
		l.logger.Debug(ctx, l.mask.apply(msg), l.maskFields(fields))
	}
}

func (l logSink) warn(ctx context.Context, msg string, fields map[string]any) {
	if l.logger != nil {
		l.logger.Warn(ctx, l.mask.apply(msg), l.maskFields(fields))
	}
}

func (l logSink) maskFields(fields map[string]any) map[string]any {
	out := make(map[string]any, len(fields))
	for k, v := range fields {
		switch v := v.(type) {
		case string:
			out[k] = l.mask.apply(v)
		case error:
			out[k] = l.mask.apply(v.Error())
		case fmt.Stringer:
			out[k] = l.mask.apply(v.String())
		case []string:
			masked := make([]string, len(v))
			for i, s := range v {
				masked[i] = l.mask.apply(s)
			}
			out[k] = masked
		case int, int32, int64, bool, float64:
			out[k] = v
		default:
			out[k] = l.mask.apply(fmt.Sprint(v))
		}
	}
	return out
}

// loggingTransport logs every attempt (retryablehttp calls it once per try)
// with method, path, query, status, duration and attempt number. It never
// looks at request headers, so the Authorization header cannot leak.
type loggingTransport struct {
	next http.RoundTripper
	log  logSink
}

func (t *loggingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	attempt := 1
	if meta := metaFrom(req.Context()); meta != nil {
		meta.attempt++
		attempt = meta.attempt
	}
	start := time.Now()
	resp, err := t.next.RoundTrip(req)
	fields := map[string]any{
		"method":      req.Method,
		"path":        req.URL.EscapedPath(),
		"attempt":     attempt,
		"duration_ms": time.Since(start).Milliseconds(),
	}
	if q := redactQuery(req.URL.Query()); q != "" {
		fields["query"] = q
	}
	if err != nil {
		fields["error"] = err.Error()
		t.log.debug(req.Context(), "Bitbucket request failed", fields)
		return nil, err
	}
	fields["status"] = resp.StatusCode
	// §16: empty means the server treated the request as anonymous.
	fields["authenticated_as"] = resp.Header.Get("X-AUSERNAME")
	t.log.debug(req.Context(), "Bitbucket request", fields)
	return resp, nil
}

func (t *loggingTransport) CloseIdleConnections() {
	if c, ok := t.next.(interface{ CloseIdleConnections() }); ok {
		c.CloseIdleConnections()
	}
}

// sensitiveParam reports query keys whose values must not be logged: the
// fixture calls put a user's password in the query (§4.5).
func sensitiveParam(key string) bool {
	k := strings.ToLower(key)
	return strings.Contains(k, "password") || strings.Contains(k, "token") || strings.Contains(k, "secret")
}

func redactQuery(q url.Values) string {
	if len(q) == 0 {
		return ""
	}
	out := make(url.Values, len(q))
	for k, vs := range q {
		if sensitiveParam(k) {
			out[k] = []string{redacted}
			continue
		}
		out[k] = vs
	}
	return out.Encode()
}

// redactURLString removes user info and sensitive query values from a URL
// used in an error message.
func redactURLString(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "<unparseable URL>"
	}
	if u.User != nil {
		u.User = url.User(redacted)
	}
	if u.RawQuery != "" {
		u.RawQuery = redactQuery(u.Query())
	}
	return u.String()
}
