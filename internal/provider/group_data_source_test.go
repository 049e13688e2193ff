package provider

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

func groupDataSourceConfig(label, name string) string {
	return fmt.Sprintf("data \"bitbucket_group\" %q {\n  name = %q\n}\n", label, name)
}

// dsStrings is an exact list of strings, in this order.
func dsStrings(values ...string) knownvalue.Check {
	checks := make([]knownvalue.Check, 0, len(values))
	for _, v := range values {
		checks = append(checks, knownvalue.StringExact(v))
	}
	return knownvalue.ListExact(checks)
}

func TestAccGroupDataSource_read(t *testing.T) {
	env := newTestEnv(t)
	zoe := env.createUser(env.name("zoe"))
	alice := env.createUser(env.name("alice"))
	env.createUser(env.name("outsider"))
	// Members are added out of order; the list comes back sorted.
	devs := env.createGroup("devs", zoe, alice)
	empty := env.createGroup("empty")
	// A group whose name contains another's: only the exact name counts.
	env.createGroup("devs-extra", env.name("outsider"))

	const devsAddr, emptyAddr, ghostAddr = "data.bitbucket_group.devs", "data.bitbucket_group.empty", "data.bitbucket_group.ghost"
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{{
			Config: env.config(groupDataSourceConfig("devs", strings.ToUpper(devs)) +
				groupDataSourceConfig("empty", empty) +
				groupDataSourceConfig("ghost", env.name("ghost"))),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(devsAddr, tfjsonpath.New("exists"), knownvalue.Bool(true)),
				statecheck.ExpectKnownValue(devsAddr, tfjsonpath.New("members"), dsStrings(alice, zoe)),
				statecheck.ExpectKnownValue(emptyAddr, tfjsonpath.New("exists"), knownvalue.Bool(true)),
				statecheck.ExpectKnownValue(emptyAddr, tfjsonpath.New("members"), dsStrings()),
				// A missing group is no error.
				statecheck.ExpectKnownValue(ghostAddr, tfjsonpath.New("exists"), knownvalue.Bool(false)),
				statecheck.ExpectKnownValue(ghostAddr, tfjsonpath.New("members"), dsStrings()),
			},
		}},
	})
}
