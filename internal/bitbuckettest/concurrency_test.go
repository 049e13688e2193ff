package bitbuckettest_test

import (
	"fmt"
	"net/http"
	"sync"
	"testing"

	"github.com/bitbucket-access/terraform-provider-bitbucket/internal/bitbuckettest"
)

// Concurrent REST calls, out-of-band Go API changes and knob changes are
// safe (run with -race) and leave a consistent state.
func TestConcurrentRequests(t *testing.T) {
	bb := fixture(t)
	const workers, rounds = 8, 25
	for w := range workers {
		check(t, bb.CreateUser(bitbuckettest.User{Name: fmt.Sprintf("worker%d", w)}))
	}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: workers}}
	do := func(method, path string) int {
		req, _ := http.NewRequest(method, bb.URL()+path, nil)
		req.SetBasicAuth("admin", "admin")
		res, err := client.Do(req)
		if err != nil {
			t.Error(err)
			return 0
		}
		res.Body.Close()
		return res.StatusCode
	}
	var wg sync.WaitGroup
	for w := range workers {
		name := fmt.Sprintf("worker%d", w)
		wg.Go(func() {
			for i := range rounds {
				perm := []string{"REPO_READ", "REPO_WRITE", "REPO_ADMIN"}[i%3]
				if got := do("PUT", repoPerms+"/users?name="+name+"&permission="+perm); got != 204 {
					t.Errorf("PUT %d", got)
				}
				if got := do("GET", repoPerms+"/users?filter=worker&limit=3"); got != 200 {
					t.Errorf("GET %d", got)
				}
				if i%5 == 0 {
					do("DELETE", repoPerms+"/users?name="+name)
				}
			}
			do("PUT", repoPerms+"/users?name="+name+"&permission=REPO_WRITE")
		})
	}
	wg.Go(func() { // a colleague in the UI, and a test turning knobs
		for i := range rounds {
			u := fmt.Sprintf("temp%d", i)
			check(t, bb.CreateUser(bitbuckettest.User{Name: u}))
			check(t, bb.GrantUser(projectScope, u, "PROJECT_READ"))
			check(t, bb.AddMember("developers", u))
			check(t, bb.DeleteUser(u))
			_ = bb.UserPermission(repoScope, "worker0")
			_ = bb.Requests()
			bb.SetFaultRate(0, bitbuckettest.Fault{})
			bb.SetRateLimit(0, 0)
		}
	})
	wg.Wait()
	got := grants(t, bb, repoPerms+"/users")
	for w := range workers {
		if p := got[fmt.Sprintf("worker%d", w)]; p != "REPO_WRITE" {
			t.Errorf("worker%d ended with %q", w, p)
		}
	}
	if n := bb.RequestCount("PUT", repoUsersRoute); n != workers*(rounds+1) {
		t.Errorf("counted %d PUTs, want %d", n, workers*(rounds+1))
	}
}
