package bitbuckettest_test

import (
	"maps"
	"net/http"
	"slices"
	"testing"

	"github.com/bitbucket-access/terraform-provider-bitbucket/internal/bitbuckettest"
)

// scopes are the three §4.1–4.3 families with a valid permission of each.
var scopes = []struct {
	name, path, low, high string
	scope                 bitbuckettest.Scope
}{
	{"repository", repoPerms, "REPO_READ", "REPO_WRITE", repoScope},
	{"project", projectPerms, "PROJECT_READ", "REPO_CREATE", projectScope},
	{"global", globalPerms, "LICENSED_USER", "PROJECT_CREATE", globalScope},
}

// §13: PUT and DELETE succeed with 204, an empty body and the JSON content
// type, for users and groups at every scope; the list then shows the grant.
func TestGrantAndRevoke_AllScopes(t *testing.T) {
	bb := fixture(t)
	for _, sc := range scopes {
		put(t, bb, sc.path+"/users?name=carol&permission="+sc.low, admin).wantNoContent(t)
		put(t, bb, sc.path+"/groups?name=developers&permission="+sc.high, admin).wantNoContent(t)
		if got := grants(t, bb, sc.path+"/users")["carol"]; got != sc.low {
			t.Errorf("%s: carol listed with %q, want %s", sc.name, got, sc.low)
		}
		if got := grants(t, bb, sc.path+"/groups")["developers"]; got != sc.high {
			t.Errorf("%s: developers listed with %q, want %s", sc.name, got, sc.high)
		}
		if bb.UserPermission(sc.scope, "carol") != sc.low || bb.GroupPermission(sc.scope, "developers") != sc.high {
			t.Errorf("%s: the Go API does not see the grants", sc.name)
		}
		del(t, bb, sc.path+"/users?name=carol", admin).wantNoContent(t)
		del(t, bb, sc.path+"/groups?name=developers", admin).wantNoContent(t)
		if _, ok := grants(t, bb, sc.path+"/users")["carol"]; ok {
			t.Errorf("%s: carol still listed after DELETE", sc.name)
		}
		// §11: DELETE of a principal with no grant is a no-op 204
		del(t, bb, sc.path+"/users?name=carol", admin).wantNoContent(t)
	}
}

// §1: /rest/api/latest and /rest/api/1.0 are aliases.
func TestLatestAndVersionedPathsAreAliases(t *testing.T) {
	bb := fixture(t)
	put(t, bb, "/rest/api/latest/projects/PROJ/repos/test/permissions/users?name=alice&permission=REPO_WRITE", admin).wantNoContent(t)
	if got := grants(t, bb, repoPerms+"/users")["alice"]; got != "REPO_WRITE" {
		t.Fatalf("1.0 list shows %q after a PUT on latest", got)
	}
	if got := grants(t, bb, "/rest/api/latest/projects/PROJ/repos/test/permissions/users")["alice"]; got != "REPO_WRITE" {
		t.Fatalf("latest list shows %q", got)
	}
}

// §5, §13: request bodies are ignored; a JSON body with no query parameters
// is 400, and grants nothing.
func TestJSONBodyIsIgnored(t *testing.T) {
	bb := fixture(t)
	r := send(t, bb, call{method: http.MethodPut, path: repoPerms + "/users", auth: admin,
		contentType: "application/json", body: `{"name":"alice","permission":"REPO_READ"}`})
	r.wantError(t, http.StatusBadRequest, "", "")
	if got := bb.UserPermission(repoScope, "alice"); got != "" {
		t.Fatalf("the JSON body granted %s", got)
	}
	// With the query the body still does not matter.
	send(t, bb, call{method: http.MethodPut, path: repoPerms + "/users?name=bob&permission=REPO_WRITE", auth: admin,
		contentType: "application/json", body: `{"name":"alice","permission":"REPO_ADMIN"}`}).wantNoContent(t)
	if bb.UserPermission(repoScope, "bob") != "REPO_WRITE" || bb.UserPermission(repoScope, "alice") != "" {
		t.Fatal("the body influenced the grant")
	}
}

