package bitbuckettest_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/bitbucket-access/terraform-provider-bitbucket/internal/bitbuckettest"
)

// Tests talk HTTP to the instance, as a client would.

type auth func(*http.Request)

func basic(user, password string) auth {
	return func(r *http.Request) { r.SetBasicAuth(user, password) }
}

func bearer(token string) auth {
	return func(r *http.Request) { r.Header.Set("Authorization", "Bearer "+token) }
}

var (
	admin     = basic("admin", "admin")
	anonymous auth // nil: no Authorization header
)

const (
	repoPerms    = "/rest/api/1.0/projects/PROJ/repos/test/permissions"
	projectPerms = "/rest/api/1.0/projects/PROJ/permissions"
	globalPerms  = "/rest/api/1.0/admin/permissions"
)

// call is one request. Unless noXSRF is set, it carries
// X-Atlassian-Token: no-check, as a well-behaved client does.
type call struct {
	method, path string
	auth         auth
	body         string
	contentType  string
	noXSRF       bool
}

type response struct {
	Status int
	Header http.Header
	Body   []byte
}

func send(t testing.TB, bb *bitbuckettest.Server, c call) response {
	t.Helper()
	req, err := http.NewRequest(c.method, bb.URL()+c.path, strings.NewReader(c.body))
	if err != nil {
		t.Fatal(err)
	}
	if c.contentType != "" {
		req.Header.Set("Content-Type", c.contentType)
	}
	if !c.noXSRF {
		req.Header.Set("X-Atlassian-Token", "no-check")
	}
	if c.auth != nil {
		c.auth(req)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", c.method, c.path, err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return response{Status: res.StatusCode, Header: res.Header, Body: body}
}

func get(t testing.TB, bb *bitbuckettest.Server, path string, a auth) response {
	t.Helper()
	return send(t, bb, call{method: http.MethodGet, path: path, auth: a})
}

func put(t testing.TB, bb *bitbuckettest.Server, path string, a auth) response {
	t.Helper()
	return send(t, bb, call{method: http.MethodPut, path: path, auth: a})
}

func del(t testing.TB, bb *bitbuckettest.Server, path string, a auth) response {
	t.Helper()
	return send(t, bb, call{method: http.MethodDelete, path: path, auth: a})
}

// post sends a JSON body (or none when body is "").
func post(t testing.TB, bb *bitbuckettest.Server, path string, a auth, body string) response {
	t.Helper()
	c := call{method: http.MethodPost, path: path, auth: a, body: body}
	if body != "" {
		c.contentType = "application/json"
	}
	return send(t, bb, c)
}

// query builds "?k=v&k2=v2…" from pairs; keys may repeat.
func query(pairs ...string) string {
	v := url.Values{}
	for i := 0; i+1 < len(pairs); i += 2 {
		v.Add(pairs[i], pairs[i+1])
	}
	return "?" + v.Encode()
}

func (r response) wantStatus(t testing.TB, status int) response {
	t.Helper()
	if r.Status != status {
		t.Fatalf("status %d, want %d; body %s", r.Status, status, r.Body)
	}
	return r
}

// wantNoContent checks a §1 success without a body.
func (r response) wantNoContent(t testing.TB) {
	t.Helper()
	r.wantStatus(t, http.StatusNoContent)
	if len(r.Body) != 0 {
		t.Errorf("204 body %q, want empty", r.Body)
	}
	if ct := r.Header.Get("Content-Type"); ct != "application/json;charset=UTF-8" {
		t.Errorf("204 Content-Type %q, want application/json;charset=UTF-8", ct)
	}
}

type errorEntry struct {
	Context       *string `json:"context"`
	Message       string  `json:"message"`
	ExceptionName *string `json:"exceptionName"`
}

// wantError checks status and the §7.1 envelope; exception and message
// are checked when not "".
func (r response) wantError(t testing.TB, status int, exception, message string) errorEntry {
	t.Helper()
	r.wantStatus(t, status)
	if ct := r.Header.Get("Content-Type"); ct != "application/json;charset=UTF-8" {
		t.Errorf("error Content-Type %q, want application/json;charset=UTF-8", ct)
	}
	var env struct {
		Errors []errorEntry `json:"errors"`
	}
	if err := json.Unmarshal(r.Body, &env); err != nil || len(env.Errors) != 1 {
		t.Fatalf("body %s is not the one-error envelope: %v", r.Body, err)
	}
	e := env.Errors[0]
	if exception != "" && (e.ExceptionName == nil || *e.ExceptionName != exception) {
		t.Errorf("exceptionName %v, want %s (body %s)", ptr(e.ExceptionName), exception, r.Body)
	}
	if message != "" && e.Message != message {
		t.Errorf("message %q, want %q", e.Message, message)
	}
	return e
}

func ptr(s *string) string {
	if s == nil {
		return "null"
	}
	return *s
}

const (
	exAuthorisation     = "com.atlassian.bitbucket.AuthorisationException"
	msgNotPermitted     = "You are not permitted to access this resource"
	exIncorrectPassword = "com.atlassian.bitbucket.auth.IncorrectPasswordAuthenticationException"
	msgBadCredentials   = "Authentication failed. Please check your credentials and try again."
	exNoSuchProject     = "com.atlassian.bitbucket.project.NoSuchProjectException"
	exNoSuchRepository  = "com.atlassian.bitbucket.repository.NoSuchRepositoryException"
	exNoSuchUser        = "com.atlassian.bitbucket.user.NoSuchUserException"
	exNoSuchGroup       = "com.atlassian.bitbucket.user.NoSuchGroupException"
	exIntegrity         = "com.atlassian.bitbucket.IntegrityException"
)

func (r response) wantNotPermitted(t testing.TB) {
	t.Helper()
	r.wantError(t, http.StatusUnauthorized, exAuthorisation, msgNotPermitted)
}

func (r response) decode(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal(r.Body, v); err != nil {
		t.Fatalf("decoding %s: %v", r.Body, err)
	}
}

// page is the §2 envelope; raw keeps the keys actually sent.
type page struct {
	Size          int               `json:"size"`
	Limit         int               `json:"limit"`
	IsLastPage    bool              `json:"isLastPage"`
	Values        []json.RawMessage `json:"values"`
	Start         int               `json:"start"`
	NextPageStart *int              `json:"nextPageStart"`
	raw           map[string]json.RawMessage
}

func (r response) page(t testing.TB) page {
	t.Helper()
	r.wantStatus(t, http.StatusOK)
	var p page
	r.decode(t, &p)
	r.decode(t, &p.raw)
	return p
}

// grantEntry is a §6.2 list entry, for users or groups.
type grantEntry struct {
	User *struct {
		Name string `json:"name"`
		Slug string `json:"slug"`
	} `json:"user"`
	Group *struct {
		Name string `json:"name"`
	} `json:"group"`
	Permission string `json:"permission"`
}

func (e grantEntry) name() string {
	if e.User != nil {
		return e.User.Name
	}
	return e.Group.Name
}

// grants lists every entry of a permission list as name → permission.
func grants(t testing.TB, bb *bitbuckettest.Server, path string) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, v := range get(t, bb, path+"?limit=1000", admin).page(t).Values {
		var e grantEntry
		if err := json.Unmarshal(v, &e); err != nil {
			t.Fatal(err)
		}
		out[e.name()] = e.Permission
	}
	return out
}

