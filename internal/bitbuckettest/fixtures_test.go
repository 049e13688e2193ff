package bitbuckettest_test

import (
	"maps"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/bitbucket-access/terraform-provider-bitbucket/internal/bitbuckettest"
)

// §4.5: POST and DELETE /admin/users.
func TestFixture_Users(t *testing.T) {
	bb := fixture(t)
	post(t, bb, "/rest/api/1.0/admin/users"+query("name", "dave+ops@corp.com", "displayName", "Dave", "emailAddress", "dave@corp.com", "password", "pw"), admin, "").wantNoContent(t)
	// joins stash-users, so is licensed and can log in
	get(t, bb, "/rest/api/1.0/users/dave_ops_corp.com", basic("dave+ops@corp.com", "pw")).wantStatus(t, http.StatusOK)
	post(t, bb, "/rest/api/1.0/admin/users"+query("name", "erin", "displayName", "Erin", "emailAddress", "e@x", "password", "pw", "addToDefaultGroup", "false"), admin, "").wantNoContent(t)
	get(t, bb, "/rest/api/1.0/users/erin", basic("erin", "pw")).wantNotPermitted(t)
	if slices.Contains(bb.Members("stash-users"), "erin") {
		t.Error("addToDefaultGroup=false joined stash-users")
	}
	post(t, bb, "/rest/api/1.0/admin/users"+query("name", "frank", "displayName", "Frank"), admin, "").wantError(t, http.StatusBadRequest, "", "")
	post(t, bb, "/rest/api/1.0/admin/users"+query("name", "ALICE", "displayName", "A", "emailAddress", "a@x"), admin, "").wantStatus(t, http.StatusConflict)
	post(t, bb, "/rest/api/1.0/admin/users"+query("name", "gina", "displayName", "G", "emailAddress", "g@x"), basic("alice", "alice"), "").wantNotPermitted(t)

	var gone struct{ Name, Slug string }
	del(t, bb, "/rest/api/1.0/admin/users?name=Dave%2Bops@corp.com", admin).wantStatus(t, http.StatusOK).decode(t, &gone)
	if gone.Name != "dave+ops@corp.com" {
		t.Errorf("DELETE returned %+v", gone)
	}
	del(t, bb, "/rest/api/1.0/admin/users?name=dave%2Bops@corp.com", admin).wantError(t, http.StatusNotFound, exNoSuchUser, "")
	if slices.Contains(bb.Users(), "dave+ops@corp.com") {
		t.Error("deleted user still exists")
	}
}

// §4.5: groups and memberships.
func TestFixture_GroupsAndMemberships(t *testing.T) {
	bb := fixture(t)
	var g struct {
		Name      string
		Deletable bool
	}
	post(t, bb, "/rest/api/1.0/admin/groups?name=Testers", admin, "").wantStatus(t, http.StatusOK).decode(t, &g)
	if g.Name != "Testers" || !g.Deletable {
		t.Errorf("created group %+v", g)
	}
	post(t, bb, "/rest/api/1.0/admin/groups?name=x", basic("alice", "alice"), "").wantNotPermitted(t)

	post(t, bb, "/rest/api/1.0/admin/groups/add-users", admin, `{"group":"testers","users":["alice","CAROL"]}`).wantStatus(t, http.StatusOK)
	post(t, bb, "/rest/api/1.0/admin/users/add-groups", admin, `{"user":"bob","groups":["Testers"]}`).wantStatus(t, http.StatusOK)
	if got := bb.Members("testers"); !slices.Equal(got, []string{"alice", "bob", "carol"}) {
		t.Fatalf("members %v", got)
	}
	post(t, bb, "/rest/api/1.0/admin/groups/remove-user", admin, `{"context":"testers","itemName":"alice"}`).wantStatus(t, http.StatusOK)
	post(t, bb, "/rest/api/1.0/admin/users/remove-group", admin, `{"context":"bob","itemName":"testers"}`).wantStatus(t, http.StatusOK)
	if got := bb.Members("testers"); !slices.Equal(got, []string{"carol"}) {
		t.Fatalf("members after removals %v", got)
	}
	// Unknown names change nothing; unknown fields are 400 (§5).
	post(t, bb, "/rest/api/1.0/admin/groups/add-users", admin, `{"group":"testers","users":["alice","nobody"]}`).wantError(t, http.StatusNotFound, exNoSuchUser, "")
	post(t, bb, "/rest/api/1.0/admin/groups/add-users", admin, `{"group":"ghosts","users":["alice"]}`).wantError(t, http.StatusNotFound, exNoSuchGroup, "")
	post(t, bb, "/rest/api/1.0/admin/groups/add-users", admin, `{"group":"testers","user":["alice"]}`).wantError(t, http.StatusBadRequest, "", "")
	if got := bb.Members("testers"); !slices.Equal(got, []string{"carol"}) {
		t.Fatalf("a failed add changed members: %v", got)
	}
	// A group's grant reaches its new members.
	check(t, bb.GrantGroup(repoScope, "testers", "REPO_ADMIN"))
	get(t, bb, repoPerms+"/users", basic("carol", "carol")).wantStatus(t, http.StatusOK)

	del(t, bb, "/rest/api/1.0/admin/groups?name=TESTERS", admin).wantStatus(t, http.StatusOK)
	del(t, bb, "/rest/api/1.0/admin/groups?name=testers", admin).wantError(t, http.StatusNotFound, exNoSuchGroup, "")
	get(t, bb, repoPerms+"/users", basic("carol", "carol")).wantNotPermitted(t)
}