// §5, §13: name repeats; §16: one unknown name fails the whole PUT with 404
// before anything is granted.
func TestRepeatedNames(t *testing.T) {
	bb := fixture(t)
	for _, sc := range scopes {
		put(t, bb, sc.path+"/users"+query("name", "alice", "name", "bob", "permission", sc.low), admin).wantNoContent(t)
		got := grants(t, bb, sc.path+"/users")
		if got["alice"] != sc.low || got["bob"] != sc.low {
			t.Errorf("%s: after a two-name PUT the list is %v", sc.name, got)
		}
		put(t, bb, sc.path+"/users"+query("name", "carol", "name", "nobody", "permission", sc.low), admin).
			wantError(t, http.StatusNotFound, exNoSuchUser, "User nobody does not exist.")
		if bb.UserPermission(sc.scope, "carol") != "" {
			t.Errorf("%s: carol was granted although the PUT failed", sc.name)
		}
	}
	check(t, bb.CreateGroup("testers"))
	put(t, bb, repoPerms+"/groups"+query("name", "developers", "name", "testers", "permission", "REPO_READ"), admin).wantNoContent(t)
	if got := grants(t, bb, repoPerms+"/groups"); got["developers"] != "REPO_READ" || got["testers"] != "REPO_READ" {
		t.Fatalf("group list %v", got)
	}
	put(t, bb, repoPerms+"/groups"+query("name", "testers", "name", "ghosts", "permission", "REPO_WRITE"), admin).
		wantError(t, http.StatusNotFound, exNoSuchGroup, "")
	if bb.GroupPermission(repoScope, "testers") != "REPO_READ" {
		t.Fatal("a failed multi-name PUT changed testers")
	}
}

// §11, §13: lists hold explicit grants only (none inherited), one entry
// per principal with its highest (latest PUT replaces: promote or demote).
func TestListsHoldExplicitGrantsOnly(t *testing.T) {
	bb := fixture(t)
	// Inherited access is not listed: admin is SYS_ADMIN, developers hold
	// PROJECT_WRITE, carol holds PROJECT_ADMIN.
	check(t, bb.GrantGroup(projectScope, "developers", "PROJECT_WRITE"))
	check(t, bb.GrantUser(projectScope, "carol", "PROJECT_ADMIN"))
	if p := get(t, bb, repoPerms+"/users", admin).page(t); p.Size != 0 || len(p.Values) != 0 {
		t.Fatalf("repository list is not empty: %s", p.Values)
	}
	if p := get(t, bb, repoPerms+"/groups", admin).page(t); p.Size != 0 {
		t.Fatalf("repository group list is not empty: %s", p.Values)
	}
	put(t, bb, repoPerms+"/users?name=alice&permission=REPO_READ", admin).wantNoContent(t)
	put(t, bb, repoPerms+"/users?name=alice&permission=REPO_ADMIN", admin).wantNoContent(t)
	if got := grants(t, bb, repoPerms+"/users"); !maps.Equal(got, map[string]string{"alice": "REPO_ADMIN"}) {
		t.Fatalf("after promote: %v", got)
	}
	put(t, bb, repoPerms+"/users?name=alice&permission=REPO_WRITE", admin).wantNoContent(t)
	if got := grants(t, bb, repoPerms+"/users"); !maps.Equal(got, map[string]string{"alice": "REPO_WRITE"}) {
		t.Fatalf("after demote: %v", got)
	}
	// §16: a repository grant below an inherited project grant is accepted
	// and listed as written.
	put(t, bb, repoPerms+"/users?name=carol&permission=REPO_READ", admin).wantNoContent(t)
	if got := grants(t, bb, repoPerms+"/users")["carol"]; got != "REPO_READ" {
		t.Fatalf("carol listed as %q", got)
	}
}

// §11: a fresh instance lists admin with SYS_ADMIN and stash-users with
// LICENSED_USER in the global lists.
func TestFreshGlobalLists(t *testing.T) {
	bb := bitbuckettest.Start(t)
	if got := grants(t, bb, globalPerms+"/users"); !maps.Equal(got, map[string]string{"admin": "SYS_ADMIN"}) {
		t.Errorf("global users %v", got)
	}
	if got := grants(t, bb, globalPerms+"/groups"); !maps.Equal(got, map[string]string{"stash-users": "LICENSED_USER"}) {
		t.Errorf("global groups %v", got)
	}
}

