// Package bitbucket is a small REST client for the parts of the Bitbucket
// Data Center API that manage access: permissions at repository, project and
// global scope, the project default permission, and the lookups and fixtures
// around them. It knows nothing of Terraform.
//
// Section numbers in comments (§n) refer to the shared bitbucket-api.md.
package bitbucket

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/hashicorp/go-retryablehttp"
)

const (
	apiPrefix    = "/rest/api/1.0"
	tokensPrefix = "/rest/access-tokens/1.0"

	defaultRequestTimeout = 30 * time.Second
	defaultRetryWaitMin   = 1 * time.Second
	defaultRetryWaitMax   = 30 * time.Second
	// §2: 1000 is the documented default maximum; the server may clamp it.
	defaultPageLimit = 1000
	defaultUserAgent = "terraform-provider-bitbucket"

	// Upper bounds on what is read from a response, so a misbehaving proxy
	// cannot exhaust memory.
	maxSuccessBody = 64 << 20
	maxErrorBody   = 64 << 10
	maxDrain       = 1 << 20
)

// Logger receives one structured entry per HTTP attempt and per retry
// decision. The provider adapts it to tflog. Entries never contain the
// Authorization header, the token or the password.
type Logger interface {
	Debug(ctx context.Context, msg string, fields map[string]any)
	Warn(ctx context.Context, msg string, fields map[string]any)
}

// Config configures a Client. Only ServerURL is required.
type Config struct {
	// ServerURL is the absolute http(s) address of Bitbucket, optionally with
	// a context path such as https://host/bitbucket. A trailing slash is
	// tolerated.
	ServerURL string

	// Token is sent as "Authorization: Bearer <token>". It is mutually
	// exclusive with Username/Password, which are sent as Basic auth (§8:
	// the only token-free way to call /admin endpoints).
	Token              string
	Username, Password string

	// CACertificatePEM is appended to the system roots.
	CACertificatePEM   string
	InsecureSkipVerify bool

	RequestTimeout time.Duration // per attempt; 0 = 30s
	MaxRetries     int           // retries after the first attempt; negative = 0
	// Bounds of the exponential backoff; 0 = 1s and 30s. A Retry-After
	// header on 429/503 overrides them.
	RetryWaitMin, RetryWaitMax time.Duration

	// PageLimit is the "limit" sent on list requests; 0 = 1000. The server
	// may clamp it (§2); paging follows nextPageStart either way.
	PageLimit int

	UserAgent string
	Logger    Logger // nil = no logs
}

// Client talks to one Bitbucket server. It is safe for concurrent use and
// reuses its connections: create one per provider configuration.
type Client struct {
	base       string // scheme://host[/context], no trailing slash
	basePath   string // the escaped context path, "" or "/bitbucket"
	authHeader string // full Authorization value, "" = anonymous
	userAgent  string
	pageLimit  int
	maxRetries int
	// retryWaitMax bounds how long a Retry-After may make a call sleep.
	retryWaitMax time.Duration

	secrets masker
	log     logSink

	httpClient *http.Client
	retry      *retryablehttp.Client
}

// New validates cfg and builds a Client. It performs no request.
func New(cfg Config) (*Client, error) {
	base, basePath, err := normaliseServerURL(cfg.ServerURL)
	if err != nil {
		return nil, err
	}

	c := &Client{
		base:      base,
		basePath:  basePath,
		userAgent: cfg.UserAgent,
		pageLimit: cfg.PageLimit,
	}
	if c.userAgent == "" {
		c.userAgent = defaultUserAgent
	}
	if c.pageLimit <= 0 {
		c.pageLimit = defaultPageLimit
	}

	switch {
	case cfg.Token != "" && (cfg.Username != "" || cfg.Password != ""):
		return nil, errors.New("bitbucket: configure either a token or a username and password, not both")
	case cfg.Token != "":
		c.authHeader = "Bearer " + cfg.Token
		c.secrets = newMasker(cfg.Token)
	case cfg.Username != "" && cfg.Password == "":
		return nil, errors.New("bitbucket: a username was given without a password")
	case cfg.Username == "" && cfg.Password != "":
		return nil, errors.New("bitbucket: a password was given without a username")
	case cfg.Username != "":
		basic := base64.StdEncoding.EncodeToString([]byte(cfg.Username + ":" + cfg.Password))
		c.authHeader = "Basic " + basic
		c.secrets = newMasker(cfg.Password, basic)
	}
	c.log = logSink{logger: cfg.Logger, mask: c.secrets}

	tlsConfig, err := buildTLSConfig(cfg.CACertificatePEM, cfg.InsecureSkipVerify)
	if err != nil {
		return nil, err
	}

	timeout := cfg.RequestTimeout
	if timeout <= 0 {
		timeout = defaultRequestTimeout
	}
	c.maxRetries = max(cfg.MaxRetries, 0)
	waitMin, waitMax := cfg.RetryWaitMin, cfg.RetryWaitMax
	if waitMin <= 0 {
		waitMin = defaultRetryWaitMin
	}
	if waitMax <= 0 {
		waitMax = defaultRetryWaitMax
	}
	waitMax = max(waitMax, waitMin)
	c.retryWaitMax = waitMax

	// One Transport per Client, so connections are pooled across calls.
	transport := &http.Transport{
		Proxy: http.ProxyFromEnvironment,
		DialContext: (&net.Dialer{
			Timeout:   30 * time.Second,
			KeepAlive: 30 * time.Second,
		}).DialContext,
		TLSClientConfig:       tlsConfig,
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          100,
		MaxIdleConnsPerHost:   16, // Terraform runs 10 operations in parallel by default
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   10 * time.Second,
		ExpectContinueTimeout: 1 * time.Second,
	}
	c.httpClient = &http.Client{
		Transport: &loggingTransport{next: transport, log: c.log},
		// http.Client.Timeout covers one Do call, i.e. one attempt,
		// including reading the body of the final response.
		Timeout: timeout,
		// §8: a token on a non-REST URL is redirected to the login page;
		// following redirects would also turn a POST into a GET. Report
		// the redirect instead.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	c.retry = &retryablehttp.Client{
		HTTPClient:   c.httpClient,
		Logger:       nil, // its own logs would bypass masking; loggingTransport and checkRetry log instead
		RetryWaitMin: waitMin,
		RetryWaitMax: waitMax,
		RetryMax:     c.maxRetries,
		CheckRetry:   c.checkRetry,
		Backoff:      backoff,
		// Return the last response so that exhausted retries surface the
		// server's *APIError, not a generic "giving up" error.
		ErrorHandler: retryablehttp.PassthroughErrorHandler,
	}
	return c, nil
}