// §4.5, §11: POST /projects grants the creator PROJECT_ADMIN, even a
// SYS_ADMIN; it needs PROJECT_CREATE.
func TestFixture_Projects(t *testing.T) {
	bb := fixture(t)
	var p struct{ Key, Name, Description string }
	post(t, bb, "/rest/api/1.0/projects", admin, `{"key":"NEW","name":"New Project","description":"d"}`).wantStatus(t, http.StatusCreated).decode(t, &p)
	if p.Key != "NEW" || p.Name != "New Project" || p.Description != "d" {
		t.Errorf("created %+v", p)
	}
	if got := grants(t, bb, "/rest/api/1.0/projects/NEW/permissions/users"); !maps.Equal(got, map[string]string{"admin": "PROJECT_ADMIN"}) {
		t.Errorf("creator grant %v", got)
	}
	post(t, bb, "/rest/api/1.0/projects", basic("alice", "alice"), `{"key":"ALI","name":"Alice's"}`).wantNotPermitted(t)
	check(t, bb.GrantUser(globalScope, "alice", "PROJECT_CREATE"))
	post(t, bb, "/rest/api/1.0/projects", basic("alice", "alice"), `{"key":"ALI","name":"Alice's"}`).wantStatus(t, http.StatusCreated)
	if bb.UserPermission(bitbuckettest.Scope{Project: "ALI"}, "alice") != "PROJECT_ADMIN" {
		t.Error("alice is not PROJECT_ADMIN of her project")
	}
	post(t, bb, "/rest/api/1.0/projects", admin, `{"key":"new","name":"Other"}`).wantStatus(t, http.StatusConflict)
	post(t, bb, "/rest/api/1.0/projects", admin, `{"key":"9BAD","name":"Bad"}`).wantError(t, http.StatusBadRequest, "", "")
	post(t, bb, "/rest/api/1.0/projects", admin, `{"key":"NONAME"}`).wantError(t, http.StatusBadRequest, "", "")
	post(t, bb, "/rest/api/1.0/projects", admin, `{"key":"X","name":"X","colour":"red"}`).wantError(t, http.StatusBadRequest, "", "")

	del(t, bb, "/rest/api/1.0/projects/ALI", basic("bob", "bob")).wantNotPermitted(t)
	del(t, bb, "/rest/api/1.0/projects/ALI", basic("alice", "alice")).wantNoContent(t)
	get(t, bb, "/rest/api/1.0/projects/ALI", admin).wantError(t, http.StatusNotFound, exNoSuchProject, "Project ALI does not exist.")
}

