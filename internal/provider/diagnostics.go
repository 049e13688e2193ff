package provider

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/bitbucket-access/terraform-provider-bitbucket/internal/bitbucket"
)

// errorContext is what a diagnostic needs to explain a failed call in the
// user's terms.
type errorContext struct {
	object    string // `user "alice" on repository PROJ/test`
	attribute string // the attribute naming the principal: "user" or "group"
	needs     string // "REPO_ADMIN on repository PROJ/test"
	admin     bool   // the call goes to an /admin endpoint
	usesToken bool   // the provider authenticates with an HTTP access token
}

// explainError turns a client error into a diagnostic detail: the cause, what
// to do about it, and always what Bitbucket itself said.
func explainError(err error, c errorContext) string {
	var apiErr *bitbucket.APIError
	if !errors.As(err, &apiErr) {
		return explainTransportError(err)
	}
	return explainAPIError(apiErr, c) + "\n\n" + serverSaid(apiErr)
}

func explainAPIError(e *bitbucket.APIError, c errorContext) string {
	switch e.StatusCode {
	case 401:
		return explainUnauthorized(e, c)
	case 404:
		switch bitbucket.MissingObject(e) {
		case "project":
			return "The project does not exist. Check project_key: it is the project's key (such as PROJ), not its name."
		case "repository":
			return "The repository does not exist in that project. Check repository_slug: it is the slug from the " +
				"repository's URL (…/repos/{slug}), not its display name."
		case "user":
			return fmt.Sprintf("Bitbucket has no such user. Check %s: it takes the username people log in with, not "+
				"their slug or display name. Users must exist in Bitbucket (or its user directory) before they "+
				"can be granted permissions.", c.attribute)
		case "group":
			return fmt.Sprintf("Bitbucket has no such group. Check %s, and create the group in Bitbucket or its user "+
				"directory first.", c.attribute)
		}
		return "The server answered 404 without saying which Bitbucket object is missing, so the answer may not " +
			"come from Bitbucket at all. Check server_url, including its context path (such as " +
			"https://example.com/bitbucket), and any proxy in front of Bitbucket."
	case 403:
		if c.admin {
			return "Bitbucket refused the change, most likely because it would exceed the number of licensed users, " +
				"or it would lower the permission of the account Terraform uses."
		}
		return selfDemotion(e)
	case 409:
		if c.admin {
			return "Bitbucket refused the change because the target outranks the account Terraform uses, or the " +
				"change would lower that account's own global permission. Make this change as a SYS_ADMIN user."
		}
		return selfDemotion(e)
	case 429:
		wait := ""
		if e.RetryAfter > 0 {
			wait = fmt.Sprintf(" It asked to wait %s before the next request.", e.RetryAfter)
		}
		return "Bitbucket kept rate limiting this account's requests (429 Too Many Requests) after every retry." + wait +
			" Run again later, raise max_retries, or ask a Bitbucket administrator to raise or lift the rate limit for the account."
	case 400:
		return "Bitbucket rejected the request as malformed. If the permission is REPO_CREATE, this Bitbucket is " +
			"older than 8.2, which does not know it: choose another permission. Otherwise this is a bug in the " +
			"provider; please report it with the message below."
	}
	if e.StatusCode >= 500 {
		return "Bitbucket failed with a server error, and still did after the retries. Check the server's health " +
			"(or the proxy in front of it) and run again."
	}
	return fmt.Sprintf("Bitbucket answered with the unexpected status %d.", e.StatusCode)
}

