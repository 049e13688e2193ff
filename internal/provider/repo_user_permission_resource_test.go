package provider

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/bitbucket-access/terraform-provider-bitbucket/internal/bitbucket"
	"github.com/bitbucket-access/terraform-provider-bitbucket/internal/bitbuckettest"
)

const grantAddr = "bitbucket_repo_user_permission.test"

func repoUserPermissionConfig(key, slug, user, permission string) string {
	return fmt.Sprintf(`
resource "bitbucket_repo_user_permission" "test" {
  project_key     = %q
  repository_slug = %q
  user            = %q
  permission      = %q
}
`, key, slug, user, permission)
}

// checkPermission asserts the server's view of a user's repository grant.
func (e *testEnv) checkPermission(key, slug, user, want string) func(*terraform.State) error {
	return func(*terraform.State) error {
		g, err := e.admin.GetPermission(context.Background(), bitbucket.RepositoryScope(key, slug), bitbucket.PrincipalUser, user)
		if err != nil {
			return err
		}
		got := ""
		if g != nil {
			got = g.Permission
		}
		if got != want {
			return fmt.Errorf("server: %s has %q on %s/%s, want %q", user, got, key, slug, want)
		}
		return nil
	}
}

func permissionIs(addr, want string) statecheck.StateCheck {
	return statecheck.ExpectKnownValue(addr, tfjsonpath.New("permission"), knownvalue.StringExact(want))
}

func TestAccRepoUserPermission_lifecycle(t *testing.T) {
	env := newTestEnv(t)
	key, slug := env.createRepository()
	alice := env.createUser(env.name("alice"))
	bob := env.createUser(env.name("bob"))

	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		CheckDestroy: func(s *terraform.State) error {
			for _, u := range []string{alice, bob} {
				if err := env.checkPermission(key, slug, u, "")(s); err != nil {
					return fmt.Errorf("after destroy: %w", err)
				}
			}
			return nil
		},
		Steps: []resource.TestStep{
			{
				Config: env.config(repoUserPermissionConfig(key, slug, alice, "REPO_READ")),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(grantAddr, plancheck.ResourceActionCreate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					permissionIs(grantAddr, "REPO_READ"),
					statecheck.ExpectKnownValue(grantAddr, tfjsonpath.New("id"), knownvalue.StringExact(key+"/"+slug+"/"+alice)),
					statecheck.ExpectKnownValue(grantAddr, tfjsonpath.New("user"), knownvalue.StringExact(alice)),
				},
				Check: env.checkPermission(key, slug, alice, "REPO_READ"),
			},
			{
				ResourceName:      grantAddr,
				ImportState:       true,
				ImportStateVerify: true,
			},
			{
				ResourceName:    grantAddr,
				ImportState:     true,
				ImportStateKind: resource.ImportBlockWithID,
			},
			{
				Config: env.config(repoUserPermissionConfig(key, slug, alice, "REPO_WRITE")),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(grantAddr, plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{permissionIs(grantAddr, "REPO_WRITE")},
				Check:             env.checkPermission(key, slug, alice, "REPO_WRITE"),
			},
			{
				Config: env.config(repoUserPermissionConfig(key, slug, bob, "REPO_WRITE")),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(grantAddr, plancheck.ResourceActionDestroyBeforeCreate),
				}},
				Check: resource.ComposeTestCheckFunc(
					env.checkPermission(key, slug, bob, "REPO_WRITE"),
					env.checkPermission(key, slug, alice, ""),
				),
			},
		},
	})
}

// Drift: changes made by hand in Bitbucket show up in the next plan.
func TestAccRepoUserPermission_drift(t *testing.T) {
	env := newTestEnv(t)
	key, slug := env.createRepository()
	alice := env.createUser(env.name("alice"))
	cfg := env.config(repoUserPermissionConfig(key, slug, alice, "REPO_WRITE"))
	scope := bitbucket.RepositoryScope(key, slug)

	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			{Config: cfg},
			{
				PreConfig: func() {
					env.must(env.admin.RevokePermission(env.ctx(), scope, bitbucket.PrincipalUser, alice), "revoking by hand")
				},
				Config: cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(grantAddr, plancheck.ResourceActionCreate),
				}},
				Check: env.checkPermission(key, slug, alice, "REPO_WRITE"),
			},
			{
				PreConfig: func() {
					env.must(env.admin.SetPermission(env.ctx(), scope, bitbucket.PrincipalUser, "REPO_ADMIN", alice), "changing by hand")
				},
				Config: cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(grantAddr, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(grantAddr, tfjsonpath.New("permission"), knownvalue.StringExact("REPO_WRITE")),
				}},
				Check: env.checkPermission(key, slug, alice, "REPO_WRITE"),
			},
		},
	})
}

