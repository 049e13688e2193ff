package bitbucket

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestNewRejectsInvalidServerURLs(t *testing.T) {
	for _, raw := range []string{
		"",
		"   ",
		"bitbucket.example.com",
		"/bitbucket",
		"ftp://bitbucket.example.com",
		"https://",
		"https:///path",
		"https://user:secret@bitbucket.example.com",
		"https://bitbucket.example.com?x=1",
		"https://bitbucket.example.com/#frag",
		"mailto:admin@example.com",
		"://missing-scheme",
		"http://[::1",
	} {
		t.Run(raw, func(t *testing.T) {
			_, err := New(Config{ServerURL: raw})
			if err == nil {
				t.Fatalf("New(%q) succeeded, want an error", raw)
			}
			if !strings.Contains(err.Error(), "server URL") {
				t.Errorf("error does not say what is wrong: %v", err)
			}
			if strings.Contains(err.Error(), "secret") {
				t.Errorf("error leaks URL credentials: %v", err)
			}
		})
	}
}

func TestNewNormalisesServerURL(t *testing.T) {
	for raw, want := range map[string]string{
		"https://bitbucket.example.com":             "https://bitbucket.example.com",
		"https://bitbucket.example.com/":            "https://bitbucket.example.com",
		"HTTPS://bitbucket.example.com:8443/":       "https://bitbucket.example.com:8443",
		"http://example.com/bitbucket/":             "http://example.com/bitbucket",
		"  https://example.com/tools/bitbucket//  ": "https://example.com/tools/bitbucket",
	} {
		c, err := New(Config{ServerURL: raw})
		if err != nil {
			t.Fatalf("New(%q): %v", raw, err)
		}
		if got := c.BaseURL(); got != want {
			t.Errorf("BaseURL(%q) = %q, want %q", raw, got, want)
		}
	}
}

func TestNewRejectsAmbiguousCredentials(t *testing.T) {
	for name, cfg := range map[string]Config{
		"token and password":   {Token: "t", Username: "u", Password: "p"},
		"username only":        {Username: "u"},
		"password only":        {Password: "p"},
		"token and a username": {Token: "t", Username: "u"},
	} {
		cfg.ServerURL = "https://bitbucket.example.com"
		if _, err := New(cfg); err == nil {
			t.Errorf("%s: New succeeded, want an error", name)
		}
	}
}

func TestContextPathIsKept(t *testing.T) {
	var got string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = r.URL.EscapedPath()
		writeJSON(w, 200, map[string]any{"version": "8.19.1"})
	}))
	t.Cleanup(srv.Close)
	c, err := New(Config{ServerURL: srv.URL + "/bitbucket/"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.ApplicationProperties(t.Context()); err != nil {
		t.Fatal(err)
	}
	if got != "/bitbucket/rest/api/1.0/application-properties" {
		t.Errorf("path = %q", got)
	}
}

func TestHeaders(t *testing.T) {
	handler := func(rec *recorder) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			rec.record(r)
			if r.Method == http.MethodGet {
				writeJSON(w, 200, map[string]any{"permitted": true})
				return
			}
			noContent(w)
		}
	}
	basic := "Basic " + base64.StdEncoding.EncodeToString([]byte(testUser+":"+testPassword))

	tests := []struct {
		name     string
		mutate   func(*Config)
		wantAuth string
	}{
		{"bearer", func(*Config) {}, "Bearer " + testToken},
		{"basic", func(c *Config) { c.Token, c.Username, c.Password = "", testUser, testPassword }, basic},
		{"anonymous", func(c *Config) { c.Token = "" }, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := &recorder{}
			c, _ := newTestClient(t, handler(rec), tt.mutate)
			ctx := t.Context()
			if _, err := c.DefaultPermission(ctx, "PROJ", "PROJECT_READ"); err != nil {
				t.Fatal(err)
			}
			if err := c.SetPermission(ctx, RepositoryScope("PROJ", "repo"), PrincipalUser, "REPO_WRITE", "alice"); err != nil {
				t.Fatal(err)
			}
			if err := c.RevokePermission(ctx, ProjectScope("PROJ"), PrincipalGroup, "devs"); err != nil {
				t.Fatal(err)
			}
			if err := c.SetDefaultPermission(ctx, "PROJ", "PROJECT_READ", true); err != nil {
				t.Fatal(err)
			}
			reqs := rec.all()
			if len(reqs) != 4 {
				t.Fatalf("server saw %d requests, want 4", len(reqs))
			}
			for _, r := range reqs {
				if got := r.Header.Get("Authorization"); got != tt.wantAuth {
					t.Errorf("%s: Authorization = %q, want %q", r.Method, got, tt.wantAuth)
				}
				if got := r.Header.Get("User-Agent"); got != "terraform-provider-bitbucket/test" {
					t.Errorf("%s: User-Agent = %q", r.Method, got)
				}
				if got := r.Header.Get("Accept"); got != "application/json" {
					t.Errorf("%s: Accept = %q", r.Method, got)
				}
				xsrf := r.Header.Get("X-Atlassian-Token")
				if r.Method == http.MethodGet && xsrf != "" {
					t.Errorf("GET carries X-Atlassian-Token %q", xsrf)
				}
				if r.Method != http.MethodGet && xsrf != "no-check" {
					t.Errorf("%s: X-Atlassian-Token = %q, want no-check (§9)", r.Method, xsrf)
				}
				// §1: permission endpoints take no body at all.
				if r.Body != "" || r.ContentLength > 0 || r.Header.Get("Content-Type") != "" {
					t.Errorf("%s %s: body %q, length %d, Content-Type %q; want none", r.Method, r.EscapedPath, r.Body, r.ContentLength, r.Header.Get("Content-Type"))
				}
			}
		})
	}
}

