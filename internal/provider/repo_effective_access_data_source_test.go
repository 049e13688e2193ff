package provider

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/bitbucket-access/terraform-provider-bitbucket/internal/bitbucket"
	"github.com/bitbucket-access/terraform-provider-bitbucket/internal/bitbuckettest"
)

const effectiveAccessAddr = "data.bitbucket_repo_effective_access.test"

func effectiveAccessConfig(key, slug string) string {
	return fmt.Sprintf(`
data "bitbucket_repo_effective_access" "test" {
  project_key     = %q
  repository_slug = %q
}
`, key, slug)
}

// dsAccess is the knownvalue of one user of bitbucket_repo_effective_access;
// sources are given in their sorted order.
func dsAccess(name, permission string, sources ...string) knownvalue.Check {
	return knownvalue.ObjectExact(map[string]knownvalue.Check{
		"name":       knownvalue.StringExact(name),
		"permission": knownvalue.StringExact(permission),
		"sources":    dsStrings(sources...),
	})
}

// Every way to reach a repository, each through the source it names, and
// then the project default permission added out of band; the same read with
// a token, whose global sources come from user search.
func TestAccRepoEffectiveAccess_sources(t *testing.T) {
	env := newTestEnv(t)
	key, slug := env.createRepository()
	repo, project, global := bitbucket.RepositoryScope(key, slug), bitbucket.ProjectScope(key), bitbucket.GlobalScope()
	// The suffixes sort in this order, so the expected lists read like the list in state.
	direct := env.createUser(env.name("a-direct"))
	repoGrouped := env.createUser(env.name("b-repo-group"))
	projectUser := env.createUser(env.name("c-project"))
	projectGrouped := env.createUser(env.name("d-project-group"))
	both := env.createUser(env.name("e-both"))
	repoCreator := env.createUser(env.name("f-repo-create"))
	globalGrouped := env.createUser(env.name("g-global-group"))
	bystander := env.createUser(env.name("h-bystander"))

	readers := env.createGroup("readers", repoGrouped)
	team := env.createGroup("team", projectGrouped)
	leads := env.createGroup("leads", both)
	admins := env.createGroup("admins", globalGrouped)
	// Global permissions that give nothing on a repository: no access, and
	// the group is not even expanded.
	creators := env.createGroup("creators", bystander)

	grant := func(scope bitbucket.Scope, p bitbucket.PrincipalType, perm, name string) {
		env.must(env.admin.SetPermission(env.ctx(), scope, p, perm, name), "granting "+perm+" to "+name)
	}
	grant(repo, bitbucket.PrincipalUser, "REPO_WRITE", direct)
	grant(repo, bitbucket.PrincipalGroup, "REPO_READ", readers)
	grant(project, bitbucket.PrincipalUser, "PROJECT_WRITE", projectUser)
	grant(project, bitbucket.PrincipalGroup, "PROJECT_READ", team)
	grant(repo, bitbucket.PrincipalUser, "REPO_READ", both)
	grant(project, bitbucket.PrincipalGroup, "PROJECT_ADMIN", leads)
	grant(project, bitbucket.PrincipalUser, "REPO_CREATE", repoCreator)
	grant(global, bitbucket.PrincipalGroup, "ADMIN", admins)
	grant(global, bitbucket.PrincipalGroup, "PROJECT_CREATE", creators)
	grant(global, bitbucket.PrincipalUser, "PROJECT_CREATE", bystander)

	// usersCheck is exact on the test instance, where admin (the project's
	// creator and the system administrator) is the only other user. A real
	// server has other administrators and users, so there the list need only
	// contain the fixtures.
	usersCheck := func(adminSources []string, fixtures ...knownvalue.Check) knownvalue.Check {
		if env.instance == nil {
			return knownvalue.SetPartial(fixtures)
		}
		return knownvalue.ListExact(append([]knownvalue.Check{dsAccess("admin", "REPO_ADMIN", adminSources...)}, fixtures...))
	}
	const byDefault = "project default: PROJECT_READ"

	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			{
				// Username and password: the global grants can be listed.
				Config: env.basicProviderConfig() + effectiveAccessConfig(key, slug),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(effectiveAccessAddr, tfjsonpath.New("public"), knownvalue.Bool(false)),
					statecheck.ExpectKnownValue(effectiveAccessAddr, tfjsonpath.New("users"), usersCheck(
						[]string{"global: SYS_ADMIN", "project: PROJECT_ADMIN"},
						dsAccess(direct, "REPO_WRITE", "direct: REPO_WRITE"),
						dsAccess(repoGrouped, "REPO_READ", "group "+readers+": REPO_READ"),
						dsAccess(projectUser, "REPO_WRITE", "project: PROJECT_WRITE"),
						dsAccess(projectGrouped, "REPO_READ", "project group "+team+": PROJECT_READ"),
						dsAccess(both, "REPO_ADMIN", "direct: REPO_READ", "project group "+leads+": PROJECT_ADMIN"),
						dsAccess(repoCreator, "REPO_WRITE", "project: REPO_CREATE"),
						dsAccess(globalGrouped, "REPO_ADMIN", "global group "+admins+": ADMIN"),
					)),
				},
			},
			{
				// The project default reaches every licensed user, the bystander too.
				PreConfig: func() {
					env.must(env.admin.SetDefaultPermission(env.ctx(), key, "PROJECT_READ", true), "setting the project default")
				},
				Config: env.basicProviderConfig() + effectiveAccessConfig(key, slug),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(effectiveAccessAddr, tfjsonpath.New("users"), usersCheck(
						[]string{"global: SYS_ADMIN", byDefault, "project: PROJECT_ADMIN"},
						dsAccess(direct, "REPO_WRITE", "direct: REPO_WRITE", byDefault),
						dsAccess(repoGrouped, "REPO_READ", "group "+readers+": REPO_READ", byDefault),
						dsAccess(projectUser, "REPO_WRITE", byDefault, "project: PROJECT_WRITE"),
						dsAccess(projectGrouped, "REPO_READ", byDefault, "project group "+team+": PROJECT_READ"),
						dsAccess(both, "REPO_ADMIN", "direct: REPO_READ", byDefault, "project group "+leads+": PROJECT_ADMIN"),
						dsAccess(repoCreator, "REPO_WRITE", byDefault, "project: REPO_CREATE"),
						dsAccess(globalGrouped, "REPO_ADMIN", "global group "+admins+": ADMIN", byDefault),
						dsAccess(bystander, "REPO_READ", byDefault),
					)),
				},
			},
			{
				// An HTTP access token may not list global grants: user search
				// names the holders without saying how they hold it.
				Config: env.config(effectiveAccessConfig(key, slug)),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(effectiveAccessAddr, tfjsonpath.New("users"), usersCheck(
						[]string{sourceGlobalSearch + ": SYS_ADMIN", byDefault, "project: PROJECT_ADMIN"},
						dsAccess(direct, "REPO_WRITE", "direct: REPO_WRITE", byDefault),
						dsAccess(repoGrouped, "REPO_READ", "group "+readers+": REPO_READ", byDefault),
						dsAccess(projectUser, "REPO_WRITE", byDefault, "project: PROJECT_WRITE"),
						dsAccess(projectGrouped, "REPO_READ", byDefault, "project group "+team+": PROJECT_READ"),
						dsAccess(both, "REPO_ADMIN", "direct: REPO_READ", byDefault, "project group "+leads+": PROJECT_ADMIN"),
						dsAccess(repoCreator, "REPO_WRITE", byDefault, "project: REPO_CREATE"),
						dsAccess(globalGrouped, "REPO_ADMIN", sourceGlobalSearch+": ADMIN", byDefault),
						dsAccess(bystander, "REPO_READ", byDefault),
					)),
				},
			},
		},
	})
}

