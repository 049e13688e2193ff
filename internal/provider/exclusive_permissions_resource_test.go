package provider

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	acc "github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/bitbucket-access/terraform-provider-bitbucket/internal/bitbucket"
	"github.com/bitbucket-access/terraform-provider-bitbucket/internal/bitbuckettest"
)

// exclusiveConfig is the HCL of a bitbucket_<scope>_permissions "test".
func exclusiveConfig(s scopeLevel, a scopeAddress, users, groups map[string]string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "resource \"bitbucket_%s_permissions\" \"test\" {\n", s.word())
	values := s.values(a)
	for i, attr := range s.attributes() {
		fmt.Fprintf(&b, "  %s = %q\n", attr, values[i])
	}
	for _, m := range []struct {
		name   string
		grants map[string]string
	}{{"users", users}, {"groups", groups}} {
		if m.grants == nil {
			continue
		}
		fmt.Fprintf(&b, "  %s = {\n", m.name)
		for _, k := range sortedKeys(m.grants) {
			fmt.Fprintf(&b, "    %q = %q\n", k, m.grants[k])
		}
		b.WriteString("  }\n")
	}
	b.WriteString("}\n")
	return b.String()
}

func mapExact(m map[string]string) knownvalue.Check {
	checks := map[string]knownvalue.Check{}
	for k, v := range m {
		checks[k] = knownvalue.StringExact(v)
	}
	return knownvalue.MapExact(checks)
}

// checkExplicitGrants asserts every explicit grant of the scope on the server.
func (e *testEnv) checkExplicitGrants(s scopeLevel, a scopeAddress, users, groups map[string]string) acc.TestCheckFunc {
	return func(*terraform.State) error {
		for _, want := range []struct {
			p      bitbucket.PrincipalType
			grants map[string]string
		}{{bitbucket.PrincipalUser, users}, {bitbucket.PrincipalGroup, groups}} {
			list, err := e.admin.ListPermissions(e.ctx(), s.client(a), want.p, "")
			if bitbucket.IsNotFound(err) && len(want.grants) == 0 {
				continue
			}
			if err != nil {
				return err
			}
			got := map[string]string{}
			for _, g := range list {
				got[g.Principal] = g.Permission
			}
			if len(got)+len(want.grants) > 0 && fmt.Sprint(got) != fmt.Sprint(want.grants) {
				return fmt.Errorf("server %s on %s: %v, want %v", want.p, s.name(a), got, want.grants)
			}
		}
		return nil
	}
}

func TestAccExclusivePermissions_lifecycle(t *testing.T) {
	for _, s := range []scopeLevel{scopeRepository, scopeProject} {
		t.Run(s.word(), func(t *testing.T) {
			env := newTestEnv(t)
			key, slug := env.createRepository()
			a := scopeAddress{ProjectKey: key}
			if s == scopeRepository {
				a.RepositorySlug = slug
			}
			perm := s.permissions()
			alice, bob := env.createUser(env.name("alice")), env.createUser(env.name("bob"))
			carol, dave := env.createUser(env.name("carol")), env.createUser(env.name("dave"))
			team := env.createPrincipal(bitbucket.PrincipalGroup, "team")
			scope := s.client(a)
			// Grants made by hand before Terraform takes over. Against a
			// project, the creator's PROJECT_ADMIN is one of them.
			env.must(env.admin.SetPermission(env.ctx(), scope, bitbucket.PrincipalUser, perm[2], carol), "granting carol")
			env.must(env.admin.SetPermission(env.ctx(), scope, bitbucket.PrincipalGroup, perm[0], team), "granting team")
			addr := "bitbucket_" + s.word() + "_permissions.test"
			first := map[string]string{alice: perm[1], bob: perm[0]}
			second := map[string]string{alice: perm[2]}

			acc.ParallelTest(t, acc.TestCase{
				ProtoV6ProviderFactories: testProviderFactories,
				CheckDestroy:             env.checkExplicitGrants(s, a, map[string]string{}, map[string]string{}),
				Steps: []acc.TestStep{
					{
						Config: env.config(exclusiveConfig(s, a, first, nil)),
						ConfigStateChecks: []statecheck.StateCheck{
							statecheck.ExpectKnownValue(addr, tfjsonpath.New("users"), mapExact(first)),
							statecheck.ExpectKnownValue(addr, tfjsonpath.New("groups"), knownvalue.Null()),
						},
						Check: env.checkExplicitGrants(s, a, first, map[string]string{}),
					},
					{ResourceName: addr, ImportState: true, ImportStateVerify: true},
					{
						// Drift: a grant added and one changed by hand are
						// shown in the plan as changes back to the configuration.
						PreConfig: func() {
							env.must(env.admin.SetPermission(env.ctx(), scope, bitbucket.PrincipalUser, perm[2], dave, bob), "granting by hand")
						},
						Config: env.config(exclusiveConfig(s, a, first, nil)),
						ConfigPlanChecks: acc.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
							plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
							plancheck.ExpectKnownValue(addr, tfjsonpath.New("users"), mapExact(first)),
						}},
						Check: env.checkExplicitGrants(s, a, first, map[string]string{}),
					},
					{
						Config: env.config(exclusiveConfig(s, a, second, map[string]string{team: perm[1]})),
						ConfigPlanChecks: acc.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
							plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
						}},
						Check: env.checkExplicitGrants(s, a, second, map[string]string{team: perm[1]}),
					},
				},
			})
		})
	}
}

