// Package provider implements the Terraform provider for Bitbucket Data
// Center access control on top of the REST client in internal/bitbucket.
package provider

import (
	"context"
	"errors"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/bitbucket-access/terraform-provider-bitbucket/internal/bitbucket"
)

var _ provider.Provider = (*bitbucketProvider)(nil)

// bitbucketProvider configures one REST client and hands it to every
// resource through ProviderData.
type bitbucketProvider struct {
	version string
}

// New returns the provider factory that main.go serves and tests use.
func New(version string) func() provider.Provider {
	return func() provider.Provider {
		return &bitbucketProvider{version: version}
	}
}

func (p *bitbucketProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "bitbucket"
	resp.Version = p.version
}

func (p *bitbucketProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Manages who may read, write and administer Bitbucket Data Center (formerly Bitbucket Server) " +
			"repositories and projects, through the Bitbucket REST API.\n\n" +
			"Authenticate with an HTTP access token (`token`, sent as a Bearer token; personal, project and repository " +
			"tokens all work) **or** with `username` and `password` (Basic authentication, which Bitbucket requires for " +
			"its `/admin` endpoints such as global permissions). Every argument can also come from the environment; " +
			"credentials set in the provider block replace those of the environment as a whole.",
		Attributes: map[string]schema.Attribute{
			"server_url": schema.StringAttribute{
				MarkdownDescription: "Base URL of the Bitbucket server, including any context path, such as " +
					"`https://bitbucket.example.com` or `https://example.com/bitbucket`. May also be set with `" + envServerURL + "`.",
				Optional: true,
			},
			"token": schema.StringAttribute{
				MarkdownDescription: "HTTP access token, sent as `Authorization: Bearer`. Conflicts with `username` and `password`. " +
					"May also be set with `" + envToken + "`.",
				Optional:  true,
				Sensitive: true,
			},
			"username": schema.StringAttribute{
				MarkdownDescription: "Username for Basic authentication, used together with `password`. May also be set with `" + envUsername + "`.",
				Optional:            true,
			},
			"password": schema.StringAttribute{
				MarkdownDescription: "Password for Basic authentication. May also be set with `" + envPassword + "`.",
				Optional:            true,
				Sensitive:           true,
			},
			"ca_certificate": schema.StringAttribute{
				MarkdownDescription: "PEM-encoded certificate of the certificate authority that signed the server's certificate, " +
					"for servers behind an internal CA, for example `file(\"corp-ca.pem\")`. Added to the system's trusted roots. " +
					"May also be set with `" + envCACertificate + "`.",
				Optional: true,
			},
			"insecure_skip_verify": schema.BoolAttribute{
				MarkdownDescription: "Skip verification of the server's TLS certificate. Only for tests: anyone on the network " +
					"path can then read the credentials. Prefer `ca_certificate`.",
				Optional: true,
			},
			"request_timeout": schema.StringAttribute{
				MarkdownDescription: "How long one HTTP request may take, as a Go duration such as `30s` or `2m`. Defaults to `" +
					defaultRequestTimeout.String() + "`.",
				Optional: true,
			},
			"max_retries": schema.Int64Attribute{
				MarkdownDescription: "How many times a request is retried when Bitbucket is rate limiting (429), unavailable " +
					"(503), or, for requests that are safe to repeat, on other server errors and lost connections. " +
					"Defaults to `" + itoa(defaultMaxRetries) + "`; `0` disables retries.",
				Optional:   true,
				Validators: []validator.Int64{int64validator.Between(0, 20)},
			},
		},
	}
}

func (p *bitbucketProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var cfg providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if cfg.hasUnknown() {
		// Another resource's output feeds the configuration. Terraform will
		// configure again at apply time with known values; until then there
		// is no client, and reads leave state as it is.
		tflog.Info(ctx, "provider configuration is not yet known; deferring client creation to apply")
		return
	}

	clientCfg, diags := cfg.clientConfig(p.userAgent(req.TerraformVersion))
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	client, err := newClient(clientCfg)
	if errors.Is(err, bitbucket.ErrInvalidCACertificate) {
		resp.Diagnostics.AddAttributeError(path.Root("ca_certificate"), "Invalid CA certificate",
			err.Error()+". Set ca_certificate to the PEM of your certificate authority, including its "+
				"-----BEGIN CERTIFICATE----- and -----END CERTIFICATE----- lines, for example with file(\"corp-ca.pem\").")
		return
	}
	if err != nil {
		resp.Diagnostics.AddError("Invalid Bitbucket provider configuration", err.Error())
		return
	}
	data := &providerData{client: client, usesToken: clientCfg.Token != ""}
	resp.ResourceData = data
	resp.DataSourceData = data
}

func (p *bitbucketProvider) Resources(_ context.Context) []func() resource.Resource {
	return []func() resource.Resource{
		NewRepoUserPermissionResource,
		NewRepoGroupPermissionResource,
		NewProjectUserPermissionResource,
		NewProjectGroupPermissionResource,
		NewGlobalUserPermissionResource,
		NewGlobalGroupPermissionResource,
		NewProjectDefaultPermissionResource,
		NewRepoPermissionsResource,
		NewProjectPermissionsResource,
	}
}

func (p *bitbucketProvider) DataSources(_ context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{
		NewRepoPermissionsDataSource,
		NewProjectPermissionsDataSource,
		NewGlobalPermissionsDataSource,
		NewUserDataSource,
		NewGroupDataSource,
		NewRepoEffectiveAccessDataSource,
	}
}

func (p *bitbucketProvider) userAgent(terraformVersion string) string {
	if terraformVersion == "" {
		terraformVersion = "unknown"
	}
	return "terraform-provider-bitbucket/" + p.version + " Terraform/" + terraformVersion
}
