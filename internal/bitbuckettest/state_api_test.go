package bitbuckettest_test

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/bitbucket-access/terraform-provider-bitbucket/internal/bitbuckettest"
)

// The Go API reports unknown objects, duplicates and bad arguments.
func TestGoAPI_Errors(t *testing.T) {
	bb := fixture(t)
	for name, tc := range map[string]struct {
		err  error
		want error
	}{
		"duplicate user (other case)":   {bb.CreateUser(bitbuckettest.User{Name: "ALICE"}), bitbuckettest.ErrConflict},
		"duplicate group":               {bb.CreateGroup("Developers"), bitbuckettest.ErrConflict},
		"duplicate project":             {bb.CreateProject("proj", "Again"), bitbuckettest.ErrConflict},
		"unknown user":                  {bb.DeleteUser("nobody"), bitbuckettest.ErrNotFound},
		"unknown group":                 {bb.AddMember("ghosts", "alice"), bitbuckettest.ErrNotFound},
		"unknown member":                {bb.AddMember("developers", "nobody"), bitbuckettest.ErrNotFound},
		"unknown project":               {bb.GrantUser(bitbuckettest.Scope{Project: "NOPE"}, "alice", "PROJECT_READ"), bitbuckettest.ErrNotFound},
		"unknown repository":            {bb.GrantUser(bitbuckettest.Scope{Project: "PROJ", Repository: "nope"}, "alice", "REPO_READ"), bitbuckettest.ErrNotFound},
		"permission of the wrong scope": {bb.GrantUser(repoScope, "alice", "PROJECT_READ"), bitbuckettest.ErrInvalid},
		"unknown permission":            {bb.GrantGroup(globalScope, "developers", "GOD"), bitbuckettest.ErrInvalid},
		"bad default permission":        {bb.SetDefaultPermission("PROJ", "PROJECT_ADMIN", true), bitbuckettest.ErrInvalid},
		"bad project key":               {bb.CreateProject("1X", "x"), bitbuckettest.ErrInvalid},
		"unknown token owner":           {second(bb.CreatePersonalToken("nobody", tokenAll())), bitbuckettest.ErrNotFound},
		"token without permissions":     {second(bb.CreateProjectToken("PROJ", bitbuckettest.Token{})), bitbuckettest.ErrInvalid},
		"duplicate repository":          {second(bb.CreateRepository("PROJ", "TEST")), bitbuckettest.ErrConflict},
	} {
		if !errors.Is(tc.err, tc.want) {
			t.Errorf("%s: %v, want %v", name, tc.err, tc.want)
		}
	}
	if err := bb.RevokeUser(repoScope, "carol"); err != nil {
		t.Errorf("revoking a grant that is not there: %v", err)
	}
}

func second(_ string, err error) error { return err }

// Out-of-band changes show through REST at once; DeleteProject takes its
// repositories along.
func TestGoAPI_OutOfBandChanges(t *testing.T) {
	bb := fixture(t)
	put(t, bb, repoPerms+"/users?name=alice&permission=REPO_WRITE", admin).wantNoContent(t)
	check(t, bb.RevokeUser(repoScope, "alice")) // a colleague in the UI
	if _, ok := grants(t, bb, repoPerms+"/users")["alice"]; ok {
		t.Error("out-of-band revoke not visible")
	}
	check(t, bb.GrantUser(repoScope, "alice", "REPO_ADMIN"))
	if grants(t, bb, repoPerms+"/users")["alice"] != "REPO_ADMIN" {
		t.Error("out-of-band grant not visible")
	}
	tok := token(t)(bb.CreateRepositoryToken("PROJ", "test", bitbuckettest.Token{Permissions: []string{"REPO_ADMIN"}, Value: "fixed-secret"}))
	if tok != "fixed-secret" {
		t.Errorf("token value %q", tok)
	}
	check(t, bb.DeleteProject("PROJ"))
	get(t, bb, repoPerms+"/users", admin).wantError(t, http.StatusNotFound, exNoSuchProject, "")
	get(t, bb, "/rest/api/1.0/application-properties", bearer(tok)).wantStatus(t, http.StatusOK)
	get(t, bb, "/rest/api/1.0/users", bearer(tok)).wantNotPermitted(t) // the token died with its repository
	if bb.Repositories("PROJ") != nil || slices.Contains(bb.Projects(), "PROJ") {
		t.Error("the project or its repositories survived")
	}
}

