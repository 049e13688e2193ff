package bitbucket

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// scripted answers the n-th request with statuses[n] (the last one repeats);
// 2xx answers are a 204 or, for GETs, a project.
func scripted(attempts *atomic.Int32, retryAfter string, statuses ...int) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		n := int(attempts.Add(1)) - 1
		status := statuses[min(n, len(statuses)-1)]
		switch {
		case status < 300 && r.Method == http.MethodGet:
			writeJSON(w, status, map[string]any{"key": "PROJ"})
		case status < 300 && r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/projects"):
			writeJSON(w, 201, map[string]any{"key": "PROJ"})
		case status < 300:
			noContent(w)
		case status == 429:
			if retryAfter != "" {
				w.Header().Set("Retry-After", retryAfter)
			}
			w.WriteHeader(429)
			fmt.Fprint(w, "Rate limit exceeded")
		default:
			if retryAfter != "" {
				w.Header().Set("Retry-After", retryAfter)
			}
			writeAPIError(w, status, "com.atlassian.bitbucket.ServiceException", http.StatusText(status))
		}
	}
}

func TestRetries(t *testing.T) {
	ctx := t.Context()
	put := func(c *Client) error {
		return c.SetPermission(ctx, RepositoryScope("PROJ", "repo"), PrincipalUser, "REPO_READ", "alice")
	}
	del := func(c *Client) error { return c.RevokePermission(ctx, GlobalScope(), PrincipalGroup, "devs") }
	get := func(c *Client) error { _, err := c.GetProject(ctx, "PROJ"); return err }
	defaultPost := func(c *Client) error { return c.SetDefaultPermission(ctx, "PROJ", "PROJECT_WRITE", false) }
	fixturePost := func(c *Client) error { _, err := c.CreateProject(ctx, "PROJ", "Project"); return err }
	queryPost := func(c *Client) error { return c.CreateGroup(ctx, "devs") }
	tokenPut := func(c *Client) error {
		_, err := c.CreateProjectToken(ctx, "PROJ", NewToken{Name: "ci", Permissions: []string{"PROJECT_READ"}})
		return err
	}

	tests := []struct {
		name         string
		call         func(*Client) error
		statuses     []int
		retryAfter   string
		maxRetries   int
		wantAttempts int32
		wantStatus   int // 0 = success
	}{
		{"503 then 204 on PUT", put, []int{503, 204}, "", 3, 2, 0},
		{"500 on permission PUT is retried", put, []int{500, 500, 204}, "", 3, 3, 0},
		{"502 on permission DELETE is retried", del, []int{502, 204}, "", 3, 2, 0},
		{"504 on GET is retried", get, []int{504, 200}, "", 3, 2, 0},
		{"500 on default-permission POST is retried", defaultPost, []int{500, 204}, "", 3, 2, 0},
		{"500 on fixture POST is not retried", fixturePost, []int{500, 201}, "", 3, 1, 500},
		{"500 on fixture POST with query is not retried", queryPost, []int{500, 204}, "", 3, 1, 500},
		{"500 on token PUT is not retried", tokenPut, []int{500, 200}, "", 3, 1, 500},
		{"503 on fixture POST is retried", fixturePost, []int{503, 201}, "", 3, 2, 0},
		{"429 on fixture POST is retried", queryPost, []int{429, 204}, "0", 3, 2, 0},
		{"501 is not retried", get, []int{501, 200}, "", 3, 1, 501},
		{"404 is not retried", get, []int{404, 200}, "", 3, 1, 404},
		{"401 is not retried", put, []int{401, 204}, "", 3, 1, 401},
		{"exhausted 429 returns the APIError", get, []int{429}, "0", 2, 3, 429},
		{"exhausted 503 returns the APIError", put, []int{503}, "", 2, 3, 503},
		{"exhausted 500 returns the APIError", del, []int{500}, "", 1, 2, 500},
		{"MaxRetries 0 means one attempt", get, []int{503, 200}, "", 0, 1, 503},
		{"negative MaxRetries means one attempt", get, []int{503, 200}, "", -4, 1, 503},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var attempts atomic.Int32
			c, _ := newTestClient(t, scripted(&attempts, tt.retryAfter, tt.statuses...), func(c *Config) { c.MaxRetries = tt.maxRetries })
			err := tt.call(c)
			if got := attempts.Load(); got != tt.wantAttempts {
				t.Errorf("attempts = %d, want %d", got, tt.wantAttempts)
			}
			if tt.wantStatus == 0 {
				if err != nil {
					t.Fatalf("want success, got %v", err)
				}
				return
			}
			ae := mustAPIError(t, err)
			if ae.StatusCode != tt.wantStatus {
				t.Errorf("status = %d, want %d", ae.StatusCode, tt.wantStatus)
			}
			if strings.Contains(err.Error(), "giving up") {
				t.Errorf("generic retryablehttp error leaked: %v", err)
			}
		})
	}
}