// A repository or project deleted outside Terraform is no error: the grant
// leaves the state and the plan proposes to create it again.
func TestAccRepoUserPermission_scopeDeleted(t *testing.T) {
	for _, what := range []string{"repository", "project"} {
		t.Run(what, func(t *testing.T) {
			env := newTestEnv(t)
			key, slug := env.createRepository()
			alice := env.createUser(env.name("alice"))
			cfg := env.config(repoUserPermissionConfig(key, slug, alice, "REPO_READ"))

			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testProviderFactories,
				Steps: []resource.TestStep{
					{Config: cfg},
					{
						PreConfig: func() {
							if what == "project" {
								env.deleteProject(key)
							} else {
								env.must(env.admin.DeleteRepository(env.ctx(), key, slug), "deleting the repository by hand")
							}
						},
						Config:             cfg,
						PlanOnly:           true,
						ExpectNonEmptyPlan: true,
						ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{
							plancheck.ExpectResourceAction(grantAddr, plancheck.ResourceActionCreate),
						}},
					},
				},
			})
		})
	}
}

// An unknown user is an error that names the user, and nothing reaches the state.
func TestAccRepoUserPermission_unknownUser(t *testing.T) {
	env := newTestEnv(t)
	key, slug := env.createRepository()
	ghost := env.name("ghost")

	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      env.config(repoUserPermissionConfig(key, slug, ghost, "REPO_READ")),
				ExpectError: expectError(`Could not grant REPO_READ to user "`+ghost+`"`, "no such user", "NoSuchUserException"),
			},
			{
				// Had the failed grant reached the state, this would plan to destroy it.
				Config: env.config(""),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectEmptyPlan(),
				}},
			},
		},
	})
}

func TestAccRepoUserPermission_unknownRepository(t *testing.T) {
	env := newTestEnv(t)
	key, _ := env.createRepository()
	alice := env.createUser(env.name("alice"))

	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      env.config(repoUserPermissionConfig(key, "no-such-repo", alice, "REPO_READ")),
				ExpectError: expectError("repository does not exist", "repository_slug", "NoSuchRepositoryException"),
			},
			{
				Config:      env.config(repoUserPermissionConfig("NOSUCHPROJECT", "test", alice, "REPO_READ")),
				ExpectError: expectError("project does not exist", "project_key", "NoSuchProjectException"),
			},
		},
	})
}

// A typo in the permission never reaches the server.
func TestAccRepoUserPermission_invalidPermission(t *testing.T) {
	env := newTestEnv(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{{
			Config:      env.config(repoUserPermissionConfig("PROJ", "test", "alice", "REPO_READER")),
			PlanOnly:    true,
			ExpectError: expectError("permission", "value must be one of", "REPO_READ"),
		}},
	})
}

func TestAccRepoUserPermission_malformedImportID(t *testing.T) {
	env := newTestEnv(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{{
			Config:        env.config(repoUserPermissionConfig("PROJ", "test", "alice", "REPO_READ")),
			ResourceName:  grantAddr,
			ImportState:   true,
			ImportStateId: "PROJ/test",
			ExpectError:   expectError(`expected an import ID of the form "PROJECT_KEY/repository-slug/username"`),
		}},
	})
}

// Usernames that need escaping arrive intact.
func TestAccRepoUserPermission_escapedUsername(t *testing.T) {
	env := newTestEnv(t)
	key, slug := env.createRepository()
	user := env.createUser(env.prefix + ".first+ci@corp.example")

	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:            env.config(repoUserPermissionConfig(key, slug, user, "REPO_WRITE")),
				ConfigStateChecks: []statecheck.StateCheck{permissionIs(grantAddr, "REPO_WRITE")},
				Check:             env.checkPermission(key, slug, user, "REPO_WRITE"),
			},
			{ResourceName: grantAddr, ImportState: true, ImportStateVerify: true},
		},
	})
}

// The server's filter is a substring match: "bob" also lists "bobby".
func TestAccRepoUserPermission_substringTrap(t *testing.T) {
	env := newTestEnv(t)
	key, slug := env.createRepository()
	bob := env.createUser(env.name("bob"))
	bobby := env.createUser(env.name("bobby"))
	cfg := env.configf(`
resource "bitbucket_repo_user_permission" "bob" {
  project_key     = %[1]q
  repository_slug = %[2]q
  user            = %[3]q
  permission      = "REPO_READ"
}

resource "bitbucket_repo_user_permission" "bobby" {
  project_key     = %[1]q
  repository_slug = %[2]q
  user            = %[4]q
  permission      = "REPO_ADMIN"
}
`, key, slug, bob, bobby)

	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: cfg,
				ConfigStateChecks: []statecheck.StateCheck{
					permissionIs("bitbucket_repo_user_permission.bob", "REPO_READ"),
					permissionIs("bitbucket_repo_user_permission.bobby", "REPO_ADMIN"),
				},
			},
			{
				// Revoking bob by hand must not be hidden by bobby's grant.
				PreConfig: func() {
					env.must(env.admin.RevokePermission(env.ctx(), bitbucket.RepositoryScope(key, slug), bitbucket.PrincipalUser, bob), "revoking bob")
				},
				Config: cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("bitbucket_repo_user_permission.bob", plancheck.ResourceActionCreate),
					plancheck.ExpectResourceAction("bitbucket_repo_user_permission.bobby", plancheck.ResourceActionNoop),
				}},
			},
		},
	})
}

