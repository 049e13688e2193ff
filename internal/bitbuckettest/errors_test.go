package bitbuckettest_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/bitbucket-access/terraform-provider-bitbucket/internal/bitbuckettest"
)

// §7.2: wrong password (Basic).
func TestError_WrongPassword(t *testing.T) {
	bb := fixture(t)
	r := get(t, bb, repoPerms+"/users", basic("admin", "wrong"))
	r.wantError(t, http.StatusUnauthorized, exIncorrectPassword, msgBadCredentials)
	// An unknown user is the same failure, and neither is "authenticated" (§16).
	r = get(t, bb, repoPerms+"/users", basic("nobody", "x"))
	r.wantError(t, http.StatusUnauthorized, exIncorrectPassword, msgBadCredentials)
	if r.Header.Get("X-AUSERNAME") != "" {
		t.Errorf("failed login carries X-AUSERNAME %q", r.Header.Get("X-AUSERNAME"))
	}
}

// §7.2, §13: authenticated but not permitted is 401 AuthorisationException,
// not 403, with X-AUSERID/X-AUSERNAME (§16) and the OAuth realm (§1).
func TestError_AuthenticatedButNotPermitted(t *testing.T) {
	bb := fixture(t)
	for _, path := range []string{globalPerms + "/users", projectPerms + "/users", repoPerms + "/users"} {
		r := get(t, bb, path, basic("alice", "alice"))
		r.wantNotPermitted(t)
		if got := r.Header.Get("X-AUSERNAME"); got != "alice" {
			t.Errorf("%s: X-AUSERNAME %q, want alice", path, got)
		}
		if r.Header.Get("X-AUSERID") == "" {
			t.Errorf("%s: no X-AUSERID on an authenticated 401", path)
		}
		want := `OAuth realm="` + url.QueryEscape(bb.URL()) + `"`
		if got := r.Header.Get("WWW-Authenticate"); got != want {
			t.Errorf("WWW-Authenticate %q, want %q", got, want)
		}
	}
}

// §7.2: no credentials at all on a protected resource.
func TestError_NoCredentials(t *testing.T) {
	bb := fixture(t)
	r := get(t, bb, repoPerms+"/users", anonymous)
	r.wantNotPermitted(t)
	if r.Header.Get("X-AUSERID") != "" || r.Header.Get("X-AUSERNAME") != "" {
		t.Errorf("anonymous reply carries X-AUSER headers: %v", r.Header)
	}
	if !strings.HasPrefix(r.Header.Get("WWW-Authenticate"), "OAuth realm=") {
		t.Errorf("WWW-Authenticate %q", r.Header.Get("WWW-Authenticate"))
	}
}

// §7.2: a project-scoped token used outside its scope.
func TestError_ProjectTokenOutsideItsProject(t *testing.T) {
	bb := fixture(t)
	check(t, bb.CreateProject("OTHER", "Other"))
	if _, err := bb.CreateRepository("OTHER", "elsewhere"); err != nil {
		t.Fatal(err)
	}
	tok, err := bb.CreateProjectToken("PROJ", bitbuckettest.Token{Permissions: []string{"PROJECT_ADMIN"}})
	check(t, err)
	get(t, bb, "/rest/api/1.0/projects/OTHER/permissions/users", bearer(tok)).wantNotPermitted(t)
	get(t, bb, "/rest/api/1.0/projects/OTHER/repos/elsewhere/permissions/users", bearer(tok)).wantNotPermitted(t)
	get(t, bb, projectPerms+"/users", bearer(tok)).wantStatus(t, http.StatusOK)
}

