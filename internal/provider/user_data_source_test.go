package provider

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

func userDataSourceConfig(label, name string) string {
	return fmt.Sprintf("data \"bitbucket_user\" %q {\n  name = %q\n}\n", label, name)
}

func TestAccUserDataSource_read(t *testing.T) {
	env := newTestEnv(t)
	// "@" makes the slug differ from the username (bitbucket-api.md §11).
	jane := env.createUser(env.name("jane@corp.example"))
	// Bitbucket's user search matches substrings of names, display names
	// and e-mail addresses: "bob" also finds "bobby", and only bob may come back.
	bob := env.createUser(env.name("bob"))
	env.createUser(env.name("bobby"))

	const janeAddr, bobAddr = "data.bitbucket_user.jane", "data.bitbucket_user.bob"
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{{
			// Names are compared ignoring case; the configured spelling stays.
			Config: env.config(userDataSourceConfig("jane", strings.ToUpper(jane)) + userDataSourceConfig("bob", bob)),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(janeAddr, tfjsonpath.New("name"), knownvalue.StringExact(strings.ToUpper(jane))),
				statecheck.ExpectKnownValue(janeAddr, tfjsonpath.New("slug"), knownvalue.StringExact(strings.ReplaceAll(jane, "@", "_"))),
				statecheck.ExpectKnownValue(janeAddr, tfjsonpath.New("display_name"), knownvalue.StringExact("Test "+jane)),
				statecheck.ExpectKnownValue(janeAddr, tfjsonpath.New("email_address"), knownvalue.StringExact(strings.ReplaceAll(jane, "@", ".")+"@example.com")),
				statecheck.ExpectKnownValue(janeAddr, tfjsonpath.New("active"), knownvalue.Bool(true)),
				statecheck.ExpectKnownValue(janeAddr, tfjsonpath.New("id"), knownvalue.StringRegexp(regexp.MustCompile(`^[0-9]+$`))),
				statecheck.ExpectKnownValue(bobAddr, tfjsonpath.New("slug"), knownvalue.StringExact(bob)),
				statecheck.ExpectKnownValue(bobAddr, tfjsonpath.New("display_name"), knownvalue.StringExact("Test "+bob)),
			},
		}},
	})
}

// An unknown user is an error naming the user. A display name is not a
// username, even though Bitbucket's search matches it.
func TestAccUserDataSource_unknown(t *testing.T) {
	env := newTestEnv(t)
	jane := env.createUser(env.name("jane"))
	ghost := env.name("ghost")

	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      env.config(userDataSourceConfig("test", ghost)),
				ExpectError: expectError(`No Bitbucket user named "`+ghost+`"`, "not their display name"),
			},
			{
				Config:      env.config(userDataSourceConfig("test", "Test "+jane)),
				ExpectError: expectError(`No Bitbucket user named "Test ` + jane + `"`),
			},
		},
	})
}
