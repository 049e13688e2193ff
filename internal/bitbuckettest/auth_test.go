package bitbuckettest_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/bitbucket-access/terraform-provider-bitbucket/internal/bitbuckettest"
)

// token unwraps a Create…Token result: token(t)(bb.CreatePersonalToken(…)).
func token(t *testing.T) func(string, error) string {
	return func(value string, err error) string {
		t.Helper()
		check(t, err)
		return value
	}
}

// §8: Basic with the password, or with a personal token as the password;
// Bearer with a personal token. The caller is the token's owner (§16).
func TestAuth_PersonalTokenAsBearerAndBasic(t *testing.T) {
	bb := fixture(t)
	tok := token(t)(bb.CreatePersonalToken("admin", bitbuckettest.Token{Permissions: []string{"PROJECT_ADMIN", "REPO_ADMIN"}}))
	for name, a := range map[string]auth{"password": admin, "bearer": bearer(tok), "basic token": basic("admin", tok)} {
		r := put(t, bb, repoPerms+"/users?name=alice&permission=REPO_READ", a)
		r.wantNoContent(t)
		if r.Header.Get("X-AUSERNAME") != "admin" || r.Header.Get("X-AUSERID") == "" {
			t.Errorf("%s: X-AUSERNAME %q X-AUSERID %q", name, r.Header.Get("X-AUSERNAME"), r.Header.Get("X-AUSERID"))
		}
	}
	// The token is the owner's password only: not another user's.
	get(t, bb, repoPerms+"/users", basic("alice", tok)).wantError(t, http.StatusUnauthorized, exIncorrectPassword, msgBadCredentials)
}

// §8, §13: a token's permissions cap its owner's.
func TestAuth_TokenCapsItsOwner(t *testing.T) {
	bb := fixture(t)
	readOnly := bearer(token(t)(bb.CreatePersonalToken("admin", bitbuckettest.Token{Permissions: []string{"REPO_READ"}})))
	get(t, bb, "/rest/api/1.0/projects/PROJ/repos/test", readOnly).wantStatus(t, http.StatusOK)
	get(t, bb, repoPerms+"/users", readOnly).wantNotPermitted(t)
	put(t, bb, repoPerms+"/users?name=alice&permission=REPO_READ", readOnly).wantNotPermitted(t)

	repoAdmin := bearer(token(t)(bb.CreatePersonalToken("admin", bitbuckettest.Token{Permissions: []string{"PROJECT_READ", "REPO_ADMIN"}})))
	put(t, bb, repoPerms+"/users?name=alice&permission=REPO_READ", repoAdmin).wantNoContent(t)
	put(t, bb, projectPerms+"/users?name=alice&permission=PROJECT_READ", repoAdmin).wantNotPermitted(t)

	// ... and never raises them: alice's admin token does nothing she cannot.
	aliceTok := bearer(token(t)(bb.CreatePersonalToken("alice", bitbuckettest.Token{Permissions: []string{"PROJECT_ADMIN", "REPO_ADMIN"}})))
	get(t, bb, repoPerms+"/users", aliceTok).wantNotPermitted(t)
	check(t, bb.GrantUser(repoScope, "alice", "REPO_ADMIN"))
	get(t, bb, repoPerms+"/users", aliceTok).wantStatus(t, http.StatusOK)
	get(t, bb, projectPerms+"/users", aliceTok).wantNotPermitted(t)
}