// §7.2, §13: a missing project, also on repository sub-resources.
func TestError_MissingProject(t *testing.T) {
	bb := fixture(t)
	for _, path := range []string{
		"/rest/api/1.0/projects/NOPE",
		"/rest/api/1.0/projects/NOPE/permissions/users",
		"/rest/api/1.0/projects/NOPE/permissions/PROJECT_READ/all",
		"/rest/api/1.0/projects/NOPE/repos/x",
		// §7.2: missing project under a repository path reports the project
		"/rest/api/1.0/projects/NOPE/repos/x/permissions/users",
		"/rest/api/1.0/projects/NOPE/repos/x/permissions/groups/none",
	} {
		get(t, bb, path, admin).wantError(t, http.StatusNotFound, exNoSuchProject, "Project NOPE does not exist.")
	}
	put(t, bb, "/rest/api/1.0/projects/NOPE/repos/x/permissions/users?name=alice&permission=REPO_READ", admin).
		wantError(t, http.StatusNotFound, exNoSuchProject, "Project NOPE does not exist.")
}

// §7.2: a missing repository in an existing project; existence is checked
// before permission (§16), so a caller without rights also gets 404.
func TestError_MissingRepository(t *testing.T) {
	bb := fixture(t)
	const msg = "Repository PROJ/nope does not exist."
	get(t, bb, "/rest/api/1.0/projects/PROJ/repos/nope", admin).wantError(t, http.StatusNotFound, exNoSuchRepository, msg)
	get(t, bb, "/rest/api/1.0/projects/PROJ/repos/nope/permissions/users", admin).wantError(t, http.StatusNotFound, exNoSuchRepository, msg)
	del(t, bb, "/rest/api/1.0/projects/PROJ/repos/nope/permissions/groups?name=developers", admin).wantError(t, http.StatusNotFound, exNoSuchRepository, msg)
	get(t, bb, "/rest/api/1.0/projects/PROJ/repos/nope/permissions/users", basic("alice", "alice")).wantError(t, http.StatusNotFound, exNoSuchRepository, msg)
}

// §7.2: a user that does not exist, by slug and by name.
func TestError_MissingUser(t *testing.T) {
	bb := fixture(t)
	get(t, bb, "/rest/api/1.0/users/nobody", admin).wantError(t, http.StatusNotFound, exNoSuchUser, "User nobody does not exist.")
	put(t, bb, repoPerms+"/users?name=nobody&permission=REPO_READ", admin).wantError(t, http.StatusNotFound, exNoSuchUser, "User nobody does not exist.")
	// §7.2: revoke from a user that does not exist
	del(t, bb, repoPerms+"/users?name=nobody", admin).wantError(t, http.StatusNotFound, exNoSuchUser, "User nobody does not exist.")
	del(t, bb, projectPerms+"/users?name=nobody", admin).wantError(t, http.StatusNotFound, exNoSuchUser, "")
	del(t, bb, globalPerms+"/users?name=nobody", admin).wantError(t, http.StatusNotFound, exNoSuchUser, "")
}

// §7.2, §13: grant to a group that does not exist → 404 NoSuchGroupException
// (assumed); revoke from one → 204 no-op.
func TestError_MissingGroup(t *testing.T) {
	bb := fixture(t)
	for _, perms := range []string{repoPerms, projectPerms, globalPerms} {
		perm := map[string]string{repoPerms: "REPO_READ", projectPerms: "PROJECT_READ", globalPerms: "LICENSED_USER"}[perms]
		put(t, bb, perms+"/groups?name=ghosts&permission="+perm, admin).wantError(t, http.StatusNotFound, exNoSuchGroup, "")
		del(t, bb, perms+"/groups?name=ghosts", admin).wantNoContent(t)
	}
}