func TestDefaultUserAgent(t *testing.T) {
	var ua string
	c, _ := newTestClient(t, func(w http.ResponseWriter, r *http.Request) {
		ua = r.Header.Get("User-Agent")
		writeJSON(w, 200, map[string]any{})
	}, func(c *Config) { c.UserAgent = "" })
	if _, err := c.ApplicationProperties(t.Context()); err != nil {
		t.Fatal(err)
	}
	if ua != defaultUserAgent {
		t.Errorf("User-Agent = %q, want %q", ua, defaultUserAgent)
	}
}

func TestFixtureJSONBody(t *testing.T) {
	rec := &recorder{}
	c, _ := newTestClient(t, func(w http.ResponseWriter, r *http.Request) {
		rec.record(r)
		writeJSON(w, 201, map[string]any{"key": "PROJ", "name": "Project", "id": 7})
	})
	p, err := c.CreateProject(t.Context(), "PROJ", "Project")
	if err != nil {
		t.Fatal(err)
	}
	if p.Key != "PROJ" || p.ID != 7 {
		t.Errorf("project = %+v", p)
	}
	r := rec.all()[0]
	if r.Header.Get("Content-Type") != "application/json" || r.Header.Get("X-Atlassian-Token") != "no-check" {
		t.Errorf("headers = %v", r.Header)
	}
	if strings.TrimSpace(r.Body) != `{"key":"PROJ","name":"Project"}` {
		t.Errorf("body = %s", r.Body)
	}
}

func TestConnectionRefusedIsTransportError(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()

	c, err := New(Config{ServerURL: "http://" + addr, MaxRetries: 2, RetryWaitMin: time.Millisecond, RetryWaitMax: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	for name, call := range map[string]func() error{
		"GET":          func() error { _, err := c.GetProject(t.Context(), "PROJ"); return err },
		"fixture POST": func() error { return c.CreateGroup(t.Context(), "devs") },
	} {
		err := call()
		if !IsTransportError(err) {
			t.Fatalf("%s: want a transport error, got %T: %v", name, err, err)
		}
		var ue *url.Error
		if !errors.As(err, &ue) {
			t.Errorf("%s: errors.As(*url.Error) failed on %v", name, err)
		}
		var op *net.OpError
		if !errors.As(err, &op) || op.Op != "dial" {
			t.Errorf("%s: want a dial *net.OpError inside, got %v", name, err)
		}
		if IsNotFound(err) || IsUnauthorized(err) {
			t.Errorf("%s: transport error classified as an HTTP status", name)
		}
	}
}

func TestCustomCACertificate(t *testing.T) {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, map[string]any{"version": "9.4.0", "displayName": "Bitbucket"})
	}))
	t.Cleanup(srv.Close)
	caPEM := string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}))
	ctx := t.Context()

	t.Run("untrusted without the CA", func(t *testing.T) {
		c, err := New(Config{ServerURL: srv.URL, MaxRetries: 3, RetryWaitMin: time.Millisecond, RetryWaitMax: time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		_, err = c.ApplicationProperties(ctx)
		if !IsTransportError(err) {
			t.Fatalf("want a transport error, got %v", err)
		}
		var unknown x509.UnknownAuthorityError
		var verify *tls.CertificateVerificationError
		if !errors.As(err, &unknown) && !errors.As(err, &verify) {
			t.Errorf("errors.As finds no x509/TLS verification error in %v", err)
		}
	})
	t.Run("trusted with the CA", func(t *testing.T) {
		c, err := New(Config{ServerURL: srv.URL, CACertificatePEM: caPEM})
		if err != nil {
			t.Fatal(err)
		}
		p, err := c.ApplicationProperties(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if p.Version != "9.4.0" {
			t.Errorf("version = %q", p.Version)
		}
	})
	t.Run("insecure skip verify", func(t *testing.T) {
		c, err := New(Config{ServerURL: srv.URL, InsecureSkipVerify: true})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.ApplicationProperties(ctx); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("bad PEM", func(t *testing.T) {
		for name, bad := range map[string]string{
			"not PEM":      "hello",
			"no cert":      string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: []byte{1, 2}})),
			"corrupt cert": string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: []byte("garbage")})),
		} {
			if _, err := New(Config{ServerURL: srv.URL, CACertificatePEM: bad}); err == nil {
				t.Errorf("%s: New accepted a bad CA PEM", name)
			}
		}
	})
}

