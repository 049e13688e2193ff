package provider

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// configure runs the provider's Configure with the given attribute values;
// attributes not given are null.
func configure(t *testing.T, attrs map[string]tftypes.Value) *provider.ConfigureResponse {
	t.Helper()
	p := New("test")()
	var sresp provider.SchemaResponse
	p.Schema(context.Background(), provider.SchemaRequest{}, &sresp)
	typ := sresp.Schema.Type().TerraformType(context.Background()).(tftypes.Object)
	vals := map[string]tftypes.Value{}
	for name, at := range typ.AttributeTypes {
		if v, ok := attrs[name]; ok {
			vals[name] = v
		} else {
			vals[name] = tftypes.NewValue(at, nil)
		}
	}
	resp := &provider.ConfigureResponse{}
	p.Configure(context.Background(), provider.ConfigureRequest{
		TerraformVersion: "1.11.4",
		Config:           tfsdk.Config{Schema: sresp.Schema, Raw: tftypes.NewValue(typ, vals)},
	}, resp)
	return resp
}

// A server URL or token that another resource produces is unknown at plan
// time: the provider waits for apply rather than failing or crashing.
func TestConfigureWithUnknownValues(t *testing.T) {
	clearCredentialEnv(t)
	resp := configure(t, map[string]tftypes.Value{
		"server_url": tftypes.NewValue(tftypes.String, tftypes.UnknownValue),
		"token":      tftypes.NewValue(tftypes.String, "t"),
	})
	if resp.Diagnostics.HasError() {
		t.Fatalf("diagnostics: %v", resp.Diagnostics)
	}
	if resp.ResourceData != nil || resp.DataSourceData != nil {
		t.Error("a client was configured from an unknown server_url")
	}
}

func TestConfigureHandsTheClientOut(t *testing.T) {
	clearCredentialEnv(t)
	resp := configure(t, map[string]tftypes.Value{
		"server_url": tftypes.NewValue(tftypes.String, "https://bitbucket.example.com/bitbucket/"),
		"token":      tftypes.NewValue(tftypes.String, "t"),
	})
	if resp.Diagnostics.HasError() {
		t.Fatalf("diagnostics: %v", resp.Diagnostics)
	}
	data, ok := resp.ResourceData.(*providerData)
	if !ok || data.client == nil || !data.usesToken || resp.DataSourceData != resp.ResourceData {
		t.Fatalf("provider data = %#v", resp.ResourceData)
	}
	if got := data.client.BaseURL(); got != "https://bitbucket.example.com/bitbucket" {
		t.Errorf("base URL = %q", got)
	}
}

func TestConfigureRejectsABadCACertificate(t *testing.T) {
	clearCredentialEnv(t)
	resp := configure(t, map[string]tftypes.Value{
		"server_url":     tftypes.NewValue(tftypes.String, "https://bitbucket.example.com"),
		"token":          tftypes.NewValue(tftypes.String, "t"),
		"ca_certificate": tftypes.NewValue(tftypes.String, "-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n"),
	})
	if !resp.Diagnostics.HasError() || !strings.Contains(resp.Diagnostics[0].Detail(), "ca_certificate") {
		t.Fatalf("diagnostics: %v", resp.Diagnostics)
	}
}

func TestUserAgentCarriesVersions(t *testing.T) {
	got := (&bitbucketProvider{version: "1.2.3"}).userAgent("1.11.4")
	if got != "terraform-provider-bitbucket/1.2.3 Terraform/1.11.4" {
		t.Errorf("User-Agent = %q", got)
	}
}
