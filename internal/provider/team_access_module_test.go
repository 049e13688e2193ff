package provider

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/bitbucket-access/terraform-provider-bitbucket/internal/bitbucket"
)

// The module example: examples/modules/two-teams uses team-access for two
// teams. terraform-plugin-testing refuses configurations with modules, so
// this test runs the example as a user would: the provider binary built from
// this tree through a dev override, and terraform init, apply, plan and
// destroy in a copy of examples/modules.
func TestAccTeamAccessModule(t *testing.T) {
	env := newTestEnv(t)
	tf := terraformBinary(t)
	work := t.TempDir()
	copyDir(t, "../../examples/modules", filepath.Join(work, "modules"))

	plugins := filepath.Join(work, "plugins")
	build := exec.Command("go", "build", "-o", filepath.Join(plugins, "terraform-provider-bitbucket"), "../..")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building the provider: %v\n%s", err, out)
	}
	host := os.Getenv("TF_ACC_PROVIDER_HOST")
	if host == "" {
		host = "registry.terraform.io"
	}
	cliConfig := filepath.Join(work, "cli.tfrc")
	env.must(os.WriteFile(cliConfig, fmt.Appendf(nil,
		"provider_installation {\n  dev_overrides {\n    %q = %q\n  }\n  direct {}\n}\n",
		host+"/bitbucket-access/bitbucket", plugins), 0o600), "writing the CLI configuration")

	key, api := env.createRepository()
	web, err := env.admin.CreateRepository(env.ctx(), key, "Web")
	env.must(err, "creating a second repository")
	backend := env.createPrincipal(bitbucket.PrincipalGroup, "backend")
	qa := env.createPrincipal(bitbucket.PrincipalGroup, "qa")
	loaned := env.createUser(env.name("jane"))

	run := func(args ...string) (string, error) {
		cmd := exec.Command(tf, args...)
		cmd.Dir = filepath.Join(work, "modules", "two-teams")
		cmd.Env = append(os.Environ(), "TF_CLI_CONFIG_FILE="+cliConfig, "TF_IN_AUTOMATION=1",
			envServerURL+"="+env.url, envToken+"="+env.adminToken, envUsername+"=", envPassword+"=",
			"TF_VAR_project_key="+key,
			fmt.Sprintf(`TF_VAR_repositories=["%s","%s"]`, api, web.Slug),
			"TF_VAR_backend_group="+backend, "TF_VAR_qa_group="+qa,
			fmt.Sprintf(`TF_VAR_on_loan_to_backend=["%s"]`, loaned))
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		err := cmd.Run()
		return out.String(), err
	}
	mustRun := func(args ...string) {
		t.Helper()
		if out, err := run(args...); err != nil {
			t.Fatalf("terraform %v: %v\n%s", args, err, out)
		}
	}
	checkAll := func(granted bool) {
		t.Helper()
		for _, slug := range []string{api, web.Slug} {
			for _, g := range []struct {
				principal bitbucket.PrincipalType
				name      string
				perm      string
			}{
				{bitbucket.PrincipalGroup, backend, "REPO_WRITE"},
				{bitbucket.PrincipalGroup, qa, "REPO_READ"},
				{bitbucket.PrincipalUser, loaned, "REPO_WRITE"},
			} {
				a := grantAddress{scopeAddress{key, slug}, g.name}
				want := g.perm
				if !granted {
					want = ""
				}
				if err := env.checkGrant(grantKind{scopeRepository, g.principal}, a, want)(nil); err != nil {
					t.Error(err)
				}
			}
		}
	}

	mustRun("get") // modules only: init would look the overridden provider up in the registry
	mustRun("apply", "-input=false", "-auto-approve")
	checkAll(true)
	if out, err := run("plan", "-input=false", "-detailed-exitcode"); err != nil {
		t.Errorf("the second plan is not empty (%v):\n%s", err, out)
	}
	mustRun("destroy", "-input=false", "-auto-approve")
	checkAll(false)
}

// terraformBinary is the binary the acceptance tests use.
func terraformBinary(t *testing.T) string {
	if p := os.Getenv("TF_ACC_TERRAFORM_PATH"); p != "" {
		return p
	}
	for _, name := range []string{"terraform", "tofu"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Skip("neither terraform nor tofu is on PATH")
	return ""
}

func copyDir(t *testing.T, from, to string) {
	t.Helper()
	err := filepath.WalkDir(from, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, p)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(to, rel), 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(to, rel), b, 0o600)
	})
	if err != nil {
		t.Fatalf("copying %s: %v", from, err)
	}
}