// §8: tokens are refused on /rest/api/*/admin/* with 401
// AuthorisationException, whoever owns them.
func TestAuth_TokensRefusedOnAdmin(t *testing.T) {
	bb := fixture(t)
	personal := token(t)(bb.CreatePersonalToken("admin", bitbuckettest.Token{Permissions: []string{"PROJECT_ADMIN", "REPO_ADMIN"}}))
	project := token(t)(bb.CreateProjectToken("PROJ", bitbuckettest.Token{Permissions: []string{"PROJECT_ADMIN"}}))
	for _, a := range []auth{bearer(personal), basic("admin", personal), bearer(project)} {
		for _, path := range []string{globalPerms + "/users", globalPerms + "/groups/none", "/rest/api/1.0/admin/users", "/rest/api/latest/admin/groups"} {
			r := get(t, bb, path, a)
			r.wantNotPermitted(t)
			if r.Header.Get("X-AUSERNAME") == "" {
				t.Errorf("%s: a refused token is still an authenticated caller; X-AUSERNAME missing", path)
			}
		}
		put(t, bb, globalPerms+"/users?name=alice&permission=ADMIN", a).wantNotPermitted(t)
	}
	get(t, bb, globalPerms+"/users", admin).wantStatus(t, http.StatusOK)
}

// §8: a project token acts on its project, and on that project's
// repositories with the repository level its project permission implies.
func TestAuth_ProjectToken(t *testing.T) {
	bb := fixture(t)
	tok := token(t)(bb.CreateProjectToken("PROJ", bitbuckettest.Token{Permissions: []string{"PROJECT_ADMIN"}}))
	put(t, bb, projectPerms+"/users?name=alice&permission=PROJECT_WRITE", bearer(tok)).wantNoContent(t)
	put(t, bb, repoPerms+"/groups?name=developers&permission=REPO_WRITE", bearer(tok)).wantNoContent(t)
	r := get(t, bb, repoPerms+"/users", bearer(tok))
	r.wantStatus(t, http.StatusOK)
	if r.Header.Get("X-AUSERNAME") == "" || r.Header.Get("X-AUSERNAME") == "admin" {
		t.Errorf("project token acts as %q, want its own service identity", r.Header.Get("X-AUSERNAME"))
	}
	// §8: Bearer only; with Basic it is a failed login.
	get(t, bb, repoPerms+"/users", basic("admin", tok)).wantError(t, http.StatusUnauthorized, exIncorrectPassword, "")
	// A PROJECT_READ project token reads but does not manage.
	reader := bearer(token(t)(bb.CreateProjectToken("PROJ", bitbuckettest.Token{Permissions: []string{"PROJECT_READ"}})))
	get(t, bb, "/rest/api/1.0/projects/PROJ/repos/test", reader).wantStatus(t, http.StatusOK)
	get(t, bb, projectPerms+"/users", reader).wantNotPermitted(t)
	// It is not a licensed user and cannot create projects.
	post(t, bb, "/rest/api/1.0/projects", bearer(tok), `{"key":"NEW","name":"New"}`).wantNotPermitted(t)
}

// §8: a repository token acts on its repository only.
func TestAuth_RepositoryToken(t *testing.T) {
	bb := fixture(t)
	if _, err := bb.CreateRepository("PROJ", "sibling"); err != nil {
		t.Fatal(err)
	}
	tok := bearer(token(t)(bb.CreateRepositoryToken("PROJ", "test", bitbuckettest.Token{Permissions: []string{"REPO_ADMIN"}})))
	put(t, bb, repoPerms+"/users?name=alice&permission=REPO_WRITE", tok).wantNoContent(t)
	get(t, bb, "/rest/api/1.0/projects/PROJ/repos/sibling/permissions/users", tok).wantNotPermitted(t)
	get(t, bb, projectPerms+"/users", tok).wantNotPermitted(t)
	// Repository tokens carry repository permissions only.
	_, err := bb.CreateRepositoryToken("PROJ", "test", bitbuckettest.Token{Permissions: []string{"PROJECT_READ"}})
	if err == nil {
		t.Error("a repository token accepted PROJECT_READ")
	}
}