// BaseURL returns the normalised server URL, without a trailing slash.
func (c *Client) BaseURL() string { return c.base }

// CloseIdleConnections closes pooled connections that are not in use.
func (c *Client) CloseIdleConnections() { c.httpClient.CloseIdleConnections() }

func normaliseServerURL(raw string) (base, basePath string, err error) {
	invalid := func(why string) error {
		return fmt.Errorf("bitbucket: invalid server URL %q: %s; expected an absolute http(s) URL such as https://bitbucket.example.com or https://example.com/bitbucket", redactURLString(raw), why)
	}
	s := strings.TrimSpace(raw)
	if s == "" {
		return "", "", errors.New("bitbucket: the server URL is empty; expected an absolute http(s) URL such as https://bitbucket.example.com")
	}
	u, err := url.Parse(s)
	if err != nil {
		return "", "", invalid("it cannot be parsed")
	}
	scheme := strings.ToLower(u.Scheme)
	switch {
	case scheme != "http" && scheme != "https":
		if u.Scheme == "" {
			return "", "", invalid("it has no scheme")
		}
		return "", "", invalid(fmt.Sprintf("unsupported scheme %q", u.Scheme))
	case u.Opaque != "" || u.Host == "" || u.Hostname() == "":
		return "", "", invalid("it has no host")
	case u.User != nil:
		return "", "", invalid("credentials in the URL are not supported; use the token or username/password settings")
	case u.RawQuery != "" || u.ForceQuery:
		return "", "", invalid("it must not have a query")
	case u.Fragment != "":
		return "", "", invalid("it must not have a fragment")
	}
	basePath = strings.TrimRight(u.EscapedPath(), "/")
	base = scheme + "://" + u.Host + basePath
	return base, basePath, nil
}

// buildTLSConfig appends caPEM to the system roots. Every CERTIFICATE block
// must parse, so a truncated paste is reported rather than silently ignored.
// ErrInvalidCACertificate is returned by New when Config.CACertificatePEM
// holds no usable certificate.
var ErrInvalidCACertificate = errors.New("bitbucket: invalid CA certificate")

func buildTLSConfig(caPEM string, insecure bool) (*tls.Config, error) {
	cfg := &tls.Config{MinVersion: tls.VersionTLS12, InsecureSkipVerify: insecure} //nolint:gosec // opt-in by the user
	if strings.TrimSpace(caPEM) == "" {
		return cfg, nil
	}
	pool, err := x509.SystemCertPool()
	if err != nil || pool == nil {
		pool = x509.NewCertPool()
	}
	rest := []byte(caPEM)
	n := 0
	for {
		var block *pem.Block
		block, rest = pem.Decode(rest)
		if block == nil {
			break
		}
		if block.Type != "CERTIFICATE" {
			continue
		}
		cert, err := x509.ParseCertificate(block.Bytes)
		if err != nil {
			return nil, fmt.Errorf("%w: certificate #%d cannot be parsed: %w", ErrInvalidCACertificate, n+1, err)
		}
		pool.AddCert(cert)
		n++
	}
	if n == 0 {
		return nil, fmt.Errorf("%w: the PEM contains no CERTIFICATE block", ErrInvalidCACertificate)
	}
	cfg.RootCAs = pool
	return cfg, nil
}

