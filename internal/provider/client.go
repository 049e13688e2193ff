package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/bitbucket-access/terraform-provider-bitbucket/internal/bitbucket"
)

// tflogLogger sends the client's request logs to Terraform's log (TF_LOG).
// The client masks credentials before they get here.
type tflogLogger struct{}

func (tflogLogger) Debug(ctx context.Context, msg string, fields map[string]any) {
	tflog.Debug(ctx, msg, fields)
}

func (tflogLogger) Warn(ctx context.Context, msg string, fields map[string]any) {
	tflog.Warn(ctx, msg, fields)
}

func newClient(cfg bitbucket.Config) (*bitbucket.Client, error) {
	cfg.Logger = tflogLogger{}
	return bitbucket.New(cfg)
}

// providerData is what Configure hands every resource and data source.
type providerData struct {
	client *bitbucket.Client
	// usesToken tells error messages whether Bitbucket's refusal of HTTP
	// access tokens on /admin endpoints can be the cause.
	usesToken bool
}

// providerDataFrom takes the client out of ProviderData. Nil is normal before
// the provider is configured, and while its configuration is unknown.
func providerDataFrom(v any) (*providerData, diag.Diagnostics) {
	var diags diag.Diagnostics
	if v == nil {
		return nil, diags
	}
	data, ok := v.(*providerData)
	if !ok {
		diags.AddError("Unexpected provider data",
			fmt.Sprintf("Expected *providerData, got %T. This is a bug in the provider; please report it.", v))
	}
	return data, diags
}

// requireClient reports an operation without a client, which happens only
// while the provider configuration is unknown.
func requireClient(data *providerData, diags *diag.Diagnostics) bool {
	if data == nil {
		diags.AddError("Bitbucket provider not configured", "The Bitbucket provider is not configured: its "+
			"configuration depends on values that are not known yet. Apply the resources that produce server_url "+
			"and the credentials first.")
		return false
	}
	return true
}