// §4.5, §11: repositories; the slug comes from the name; an admin creator
// gets no grant, a REPO_CREATE creator becomes the repository's admin.
func TestFixture_Repositories(t *testing.T) {
	bb := fixture(t)
	var r struct{ Slug, Name string }
	post(t, bb, "/rest/api/1.0/projects/PROJ/repos", admin, `{"name":"My Repo","scmId":"git"}`).wantStatus(t, http.StatusCreated).decode(t, &r)
	if r.Slug != "my-repo" || r.Name != "My Repo" {
		t.Errorf("created %+v", r)
	}
	if p := get(t, bb, "/rest/api/1.0/projects/PROJ/repos/my-repo/permissions/users", admin).page(t); p.Size != 0 {
		t.Errorf("admin creator was granted: %s", p.Values)
	}
	post(t, bb, "/rest/api/1.0/projects/PROJ/repos", admin, `{"name":"my repo"}`).wantStatus(t, http.StatusConflict)
	post(t, bb, "/rest/api/1.0/projects/PROJ/repos", basic("alice", "alice"), `{"name":"a"}`).wantNotPermitted(t)
	check(t, bb.GrantUser(projectScope, "alice", "PROJECT_WRITE"))
	post(t, bb, "/rest/api/1.0/projects/PROJ/repos", basic("alice", "alice"), `{"name":"a"}`).wantNotPermitted(t)
	check(t, bb.GrantUser(projectScope, "alice", "REPO_CREATE"))
	post(t, bb, "/rest/api/1.0/projects/PROJ/repos", basic("alice", "alice"), `{"name":"Alice Repo"}`).wantStatus(t, http.StatusCreated)
	if got := grants(t, bb, "/rest/api/1.0/projects/PROJ/repos/alice-repo/permissions/users"); !maps.Equal(got, map[string]string{"alice": "REPO_ADMIN"}) {
		t.Errorf("REPO_CREATE creator's grants %v", got)
	}
	post(t, bb, "/rest/api/1.0/projects/NOPE/repos", admin, `{"name":"x"}`).wantError(t, http.StatusNotFound, exNoSuchProject, "")

	del(t, bb, "/rest/api/1.0/projects/PROJ/repos/my-repo", basic("bob", "bob")).wantNotPermitted(t)
	r2 := del(t, bb, "/rest/api/1.0/projects/PROJ/repos/my-repo", admin)
	r2.wantStatus(t, http.StatusAccepted)
	get(t, bb, "/rest/api/1.0/projects/PROJ/repos/my-repo", admin).wantError(t, http.StatusNotFound, exNoSuchRepository, "")
	del(t, bb, "/rest/api/1.0/projects/PROJ/repos/my-repo", admin).wantNoContent(t)
	del(t, bb, "/rest/api/1.0/projects/NOPE/repos/x", admin).wantError(t, http.StatusNotFound, exNoSuchProject, "")
}

type tokenShape struct {
	ID          string   `json:"id"`
	Name        string   `json:"name"`
	CreatedDate int64    `json:"createdDate"`
	ExpiryDate  int64    `json:"expiryDate"`
	Permissions []string `json:"permissions"`
	Token       string   `json:"token"`
}