// §16, §13: filter is a case-insensitive substring match on names only.
func TestFilterIsCaseInsensitiveSubstringOnNames(t *testing.T) {
	bb := fixture(t)
	check(t, bb.CreateUser(bitbuckettest.User{Name: "charlie", DisplayName: "User Zed", Email: "user@example.com"}))
	for _, n := range []string{"alice", "bob", "carol", "charlie"} {
		check(t, bb.GrantUser(repoScope, n, "REPO_READ"))
	}
	for filter, want := range map[string][]string{
		"AR":     {"carol", "charlie"},
		"li":     {"alice", "charlie"},
		"user":   nil, // charlie's display name and e-mail do not count (§16)
		"":       {"alice", "bob", "carol", "charlie"},
		"xyzzy":  nil,
		"ALICE":  {"alice"},
		"lic":    {"alice"},
		"c":      {"alice", "carol", "charlie"},
		"carol ": nil,
	} {
		got := get(t, bb, repoPerms+"/users"+query("filter", filter), admin).page(t).names(t)
		if !slices.Equal(got, want) {
			t.Errorf("filter %q: %v, want %v", filter, got, want)
		}
	}
	check(t, bb.CreateGroup("Release-Managers"))
	check(t, bb.GrantGroup(projectScope, "release-managers", "PROJECT_READ"))
	check(t, bb.GrantGroup(projectScope, "developers", "PROJECT_READ"))
	if got := get(t, bb, projectPerms+"/groups?filter=MANAGER", admin).page(t).names(t); !slices.Equal(got, []string{"Release-Managers"}) {
		t.Errorf("group filter: %v", got)
	}
}

// §16: names are case-insensitive and case-preserving: PUT ?name=Alice
// grants to stored alice and the list shows alice.
func TestNamesAreCaseInsensitiveAndCasePreserving(t *testing.T) {
	bb := fixture(t)
	check(t, bb.CreateUser(bitbuckettest.User{Name: "Dave.Smith", Password: "pw"}))
	check(t, bb.CreateGroup("QA-Team"))
	put(t, bb, repoPerms+"/users?name=Alice&permission=REPO_READ", admin).wantNoContent(t)
	put(t, bb, repoPerms+"/users?name=DAVE.SMITH&permission=REPO_WRITE", admin).wantNoContent(t)
	put(t, bb, repoPerms+"/groups?name=qa-team&permission=REPO_READ", admin).wantNoContent(t)
	if got := grants(t, bb, repoPerms+"/users"); !maps.Equal(got, map[string]string{"alice": "REPO_READ", "Dave.Smith": "REPO_WRITE"}) {
		t.Errorf("users %v", got)
	}
	if got := grants(t, bb, repoPerms+"/groups"); !maps.Equal(got, map[string]string{"QA-Team": "REPO_READ"}) {
		t.Errorf("groups %v", got)
	}
	del(t, bb, repoPerms+"/users?name=ALICE", admin).wantNoContent(t)
	del(t, bb, repoPerms+"/groups?name=QA-TEAM", admin).wantNoContent(t)
	if bb.UserPermission(repoScope, "alice") != "" || bb.GroupPermission(repoScope, "qa-team") != "" {
		t.Error("DELETE with other case did not revoke")
	}
	// Login ignores the case of the name, not of the password.
	get(t, bb, "/rest/api/1.0/users/alice", basic("ALICE", "alice")).wantStatus(t, http.StatusOK)
	get(t, bb, "/rest/api/1.0/users/alice", basic("alice", "ALICE")).wantError(t, http.StatusUnauthorized, exIncorrectPassword, "")
}

// §4.1–4.3: the /none lists hold licensed users (active users, globally)
// and groups without an explicit grant at the scope.
func TestNoneLists(t *testing.T) {
	bb := fixture(t)
	check(t, bb.CreateUser(bitbuckettest.User{Name: "eve", Password: "eve"}))
	check(t, bb.RemoveMember("stash-users", "eve")) // unlicensed
	check(t, bb.GrantUser(repoScope, "alice", "REPO_READ"))
	check(t, bb.GrantUser(projectScope, "bob", "PROJECT_READ"))
	check(t, bb.GrantGroup(repoScope, "developers", "REPO_READ"))

	if got := get(t, bb, repoPerms+"/users/none", admin).page(t).names(t); !slices.Equal(got, []string{"admin", "bob", "carol"}) {
		t.Errorf("repository users/none %v", got)
	}
	if got := get(t, bb, projectPerms+"/users/none", admin).page(t).names(t); !slices.Equal(got, []string{"admin", "alice", "carol"}) {
		t.Errorf("project users/none %v", got)
	}
	// Globally: every user without an explicit global grant, licensed or not.
	if got := get(t, bb, globalPerms+"/users/none", admin).page(t).names(t); !slices.Equal(got, []string{"alice", "bob", "carol", "eve"}) {
		t.Errorf("global users/none %v", got)
	}
	if got := get(t, bb, repoPerms+"/groups/none", admin).page(t).names(t); !slices.Equal(got, []string{"stash-users"}) {
		t.Errorf("repository groups/none %v", got)
	}
	if got := get(t, bb, globalPerms+"/groups/none", admin).page(t).names(t); !slices.Equal(got, []string{"developers"}) {
		t.Errorf("global groups/none %v", got)
	}
	if got := get(t, bb, repoPerms+"/users/none?filter=CAR", admin).page(t).names(t); !slices.Equal(got, []string{"carol"}) {
		t.Errorf("filtered users/none %v", got)
	}
	var g struct {
		Name      string `json:"name"`
		Deletable bool   `json:"deletable"`
	}
	response{Status: 200, Body: get(t, bb, repoPerms+"/groups/none", admin).page(t).Values[0]}.decode(t, &g)
	if g.Name != "stash-users" || !g.Deletable {
		t.Errorf("group /none entry %+v, want {stash-users true}", g)
	}
	get(t, bb, repoPerms+"/users/none", basic("carol", "carol")).wantNotPermitted(t)
}

