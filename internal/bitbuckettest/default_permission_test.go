package bitbuckettest_test

import (
	"net/http"
	"testing"
)

func permitted(t *testing.T, r response) bool {
	t.Helper()
	var p struct {
		Permitted *bool `json:"permitted"`
	}
	r.wantStatus(t, http.StatusOK).decode(t, &p)
	if p.Permitted == nil {
		t.Fatalf("no permitted field in %s", r.Body)
	}
	return *p.Permitted
}

// §4.2: GET and POST …/permissions/{permission}/all?allow=.
func TestDefaultPermission(t *testing.T) {
	bb := fixture(t)
	all := func(perm string) string { return projectPerms + "/" + perm + "/all" }
	if permitted(t, get(t, bb, all("PROJECT_READ"), admin)) {
		t.Fatal("a fresh project has a default permission")
	}
	post(t, bb, all("PROJECT_WRITE")+"?allow=true", admin, "").wantNoContent(t)
	if bb.DefaultPermission("PROJ") != "PROJECT_WRITE" {
		t.Fatalf("default is %q", bb.DefaultPermission("PROJ"))
	}
	// assumption: GET answers whether the default implies the level.
	for perm, want := range map[string]bool{"PROJECT_READ": true, "PROJECT_WRITE": true, "REPO_CREATE": false, "PROJECT_ADMIN": false} {
		if got := permitted(t, get(t, bb, all(perm), admin)); got != want {
			t.Errorf("GET %s/all = %v, want %v", perm, got, want)
		}
	}
	post(t, bb, all("PROJECT_READ")+"?allow=true", admin, "").wantNoContent(t) // replaces
	if bb.DefaultPermission("PROJ") != "PROJECT_READ" {
		t.Fatalf("default is %q after allowing PROJECT_READ", bb.DefaultPermission("PROJ"))
	}
	post(t, bb, all("PROJECT_WRITE")+"?allow=false", admin, "").wantNoContent(t) // not implied: no-op
	if bb.DefaultPermission("PROJ") != "PROJECT_READ" {
		t.Fatal("allow=false for a higher level removed the default")
	}
	post(t, bb, all("PROJECT_READ")+"?allow=false", admin, "").wantNoContent(t)
	if bb.DefaultPermission("PROJ") != "" {
		t.Fatal("allow=false did not remove the default")
	}
	post(t, bb, all("REPO_CREATE")+"?allow=true", admin, "").wantNoContent(t) // §4.2: 8.2+

	// 400: a bad permission in the path, PROJECT_ADMIN as a default, a bad allow.
	get(t, bb, all("REPO_READ"), admin).wantError(t, http.StatusBadRequest, "", "")
	post(t, bb, all("PROJECT_ADMIN")+"?allow=true", admin, "").wantError(t, http.StatusBadRequest, "", "")
	post(t, bb, all("BOGUS")+"?allow=true", admin, "").wantError(t, http.StatusBadRequest, "", "")
	post(t, bb, all("PROJECT_READ"), admin, "").wantError(t, http.StatusBadRequest, "", "")
	post(t, bb, all("PROJECT_READ")+"?allow=maybe", admin, "").wantError(t, http.StatusBadRequest, "", "")
	// 401 without PROJECT_ADMIN, 404 without the project.
	get(t, bb, all("PROJECT_READ"), basic("alice", "alice")).wantNotPermitted(t)
	post(t, bb, all("PROJECT_READ")+"?allow=true", basic("alice", "alice"), "").wantNotPermitted(t)
	get(t, bb, "/rest/api/1.0/projects/NOPE/permissions/PROJECT_READ/all", admin).wantError(t, http.StatusNotFound, exNoSuchProject, "")
	if bb.DefaultPermission("PROJ") != "REPO_CREATE" {
		t.Fatal("a refused POST changed the default")
	}
}
