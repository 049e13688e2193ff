package bitbuckettest_test

import (
	"net/http"
	"slices"
	"testing"

	"github.com/bitbucket-access/terraform-provider-bitbucket/internal/bitbuckettest"
)

// holders asks GET /users which of alice, bob and carol effectively hold perm
// on PROJ/test, PROJ or globally (§4.4 permission.N filters).
func holders(t *testing.T, bb *bitbuckettest.Server, perm string) []string {
	t.Helper()
	q := []string{"permission.1", perm, "filter", ""}
	switch perm {
	case "REPO_READ", "REPO_WRITE", "REPO_ADMIN":
		q = append(q, "permission.1.projectKey", "PROJ", "permission.1.repositorySlug", "test")
	case "PROJECT_READ", "PROJECT_WRITE", "REPO_CREATE", "PROJECT_ADMIN":
		q = append(q, "permission.1.projectKey", "PROJ")
	}
	var out []string
	for _, n := range get(t, bb, "/rest/api/1.0/users"+query(q...), admin).page(t).names(t) {
		if n != "admin" {
			out = append(out, n)
		}
	}
	return out
}

// §3, §11: global over project over repository, directly or through a group;
// each project level implies its repository level; REPO_CREATE sits between
// PROJECT_WRITE and PROJECT_ADMIN; ADMIN implies everything.
func TestEffectivePermission_Implications(t *testing.T) {
	bb := fixture(t)
	// alice: PROJECT_WRITE through developers; bob: REPO_CREATE directly and
	// PROJECT_WRITE through developers; carol: global ADMIN.
	check(t, bb.GrantGroup(projectScope, "developers", "PROJECT_WRITE"))
	check(t, bb.GrantUser(projectScope, "bob", "REPO_CREATE"))
	check(t, bb.GrantUser(globalScope, "carol", "ADMIN"))
	for perm, want := range map[string][]string{
		"REPO_READ":     {"alice", "bob", "carol"},
		"REPO_WRITE":    {"alice", "bob", "carol"},
		"REPO_ADMIN":    {"carol"},
		"PROJECT_READ":  {"alice", "bob", "carol"},
		"PROJECT_WRITE": {"alice", "bob", "carol"},
		"REPO_CREATE":   {"bob", "carol"},
		"PROJECT_ADMIN": {"carol"},
		"ADMIN":         {"carol"},
		"LICENSED_USER": {"alice", "bob", "carol"},
	} {
		if got := holders(t, bb, perm); !slices.Equal(got, want) {
			t.Errorf("%s held by %v, want %v", perm, got, want)
		}
	}
	// A repository grant adds to the inherited level, never lowers it.
	check(t, bb.GrantUser(repoScope, "alice", "REPO_READ"))
	check(t, bb.GrantUser(repoScope, "bob", "REPO_ADMIN"))
	if got := holders(t, bb, "REPO_WRITE"); !slices.Equal(got, []string{"alice", "bob", "carol"}) {
		t.Errorf("REPO_WRITE after repo grants: %v", got)
	}
	if got := holders(t, bb, "REPO_ADMIN"); !slices.Equal(got, []string{"bob", "carol"}) {
		t.Errorf("REPO_ADMIN after repo grants: %v", got)
	}
}

// §4.1–4.3 "Caller needs": who may manage which list.
func TestEffectivePermission_DecidesWhoMayManage(t *testing.T) {
	bb := fixture(t)
	alice, bob, carol := basic("alice", "alice"), basic("bob", "bob"), basic("carol", "carol")

	// PROJECT_ADMIN through a group manages the project and its repositories.
	check(t, bb.GrantGroup(projectScope, "developers", "PROJECT_ADMIN"))
	get(t, bb, projectPerms+"/users", alice).wantStatus(t, http.StatusOK)
	put(t, bb, repoPerms+"/users?name=carol&permission=REPO_READ", alice).wantNoContent(t)
	get(t, bb, globalPerms+"/users", alice).wantNotPermitted(t)

	// REPO_ADMIN manages the repository only.
	check(t, bb.GrantUser(repoScope, "carol", "REPO_ADMIN"))
	put(t, bb, repoPerms+"/groups?name=developers&permission=REPO_WRITE", carol).wantNoContent(t)
	get(t, bb, projectPerms+"/users", carol).wantNotPermitted(t)
	put(t, bb, projectPerms+"/users?name=carol&permission=PROJECT_ADMIN", carol).wantNotPermitted(t)

	// REPO_CREATE and PROJECT_WRITE do not manage permissions.
	check(t, bb.RevokeGroup(projectScope, "developers"))
	check(t, bb.GrantUser(projectScope, "bob", "REPO_CREATE"))
	get(t, bb, projectPerms+"/users", bob).wantNotPermitted(t)
	get(t, bb, repoPerms+"/users", bob).wantNotPermitted(t)

	// ADMIN manages everything, globally too.
	check(t, bb.GrantUser(globalScope, "bob", "ADMIN"))
	get(t, bb, projectPerms+"/users", bob).wantStatus(t, http.StatusOK)
	get(t, bb, repoPerms+"/users", bob).wantStatus(t, http.StatusOK)
	get(t, bb, globalPerms+"/users", bob).wantStatus(t, http.StatusOK)
	// PROJECT_CREATE is not ADMIN.
	check(t, bb.GrantUser(globalScope, "alice", "PROJECT_CREATE"))
	get(t, bb, globalPerms+"/users", alice).wantNotPermitted(t)
}

// §4.2: the project default permission applies to every logged-in user,
// never to anonymous callers.
func TestEffectivePermission_DefaultPermission(t *testing.T) {
	bb := fixture(t)
	carol := basic("carol", "carol")
	get(t, bb, "/rest/api/1.0/projects/PROJ/repos/test", carol).wantNotPermitted(t)
	check(t, bb.SetDefaultPermission("PROJ", "PROJECT_READ", true))
	get(t, bb, "/rest/api/1.0/projects/PROJ/repos/test", carol).wantStatus(t, http.StatusOK)
	get(t, bb, "/rest/api/1.0/projects/PROJ", carol).wantStatus(t, http.StatusOK)
	get(t, bb, "/rest/api/1.0/projects/PROJ/repos/test", anonymous).wantNotPermitted(t)
	if got := holders(t, bb, "REPO_READ"); !slices.Equal(got, []string{"alice", "bob", "carol"}) {
		t.Errorf("REPO_READ with a PROJECT_READ default: %v", got)
	}
	if got := holders(t, bb, "REPO_WRITE"); len(got) != 0 {
		t.Errorf("REPO_WRITE with a PROJECT_READ default: %v", got)
	}
}

// §3: a user with no global permission cannot log in, so can do nothing.
func TestEffectivePermission_UnlicensedUser(t *testing.T) {
	bb := fixture(t)
	check(t, bb.GrantUser(projectScope, "carol", "PROJECT_ADMIN"))
	check(t, bb.RemoveMember("stash-users", "carol"))
	carol := basic("carol", "carol")
	get(t, bb, projectPerms+"/users", carol).wantNotPermitted(t)
	get(t, bb, "/rest/api/1.0/users", carol).wantNotPermitted(t)
	check(t, bb.GrantUser(globalScope, "carol", "LICENSED_USER"))
	get(t, bb, projectPerms+"/users", carol).wantStatus(t, http.StatusOK)
}