func TestRetryAfterIsHonoured(t *testing.T) {
	t.Parallel()
	var attempts atomic.Int32
	var first, second time.Time
	c, _ := newTestClient(t, func(w http.ResponseWriter, r *http.Request) {
		if attempts.Add(1) == 1 {
			first = time.Now()
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(429)
			fmt.Fprint(w, "slow down")
			return
		}
		second = time.Now()
		writeJSON(w, 200, map[string]any{"key": "PROJ"})
	}, func(c *Config) { c.RetryWaitMax = 2 * time.Second }) // the back-off alone waits at most 2ms
	if _, err := c.GetProject(t.Context(), "PROJ"); err != nil {
		t.Fatal(err)
	}
	if attempts.Load() != 2 {
		t.Fatalf("attempts = %d, want 2", attempts.Load())
	}
	if gap := second.Sub(first); gap < 900*time.Millisecond {
		t.Errorf("retried after %v, want about the 1s of Retry-After", gap)
	}
}

func TestRetryAfterBeyondDeadlineReturnsThe429(t *testing.T) {
	t.Parallel()
	var attempts atomic.Int32
	c, _ := newTestClient(t, scripted(&attempts, "3600", 429, 200))
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
	defer cancel()
	_, err := c.GetProject(ctx, "PROJ")
	ae := mustAPIError(t, err)
	if ae.StatusCode != 429 || ae.RetryAfter != time.Hour || attempts.Load() != 1 {
		t.Errorf("got %v (RetryAfter %v) after %d attempts", err, ae.RetryAfter, attempts.Load())
	}
}

// A Retry-After longer than RetryWaitMax would hang a Terraform run, whose
// context has no deadline: the 429 comes back at once instead.
func TestRetryAfterBeyondWaitMaxReturnsThe429(t *testing.T) {
	t.Parallel()
	var attempts atomic.Int32
	c, _ := newTestClient(t, scripted(&attempts, "60", 429, 200), func(c *Config) { c.RetryWaitMax = 30 * time.Second })
	start := time.Now()
	_, err := c.GetProject(t.Context(), "PROJ")
	ae := mustAPIError(t, err)
	if ae.StatusCode != 429 || ae.RetryAfter != time.Minute || attempts.Load() != 1 {
		t.Errorf("got %v (RetryAfter %v) after %d attempts", err, ae.RetryAfter, attempts.Load())
	}
	if elapsed := time.Since(start); elapsed > 5*time.Second {
		t.Errorf("returned after %v", elapsed)
	}
}

func TestContextCancellationStopsRetries(t *testing.T) {
	t.Parallel()
	var attempts atomic.Int32
	// Always 503 with a long Retry-After, no deadline: only cancel ends it.
	c, _ := newTestClient(t, scripted(&attempts, "30", 503), func(c *Config) { c.MaxRetries = 10; c.RetryWaitMax = time.Minute })
	ctx, cancel := context.WithCancel(t.Context())
	time.AfterFunc(100*time.Millisecond, cancel)
	start := time.Now()
	err := c.SetPermission(ctx, ProjectScope("PROJ"), PrincipalUser, "PROJECT_READ", "alice")
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("want context.Canceled, got %T %v", err, err)
	}
	if IsTransportError(err) {
		t.Errorf("a cancelled context is reported as a transport error: %v", err)
	}
	if elapsed := time.Since(start); elapsed > 5*time.Second {
		t.Errorf("cancellation took %v", elapsed)
	}
	if n := attempts.Load(); n != 1 {
		t.Errorf("attempts = %d, want 1", n)
	}
}

func TestCancelledContextMakesNoRequest(t *testing.T) {
	var attempts atomic.Int32
	c, _ := newTestClient(t, scripted(&attempts, "", 200))
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := c.GetProject(ctx, "PROJ"); !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v", err)
	}
	if attempts.Load() != 0 {
		t.Errorf("attempts = %d", attempts.Load())
	}
}

func TestRetryAfterParsing(t *testing.T) {
	now := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	for v, want := range map[string]time.Duration{
		"0":                             0,
		"7":                             7 * time.Second,
		" 12 ":                          12 * time.Second,
		"Thu, 02 Jan 2025 03:05:05 GMT": time.Minute,
		"Thu, 02 Jan 2025 03:00:00 GMT": 0, // in the past
	} {
		got, ok := retryAfter(http.Header{"Retry-After": {v}}, now)
		if !ok || got != want {
			t.Errorf("retryAfter(%q) = %v, %v; want %v", v, got, ok, want)
		}
	}
	for _, v := range []string{"", "-1", "soon", "1.5"} {
		if _, ok := retryAfter(http.Header{"Retry-After": {v}}, now); ok {
			t.Errorf("retryAfter(%q) accepted", v)
		}
	}
}

func TestBackoffBounds(t *testing.T) {
	minW, maxW := 10*time.Millisecond, 80*time.Millisecond
	for attempt := range 70 {
		d := backoff(minW, maxW, attempt, nil)
		if d < minW/2 || d > maxW {
			t.Errorf("attempt %d: backoff %v outside [%v, %v]", attempt, d, minW/2, maxW)
		}
	}
	resp := &http.Response{StatusCode: 503, Header: http.Header{"Retry-After": {"2"}}}
	if d := backoff(minW, maxW, 0, resp); d != 2*time.Second {
		t.Errorf("backoff with Retry-After = %v", d)
	}
	resp = &http.Response{StatusCode: 500, Header: http.Header{"Retry-After": {"2"}}}
	if d := backoff(minW, maxW, 0, resp); d > maxW {
		t.Errorf("Retry-After honoured on a 500: %v", d)
	}
}