// No package-level state: two instances in one process are independent.
func TestGoAPI_InstancesAreIndependent(t *testing.T) {
	a, b := bitbuckettest.Start(t), bitbuckettest.Start(t)
	check(t, a.CreateUser(bitbuckettest.User{Name: "only-in-a", Password: "pw"}))
	check(t, a.CreateProject("PROJ", "P"))
	check(t, b.CreateProject("PROJ", "P")) // no conflict across instances
	if slices.Contains(b.Users(), "only-in-a") {
		t.Error("a user leaked into another instance")
	}
	get(t, b, "/rest/api/1.0/users/only-in-a", admin).wantError(t, http.StatusNotFound, exNoSuchUser, "")
	a.SetRateLimit(1, 0.001)
	get(t, a, "/rest/api/1.0/users", admin)
	get(t, b, "/rest/api/1.0/users", admin).wantStatus(t, http.StatusOK)
	get(t, b, "/rest/api/1.0/users", admin).wantStatus(t, http.StatusOK)
	if a.RequestCount("GET", "/rest/api/{version}/users") != 1 || b.RequestCount("GET", "/rest/api/{version}/users") != 2 {
		t.Error("request logs are shared")
	}
	if a.URL() == b.URL() {
		t.Error("both instances on one URL")
	}
}

// New is a plain http.Handler for use outside tests.
func TestGoAPI_NewIsAHandler(t *testing.T) {
	bb := bitbuckettest.New()
	if bb.URL() != "" {
		t.Errorf("URL() of an unstarted instance: %q", bb.URL())
	}
	rec := httptest.NewRecorder()
	req := httptest.NewRequest(http.MethodGet, "/rest/api/latest/admin/permissions/users", nil)
	req.SetBasicAuth("admin", "admin")
	bb.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `"SYS_ADMIN"`) {
		t.Errorf("%d %s", rec.Code, rec.Body)
	}
	if !strings.Contains(rec.Body.String(), "http://example.com/users/admin") {
		t.Errorf("links do not follow the request's host: %s", rec.Body)
	}
}

// LoadSeed reads the documented example, and names the entry that fails.
func TestGoAPI_LoadSeed(t *testing.T) {
	bb := bitbuckettest.Start(t)
	f, err := os.Open("cmd/bitbucket-test-instance/example-seed.json")
	check(t, err)
	defer f.Close()
	check(t, bb.LoadSeed(f))
	if got := bb.Repositories("PROJ"); !slices.Equal(got, []string{"other-repo", "test"}) {
		t.Errorf("PROJ repositories %v", got)
	}
	if bb.GroupPermission(projectScope, "developers") != "PROJECT_WRITE" || bb.UserPermission(repoScope, "bob") != "REPO_ADMIN" ||
		bb.UserPermission(globalScope, "alice") != "PROJECT_CREATE" || bb.DefaultPermission("OPEN") != "PROJECT_READ" {
		t.Error("seed grants missing")
	}
	get(t, bb, "/rest/api/1.0/users/carol_example.com", basic("carol@example.com", "carol")).wantStatus(t, http.StatusOK)
	get(t, bb, repoPerms+"/users", bearer("proj-admin-token")).wantStatus(t, http.StatusOK)
	get(t, bb, "/rest/api/1.0/projects/PROJ/repos/test", bearer("alice-read-token")).wantStatus(t, http.StatusOK)

	for seed, want := range map[string]string{
		`{"grants":[{"user":"nobody","permission":"LICENSED_USER"}]}`:                     "seed grants[0]: User nobody does not exist.",
		`{"grants":[{"user":"admin","group":"stash-users","permission":"ADMIN"}]}`:        "seed grants[0]",
		`{"projects":[{"key":"PROJ","name":"Again"}]}`:                                    "seed projects[0]",
		`{"users":[{"name":"x","colour":"red"}]}`:                                         `unknown field "colour"`,
		`{"tokens":[{"project":"PROJ","repository":"nope","permissions":["REPO_READ"]}]}`: "Repository PROJ/nope does not exist.",
	} {
		err := bb.LoadSeed(strings.NewReader(seed))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("seed %s: error %v, want it to contain %q", seed, err, want)
		}
	}
}