func TestAccExclusivePermissions_badInput(t *testing.T) {
	env := newTestEnv(t)
	a := scopeAddress{ProjectKey: "PROJ", RepositorySlug: "test"}
	acc.ParallelTest(t, acc.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []acc.TestStep{
			{
				Config:      env.config(exclusiveConfig(scopeRepository, a, map[string]string{"Alice": "REPO_READ", "alice": "REPO_WRITE"}, nil)),
				PlanOnly:    true,
				ExpectError: expectError("Principal listed twice", `"Alice" and "alice" name the same principal`),
			},
			{
				Config:      env.config(exclusiveConfig(scopeRepository, a, map[string]string{"alice": "PROJECT_READ"}, nil)),
				PlanOnly:    true,
				ExpectError: expectError("value must be one of", "REPO_READ"),
			},
			{
				Config:        env.config(exclusiveConfig(scopeRepository, a, nil, nil)),
				ResourceName:  "bitbucket_repo_permissions.test",
				ImportState:   true,
				ImportStateId: "PROJ",
				ExpectError:   expectError(`expected an import ID of the form "PROJECT_KEY/repository-slug"`),
			},
		},
	})
}

// Leaving out the account Terraform uses would lock it out: Bitbucket
// refuses, and the error says why.
func TestAccExclusivePermissions_lockout(t *testing.T) {
	env := newTestEnv(t)
	key, slug := env.createRepository()
	a := scopeAddress{ProjectKey: key, RepositorySlug: slug}
	owner, alice := env.createUser(env.name("owner")), env.createUser(env.name("alice"))
	env.must(env.admin.SetPermission(env.ctx(), scopeRepository.client(a), bitbucket.PrincipalUser, "REPO_ADMIN", owner), "granting owner")
	token := env.createPersonalToken(owner, "REPO_ADMIN")

	acc.ParallelTest(t, acc.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []acc.TestStep{{
			Config:      env.providerConfig(token) + exclusiveConfig(scopeRepository, a, map[string]string{alice: "REPO_READ"}, nil),
			ExpectError: expectError(`Could not revoke the permission of user "`+owner+`"`, "would lower the permission of the account Terraform uses"),
		}},
	})
}

// On create, the plan warns which grants made by hand the apply will revoke.
func TestRepoPermissionsCreateWarnsAboutExistingGrants(t *testing.T) {
	srv := bitbuckettest.Start(t)
	must(t, srv.CreateProject("PROJ", "Project"))
	slug, err := srv.CreateRepository("PROJ", "test")
	must(t, err)
	for _, u := range []string{"alice", "carol"} {
		must(t, srv.CreateUser(bitbuckettest.User{Name: u}))
	}
	must(t, srv.CreateGroup("qa"))
	scope := bitbuckettest.Scope{Project: "PROJ", Repository: slug}
	must(t, srv.GrantUser(scope, "carol", "REPO_ADMIN"))
	must(t, srv.GrantUser(scope, "alice", "REPO_READ"))
	must(t, srv.GrantGroup(scope, "qa", "REPO_WRITE"))
	client, err := bitbucket.New(bitbucket.Config{ServerURL: srv.URL(), Username: "admin", Password: "admin"})
	must(t, err)

	r := &exclusivePermissionsResource{scope: scopeRepository, data: &providerData{client: client}}
	var sresp resource.SchemaResponse
	r.Schema(context.Background(), resource.SchemaRequest{}, &sresp)
	typ := sresp.Schema.Type().TerraformType(context.Background()).(tftypes.Object)
	strMap := tftypes.Map{ElementType: tftypes.String}
	plan := tftypes.NewValue(typ, map[string]tftypes.Value{
		"id":              tftypes.NewValue(tftypes.String, tftypes.UnknownValue),
		"project_key":     tftypes.NewValue(tftypes.String, "PROJ"),
		"repository_slug": tftypes.NewValue(tftypes.String, slug),
		"users":           tftypes.NewValue(strMap, map[string]tftypes.Value{"alice": tftypes.NewValue(tftypes.String, "REPO_WRITE")}),
		"groups":          tftypes.NewValue(strMap, nil),
	})
	req := resource.ModifyPlanRequest{
		Plan:  tfsdk.Plan{Schema: sresp.Schema, Raw: plan},
		State: tfsdk.State{Schema: sresp.Schema, Raw: tftypes.NewValue(typ, nil)},
	}
	resp := &resource.ModifyPlanResponse{Plan: req.Plan}
	r.ModifyPlan(context.Background(), req, resp)

	if len(resp.Diagnostics) != 1 {
		t.Fatalf("diagnostics = %v, want one warning", resp.Diagnostics)
	}
	d := resp.Diagnostics[0]
	if d.Summary() != "Applying will change 3 existing grants on repository PROJ/"+slug {
		t.Errorf("summary = %q", d.Summary())
	}
	for _, want := range []string{
		`revoke user "carol" (REPO_ADMIN)`,
		`change user "alice" from REPO_READ to REPO_WRITE`,
		`revoke group "qa" (REPO_WRITE)`,
	} {
		if !strings.Contains(d.Detail(), want) {
			t.Errorf("warning lacks %q:\n%s", want, d.Detail())
		}
	}
}
