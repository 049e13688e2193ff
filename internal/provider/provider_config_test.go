package provider

import (
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

func clearCredentialEnv(t *testing.T) {
	for _, v := range []string{envServerURL, envToken, envUsername, envPassword, envCACertificate} {
		t.Setenv(v, "")
	}
}

func model(url, token, username, password string) providerModel {
	s := func(v string) types.String {
		if v == "" {
			return types.StringNull()
		}
		return types.StringValue(v)
	}
	return providerModel{
		ServerURL: s(url), Token: s(token), Username: s(username), Password: s(password),
		CACertificate: types.StringNull(), InsecureSkipVerify: types.BoolNull(),
		RequestTimeout: types.StringNull(), MaxRetries: types.Int64Null(),
	}
}

// summaries lists "error: …" and "warning: …" for each diagnostic.
func summaries(diags diag.Diagnostics) string {
	var out []string
	for _, d := range diags {
		out = append(out, strings.ToLower(d.Severity().String())+": "+d.Summary())
	}
	return strings.Join(out, "; ")
}

func TestProviderConfig(t *testing.T) {
	tests := []struct {
		name  string
		model providerModel
		want  string // the diagnostics' summaries
	}{
		{"token", model("https://bitbucket.example.com", "t", "", ""), ""},
		{"basic", model("https://bitbucket.example.com", "", "u", "p"), ""},
		{"context path and trailing slash", model("https://example.com/bitbucket/", "t", "", ""), ""},
		{"plain http", model("http://bitbucket.example.com", "t", "", ""), "warning: Bitbucket server URL uses plain HTTP"},
		{"upper-case scheme", model("HTTPS://BITBUCKET.EXAMPLE.COM", "t", "", ""), ""},
		{"plain http on loopback", model("http://127.0.0.1:7990", "t", "", ""), ""},
		{"not absolute", model("bitbucket.example.com", "t", "", ""), "error: Invalid Bitbucket server URL"},
		{"other scheme", model("ftp://bitbucket.example.com", "t", "", ""), "error: Invalid Bitbucket server URL"},
		{"missing url", model("", "t", "", ""), "error: Missing Bitbucket server URL"},
		{"no credentials", model("https://b.example.com", "", "", ""), "error: No Bitbucket credentials configured"},
		{"both methods", model("https://b.example.com", "t", "u", "p"), "error: Conflicting Bitbucket credentials"},
		{"username only", model("https://b.example.com", "", "u", ""), "error: Missing Bitbucket password"},
		{"password only", model("https://b.example.com", "", "", "p"), "error: Missing Bitbucket username"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clearCredentialEnv(t)
			_, diags := tt.model.clientConfig("ua")
			if got := summaries(diags); got != tt.want {
				t.Errorf("diagnostics = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestProviderConfigFromEnvironment(t *testing.T) {
	clearCredentialEnv(t)
	t.Setenv(envServerURL, "https://env.example.com")
	t.Setenv(envToken, "env-token")

	cfg, diags := model("", "", "", "").clientConfig("ua")
	if diags.HasError() {
		t.Fatalf("unexpected diagnostics: %s", summaries(diags))
	}
	if cfg.ServerURL != "https://env.example.com" || cfg.Token != "env-token" {
		t.Errorf("config = %q / %q, want the environment's values", cfg.ServerURL, cfg.Token)
	}

	// The configuration wins over the environment.
	cfg, _ = model("https://hcl.example.com", "hcl-token", "", "").clientConfig("ua")
	if cfg.ServerURL != "https://hcl.example.com" || cfg.Token != "hcl-token" {
		t.Errorf("config = %q / %q, want the configuration's values", cfg.ServerURL, cfg.Token)
	}
}

// Credentials in the block are not mixed with others from the environment.
func TestProviderConfigCredentialsComeFromOneSource(t *testing.T) {
	clearCredentialEnv(t)
	t.Setenv(envUsername, "env-user")
	t.Setenv(envPassword, "env-password")

	cfg, diags := model("https://b.example.com", "hcl-token", "", "").clientConfig("ua")
	if diags.HasError() || cfg.Token != "hcl-token" || cfg.Username != "" || cfg.Password != "" {
		t.Errorf("token in the block: %+v (%s)", cfg, summaries(diags))
	}
	cfg, diags = model("https://b.example.com", "", "", "").clientConfig("ua")
	if diags.HasError() || cfg.Token != "" || cfg.Username != "env-user" || cfg.Password != "env-password" {
		t.Errorf("nothing in the block: %+v (%s)", cfg, summaries(diags))
	}
	t.Setenv(envToken, "env-token")
	if _, diags := model("https://b.example.com", "", "", "").clientConfig("ua"); summaries(diags) != "error: Conflicting Bitbucket credentials" {
		t.Errorf("both in the environment: %q", summaries(diags))
	}
}

func TestProviderConfigTimeoutsAndRetries(t *testing.T) {
	clearCredentialEnv(t)
	m := model("https://b.example.com", "t", "", "")
	cfg, _ := m.clientConfig("ua")
	if cfg.RequestTimeout != defaultRequestTimeout || cfg.MaxRetries != defaultMaxRetries {
		t.Errorf("defaults = %v / %d", cfg.RequestTimeout, cfg.MaxRetries)
	}

	m.RequestTimeout, m.MaxRetries = types.StringValue("2m"), types.Int64Value(0)
	cfg, diags := m.clientConfig("ua")
	if diags.HasError() || cfg.RequestTimeout != 2*time.Minute || cfg.MaxRetries != 0 {
		t.Errorf("got %v / %d (%s), want 2m / 0", cfg.RequestTimeout, cfg.MaxRetries, summaries(diags))
	}

	m.RequestTimeout = types.StringValue("soon")
	if _, diags := m.clientConfig("ua"); summaries(diags) != "error: Invalid request_timeout" {
		t.Errorf("diagnostics = %q", summaries(diags))
	}
}

func TestProviderConfigInsecure(t *testing.T) {
	clearCredentialEnv(t)
	m := model("https://b.example.com", "t", "", "")
	m.InsecureSkipVerify = types.BoolValue(true)
	cfg, diags := m.clientConfig("ua")
	if !cfg.InsecureSkipVerify || summaries(diags) != "warning: TLS certificate verification is disabled" {
		t.Errorf("insecure = %v, diagnostics = %q", cfg.InsecureSkipVerify, summaries(diags))
	}
}