// §8, §16: an expired token is treated as anonymous with Bearer, and is a
// wrong password with Basic.
func TestAuth_ExpiredToken(t *testing.T) {
	bb := fixture(t)
	expired := token(t)(bb.CreatePersonalToken("admin", bitbuckettest.Token{
		Permissions: []string{"PROJECT_ADMIN", "REPO_ADMIN"}, ExpiresAt: time.Now().Add(-time.Minute)}))
	r := get(t, bb, repoPerms+"/users", bearer(expired))
	r.wantNotPermitted(t)
	if r.Header.Get("X-AUSERNAME") != "" {
		t.Error("an expired token authenticated")
	}
	get(t, bb, "/rest/api/1.0/application-properties", bearer(expired)).wantStatus(t, http.StatusOK)
	get(t, bb, repoPerms+"/users", basic("admin", expired)).wantError(t, http.StatusUnauthorized, exIncorrectPassword, "")
	expiredProject := token(t)(bb.CreateProjectToken("PROJ", bitbuckettest.Token{
		Permissions: []string{"PROJECT_ADMIN"}, ExpiresAt: time.Now().Add(-time.Second)}))
	get(t, bb, projectPerms+"/users", bearer(expiredProject)).wantNotPermitted(t)
	// A token that expires later works now.
	later := token(t)(bb.CreatePersonalToken("admin", bitbuckettest.Token{
		Permissions: []string{"REPO_ADMIN"}, ExpiresAt: time.Now().Add(time.Hour)}))
	get(t, bb, repoPerms+"/users", bearer(later)).wantStatus(t, http.StatusOK)
}

// §16: an unknown Bearer token is anonymous: open endpoints answer, others
// are 401 AuthorisationException without X-AUSER headers.
func TestAuth_UnknownBearerIsAnonymous(t *testing.T) {
	bb := fixture(t)
	get(t, bb, "/rest/api/1.0/application-properties", bearer("no-such-token")).wantStatus(t, http.StatusOK)
	r := get(t, bb, "/rest/api/1.0/users/admin", bearer("no-such-token"))
	r.wantNotPermitted(t)
	if r.Header.Get("X-AUSERID") != "" {
		t.Error("anonymous reply has X-AUSERID")
	}
}

// §1, §5: /application-properties is open; everything else needs a login.
func TestAuth_AnonymousAccess(t *testing.T) {
	bb := fixture(t)
	var props struct{ Version, BuildNumber, BuildDate, DisplayName string }
	get(t, bb, "/rest/api/1.0/application-properties", anonymous).wantStatus(t, http.StatusOK).decode(t, &props)
	if props.Version == "" || props.DisplayName != "Bitbucket" || props.BuildNumber == "" {
		t.Errorf("application-properties %+v", props)
	}
	for _, path := range []string{"/rest/api/1.0/users", "/rest/api/1.0/users/admin", "/rest/api/1.0/groups", "/rest/api/1.0/projects",
		"/rest/api/1.0/projects/PROJ", "/rest/api/1.0/projects/PROJ/repos/test", repoPerms + "/users", "/rest/api/1.0/admin/groups",
		"/rest/access-tokens/1.0/users/admin"} {
		get(t, bb, path, anonymous).wantNotPermitted(t)
	}
	put(t, bb, repoPerms+"/users?name=alice&permission=REPO_READ", anonymous).wantNotPermitted(t)
	if bb.UserPermission(repoScope, "alice") != "" {
		t.Error("an anonymous PUT granted")
	}
}

// §8: deleting a user kills its tokens.
func TestAuth_DeletedOwnerKillsToken(t *testing.T) {
	bb := fixture(t)
	check(t, bb.GrantUser(globalScope, "alice", "ADMIN"))
	tok := token(t)(bb.CreatePersonalToken("alice", bitbuckettest.Token{Permissions: []string{"REPO_ADMIN"}}))
	get(t, bb, repoPerms+"/users", bearer(tok)).wantStatus(t, http.StatusOK)
	check(t, bb.DeleteUser("alice"))
	get(t, bb, repoPerms+"/users", bearer(tok)).wantNotPermitted(t)
}