// Usernames are case-insensitive on the server: "ALICE" in the configuration
// matches stored "alice" and must not plan a change forever.
func TestAccRepoUserPermission_usernameCase(t *testing.T) {
	env := newTestEnv(t)
	key, slug := env.createRepository()
	alice := env.createUser(env.name("alice"))
	upper := strings.ToUpper(alice)

	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: env.config(repoUserPermissionConfig(key, slug, upper, "REPO_READ")),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(grantAddr, tfjsonpath.New("user"), knownvalue.StringExact(upper)),
				},
				Check: env.checkPermission(key, slug, alice, "REPO_READ"),
			},
			{
				// A change of case alone is the same user: no replacement.
				Config: env.config(repoUserPermissionConfig(key, slug, alice, "REPO_READ")),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(grantAddr, plancheck.ResourceActionUpdate),
				}},
				Check: env.checkPermission(key, slug, alice, "REPO_READ"),
			},
		},
	})
}

// Reads find the grant wherever it falls in the server's pages: the filter
// of the managed user's name matches every other user listed here.
func TestAccRepoUserPermission_manyUsers(t *testing.T) {
	for _, n := range []int{30, 1001} {
		t.Run(fmt.Sprintf("%d_users", n), func(t *testing.T) {
			env := newTestEnv(t)
			key, slug := env.createRepository()
			target := env.createUser(env.name("member"))
			var others []string
			for i := range n {
				// A digit first sorts these before the target on every page.
				others = append(others, env.createUser(fmt.Sprintf("%04d-%s", i, target)))
			}
			scope := bitbucket.RepositoryScope(key, slug)
			for batch := range chunks(others, 50) {
				env.must(env.admin.SetPermission(env.ctx(), scope, bitbucket.PrincipalUser, "REPO_READ", batch...), "granting in bulk")
			}
			cfg := env.config(repoUserPermissionConfig(key, slug, target, "REPO_WRITE"))

			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testProviderFactories,
				Steps: []resource.TestStep{
					{Config: cfg, ConfigStateChecks: []statecheck.StateCheck{permissionIs(grantAddr, "REPO_WRITE")}},
					{
						PreConfig: func() {
							env.must(env.admin.SetPermission(env.ctx(), scope, bitbucket.PrincipalUser, "REPO_ADMIN", target), "changing by hand")
						},
						Config: cfg,
						ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
							plancheck.ExpectResourceAction(grantAddr, plancheck.ResourceActionUpdate),
						}},
						Check: env.checkPermission(key, slug, target, "REPO_WRITE"),
					},
				},
			})
		})
	}
}

func chunks(s []string, n int) func(func([]string) bool) {
	return func(yield func([]string) bool) {
		for len(s) > 0 {
			m := min(n, len(s))
			if !yield(s[:m]) {
				return
			}
			s = s[m:]
		}
	}
}

// The errors a user meets with credentials that cannot do the job.
func TestAccRepoUserPermission_credentialErrors(t *testing.T) {
	env := newTestEnv(t)
	key, slug := env.createRepository()
	otherKey, otherSlug := env.createRepository()
	alice := env.createUser(env.name("alice"))
	reader := env.createUser(env.name("reader"))
	env.must(env.admin.SetPermission(env.ctx(), bitbucket.RepositoryScope(key, slug), bitbucket.PrincipalUser, "REPO_READ", reader), "granting reader")
	readerToken := env.createPersonalToken(reader, "REPO_READ")
	otherRepoToken, err := env.admin.CreateRepositoryToken(env.ctx(), otherKey, otherSlug, bitbucket.NewToken{
		Name: env.name("repo-token"), Permissions: []string{"REPO_ADMIN"}, ExpiryDays: 1,
	})
	env.must(err, "creating a repository token")
	grant := repoUserPermissionConfig(key, slug, alice, "REPO_READ")

	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      env.providerConfig("not-a-valid-token") + grant,
				ExpectError: expectError("did not accept the credentials", "the token is unknown, expired or revoked", "You are not permitted to access this resource"),
			},
			{
				Config: env.providerConfig(readerToken) + grant,
				ExpectError: expectError(`Bitbucket user "`+reader+`"`, "lack REPO_ADMIN on repository "+key+"/"+slug,
					"You are not permitted to access this resource"),
			},
			{
				Config:      env.providerConfig(otherRepoToken) + grant,
				ExpectError: expectError("lack REPO_ADMIN", "only works inside its own project or repository"),
			},
			{
				Config: env.config(grant),
				Check:  env.checkPermission(key, slug, alice, "REPO_READ"),
			},
		},
	})
}

