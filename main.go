// Command terraform-provider-bitbucket serves the Bitbucket Data Center
// access-control provider to Terraform and OpenTofu.
package main

import (
	"context"
	"flag"
	"log"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

	"github.com/bitbucket-access/terraform-provider-bitbucket/internal/provider"
)

// The docs in docs/ are generated from schema descriptions and examples by
// "make generate", which works with terraform and with OpenTofu.

// providerAddress is the one place the registry address is written; the
// examples and README use the same namespace.
const providerAddress = "registry.terraform.io/bitbucket-access/bitbucket"

// version is set by the release build (-ldflags "-X main.version=...").
var version = "dev"

func main() {
	var debug bool
	flag.BoolVar(&debug, "debug", false, "run the provider with support for debuggers such as delve")
	flag.Parse()

	err := providerserver.Serve(context.Background(), provider.New(version), providerserver.ServeOpts{
		Address: providerAddress,
		Debug:   debug,
	})
	if err != nil {
		log.Fatal(err)
	}
}
