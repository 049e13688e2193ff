package provider

import (
	"context"
	"crypto/rand"
	"encoding/pem"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/bitbucket-access/terraform-provider-bitbucket/internal/bitbucket"
	"github.com/bitbucket-access/terraform-provider-bitbucket/internal/bitbuckettest"
)

// The acceptance tests run against the in-process test instance, or against
// a real Bitbucket when BITBUCKET_SERVER_URL, BITBUCKET_USERNAME and
// BITBUCKET_PASSWORD name a server and a system administrator. Against a real
// server every fixture is created with a unique name through the REST fixture
// endpoints (bitbucket-api.md §4.5) and deleted when the test ends.

func TestMain(m *testing.M) {
	// The test configurations declare source = "bitbucket-access/bitbucket",
	// so the provider under test must be served under that namespace.
	if os.Getenv("TF_ACC_PROVIDER_NAMESPACE") == "" {
		os.Setenv("TF_ACC_PROVIDER_NAMESPACE", "bitbucket-access")
	}
	os.Exit(m.Run())
}

var testProviderFactories = map[string]func() (tfprotov6.ProviderServer, error){
	"bitbucket": providerserver.NewProtocol6WithError(New("test")()),
}

// testEnv is the Bitbucket one acceptance test works with.
type testEnv struct {
	t   *testing.T
	url string
	// admin is a system administrator with Basic authentication, for
	// fixtures and for changes "made by hand" outside Terraform.
	admin *bitbucket.Client
	// adminToken is an HTTP access token of the same administrator, which is
	// what the provider under test normally uses.
	adminToken string
	// instance is the in-process test instance; nil against a real server.
	instance *bitbuckettest.Server
	// prefix makes every fixture name unique to the test.
	prefix string
}

func newTestEnv(t *testing.T) *testEnv {
	t.Helper()
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1 (make test does)")
	}
	env := &testEnv{t: t, prefix: "tfacc-" + randomSuffix()}
	username, password := "admin", "admin"
	if url := os.Getenv(envServerURL); url != "" {
		env.url = url
		username, password = os.Getenv(envUsername), os.Getenv(envPassword)
		if username == "" || password == "" {
			t.Fatalf("%s is set: set %s and %s to a system administrator too", envServerURL, envUsername, envPassword)
		}
	} else {
		env.instance = bitbuckettest.Start(t)
		env.url = env.instance.URL()
	}
	env.admin = env.newClient(bitbucket.Config{Username: username, Password: password})
	env.adminToken = env.createPersonalToken(username, "REPO_ADMIN", "PROJECT_ADMIN")
	return env
}

func (e *testEnv) newClient(cfg bitbucket.Config) *bitbucket.Client {
	e.t.Helper()
	cfg.ServerURL = e.url
	cfg.UserAgent = "terraform-provider-bitbucket-acceptance-tests"
	c, err := bitbucket.New(cfg)
	if err != nil {
		e.t.Fatalf("creating client: %v", err)
	}
	return c
}

// requireInstance skips tests that need the test instance's knobs.
func (e *testEnv) requireInstance() {
	e.t.Helper()
	if e.instance == nil {
		e.t.Skip("needs the in-process test instance")
	}
}

func (e *testEnv) name(suffix string) string { return e.prefix + "-" + suffix }

// providerConfig is the terraform and provider blocks, authenticating with
// the given token.
func (e *testEnv) providerConfig(token string) string {
	return fmt.Sprintf(`
terraform {
  required_providers {
    bitbucket = { source = "bitbucket-access/bitbucket" }
  }
}

provider "bitbucket" {
  server_url  = %q
  token       = %q
  max_retries = 1
}
`, e.url, token)
}

// config prepends the administrator's provider configuration.
func (e *testEnv) config(body string) string {
	return e.providerConfig(e.adminToken) + body
}

// configf is config with a format.
func (e *testEnv) configf(format string, args ...any) string {
	return e.config(fmt.Sprintf(format, args...))
}

func (e *testEnv) ctx() context.Context { return context.Background() }