// §4.1, §4.2: bulk DELETE …/permissions?user=&group= (both repeat).
func TestBulkRevoke(t *testing.T) {
	bb := fixture(t)
	check(t, bb.CreateGroup("testers"))
	for _, n := range []string{"alice", "bob", "carol"} {
		check(t, bb.GrantUser(repoScope, n, "REPO_WRITE"))
		check(t, bb.GrantUser(projectScope, n, "PROJECT_READ"))
	}
	check(t, bb.GrantGroup(repoScope, "developers", "REPO_READ"))
	check(t, bb.GrantGroup(repoScope, "testers", "REPO_READ"))

	del(t, bb, repoPerms+query("user", "alice", "user", "Bob", "group", "developers"), admin).wantNoContent(t)
	if got := grants(t, bb, repoPerms+"/users"); !maps.Equal(got, map[string]string{"carol": "REPO_WRITE"}) {
		t.Errorf("users after bulk revoke: %v", got)
	}
	if got := grants(t, bb, repoPerms+"/groups"); !maps.Equal(got, map[string]string{"testers": "REPO_READ"}) {
		t.Errorf("groups after bulk revoke: %v", got)
	}
	del(t, bb, repoPerms, admin).wantError(t, http.StatusBadRequest, "", "")
	// §4.1: 404 when one of the users or groups does not exist; nothing is revoked
	del(t, bb, repoPerms+query("user", "carol", "user", "nobody"), admin).wantError(t, http.StatusNotFound, exNoSuchUser, "")
	del(t, bb, repoPerms+query("user", "carol", "group", "ghosts"), admin).wantError(t, http.StatusNotFound, exNoSuchGroup, "")
	if bb.UserPermission(repoScope, "carol") != "REPO_WRITE" {
		t.Error("a failed bulk revoke revoked carol")
	}
	del(t, bb, projectPerms+query("user", "alice", "user", "bob"), admin).wantNoContent(t)
	if got := grants(t, bb, projectPerms+"/users"); !maps.Equal(got, map[string]string{"carol": "PROJECT_READ"}) {
		t.Errorf("project users after bulk revoke: %v", got)
	}
	// The spec asks PROJECT_ADMIN even at repository scope.
	check(t, bb.GrantUser(repoScope, "alice", "REPO_ADMIN"))
	del(t, bb, repoPerms+query("user", "carol"), basic("alice", "alice")).wantNotPermitted(t)
	// Self-demotion through the bulk form is 409.
	check(t, bb.GrantUser(projectScope, "alice", "PROJECT_ADMIN"))
	del(t, bb, projectPerms+query("user", "alice"), basic("alice", "alice")).wantStatus(t, http.StatusConflict)
}

// §4.5, §11: deleting a user or a group removes its grants everywhere.
func TestDeletingPrincipalsRemovesTheirGrants(t *testing.T) {
	bb := fixture(t)
	for _, sc := range scopes {
		check(t, bb.GrantUser(sc.scope, "carol", sc.low))
		check(t, bb.GrantGroup(sc.scope, "developers", sc.low))
	}
	del(t, bb, "/rest/api/1.0/admin/users?name=carol", admin).wantStatus(t, http.StatusOK)
	del(t, bb, "/rest/api/1.0/admin/groups?name=developers", admin).wantStatus(t, http.StatusOK)
	for _, sc := range scopes {
		if _, ok := grants(t, bb, sc.path+"/users")["carol"]; ok {
			t.Errorf("%s: deleted user still listed", sc.name)
		}
		if _, ok := grants(t, bb, sc.path+"/groups")["developers"]; ok {
			t.Errorf("%s: deleted group still listed", sc.name)
		}
	}
	// A user re-created with the same name starts with nothing.
	check(t, bb.CreateUser(bitbuckettest.User{Name: "carol"}))
	if got := bb.UserPermission(repoScope, "carol"); got != "" {
		t.Errorf("re-created user inherited %s", got)
	}
}