// §7.2, §13: invalid permission value, or missing name or permission → 400.
func TestError_InvalidArguments(t *testing.T) {
	bb := fixture(t)
	for _, tc := range []struct{ path, field string }{
		{repoPerms + "/users?name=alice", "permission"},
		{repoPerms + "/users?permission=REPO_READ", "name"},
		{repoPerms + "/users?name=alice&permission=PROJECT_READ", "permission"}, // wrong scope
		{repoPerms + "/users?name=alice&permission=repo_read", "permission"},    // enum names are case-sensitive
		{repoPerms + "/groups?name=developers&permission=BOGUS", "permission"},
		{projectPerms + "/users?name=alice&permission=REPO_WRITE", "permission"},
		{projectPerms + "/groups?permission=PROJECT_READ", "name"},
		{globalPerms + "/users?name=alice&permission=PROJECT_ADMIN", "permission"},
		{globalPerms + "/groups?name=developers", "permission"},
		{repoPerms + "/users?name=&permission=REPO_READ", "name"},
	} {
		e := put(t, bb, tc.path, admin).wantError(t, http.StatusBadRequest, "", "")
		if ptr(e.Context) != tc.field {
			t.Errorf("PUT %s: context %s, want %s", tc.path, ptr(e.Context), tc.field)
		}
	}
	// DELETE without a name
	del(t, bb, repoPerms+"/users", admin).wantError(t, http.StatusBadRequest, "", "")
	del(t, bb, projectPerms+"/groups", admin).wantError(t, http.StatusBadRequest, "", "")
	// PROJECT_VIEW and USER_ADMIN are never grantable (§3)
	put(t, bb, projectPerms+"/users?name=alice&permission=PROJECT_VIEW", admin).wantError(t, http.StatusBadRequest, "", "")
	put(t, bb, globalPerms+"/users?name=alice&permission=USER_ADMIN", admin).wantError(t, http.StatusBadRequest, "", "")
	if got := bb.UserPermission(repoScope, "alice"); got != "" {
		t.Errorf("a refused PUT granted %s", got)
	}
}

// §7.2: PUT that would lower the caller's own level → 403; DELETE → 409
// (repository and project scopes).
func TestError_SelfDemotion(t *testing.T) {
	bb := fixture(t)
	alice := basic("alice", "alice")
	check(t, bb.GrantUser(repoScope, "alice", "REPO_ADMIN"))
	check(t, bb.GrantUser(projectScope, "bob", "PROJECT_ADMIN"))
	bobAuth := basic("bob", "bob")

	put(t, bb, repoPerms+"/users?name=alice&permission=REPO_WRITE", alice).wantStatus(t, http.StatusForbidden)
	del(t, bb, repoPerms+"/users?name=alice", alice).wantStatus(t, http.StatusConflict)
	put(t, bb, projectPerms+"/users?name=bob&permission=PROJECT_READ", bobAuth).wantStatus(t, http.StatusForbidden)
	del(t, bb, projectPerms+"/users?name=bob", bobAuth).wantStatus(t, http.StatusConflict)
	if bb.UserPermission(repoScope, "alice") != "REPO_ADMIN" || bb.UserPermission(projectScope, "bob") != "PROJECT_ADMIN" {
		t.Fatal("a refused self-demotion changed the grants")
	}

	// Through a group: alice's admin comes from developers only.
	check(t, bb.RevokeUser(repoScope, "alice"))
	check(t, bb.GrantGroup(repoScope, "developers", "REPO_ADMIN"))
	put(t, bb, repoPerms+"/groups?name=developers&permission=REPO_READ", alice).wantStatus(t, http.StatusForbidden)
	del(t, bb, repoPerms+"/groups?name=developers", alice).wantStatus(t, http.StatusConflict)

	// §11: allowed when a higher permission already implies the level: bob is
	// PROJECT_ADMIN, so his own repository grant can go.
	check(t, bb.GrantUser(repoScope, "bob", "REPO_ADMIN"))
	put(t, bb, repoPerms+"/users?name=bob&permission=REPO_READ", bobAuth).wantNoContent(t)
	del(t, bb, repoPerms+"/users?name=bob", bobAuth).wantNoContent(t)
	// and an admin may demote itself at project scope: SYS_ADMIN implies it
	check(t, bb.GrantUser(projectScope, "admin", "PROJECT_ADMIN"))
	del(t, bb, projectPerms+"/users?name=admin", admin).wantNoContent(t)
}