// Bitbucket refuses to let the account Terraform uses lower its own access.
func TestAccRepoUserPermission_selfDemotion(t *testing.T) {
	env := newTestEnv(t)
	key, slug := env.createRepository()
	owner := env.createUser(env.name("owner"))
	env.must(env.admin.SetPermission(env.ctx(), bitbucket.RepositoryScope(key, slug), bitbucket.PrincipalUser, "REPO_ADMIN", owner), "granting owner")
	ownerToken := env.createPersonalToken(owner, "REPO_ADMIN")

	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      env.providerConfig(ownerToken) + repoUserPermissionConfig(key, slug, owner, "REPO_READ"),
				ExpectError: expectError(`would lower the permission of the account Terraform uses ("`+owner+`")`, "You cannot reduce your own permission"),
			},
		},
	})
}

func TestAccRepoUserPermission_wrongPassword(t *testing.T) {
	env := newTestEnv(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{{
			Config: fmt.Sprintf(`
provider "bitbucket" {
  server_url  = %q
  username    = "admin"
  password    = "not-the-password"
  max_retries = 0
}
`, env.url) + repoUserPermissionConfig("PROJ", "test", "alice", "REPO_READ"),
			ExpectError: expectError("rejected the username and password", "IncorrectPasswordAuthenticationException"),
		}},
	})
}

// No credentials at all: the provider says so before any request is sent.
func TestAccRepoUserPermission_noCredentials(t *testing.T) {
	env := newTestEnv(t)
	for _, v := range []string{envToken, envUsername, envPassword} {
		t.Setenv(v, "")
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{{
			Config:      fmt.Sprintf("provider \"bitbucket\" {\n  server_url = %q\n}\n", env.url) + repoUserPermissionConfig("PROJ", "test", "alice", "REPO_READ"),
			ExpectError: expectError("No Bitbucket credentials configured", "BITBUCKET_TOKEN"),
		}},
	})
}

func TestAccRepoUserPermission_serverUnreachable(t *testing.T) {
	env := newTestEnv(t)
	env.requireInstance()
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{{
			Config: `
provider "bitbucket" {
  server_url  = "http://127.0.0.1:1"
  token       = "token"
  max_retries = 0
}
` + repoUserPermissionConfig("PROJ", "test", "alice", "REPO_READ"),
			ExpectError: expectError("Bitbucket could not be reached", "connection refused", "Check server_url"),
		}},
	})
}

// A server behind an internal CA: refused without ca_certificate, trusted with it.
func TestAccRepoUserPermission_tls(t *testing.T) {
	env := newTestEnv(t)
	env.requireInstance()
	srv := bitbuckettest.New()
	tlsURL, caPEM := startTLS(t, srv)
	env.must(srv.CreateProject("PROJ", "Project"), "creating PROJ")
	_, err := srv.CreateRepository("PROJ", "test")
	env.must(err, "creating PROJ/test")
	env.must(srv.CreateUser(bitbuckettest.User{Name: "alice", Password: "password"}), "creating alice")
	token, err := srv.CreatePersonalToken("admin", bitbuckettest.Token{Permissions: []string{"REPO_ADMIN", "PROJECT_ADMIN"}})
	env.must(err, "creating a token")
	providerBlock := func(extra string) string {
		return fmt.Sprintf("provider \"bitbucket\" {\n  server_url = %q\n  token = %q\n  max_retries = 0\n%s}\n", tlsURL, token, extra)
	}
	grant := repoUserPermissionConfig("PROJ", "test", "alice", "REPO_READ")

	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      providerBlock("") + grant,
				ExpectError: expectError("TLS certificate of the server could not be verified", "ca_certificate"),
			},
			{
				Config:      providerBlock("  ca_certificate = \"not a certificate\"\n") + grant,
				ExpectError: expectError("Invalid CA certificate", "BEGIN CERTIFICATE"),
			},
			{
				Config: providerBlock(fmt.Sprintf("  ca_certificate = %q\n", caPEM)) + grant,
				Check: func(*terraform.State) error {
					if got := srv.UserPermission(bitbuckettest.Scope{Project: "PROJ", Repository: "test"}, "alice"); got != "REPO_READ" {
						return fmt.Errorf("server has %q, want REPO_READ", got)
					}
					return nil
				},
			},
		},
	})
}
