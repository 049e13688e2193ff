package bitbuckettest_test

import (
	"net/http"
	"strconv"
	"testing"
)

// §10, §16: a per-user token bucket; 429 with Retry-After in seconds and a
// body that is not the JSON envelope. Anonymous requests are not limited.
func TestRateLimit(t *testing.T) {
	bb := fixture(t)
	bb.SetRateLimit(3, 0.5) // a request every 2 s after the first 3
	for range 3 {
		get(t, bb, repoPerms+"/users", admin).wantStatus(t, http.StatusOK)
	}
	r := get(t, bb, repoPerms+"/users", admin)
	r.wantStatus(t, http.StatusTooManyRequests)
	secs, err := strconv.Atoi(r.Header.Get("Retry-After"))
	if err != nil || secs < 1 || secs > 2 {
		t.Errorf("Retry-After %q, want 1 or 2 seconds", r.Header.Get("Retry-After"))
	}
	if r.Header.Get("Content-Type") == "application/json;charset=UTF-8" || len(r.Body) > 0 && r.Body[0] == '{' {
		t.Errorf("429 body is JSON: %s", r.Body)
	}
	// A 429 changes nothing.
	put(t, bb, repoPerms+"/users?name=carol&permission=REPO_READ", admin).wantStatus(t, http.StatusTooManyRequests)
	if bb.UserPermission(repoScope, "carol") != "" {
		t.Error("a rate-limited PUT was applied")
	}
	// Buckets are per user; a personal token draws from its owner's bucket.
	get(t, bb, "/rest/api/1.0/users/alice", basic("alice", "alice")).wantStatus(t, http.StatusOK)
	tok := token(t)(bb.CreatePersonalToken("admin", tokenAll()))
	get(t, bb, repoPerms+"/users", bearer(tok)).wantStatus(t, http.StatusTooManyRequests)
	// Anonymous callers are not limited.
	for range 5 {
		get(t, bb, "/rest/api/1.0/application-properties", anonymous).wantStatus(t, http.StatusOK)
	}
	// A failed login is answered before the limiter (it has no user).
	get(t, bb, repoPerms+"/users", basic("admin", "bad")).wantStatus(t, http.StatusUnauthorized)
	bb.SetRateLimit(0, 0)
	get(t, bb, repoPerms+"/users", admin).wantStatus(t, http.StatusOK)
}
