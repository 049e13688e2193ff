package provider

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/bitbucket-access/terraform-provider-bitbucket/internal/bitbucket"
)

const defaultAddr = "bitbucket_project_default_permission.test"

func projectDefaultConfig(key, permission string) string {
	return fmt.Sprintf(`
resource "bitbucket_project_default_permission" "test" {
  project_key = %q
  permission  = %q
}
`, key, permission)
}

// checkDefault asserts the highest default permission the server reports.
func (e *testEnv) checkDefault(key, want string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		got := ""
		for _, p := range defaultPermissions {
			permitted, err := e.admin.DefaultPermission(e.ctx(), key, p)
			if bitbucket.IsNotFound(err) {
				break // no project, no default
			}
			if err != nil {
				return err
			}
			if permitted {
				got = p
				break
			}
		}
		if got != want {
			return fmt.Errorf("server: project %s default is %q, want %q", key, got, want)
		}
		return nil
	}
}

func TestAccProjectDefaultPermission_lifecycle(t *testing.T) {
	env := newTestEnv(t)
	key, _ := env.createRepository()

	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		CheckDestroy:             env.checkDefault(key, ""),
		Steps: []resource.TestStep{
			{
				Config: env.config(projectDefaultConfig(key, "PROJECT_READ")),
				ConfigStateChecks: []statecheck.StateCheck{
					permissionIs(defaultAddr, "PROJECT_READ"),
					statecheck.ExpectKnownValue(defaultAddr, tfjsonpath.New("id"), knownvalue.StringExact(key)),
				},
				Check: env.checkDefault(key, "PROJECT_READ"),
			},
			{ResourceName: defaultAddr, ImportState: true, ImportStateVerify: true},
			{
				Config: env.config(projectDefaultConfig(key, "PROJECT_WRITE")),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(defaultAddr, plancheck.ResourceActionUpdate),
				}},
				Check: env.checkDefault(key, "PROJECT_WRITE"),
			},
			{
				PreConfig: func() {
					env.must(env.admin.SetDefaultPermission(env.ctx(), key, "PROJECT_WRITE", false), "removing the default by hand")
				},
				Config: env.config(projectDefaultConfig(key, "PROJECT_WRITE")),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(defaultAddr, plancheck.ResourceActionCreate),
				}},
				Check: env.checkDefault(key, "PROJECT_WRITE"),
			},
			{
				PreConfig: func() {
					env.must(env.admin.SetDefaultPermission(env.ctx(), key, "PROJECT_WRITE", false), "lowering the default by hand")
					env.must(env.admin.SetDefaultPermission(env.ctx(), key, "PROJECT_READ", true), "lowering the default by hand")
				},
				Config: env.config(projectDefaultConfig(key, "PROJECT_WRITE")),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(defaultAddr, plancheck.ResourceActionUpdate),
				}},
				Check: env.checkDefault(key, "PROJECT_WRITE"),
			},
			{
				PreConfig:          func() { env.deleteProject(key) },
				Config:             env.config(projectDefaultConfig(key, "PROJECT_WRITE")),
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
			},
		},
	})
}

func TestAccProjectDefaultPermission_errors(t *testing.T) {
	env := newTestEnv(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      env.config(projectDefaultConfig("PROJ", "PROJECT_ADMIN")),
				PlanOnly:    true,
				ExpectError: expectError("permission", "value must be one of", "PROJECT_READ"),
			},
			{
				Config:      env.config(projectDefaultConfig(env.name("NOPE"), "PROJECT_READ")),
				ExpectError: expectError("Could not set the default permission of project", "project does not exist", "NoSuchProjectException"),
			},
			{
				Config:        env.config(projectDefaultConfig("PROJ", "PROJECT_READ")),
				ResourceName:  defaultAddr,
				ImportState:   true,
				ImportStateId: "PROJ/test",
				ExpectError:   expectError(`expected the project key, for example "PROJ"`),
			},
		},
	})
}