// call describes one logical API call.
type call struct {
	method string
	path   string // escaped, below the base URL, e.g. /rest/api/1.0/projects/P
	query  url.Values
	body   any // JSON-encoded when non-nil; never set on permission endpoints (§1)
	// idempotent requests are retried on any 5xx and on connection errors;
	// the others only on 429/503 and on failures to connect.
	idempotent bool
}

type callMetaKey struct{}

// callMeta travels in the request context so the retry policy and the
// logging transport, which retryablehttp calls without our arguments, can
// see the call's properties.
type callMeta struct {
	method     string
	path       string
	idempotent bool
	attempt    int // incremented by loggingTransport; a call runs on one goroutine
}

func metaFrom(ctx context.Context) *callMeta {
	m, _ := ctx.Value(callMetaKey{}).(*callMeta)
	return m
}

// do performs the call with retries and decodes a 2xx JSON answer into out
// (when out is non-nil). Any 2xx is success: the reference gives 200, 201,
// 202 or 204 depending on the endpoint and version.
func (c *Client) do(ctx context.Context, cl call, out any) error {
	fullPath := c.basePath + cl.path
	meta := &callMeta{method: cl.method, path: fullPath, idempotent: cl.idempotent}
	ctx = context.WithValue(ctx, callMetaKey{}, meta)

	target := c.base + cl.path
	if len(cl.query) > 0 {
		target += "?" + cl.query.Encode()
	}
	var body any
	if cl.body != nil {
		b, err := json.Marshal(cl.body)
		if err != nil {
			return fmt.Errorf("%s %s: encoding request: %w", cl.method, fullPath, err)
		}
		body = b // retryablehttp rewinds a []byte on every attempt
	}
	req, err := retryablehttp.NewRequestWithContext(ctx, cl.method, target, body)
	if err != nil {
		return fmt.Errorf("%s %s: building request: %w", cl.method, fullPath, err)
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", c.userAgent)
	if c.authHeader != "" {
		req.Header.Set("Authorization", c.authHeader)
	}
	if cl.body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if cl.method != http.MethodGet && cl.method != http.MethodHead {
		// §9: a bodiless POST without this header is refused with 403
		// "XSRF check failed"; PUT/DELETE only log, but send it anyway.
		req.Header.Set("X-Atlassian-Token", "no-check")
	}

	resp, err := c.retry.Do(req)
	if resp != nil {
		// Drain before closing so the connection goes back to the pool.
		defer func() {
			_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, maxDrain))
			_ = resp.Body.Close()
		}()
	}
	if err != nil {
		return c.requestError(ctx, meta, err)
	}

	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return c.newAPIError(meta, resp)
	}
	if out == nil {
		return nil
	}
	raw, err := io.ReadAll(io.LimitReader(resp.Body, maxSuccessBody))
	if err != nil {
		return c.requestError(ctx, meta, err)
	}
	if len(bytes.TrimSpace(raw)) == 0 {
		return fmt.Errorf("%s %s: %d response has an empty body; expected JSON", cl.method, fullPath, resp.StatusCode)
	}
	if err := json.Unmarshal(raw, out); err != nil {
		return fmt.Errorf("%s %s: decoding %d response (Content-Type %q): %w; body starts %q",
			cl.method, fullPath, resp.StatusCode, resp.Header.Get("Content-Type"), err, c.secrets.apply(snippet(raw, 200)))
	}
	return nil
}

// requestError wraps an error that left no HTTP response. Context errors are
// wrapped as they are; everything else becomes a *TransportError.
func (c *Client) requestError(ctx context.Context, meta *callMeta, err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		// The URL may carry fixture arguments such as a password (§4.5).
		ue.URL = redactURLString(ue.URL)
	}
	if ctxErr := ctx.Err(); ctxErr != nil {
		return fmt.Errorf("%s %s: %w", meta.method, meta.path, err)
	}
	return &TransportError{Method: meta.method, Path: meta.path, Err: err}
}

// pathOf joins escaped segments under prefix. It rejects segments that are
// empty or would change the path's meaning, so a blank key fails here with
// a clear error instead of reaching a different endpoint.
func pathOf(prefix string, segments ...string) (string, error) {
	var b strings.Builder
	b.WriteString(prefix)
	for _, s := range segments {
		switch s {
		case "":
			return "", fmt.Errorf("bitbucket: empty path segment in %s/%s", prefix, strings.Join(segments, "/"))
		case ".", "..":
			return "", fmt.Errorf("bitbucket: invalid path segment %q", s)
		}
		b.WriteByte('/')
		b.WriteString(url.PathEscape(s))
	}
	return b.String(), nil
}

func apiPath(segments ...string) (string, error) { return pathOf(apiPrefix, segments...) }

// requireNonEmpty returns an error naming the first empty argument.
func requireNonEmpty(pairs ...string) error {
	for i := 0; i+1 < len(pairs); i += 2 {
		if strings.TrimSpace(pairs[i+1]) == "" {
			return fmt.Errorf("bitbucket: %s must not be empty", pairs[i])
		}
	}
	return nil
}
