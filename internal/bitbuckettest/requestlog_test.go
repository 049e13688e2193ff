package bitbuckettest_test

import (
	"maps"
	"net/http"
	"testing"
)

// The request log counts by method and route template, from Go and as JSON
// from /_bitbuckettest/requests, which is itself not counted.
func TestRequestLog(t *testing.T) {
	bb := fixture(t)
	put(t, bb, repoPerms+"/users?name=alice&permission=REPO_READ", admin)
	put(t, bb, "/rest/api/latest/projects/PROJ/repos/test/permissions/users?name=bob&permission=REPO_READ", admin)
	get(t, bb, repoPerms+"/users", admin)
	get(t, bb, "/rest/api/1.0/projects/PROJ/permissions/PROJECT_READ/all", admin)
	get(t, bb, "/rest/access-tokens/1.0/users/admin", admin)
	get(t, bb, "/rest/api/1.0/no/such/thing", anonymous)
	want := map[string]int{
		"PUT " + repoUsersRoute: 2,
		"GET " + repoUsersRoute: 1,
		"GET /rest/api/{version}/projects/{projectKey}/permissions/{permission}/all": 1,
		"GET /rest/access-tokens/{version}/users/{userSlug}":                         1,
		"GET /rest/api/1.0/no/such/thing":                                            1,
	}
	if got := bb.Requests(); !maps.Equal(got, want) {
		t.Errorf("Requests() = %v, want %v", got, want)
	}
	if n := bb.RequestCount("PUT", repoUsersRoute); n != 2 {
		t.Errorf("RequestCount = %d", n)
	}
	var log struct {
		Total  int            `json:"total"`
		Counts map[string]int `json:"counts"`
	}
	get(t, bb, "/_bitbuckettest/requests", anonymous).wantStatus(t, http.StatusOK).decode(t, &log)
	if log.Total != 6 || !maps.Equal(log.Counts, want) {
		t.Errorf("GET /_bitbuckettest/requests = %+v", log)
	}
	del(t, bb, "/_bitbuckettest/requests", anonymous).wantNoContent(t)
	if got := bb.Requests(); len(got) != 0 {
		t.Errorf("after DELETE: %v", got)
	}
	get(t, bb, repoPerms+"/users", admin)
	bb.ResetRequests()
	if n := bb.RequestCount("GET", repoUsersRoute); n != 0 {
		t.Errorf("after ResetRequests: %d", n)
	}
}