func (e *testEnv) must(err error, what string) {
	e.t.Helper()
	if err != nil {
		e.t.Fatalf("%s: %v", what, err)
	}
}

// createUser makes a licensed user with password "password" and deletes it
// when the test ends.
func (e *testEnv) createUser(name string) string {
	e.t.Helper()
	e.must(e.admin.CreateUser(e.ctx(), bitbucket.NewUser{
		Name: name, DisplayName: "Test " + name, EmailAddress: strings.ReplaceAll(name, "@", ".") + "@example.com",
		Password: "password", AddToDefaultGroup: true,
	}), "creating user "+name)
	e.t.Cleanup(func() { _ = e.admin.DeleteUser(context.Background(), name) })
	return name
}

// createGroup makes a group of the given members, deleted when the test ends.
func (e *testEnv) createGroup(suffix string, members ...string) string {
	e.t.Helper()
	name := e.name(suffix)
	e.must(e.admin.CreateGroup(e.ctx(), name), "creating group "+name)
	e.t.Cleanup(func() { _ = e.admin.DeleteGroup(context.Background(), name) })
	if len(members) > 0 {
		e.must(e.admin.AddUsersToGroup(e.ctx(), name, members...), "adding members to "+name)
	}
	return name
}

// createRepository makes a project with one repository and deletes both when
// the test ends; it returns the project key and the repository slug.
func (e *testEnv) createRepository() (string, string) {
	e.t.Helper()
	key := "TF" + strings.ToUpper(randomSuffix())
	_, err := e.admin.CreateProject(e.ctx(), key, "Terraform acceptance "+key)
	e.must(err, "creating project "+key)
	e.t.Cleanup(func() { e.deleteProject(key) })
	repo, err := e.admin.CreateRepository(e.ctx(), key, "Test Repo")
	e.must(err, "creating repository in "+key)
	return key, repo.Slug
}

func (e *testEnv) deleteProject(key string) {
	ctx := context.Background()
	repos, _ := e.admin.ListRepositories(ctx, key)
	for _, r := range repos {
		_ = e.admin.DeleteRepository(ctx, key, r.Slug)
	}
	_ = e.admin.DeleteProject(ctx, key)
}

func (e *testEnv) createPersonalToken(user string, permissions ...string) string {
	e.t.Helper()
	password := "password"
	if user == "admin" || user == os.Getenv(envUsername) {
		password = "admin"
		if p := os.Getenv(envPassword); p != "" {
			password = p
		}
	}
	c := e.newClient(bitbucket.Config{Username: user, Password: password})
	u, err := e.admin.FindUser(e.ctx(), user)
	e.must(err, "looking up "+user)
	if u == nil {
		e.t.Fatalf("user %s not found", user)
	}
	token, err := c.CreatePersonalToken(e.ctx(), u.Slug, bitbucket.NewToken{
		Name: e.name("token"), Permissions: permissions, ExpiryDays: 1,
	})
	e.must(err, "creating a token for "+user)
	return token
}

func randomSuffix() string {
	const letters = "abcdefghijklmnopqrstuvwxyz"
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = letters[int(b[i])%len(letters)]
	}
	return string(b)
}

// startTLS serves h over HTTPS on 127.0.0.1 with a certificate of its own
// authority; it returns the URL and that authority's PEM.
func startTLS(t *testing.T, h http.Handler) (string, string) {
	t.Helper()
	srv := httptest.NewTLSServer(h)
	t.Cleanup(srv.Close)
	pemBytes := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})
	return srv.URL, string(pemBytes)
}

// expectError matches diagnostics containing each phrase in order. Terraform
// wraps diagnostics at word boundaries, so any space may be a line break.
func expectError(phrases ...string) *regexp.Regexp {
	parts := make([]string, len(phrases))
	for i, p := range phrases {
		words := strings.Fields(p)
		for j, w := range words {
			words[j] = regexp.QuoteMeta(w)
		}
		parts[i] = strings.Join(words, `\s+`)
	}
	return regexp.MustCompile(`(?s)` + strings.Join(parts, ".*"))
}