// A wrong slug or key is an error naming the attribute to fix.
func TestAccRepoEffectiveAccess_missing(t *testing.T) {
	env := newTestEnv(t)
	key, slug := env.createRepository()
	ghostKey := "TFNO" + strings.ToUpper(randomSuffix())

	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: env.config(effectiveAccessConfig(key, "no-such-repo")),
				ExpectError: expectError("Could not read the effective access to repository "+key+"/no-such-repo",
					"Check repository_slug", "NoSuchRepositoryException"),
			},
			{
				Config:      env.config(effectiveAccessConfig(ghostKey, slug)),
				ExpectError: expectError("project does not exist", "Check project_key", "NoSuchProjectException"),
			},
		},
	})
}

// The request cost: each scope is listed once, each group's members once
// however many grants name it, groups that give nothing are not expanded,
// and licensed users are listed only for a project default.
func TestRepoEffectiveAccessRequestCounts(t *testing.T) {
	bb := bitbuckettest.Start(t)
	must(t, bb.CreateProject("PROJ", "Project"))
	slug, err := bb.CreateRepository("PROJ", "test")
	must(t, err)
	for _, u := range []string{"alice", "bob", "carol"} {
		must(t, bb.CreateUser(bitbuckettest.User{Name: u, Password: u}))
	}
	must(t, bb.CreateGroup("devs"))
	must(t, bb.AddMember("devs", "alice"))
	must(t, bb.AddMember("devs", "bob"))
	must(t, bb.GrantGroup(bitbuckettest.Scope{Project: "PROJ", Repository: slug}, "devs", "REPO_READ"))
	must(t, bb.GrantGroup(bitbuckettest.Scope{Project: "PROJ"}, "devs", "PROJECT_WRITE"))
	must(t, bb.GrantGroup(bitbuckettest.Scope{}, "devs", "ADMIN"))
	// carol administers the project but has no global ADMIN.
	must(t, bb.GrantUser(bitbuckettest.Scope{Project: "PROJ"}, "carol", "PROJECT_ADMIN"))
	token, err := bb.CreatePersonalToken("admin", bitbuckettest.Token{Permissions: []string{"REPO_ADMIN", "PROJECT_ADMIN"}})
	must(t, err)

	const (
		users      = "GET /rest/api/{version}/users"
		defaults   = "GET /rest/api/{version}/projects/{projectKey}/permissions/{permission}/all"
		globalUser = "GET /rest/api/{version}/admin/permissions/users"
	)
	tests := []struct {
		name      string
		cfg       bitbucket.Config
		usesToken bool
		setup     func()
		want      map[string]int // counts of these routes, and the total
		total     int
		alice     effectiveUserModel
	}{
		{
			name: "password, no default",
			cfg:  bitbucket.Config{Username: "admin", Password: "admin"},
			// devs once; stash-users (LICENSED_USER) never.
			want:  map[string]int{users: 1, defaults: 3, globalUser: 1},
			total: 11, // repository, 2 repository lists, 2 project lists, 3 defaults, 2 global lists, devs
			alice: effectiveUserModel{Name: "alice", Permission: "REPO_ADMIN", Sources: []string{
				"global group devs: ADMIN", "group devs: REPO_READ", "project group devs: PROJECT_WRITE"}},
		},
		{
			name:  "password, project default",
			cfg:   bitbucket.Config{Username: "admin", Password: "admin"},
			setup: func() { must(t, bb.SetDefaultPermission("PROJ", "PROJECT_WRITE", true)) },
			// The first default asked that is permitted ends the questions.
			want:  map[string]int{users: 2, defaults: 2, globalUser: 1},
			total: 11, // as above, with one default fewer and the licensed users
			alice: effectiveUserModel{Name: "alice", Permission: "REPO_ADMIN", Sources: []string{
				"global group devs: ADMIN", "group devs: REPO_READ", "project default: PROJECT_WRITE",
				"project group devs: PROJECT_WRITE"}},
		},
		{
			name:      "token, project default",
			cfg:       bitbucket.Config{Token: token},
			usesToken: true,
			// No /admin request, which would fail: two user searches instead.
			want:  map[string]int{users: 4, defaults: 2, globalUser: 0},
			total: 11,
			alice: effectiveUserModel{Name: "alice", Permission: "REPO_ADMIN", Sources: []string{
				"global (direct or group): ADMIN", "group devs: REPO_READ", "project default: PROJECT_WRITE",
				"project group devs: PROJECT_WRITE"}},
		},
		{
			name: "password without global ADMIN",
			cfg:  bitbucket.Config{Username: "carol", Password: "carol"},
			// The refused global list, then user search as with a token.
			want:  map[string]int{users: 4, defaults: 2, globalUser: 1},
			total: 12,
			alice: effectiveUserModel{Name: "alice", Permission: "REPO_ADMIN", Sources: []string{
				"global (direct or group): ADMIN", "group devs: REPO_READ", "project default: PROJECT_WRITE",
				"project group devs: PROJECT_WRITE"}},
		},
	}
	for _, tc := range tests {
		if tc.setup != nil {
			tc.setup()
		}
		tc.cfg.ServerURL = bb.URL()
		client, err := bitbucket.New(tc.cfg)
		must(t, err)
		bb.ResetRequests()

		access, aerr := readEffectiveAccess(context.Background(), client, "PROJ", slug, tc.usesToken)
		if aerr != nil {
			t.Fatalf("%s: could not %s: %v", tc.name, aerr.action, aerr.err)
		}
		got := bb.Requests()
		for route, want := range tc.want {
			if got[route] != want {
				t.Errorf("%s: %d × %s, want %d", tc.name, got[route], route, want)
			}
		}
		if n := total(got); n != tc.total {
			t.Errorf("%s: %d requests, want %d: %v", tc.name, n, tc.total, got)
		}
		var alice *effectiveUserModel
		for _, u := range access.users() {
			if u.Name == "alice" {
				alice = &u
			}
		}
		if alice == nil || !reflect.DeepEqual(*alice, tc.alice) {
			t.Errorf("%s: alice = %+v, want %+v", tc.name, alice, tc.alice)
		}
	}
}