// names decodes the "name" of each value (users, groups, /none entries).
func (p page) names(t testing.TB) []string {
	t.Helper()
	var out []string
	for _, v := range p.Values {
		var e grantEntry
		var n struct {
			Name string `json:"name"`
		}
		if err := json.Unmarshal(v, &e); err == nil && (e.User != nil || e.Group != nil) {
			out = append(out, e.name())
			continue
		}
		if err := json.Unmarshal(v, &n); err != nil {
			t.Fatal(err)
		}
		out = append(out, n.Name)
	}
	return out
}

func check(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// fixture is an instance with project PROJ holding repository test, users
// alice, bob and carol (password = name), and group developers = {alice, bob}.
func fixture(t testing.TB) *bitbuckettest.Server {
	t.Helper()
	bb := bitbuckettest.Start(t)
	for _, n := range []string{"alice", "bob", "carol"} {
		check(t, bb.CreateUser(bitbuckettest.User{Name: n, DisplayName: strings.ToUpper(n[:1]) + n[1:], Email: n + "@example.com", Password: n}))
	}
	check(t, bb.CreateGroup("developers"))
	check(t, bb.AddMember("developers", "alice"))
	check(t, bb.AddMember("developers", "bob"))
	check(t, bb.CreateProject("PROJ", "Project"))
	if _, err := bb.CreateRepository("PROJ", "test"); err != nil {
		t.Fatal(err)
	}
	return bb
}

var (
	repoScope    = bitbuckettest.Scope{Project: "PROJ", Repository: "test"}
	projectScope = bitbuckettest.Scope{Project: "PROJ"}
	globalScope  = bitbuckettest.Scope{}
)

func tokenAll() bitbuckettest.Token {
	return bitbuckettest.Token{Permissions: []string{"PROJECT_ADMIN", "REPO_ADMIN"}}
}