func explainUnauthorized(e *bitbucket.APIError, c errorContext) string {
	var b strings.Builder
	switch {
	case strings.HasSuffix(e.ExceptionName(), "IncorrectPasswordAuthenticationException"):
		b.WriteString("Bitbucket rejected the username and password. Check username and password (or " +
			envUsername + " and " + envPassword + "). After repeated failures Bitbucket may require the account " +
			"to log in once through the browser (CAPTCHA).")
	case e.CredentialsRejected() && !c.usesToken:
		b.WriteString("Bitbucket treated the request as anonymous although username and password were sent: a " +
			"proxy in front of Bitbucket may strip the Authorization header, or Basic authentication may be " +
			"disabled on this instance. Check with the Bitbucket administrators.")
	case e.CredentialsRejected() && !c.admin:
		b.WriteString("Bitbucket did not accept the credentials and treated the request as anonymous: the token " +
			"is unknown, expired or revoked, or no credentials reached the server (a proxy may strip the " +
			"Authorization header). Create a new HTTP access token and set token (or " + envToken + ").")
	default:
		who := "The credentials are valid but lack"
		if e.AuthenticatedAs != "" {
			who = fmt.Sprintf("The credentials (Bitbucket user %q) are valid but lack", e.AuthenticatedAs)
		}
		fmt.Fprintf(&b, "%s %s, which is needed to manage permissions of %s. Grant that permission to the "+
			"account, or use an account that has it. An HTTP access token is capped by its own permissions, and a "+
			"project or repository token only works inside its own project or repository.", who, c.needs, c.object)
	}
	if c.admin && c.usesToken {
		b.WriteString(" Bitbucket does not accept HTTP access tokens on its /admin endpoints, which manage global " +
			"permissions: configure username and password (Basic authentication) for this provider instead of token.")
	}
	return b.String()
}

func selfDemotion(e *bitbucket.APIError) string {
	who := "the account Terraform uses"
	if e.AuthenticatedAs != "" {
		who = fmt.Sprintf("the account Terraform uses (%q)", e.AuthenticatedAs)
	}
	return "Bitbucket refused the change because it would lower the permission of " + who + ": nobody may reduce " +
		"their own permission unless a higher project or global permission still covers it. Make this change with " +
		"other credentials, or give the account a project or global permission first."
}

func explainTransportError(err error) string {
	var (
		unknownAuthority x509.UnknownAuthorityError
		hostname         x509.HostnameError
		invalidCert      x509.CertificateInvalidError
		tlsRecord        tls.RecordHeaderError
		dnsErr           *net.DNSError
		opErr            *net.OpError
	)
	switch {
	case errors.As(err, &unknownAuthority), errors.As(err, &invalidCert):
		return "The TLS certificate of the server could not be verified: " + err.Error() + ". If Bitbucket uses a " +
			"certificate from an internal certificate authority, set ca_certificate to that authority's PEM."
	case errors.As(err, &hostname):
		return "The server's TLS certificate does not name the host in server_url: " + err.Error() +
			". Use the host name the certificate was issued for."
	case errors.As(err, &tlsRecord):
		return "The server did not answer with TLS: " + err.Error() + ". Check whether server_url should start with http:// instead of https://."
	case errors.Is(err, context.DeadlineExceeded):
		return "The request to Bitbucket timed out: " + err.Error() + ". Check that the server is up, or raise request_timeout."
	case errors.As(err, &dnsErr):
		return "The host name in server_url could not be resolved: " + err.Error() + ". Check server_url."
	case errors.As(err, &opErr):
		return "Bitbucket could not be reached: " + err.Error() + ". Check server_url, and that the server is " +
			"running and reachable from this machine (proxy, firewall, VPN)."
	}
	return "The request to Bitbucket failed: " + err.Error() + "."
}

// isGone reports a 404 in which Bitbucket itself says the project,
// repository, user or group does not exist. Any other 404 (from a proxy, or
// a server_url with the wrong context path) is an error: taking it for
// "already gone" would drop grants from state, or report a revocation that
// never happened.
func isGone(err error) bool { return bitbucket.MissingObject(err) != "" }

// warnGone explains why Read removes a resource whose project or repository
// was deleted outside Terraform: this is drift to show, not an error.
func warnGone(diags *diag.Diagnostics, what, gone string, err error) {
	diags.AddWarning(what+" removed from state", fmt.Sprintf("The %s no longer exists (%s). Terraform will plan "+
		"to create it again, which fails until the %s exists again; if it was deleted on purpose, remove this "+
		"resource from the configuration.", gone, serverSaid(err), gone))
}

// serverSaid quotes Bitbucket's own answer, which every diagnostic includes.
func serverSaid(err error) string {
	var e *bitbucket.APIError
	if !errors.As(err, &e) {
		return err.Error()
	}
	s := fmt.Sprintf("Bitbucket answered %d to %s %s", e.StatusCode, e.Method, e.Path)
	if name := e.ExceptionName(); name != "" {
		s += " (" + name + ")"
	}
	return s + ": " + fmt.Sprintf("%q", e.Message())
}