// §7.2: global self-demotion → 409, and a principal that outranks the caller → 409.
func TestError_GlobalSelfDemotionAndOutranking(t *testing.T) {
	bb := fixture(t)
	check(t, bb.GrantUser(globalScope, "alice", "ADMIN"))
	alice := basic("alice", "alice")
	put(t, bb, globalPerms+"/users?name=alice&permission=PROJECT_CREATE", alice).wantStatus(t, http.StatusConflict)
	del(t, bb, globalPerms+"/users?name=alice", alice).wantStatus(t, http.StatusConflict)
	// admin (SYS_ADMIN) outranks alice (ADMIN)
	put(t, bb, globalPerms+"/users?name=admin&permission=LICENSED_USER", alice).wantStatus(t, http.StatusConflict)
	del(t, bb, globalPerms+"/users?name=admin", alice).wantStatus(t, http.StatusConflict)
	// §3: granting SYS_ADMIN needs a SYS_ADMIN caller: 401
	put(t, bb, globalPerms+"/users?name=bob&permission=SYS_ADMIN", alice).wantNotPermitted(t)
	put(t, bb, globalPerms+"/users?name=bob&permission=ADMIN", alice).wantNoContent(t)
	put(t, bb, globalPerms+"/users?name=bob&permission=SYS_ADMIN", admin).wantNoContent(t)
	if bb.UserPermission(globalScope, "admin") != "SYS_ADMIN" || bb.UserPermission(globalScope, "alice") != "ADMIN" {
		t.Fatal("refused global changes were applied")
	}
}

// §7.2, §13: a global PUT that would exceed the licensed-user limit → 403.
func TestError_LicenseLimit(t *testing.T) {
	bb := fixture(t)
	check(t, bb.CreateUser(bitbuckettest.User{Name: "dave", Password: "dave"}))
	check(t, bb.RemoveMember("stash-users", "dave")) // dave is unlicensed: 4 licensed users
	bb.SetLicenseLimit(4)
	put(t, bb, globalPerms+"/users?name=dave&permission=LICENSED_USER", admin).wantStatus(t, http.StatusForbidden)
	if bb.UserPermission(globalScope, "dave") != "" {
		t.Fatal("the refused grant was applied")
	}
	// a change that licenses nobody new is fine
	put(t, bb, globalPerms+"/users?name=alice&permission=PROJECT_CREATE", admin).wantNoContent(t)
	bb.SetLicenseLimit(5)
	put(t, bb, globalPerms+"/users?name=dave&permission=LICENSED_USER", admin).wantNoContent(t)
}

// §7.2: a group that exists on POST /admin/groups → 409 IntegrityException.
func TestError_GroupExists(t *testing.T) {
	bb := fixture(t)
	post(t, bb, "/rest/api/1.0/admin/groups?name=DEVELOPERS", admin, "").wantError(t, http.StatusConflict, exIntegrity, "")
}

// §7.2: deleting a project that still contains repositories → 409.
func TestError_DeleteProjectWithRepositories(t *testing.T) {
	bb := fixture(t)
	del(t, bb, "/rest/api/1.0/projects/PROJ", admin).wantError(t, http.StatusConflict, exIntegrity,
		`The project "PROJ" cannot be deleted because it has repositories.`)
}

// §7.1: every JSON error uses the envelope, including unknown routes.
func TestError_EnvelopeOnUnknownRoute(t *testing.T) {
	bb := fixture(t)
	get(t, bb, "/rest/api/1.0/nothing/here", admin).wantError(t, http.StatusNotFound, "", "")
	get(t, bb, "/rest/api/2.0/projects/PROJ", admin).wantError(t, http.StatusNotFound, "", "")
	r := send(t, bb, call{method: http.MethodPatch, path: repoPerms + "/users", auth: admin})
	r.wantError(t, http.StatusMethodNotAllowed, "", "")
	if r.Header.Get("Allow") != "GET, PUT, DELETE" {
		t.Errorf("Allow %q", r.Header.Get("Allow"))
	}
}
