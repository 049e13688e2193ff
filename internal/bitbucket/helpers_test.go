package bitbucket

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

const (
	testToken    = "tok-3f9a-SECRET-bearer"
	testUser     = "admin"
	testPassword = "pa55-SECRET-word"
)

// newTestClient starts an httptest server running h and a client for it
// with fast retries. mutate may adjust the config before New.
func newTestClient(t *testing.T, h http.HandlerFunc, mutate ...func(*Config)) (*Client, *httptest.Server) {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	cfg := Config{
		ServerURL:    srv.URL,
		Token:        testToken,
		MaxRetries:   3,
		RetryWaitMin: time.Millisecond,
		RetryWaitMax: 5 * time.Millisecond,
		UserAgent:    "terraform-provider-bitbucket/test",
	}
	for _, m := range mutate {
		m(&cfg)
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	t.Cleanup(c.CloseIdleConnections)
	return c, srv
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	// §1: no space before charset.
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// writeAPIError writes the §7.1 envelope.
func writeAPIError(w http.ResponseWriter, status int, exception, message string) {
	writeJSON(w, status, map[string]any{"errors": []map[string]any{
		{"context": nil, "message": message, "exceptionName": exception},
	}})
}

func noContent(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	w.WriteHeader(http.StatusNoContent)
}

// pageOf writes a §2 page; next < 0 means last page (no nextPageStart key).
func pageOf(w http.ResponseWriter, start, limit, next int, values any) {
	body := map[string]any{
		"size": reflectLen(values), "limit": limit, "isLastPage": next < 0,
		"values": values, "start": start,
	}
	if next >= 0 {
		body["nextPageStart"] = next
	}
	writeJSON(w, http.StatusOK, body)
}

func reflectLen(v any) int {
	b, _ := json.Marshal(v)
	var xs []json.RawMessage
	_ = json.Unmarshal(b, &xs)
	return len(xs)
}

// recorded is what the server saw of one request.
type recorded struct {
	Method, EscapedPath, RawQuery string
	Header                        http.Header
	Body                          string
	ContentLength                 int64
}

type recorder struct {
	mu   sync.Mutex
	reqs []recorded
}

func (r *recorder) record(req *http.Request) recorded {
	b, _ := io.ReadAll(req.Body)
	rec := recorded{
		Method: req.Method, EscapedPath: req.URL.EscapedPath(), RawQuery: req.URL.RawQuery,
		Header: req.Header.Clone(), Body: string(b), ContentLength: req.ContentLength,
	}
	r.mu.Lock()
	r.reqs = append(r.reqs, rec)
	r.mu.Unlock()
	return rec
}

func (r *recorder) all() []recorded {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]recorded(nil), r.reqs...)
}

func (r *recorder) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.reqs)
}

// logEntry and captureLogger collect what the client logs.
type logEntry struct {
	Level, Msg string
	Fields     map[string]any
}

type captureLogger struct {
	mu      sync.Mutex
	entries []logEntry
}

func (l *captureLogger) Debug(_ context.Context, msg string, f map[string]any) {
	l.add("debug", msg, f)
}

func (l *captureLogger) Warn(_ context.Context, msg string, f map[string]any) {
	l.add("warn", msg, f)
}

func (l *captureLogger) add(level, msg string, f map[string]any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.entries = append(l.entries, logEntry{level, msg, f})
}

func (l *captureLogger) all() []logEntry {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]logEntry(nil), l.entries...)
}

// text renders every entry, for substring searches.
func (l *captureLogger) text() string {
	var b strings.Builder
	for _, e := range l.all() {
		fmt.Fprintf(&b, "%s %s %v\n", e.Level, e.Msg, e.Fields)
	}
	return b.String()
}

func mustAPIError(t *testing.T, err error) *APIError {
	t.Helper()
	ae, ok := AsAPIError(err)
	if !ok {
		t.Fatalf("want *APIError, got %T: %v", err, err)
	}
	return ae
}
