package bitbuckettest_test

import (
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/bitbucket-access/terraform-provider-bitbucket/internal/bitbuckettest"
)

const repoUsersRoute = "/rest/api/{version}/projects/{projectKey}/repos/{repositorySlug}/permissions/users"

// try sends one request on a fresh connection (so the transport never
// retries it) and returns the status, or 0 when the connection was dropped.
func try(t *testing.T, bb *bitbuckettest.Server, method, path string) int {
	t.Helper()
	req, err := http.NewRequest(method, bb.URL()+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	admin(req)
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	res, err := client.Do(req)
	if err != nil {
		return 0
	}
	defer res.Body.Close()
	_, _ = io.Copy(io.Discard, res.Body)
	return res.StatusCode
}

// The fault knob: scripted faults strike the next matching requests
// in order, once each, before or after the change is applied.
func TestFaults_ScriptedBeforeAndAfterApply(t *testing.T) {
	bb := fixture(t)
	const grant = repoPerms + "/users?name=alice&permission=REPO_WRITE"
	bb.ScriptFaults(
		bitbuckettest.Fault{Method: "PUT", Route: repoUsersRoute, Status: 503},
		bitbuckettest.Fault{Method: "PUT", Route: repoUsersRoute, Status: 502},
	)
	// Other methods and routes are untouched by a restricted fault.
	if got := try(t, bb, "GET", repoPerms+"/users"); got != 200 {
		t.Fatalf("GET got %d", got)
	}
	if got := try(t, bb, "PUT", projectPerms+"/users?name=alice&permission=PROJECT_READ"); got != 204 {
		t.Fatalf("PUT on another route got %d", got)
	}
	if got := try(t, bb, "PUT", grant); got != 503 {
		t.Fatalf("first scripted fault: %d", got)
	}
	if got := try(t, bb, "PUT", grant); got != 502 {
		t.Fatalf("second scripted fault: %d", got)
	}
	if bb.UserPermission(repoScope, "alice") != "" {
		t.Fatal("a fault before apply applied the change")
	}
	if got := try(t, bb, "PUT", grant); got != 204 {
		t.Fatalf("after the script: %d", got)
	}

	// After apply: the change happens, the reply is lost.
	bb.ScriptFaults(bitbuckettest.Fault{Method: "DELETE", Status: 500, AfterApply: true})
	r := del(t, bb, repoPerms+"/users?name=alice", admin)
	r.wantError(t, http.StatusInternalServerError, "", "")
	if bb.UserPermission(repoScope, "alice") != "" {
		t.Fatal("an after-apply fault did not apply the change")
	}
}

// Dropped connections, before and after the change.
func TestFaults_DropConnection(t *testing.T) {
	bb := fixture(t)
	bb.ScriptFaults(bitbuckettest.Fault{Method: "PUT", Drop: true})
	if got := try(t, bb, "PUT", repoPerms+"/users?name=alice&permission=REPO_READ"); got != 0 {
		t.Fatalf("dropped request got %d", got)
	}
	if bb.UserPermission(repoScope, "alice") != "" {
		t.Fatal("a drop before apply applied the change")
	}
	// A lost reply to a successful PUT.
	bb.ScriptFaults(bitbuckettest.Fault{Method: "PUT", Drop: true, AfterApply: true})
	if got := try(t, bb, "PUT", repoPerms+"/users?name=alice&permission=REPO_READ"); got != 0 {
		t.Fatalf("dropped request got %d", got)
	}
	if bb.UserPermission(repoScope, "alice") != "REPO_READ" {
		t.Fatal("a drop after apply did not apply the change")
	}
	if got := try(t, bb, "PUT", repoPerms+"/users?name=alice&permission=REPO_READ"); got != 204 {
		t.Fatalf("the retry got %d", got)
	}
}

// Added latency, alone (the reply is the real one).
func TestFaults_Delay(t *testing.T) {
	bb := fixture(t)
	bb.ScriptFaults(bitbuckettest.Fault{Delay: 150 * time.Millisecond})
	start := time.Now()
	if got := try(t, bb, "GET", repoPerms+"/users"); got != 200 {
		t.Fatalf("delayed request got %d", got)
	}
	if d := time.Since(start); d < 150*time.Millisecond {
		t.Errorf("took %v, want at least 150ms", d)
	}
	start = time.Now()
	try(t, bb, "GET", repoPerms+"/users")
	if d := time.Since(start); d > 100*time.Millisecond {
		t.Errorf("the delay struck twice (%v)", d)
	}
}

// A random share of matching requests.
func TestFaults_Rate(t *testing.T) {
	bb := fixture(t)
	bb.SetFaultRate(1, bitbuckettest.Fault{Method: "GET", Status: 503})
	for range 5 {
		if got := try(t, bb, "GET", repoPerms+"/users"); got != 503 {
			t.Fatalf("share 1: got %d", got)
		}
	}
	if got := try(t, bb, "PUT", repoPerms+"/users?name=bob&permission=REPO_READ"); got != 204 {
		t.Fatalf("PUT under a GET fault: %d", got)
	}
	// Faults never touch /_bitbuckettest.
	if got := try(t, bb, "GET", "/_bitbuckettest/requests"); got != 200 {
		t.Fatalf("request log under a fault: %d", got)
	}
	bb.SetFaultRate(0.5, bitbuckettest.Fault{Status: 500})
	failed := 0
	for range 200 {
		if get(t, bb, "/rest/api/1.0/application-properties", anonymous).Status == 500 {
			failed++
		}
	}
	if failed < 60 || failed > 140 {
		t.Errorf("share 0.5 failed %d of 200", failed)
	}
	bb.SetFaultRate(0, bitbuckettest.Fault{})
	if got := try(t, bb, "GET", repoPerms+"/users"); got != 200 {
		t.Fatalf("after disabling: %d", got)
	}
}
