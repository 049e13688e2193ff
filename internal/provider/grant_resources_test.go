package provider

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/bitbucket-access/terraform-provider-bitbucket/internal/bitbucket"
)

// Every one-principal permission resource passes the same lifecycle: create,
// import, update in place, drift, replacement, and errors for an unknown
// principal or scope. The tests are written once, like the resources.

var allGrantKinds = []grantKind{
	{scopeRepository, bitbucket.PrincipalUser},
	{scopeRepository, bitbucket.PrincipalGroup},
	{scopeProject, bitbucket.PrincipalUser},
	{scopeProject, bitbucket.PrincipalGroup},
	{scopeGlobal, bitbucket.PrincipalUser},
	{scopeGlobal, bitbucket.PrincipalGroup},
}

// grantConfig is the HCL of one resource of kind k named "test".
func grantConfig(k grantKind, a grantAddress, permission string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "resource \"bitbucket_%s\" \"test\" {\n", k.typeName())
	values := k.values(a)
	for i, attr := range k.idAttributes() {
		fmt.Fprintf(&b, "  %s = %q\n", attr, values[i])
	}
	fmt.Fprintf(&b, "  permission = %q\n}\n", permission)
	return b.String()
}

// basicProviderConfig authenticates as the administrator with username and
// password, which Bitbucket requires on its /admin endpoints.
func (e *testEnv) basicProviderConfig() string {
	username, password := "admin", "admin"
	if e.instance == nil {
		username, password = os.Getenv(envUsername), os.Getenv(envPassword)
	}
	return fmt.Sprintf(`
terraform {
  required_providers {
    bitbucket = { source = "bitbucket-access/bitbucket" }
  }
}

provider "bitbucket" {
  server_url  = %q
  username    = %q
  password    = %q
  max_retries = 1
}
`, e.url, username, password)
}

// configFor prepends the provider block that can manage kind k.
func (e *testEnv) configFor(k grantKind, body string) string {
	if k.scope == scopeGlobal {
		return e.basicProviderConfig() + body
	}
	return e.config(body)
}

// createPrincipal makes a user or a group, deleted when the test ends.
func (e *testEnv) createPrincipal(p bitbucket.PrincipalType, suffix string) string {
	e.t.Helper()
	if p == bitbucket.PrincipalUser {
		return e.createUser(e.name(suffix))
	}
	return e.createGroup(suffix)
}

// grantScope creates what a grant of kind k lives in.
func (e *testEnv) grantScope(k grantKind) grantAddress {
	if k.scope == scopeGlobal {
		return grantAddress{}
	}
	key, slug := e.createRepository()
	if k.scope == scopeProject {
		slug = ""
	}
	return grantAddress{scopeAddress: scopeAddress{ProjectKey: key, RepositorySlug: slug}}
}

// checkGrant asserts the server's view of a grant; want "" means none.
func (e *testEnv) checkGrant(k grantKind, a grantAddress, want string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		g, err := e.admin.GetPermission(e.ctx(), k.clientScope(a), k.principal, a.Principal)
		if err != nil {
			return err
		}
		got := ""
		if g != nil {
			got = g.Permission
		}
		if got != want {
			return fmt.Errorf("server: %s has %q, want %q", k.describe(a), got, want)
		}
		return nil
	}
}

func TestAccGrantResources_lifecycle(t *testing.T) {
	for _, k := range allGrantKinds {
		t.Run(k.typeName(), func(t *testing.T) {
			env := newTestEnv(t)
			first := env.grantScope(k)
			first.Principal = env.createPrincipal(k.principal, "first")
			second := first
			second.Principal = env.createPrincipal(k.principal, "second")
			low, high := k.permissions()[0], k.permissions()[1]
			addr := "bitbucket_" + k.typeName() + ".test"

			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testProviderFactories,
				CheckDestroy: resource.ComposeTestCheckFunc(
					env.checkGrant(k, first, ""), env.checkGrant(k, second, "")),
				Steps: []resource.TestStep{
					{
						Config: env.configFor(k, grantConfig(k, first, low)),
						ConfigStateChecks: []statecheck.StateCheck{
							permissionIs(addr, low),
							statecheck.ExpectKnownValue(addr, tfjsonpath.New("id"), knownvalue.StringExact(k.id(first))),
						},
						Check: env.checkGrant(k, first, low),
					},
					{ResourceName: addr, ImportState: true, ImportStateVerify: true},
					{
						Config: env.configFor(k, grantConfig(k, first, high)),
						ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
							plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
						}},
						Check: env.checkGrant(k, first, high),
					},
					{
						PreConfig: func() {
							env.must(env.admin.RevokePermission(env.ctx(), k.clientScope(first), k.principal, first.Principal), "revoking by hand")
						},
						Config: env.configFor(k, grantConfig(k, first, high)),
						ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
							plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreate),
						}},
						Check: env.checkGrant(k, first, high),
					},
					{
						PreConfig: func() {
							env.must(env.admin.SetPermission(env.ctx(), k.clientScope(first), k.principal, low, first.Principal), "changing by hand")
						},
						Config: env.configFor(k, grantConfig(k, second, high)),
						ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
							plancheck.ExpectResourceAction(addr, plancheck.ResourceActionDestroyBeforeCreate),
						}},
						Check: resource.ComposeTestCheckFunc(env.checkGrant(k, second, high), env.checkGrant(k, first, "")),
					},
				},
			})
		})
	}
}

func TestAccGrantResources_unknownPrincipal(t *testing.T) {
	for _, k := range allGrantKinds {
		t.Run(k.typeName(), func(t *testing.T) {
			env := newTestEnv(t)
			a := env.grantScope(k)
			a.Principal = env.name("ghost")
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testProviderFactories,
				Steps: []resource.TestStep{{
					Config: env.configFor(k, grantConfig(k, a, k.permissions()[0])),
					ExpectError: expectError(fmt.Sprintf("Could not grant %s to %s", k.permissions()[0], k.principalAttribute()),
						"no such "+k.principalAttribute(), "Check "+k.principalAttribute()),
				}},
			})
		})
	}
}

// The scope of a project or repository grant deleted outside Terraform is
// no error: the grant leaves the state and is planned again.
func TestAccGrantResources_scopeDeleted(t *testing.T) {
	for _, k := range allGrantKinds {
		if k.scope == scopeGlobal {
			continue
		}
		t.Run(k.typeName(), func(t *testing.T) {
			env := newTestEnv(t)
			a := env.grantScope(k)
			a.Principal = env.createPrincipal(k.principal, "p")
			cfg := env.configFor(k, grantConfig(k, a, k.permissions()[0]))
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testProviderFactories,
				Steps: []resource.TestStep{
					{Config: cfg},
					{
						PreConfig:          func() { env.deleteProject(a.ProjectKey) },
						Config:             cfg,
						PlanOnly:           true,
						ExpectNonEmptyPlan: true,
					},
				},
			})
		})
	}
}

// Global permissions live behind /admin, where Bitbucket refuses tokens.
func TestAccGlobalUserPermission_token(t *testing.T) {
	env := newTestEnv(t)
	k := grantKind{scopeGlobal, bitbucket.PrincipalUser}
	a := grantAddress{Principal: env.createUser(env.name("u"))}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{{
			Config:      env.config(grantConfig(k, a, "PROJECT_CREATE")),
			ExpectError: expectError("does not accept HTTP access tokens on its /admin endpoints", "username and password"),
		}},
	})
}
