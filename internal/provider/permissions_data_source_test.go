package provider

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/bitbucket-access/terraform-provider-bitbucket/internal/bitbucket"
)

// The three permission-list data sources are one implementation described by
// scope, so one test runs for each scope.

// dsEntry is the knownvalue of one {name, permission} element.
func dsEntry(name, permission string) knownvalue.Check {
	return knownvalue.ObjectExact(map[string]knownvalue.Check{
		"name":       knownvalue.StringExact(name),
		"permission": knownvalue.StringExact(permission),
	})
}

// dsList is exact on the test instance, whose content the test knows in
// full; a real server has other principals (admins, stash-users, the
// project's creator), so there the list need only contain the expected ones.
func dsList(exact bool, checks ...knownvalue.Check) knownvalue.Check {
	if checks == nil {
		checks = []knownvalue.Check{}
	}
	if exact {
		return knownvalue.ListExact(checks)
	}
	return knownvalue.SetPartial(checks)
}

// permissionsDataSourceConfig is the HCL of a bitbucket_<scope>_permissions
// data source named name; filter "" leaves it out.
func permissionsDataSourceConfig(s scopeLevel, a scopeAddress, name, filter string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "data \"bitbucket_%s_permissions\" %q {\n", s.word(), name)
	values := s.values(a)
	for i, attr := range s.attributes() {
		fmt.Fprintf(&b, "  %s = %q\n", attr, values[i])
	}
	if filter != "" {
		fmt.Fprintf(&b, "  filter = %q\n", filter)
	}
	b.WriteString("}\n")
	return b.String()
}

func TestAccPermissionsDataSource_read(t *testing.T) {
	for _, s := range []scopeLevel{scopeRepository, scopeProject, scopeGlobal} {
		t.Run(s.word(), func(t *testing.T) {
			env := newTestEnv(t)
			var addr scopeAddress
			if s != scopeGlobal {
				addr.ProjectKey, addr.RepositorySlug = env.createRepository()
				if s == scopeProject {
					addr.RepositorySlug = ""
				}
			}
			// "bob" is a substring of "bobby": the filter must list both.
			alice := env.createUser(env.name("alice"))
			bob := env.createUser(env.name("bob"))
			bobby := env.createUser(env.name("bobby"))
			devs := env.createGroup("devs")
			perms := s.permissions()
			scope := s.client(addr)
			grant := func(p bitbucket.PrincipalType, perm, name string) {
				env.must(env.admin.SetPermission(env.ctx(), scope, p, perm, name), "granting "+perm+" to "+name)
			}
			grant(bitbucket.PrincipalUser, perms[2], bobby)
			grant(bitbucket.PrincipalUser, perms[0], alice)
			grant(bitbucket.PrincipalUser, perms[1], bob)
			grant(bitbucket.PrincipalGroup, perms[1], devs)

			// What else the test instance lists: the project's creator
			// (bitbucket-api.md §11), and a fresh instance's global grants.
			var otherUsers, otherGroups []knownvalue.Check
			switch s {
			case scopeProject:
				otherUsers = []knownvalue.Check{dsEntry("admin", "PROJECT_ADMIN")}
			case scopeGlobal:
				otherUsers = []knownvalue.Check{dsEntry("admin", "SYS_ADMIN")}
				otherGroups = []knownvalue.Check{dsEntry("stash-users", "LICENSED_USER")}
			}
			exact := env.instance != nil
			all := "data.bitbucket_" + s.word() + "_permissions.all"
			bobs := "data.bitbucket_" + s.word() + "_permissions.bob"
			config := permissionsDataSourceConfig(s, addr, "all", "") + permissionsDataSourceConfig(s, addr, "bob", bob)
			if s == scopeGlobal {
				config = env.basicProviderConfig() + config
			} else {
				config = env.config(config)
			}

			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testProviderFactories,
				Steps: []resource.TestStep{{
					Config: config,
					ConfigStateChecks: []statecheck.StateCheck{
						statecheck.ExpectKnownValue(all, tfjsonpath.New("users"), dsList(exact, append(otherUsers,
							dsEntry(alice, perms[0]), dsEntry(bob, perms[1]), dsEntry(bobby, perms[2]))...)),
						statecheck.ExpectKnownValue(all, tfjsonpath.New("groups"), dsList(exact, append(otherGroups,
							dsEntry(devs, perms[1]))...)),
						// The filter is a substring match, passed to Bitbucket as it is.
						statecheck.ExpectKnownValue(bobs, tfjsonpath.New("users"), knownvalue.ListExact([]knownvalue.Check{
							dsEntry(bob, perms[1]), dsEntry(bobby, perms[2]),
						})),
						statecheck.ExpectKnownValue(bobs, tfjsonpath.New("groups"), knownvalue.ListExact([]knownvalue.Check{})),
					},
				}},
			})
		})
	}
}

// A missing project or repository is an error naming the attribute to fix;
// a data source has no state to drop.
func TestAccPermissionsDataSource_missingScope(t *testing.T) {
	env := newTestEnv(t)
	key, slug := env.createRepository()
	ghostKey := "TFNO" + strings.ToUpper(randomSuffix())

	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: env.config(permissionsDataSourceConfig(scopeRepository,
					scopeAddress{ProjectKey: key, RepositorySlug: "no-such-repo"}, "test", "")),
				ExpectError: expectError("Could not list the user permissions of repository "+key+"/no-such-repo",
					"Check repository_slug", "NoSuchRepositoryException"),
			},
			{
				Config: env.config(permissionsDataSourceConfig(scopeRepository,
					scopeAddress{ProjectKey: ghostKey, RepositorySlug: slug}, "test", "")),
				ExpectError: expectError("project does not exist", "Check project_key", "NoSuchProjectException"),
			},
			{
				Config:      env.config(permissionsDataSourceConfig(scopeProject, scopeAddress{ProjectKey: ghostKey}, "test", "")),
				ExpectError: expectError("Could not list the user permissions of project "+ghostKey, "Check project_key"),
			},
		},
	})
}

// Bitbucket refuses HTTP access tokens on /admin endpoints: the error says
// to configure username and password instead.
func TestAccPermissionsDataSource_globalWithToken(t *testing.T) {
	env := newTestEnv(t)

	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{{
			Config: env.config(permissionsDataSourceConfig(scopeGlobal, scopeAddress{}, "test", "")),
			ExpectError: expectError("Could not list the user permissions of the Bitbucket instance",
				"does not accept HTTP access tokens on its /admin endpoints", "configure username and password"),
		}},
	})
}