func TestConnectionsAreReused(t *testing.T) {
	var conns atomic.Int32
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case strings.HasSuffix(r.URL.Path, "/projects/NOPE"):
			writeAPIError(w, 404, "com.atlassian.bitbucket.project.NoSuchProjectException", "Project NOPE does not exist.")
		case r.Method == http.MethodPut:
			noContent(w)
		default:
			writeJSON(w, 200, map[string]any{"key": "PROJ", "padding": strings.Repeat("x", 64<<10)})
		}
	}))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Start()
	t.Cleanup(srv.Close)
	c, err := New(Config{ServerURL: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	for range 5 {
		if _, err := c.GetProject(ctx, "PROJ"); err != nil {
			t.Fatal(err)
		}
		if _, err := c.GetProject(ctx, "NOPE"); !IsNotFound(err) {
			t.Fatalf("want 404, got %v", err)
		}
		if err := c.SetPermission(ctx, ProjectScope("PROJ"), PrincipalUser, "PROJECT_READ", "bob"); err != nil {
			t.Fatal(err)
		}
	}
	if n := conns.Load(); n != 1 {
		t.Errorf("15 sequential requests opened %d connections, want 1", n)
	}
}

func TestRedirectIsNotFollowed(t *testing.T) {
	var hits atomic.Int32
	c, _ := newTestClient(t, func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		http.Redirect(w, r, "/login?next=%2Frest", http.StatusFound)
	})
	err := c.SetDefaultPermission(t.Context(), "PROJ", "PROJECT_READ", true)
	ae := mustAPIError(t, err)
	if ae.StatusCode != http.StatusFound || !strings.Contains(ae.Message(), "/login") {
		t.Errorf("got %v", ae)
	}
	if hits.Load() != 1 {
		t.Errorf("server hit %d times, want 1", hits.Load())
	}
}

func TestRequestTimeoutIsPerAttempt(t *testing.T) {
	var n atomic.Int32
	c, _ := newTestClient(t, func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) == 1 {
			select {
			case <-time.After(2 * time.Second):
			case <-r.Context().Done():
			}
			return
		}
		writeJSON(w, 200, map[string]any{"key": "PROJ"})
	}, func(c *Config) { c.RequestTimeout = 100 * time.Millisecond })
	p, err := c.GetProject(t.Context(), "PROJ")
	if err != nil {
		t.Fatal(err)
	}
	if p.Key != "PROJ" || n.Load() != 2 {
		t.Errorf("project %+v after %d attempts, want PROJ after 2", p, n.Load())
	}
}

func TestEmptyArgumentsFailBeforeAnyRequest(t *testing.T) {
	rec := &recorder{}
	c, _ := newTestClient(t, func(w http.ResponseWriter, r *http.Request) { rec.record(r); noContent(w) })
	ctx := t.Context()
	for name, err := range map[string]error{
		"repo slug ..":         c.SetPermission(ctx, RepositoryScope("PROJ", ".."), PrincipalUser, "REPO_READ", "a"),
		"slug without project": c.SetPermission(ctx, Scope{RepositorySlug: "r"}, PrincipalUser, "REPO_READ", "a"),
		"no names":             c.SetPermission(ctx, ProjectScope("P"), PrincipalUser, "PROJECT_READ"),
		"empty name":           c.SetPermission(ctx, ProjectScope("P"), PrincipalUser, "PROJECT_READ", "a", ""),
		"empty permission":     c.SetPermission(ctx, ProjectScope("P"), PrincipalUser, "", "a"),
		"bad principal":        c.RevokePermission(ctx, ProjectScope("P"), PrincipalType("robots"), "a"),
		"empty revoke name":    c.RevokePermission(ctx, ProjectScope("P"), PrincipalGroup, ""),
		"empty project key":    c.DeleteProject(ctx, ""),
		"empty default perm":   c.SetDefaultPermission(ctx, "P", "", true),
	} {
		if err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	if _, err := c.GetPermission(ctx, GlobalScope(), PrincipalUser, ""); err == nil {
		t.Error("GetPermission with an empty name: no error")
	}
	if n := rec.count(); n != 0 {
		t.Errorf("server saw %d requests, want 0", n)
	}
}

func TestConcurrentUse(t *testing.T) {
	var hits atomic.Int32
	c, _ := newTestClient(t, func(w http.ResponseWriter, r *http.Request) {
		// Five 503s in all, so no call can exhaust its 10 retries.
		if n := hits.Add(1); n%3 == 0 && n <= 15 {
			writeAPIError(w, 503, "x.ServiceException", "busy")
			return
		}
		writeJSON(w, 200, map[string]any{"key": "PROJ"})
	}, func(c *Config) { c.MaxRetries = 10 })
	errs := make(chan error, 20)
	for range 20 {
		go func() {
			_, err := c.GetProject(t.Context(), "PROJ")
			errs <- err
		}()
	}
	for range 20 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}
