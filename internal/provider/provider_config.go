package provider

import (
	"net"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/bitbucket-access/terraform-provider-bitbucket/internal/bitbucket"
)

// Environment variables read when the configuration leaves an argument out.
const (
	envServerURL     = "BITBUCKET_SERVER_URL"
	envToken         = "BITBUCKET_TOKEN"
	envUsername      = "BITBUCKET_USERNAME"
	envPassword      = "BITBUCKET_PASSWORD"
	envCACertificate = "BITBUCKET_CA_CERTIFICATE"
)

const (
	defaultRequestTimeout = 30 * time.Second
	defaultMaxRetries     = 4
)

// providerModel is the provider block as Terraform hands it over.
type providerModel struct {
	ServerURL          types.String `tfsdk:"server_url"`
	Token              types.String `tfsdk:"token"`
	Username           types.String `tfsdk:"username"`
	Password           types.String `tfsdk:"password"`
	CACertificate      types.String `tfsdk:"ca_certificate"`
	InsecureSkipVerify types.Bool   `tfsdk:"insecure_skip_verify"`
	RequestTimeout     types.String `tfsdk:"request_timeout"`
	MaxRetries         types.Int64  `tfsdk:"max_retries"`
}

func (m providerModel) hasUnknown() bool {
	return m.ServerURL.IsUnknown() || m.Token.IsUnknown() || m.Username.IsUnknown() ||
		m.Password.IsUnknown() || m.CACertificate.IsUnknown() || m.InsecureSkipVerify.IsUnknown() ||
		m.RequestTimeout.IsUnknown() || m.MaxRetries.IsUnknown()
}

// stringOrEnv prefers the configuration and falls back to the environment.
func stringOrEnv(v types.String, env string) string {
	if !v.IsNull() {
		return v.ValueString()
	}
	return os.Getenv(env)
}

// clientConfig resolves the provider block and the environment into the
// client's configuration, reporting every problem at once.
func (m providerModel) clientConfig(userAgent string) (bitbucket.Config, diag.Diagnostics) {
	var diags diag.Diagnostics
	cfg := bitbucket.Config{
		ServerURL:          strings.TrimSpace(stringOrEnv(m.ServerURL, envServerURL)),
		CACertificatePEM:   stringOrEnv(m.CACertificate, envCACertificate),
		InsecureSkipVerify: m.InsecureSkipVerify.ValueBool(),
		RequestTimeout:     defaultRequestTimeout,
		MaxRetries:         defaultMaxRetries,
		UserAgent:          userAgent,
	}

	// Credentials come from the provider block or from the environment as a
	// whole: a token in the block is not mixed with a BITBUCKET_USERNAME
	// left in the shell, which would only be reported as a conflict.
	if m.Token.IsNull() && m.Username.IsNull() && m.Password.IsNull() {
		cfg.Token, cfg.Username, cfg.Password = os.Getenv(envToken), os.Getenv(envUsername), os.Getenv(envPassword)
	} else {
		cfg.Token, cfg.Username, cfg.Password = m.Token.ValueString(), m.Username.ValueString(), m.Password.ValueString()
	}

	diags.Append(validateServerURL(cfg.ServerURL)...)
	diags.Append(validateCredentials(cfg)...)

	if cfg.InsecureSkipVerify {
		diags.AddAttributeWarning(path.Root("insecure_skip_verify"), "TLS certificate verification is disabled",
			"insecure_skip_verify = true lets anyone on the network path impersonate Bitbucket and read the credentials. "+
				"Set ca_certificate to the PEM of your internal certificate authority instead.")
	}
	if !m.RequestTimeout.IsNull() {
		d, err := time.ParseDuration(m.RequestTimeout.ValueString())
		if err != nil || d <= 0 {
			diags.AddAttributeError(path.Root("request_timeout"), "Invalid request_timeout",
				"request_timeout must be a positive Go duration such as \"30s\" or \"2m\", got "+
					strconv.Quote(m.RequestTimeout.ValueString())+".")
		} else {
			cfg.RequestTimeout = d
		}
	}
	if !m.MaxRetries.IsNull() {
		cfg.MaxRetries = int(m.MaxRetries.ValueInt64())
	}
	return cfg, diags
}

func validateServerURL(raw string) diag.Diagnostics {
	var diags diag.Diagnostics
	attr := path.Root("server_url")
	if raw == "" {
		diags.AddAttributeError(attr, "Missing Bitbucket server URL",
			"Set server_url in the provider block or the "+envServerURL+" environment variable to the base URL of "+
				"your Bitbucket Data Center, for example \"https://bitbucket.example.com\".")
		return diags
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		diags.AddAttributeError(attr, "Invalid Bitbucket server URL",
			"server_url must be an absolute http or https URL such as \"https://bitbucket.example.com\" "+
				"(a context path such as \"https://example.com/bitbucket\" is fine), got "+strconv.Quote(raw)+".")
		return diags
	}
	// On loopback the credentials never cross a network, so no warning.
	if u.Scheme == "http" && !isLoopback(u.Hostname()) {
		diags.AddAttributeWarning(attr, "Bitbucket server URL uses plain HTTP",
			"server_url "+strconv.Quote(raw)+" is not https: the token or password travels in clear text to the server. "+
				"Use https unless the server is on this machine.")
	}
	return diags
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func validateCredentials(cfg bitbucket.Config) diag.Diagnostics {
	var diags diag.Diagnostics
	basic := cfg.Username != "" || cfg.Password != ""
	switch {
	case cfg.Token != "" && basic:
		diags.AddError("Conflicting Bitbucket credentials",
			"Both a token and a username/password are configured (in the provider block, or else through "+envToken+", "+
				envUsername+" and "+envPassword+"). Use exactly one: token for HTTP access tokens, or username and "+
				"password for Basic authentication.")
	case cfg.Token == "" && !basic:
		diags.AddError("No Bitbucket credentials configured",
			"Bitbucket answers unauthenticated requests with 401 \"You are not permitted to access this resource\". "+
				"Set token (or "+envToken+") to an HTTP access token, or username and password (or "+envUsername+" and "+
				envPassword+") for Basic authentication.")
	case basic && cfg.Username == "":
		diags.AddAttributeError(path.Root("username"), "Missing Bitbucket username",
			"A password is configured without a username. Set username (or "+envUsername+") too.")
	case basic && cfg.Password == "":
		diags.AddAttributeError(path.Root("password"), "Missing Bitbucket password",
			"A username is configured without a password. Set password (or "+envPassword+") too, or use token instead.")
	}
	return diags
}

func itoa(n int) string { return strconv.Itoa(n) }