// §4.5, §8: HTTP access tokens for users, projects and repositories.
func TestFixture_AccessTokens(t *testing.T) {
	bb := fixture(t)
	check(t, bb.GrantUser(projectScope, "alice", "PROJECT_ADMIN"))
	var tok tokenShape
	send(t, bb, call{method: http.MethodPut, path: "/rest/access-tokens/latest/users/alice", auth: basic("alice", "alice"),
		contentType: "application/json", body: `{"name":"ci","permissions":["PROJECT_READ","REPO_ADMIN"],"expiryDays":30}`}).
		wantStatus(t, http.StatusOK).decode(t, &tok)
	if tok.ID == "" || tok.Name != "ci" || tok.CreatedDate == 0 || tok.Token == "" || tok.ExpiryDate < time.Now().Add(29*24*time.Hour).UnixMilli() {
		t.Fatalf("token %+v", tok)
	}
	put(t, bb, repoPerms+"/users?name=bob&permission=REPO_READ", bearer(tok.Token)).wantNoContent(t)
	get(t, bb, projectPerms+"/users", bearer(tok.Token)).wantNotPermitted(t) // capped at PROJECT_READ

	// The list never shows the secret; DELETE kills the token.
	p := get(t, bb, "/rest/access-tokens/1.0/users/alice", basic("alice", "alice")).page(t)
	var listed tokenShape
	response{Body: p.Values[0]}.decode(t, &listed)
	if p.Size != 1 || listed.ID != tok.ID || listed.Token != "" {
		t.Errorf("listed %s", p.Values)
	}
	del(t, bb, "/rest/access-tokens/1.0/users/alice/"+tok.ID, basic("alice", "alice")).wantNoContent(t)
	get(t, bb, repoPerms+"/users", bearer(tok.Token)).wantNotPermitted(t)
	del(t, bb, "/rest/access-tokens/1.0/users/alice/"+tok.ID, basic("alice", "alice")).wantStatus(t, http.StatusNotFound)

	// Only the user (or an admin), and never with a token (assumption).
	tokenPut := func(path string, a auth, body string) response {
		return send(t, bb, call{method: http.MethodPut, path: path, auth: a, contentType: "application/json", body: body})
	}
	tokenPut("/rest/access-tokens/1.0/users/alice", basic("bob", "bob"), `{"name":"x","permissions":["REPO_READ"]}`).wantNotPermitted(t)
	tokenPut("/rest/access-tokens/1.0/users/alice", admin, `{"name":"x","permissions":["REPO_READ"]}`).wantStatus(t, http.StatusOK)
	adminTok := token(t)(bb.CreatePersonalToken("admin", bitbuckettest.Token{Permissions: []string{"PROJECT_ADMIN", "REPO_ADMIN"}}))
	tokenPut("/rest/access-tokens/1.0/users/admin", bearer(adminTok), `{"name":"x","permissions":["REPO_READ"]}`).wantNotPermitted(t)
	tokenPut("/rest/access-tokens/1.0/users/alice", basic("alice", "alice"), `{"name":"x","permissions":["SYS_ADMIN"]}`).wantError(t, http.StatusBadRequest, "", "")
	tokenPut("/rest/access-tokens/1.0/users/alice", basic("alice", "alice"), `{"permissions":["REPO_READ"]}`).wantError(t, http.StatusBadRequest, "", "")
	tokenPut("/rest/access-tokens/1.0/users/nobody", admin, `{"name":"x","permissions":["REPO_READ"]}`).wantError(t, http.StatusNotFound, exNoSuchUser, "")

	// Project and repository tokens (Bearer only).
	var proj, repo tokenShape
	tokenPut("/rest/access-tokens/1.0/projects/PROJ", basic("alice", "alice"), `{"name":"p","permissions":["PROJECT_ADMIN"]}`).wantStatus(t, http.StatusOK).decode(t, &proj)
	put(t, bb, projectPerms+"/users?name=bob&permission=PROJECT_READ", bearer(proj.Token)).wantNoContent(t)
	tokenPut("/rest/access-tokens/1.0/projects/PROJ/repos/test", admin, `{"name":"r","permissions":["REPO_ADMIN"]}`).wantStatus(t, http.StatusOK).decode(t, &repo)
	put(t, bb, repoPerms+"/users?name=carol&permission=REPO_READ", bearer(repo.Token)).wantNoContent(t)
	tokenPut("/rest/access-tokens/1.0/projects/PROJ/repos/test", admin, `{"name":"r","permissions":["PROJECT_READ"]}`).wantError(t, http.StatusBadRequest, "", "")
	tokenPut("/rest/access-tokens/1.0/projects/PROJ", basic("bob", "bob"), `{"name":"p","permissions":["PROJECT_READ"]}`).wantNotPermitted(t)
	tokenPut("/rest/access-tokens/1.0/projects/NOPE", admin, `{"name":"p","permissions":["PROJECT_READ"]}`).wantError(t, http.StatusNotFound, exNoSuchProject, "")
	if p := get(t, bb, "/rest/access-tokens/latest/projects/PROJ", admin).page(t); p.Size != 1 {
		t.Errorf("project tokens %s", p.Values)
	}
	del(t, bb, "/rest/access-tokens/latest/projects/PROJ/repos/test/"+repo.ID, admin).wantNoContent(t)
	get(t, bb, repoPerms+"/users", bearer(repo.Token)).wantNotPermitted(t)
}
