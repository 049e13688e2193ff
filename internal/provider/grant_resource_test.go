package provider

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/bitbucket-access/terraform-provider-bitbucket/internal/bitbucket"
	"github.com/bitbucket-access/terraform-provider-bitbucket/internal/bitbuckettest"
)

// These tests call the resource's CRUD methods directly against the test
// instance, to count the requests each operation costs.

type grantHarness struct {
	t        *testing.T
	instance *bitbuckettest.Server
	res      *grantResource
	schema   tfsdk.State
}

func newGrantHarness(t *testing.T, kind grantKind) *grantHarness {
	t.Helper()
	srv := bitbuckettest.Start(t)
	token, err := srv.CreatePersonalToken("admin", bitbuckettest.Token{Permissions: []string{"REPO_ADMIN", "PROJECT_ADMIN"}})
	if err != nil {
		t.Fatal(err)
	}
	client, err := bitbucket.New(bitbucket.Config{
		ServerURL: srv.URL(), Token: token, MaxRetries: 2,
		RetryWaitMin: time.Millisecond, RetryWaitMax: 10 * time.Millisecond,
	})
	if err != nil {
		t.Fatal(err)
	}
	h := &grantHarness{t: t, instance: srv, res: &grantResource{kind: kind, data: &providerData{client: client, usesToken: true}}}
	var sresp resource.SchemaResponse
	h.res.Schema(context.Background(), resource.SchemaRequest{}, &sresp)
	h.schema = tfsdk.State{Schema: sresp.Schema}
	return h
}

// value builds a plan or state object; attributes not given are null.
func (h *grantHarness) value(attrs map[string]string) tftypes.Value {
	typ := h.schema.Schema.Type().TerraformType(context.Background()).(tftypes.Object)
	vals := map[string]tftypes.Value{}
	for name := range typ.AttributeTypes {
		if v, ok := attrs[name]; ok {
			vals[name] = tftypes.NewValue(tftypes.String, v)
		} else {
			vals[name] = tftypes.NewValue(tftypes.String, nil)
		}
	}
	return tftypes.NewValue(typ, vals)
}

// seedRepositoryAndAlice creates project PROJ, repository "test" and user
// alice on the instance; it returns the repository's slug.
func (h *grantHarness) seedRepositoryAndAlice() string {
	h.t.Helper()
	must(h.t, h.instance.CreateProject("PROJ", "Project"))
	slug, err := h.instance.CreateRepository("PROJ", "test")
	must(h.t, err)
	must(h.t, h.instance.CreateUser(bitbuckettest.User{Name: "alice"}))
	return slug
}

func (h *grantHarness) state(v tftypes.Value) tfsdk.State {
	return tfsdk.State{Schema: h.schema.Schema, Raw: v}
}

// requests returns the requests made since the last call, as "METHOD route" counts.
func (h *grantHarness) requests() map[string]int {
	got := h.instance.Requests()
	h.instance.ResetRequests()
	return got
}

func total(m map[string]int) int {
	n := 0
	for _, c := range m {
		n += c
	}
	return n
}

func (h *grantHarness) create(attrs map[string]string) *resource.CreateResponse {
	plan := h.value(attrs)
	resp := &resource.CreateResponse{State: h.state(h.value(nil))}
	h.res.Create(context.Background(), resource.CreateRequest{Plan: tfsdk.Plan{Schema: h.schema.Schema, Raw: plan}}, resp)
	return resp
}

func (h *grantHarness) read(st tfsdk.State) *resource.ReadResponse {
	resp := &resource.ReadResponse{State: st}
	h.res.Read(context.Background(), resource.ReadRequest{State: st}, resp)
	return resp
}

func (h *grantHarness) delete(st tfsdk.State) *resource.DeleteResponse {
	resp := &resource.DeleteResponse{State: st}
	h.res.Delete(context.Background(), resource.DeleteRequest{State: st}, resp)
	return resp
}

const repoRoute = "/rest/api/{version}/projects/{projectKey}/repos/{repositorySlug}/permissions/users"

func TestRepoUserPermissionRequestCounts(t *testing.T) {
	h := newGrantHarness(t, grantKind{scope: scopeRepository, principal: bitbucket.PrincipalUser})
	slug := h.seedRepositoryAndAlice()
	h.requests()

	attrs := map[string]string{"project_key": "PROJ", "repository_slug": slug, "user": "alice", "permission": "REPO_WRITE"}
	created := h.create(attrs)
	if created.Diagnostics.HasError() {
		t.Fatalf("create: %v", created.Diagnostics)
	}
	if got := h.requests(); total(got) != 1 || got["PUT "+repoRoute] != 1 {
		t.Errorf("create made %v, want exactly one PUT", got)
	}

	read := h.read(created.State)
	if read.Diagnostics.HasError() {
		t.Fatalf("read: %v", read.Diagnostics)
	}
	if got := h.requests(); total(got) != 1 || got["GET "+repoRoute] != 1 {
		t.Errorf("refresh made %v, want exactly one GET", got)
	}

	deleted := h.delete(read.State)
	if deleted.Diagnostics.HasError() {
		t.Fatalf("delete: %v", deleted.Diagnostics)
	}
	if got := h.requests(); total(got) != 1 || got["DELETE "+repoRoute] != 1 {
		t.Errorf("destroy made %v, want exactly one DELETE", got)
	}
	if p := h.instance.UserPermission(bitbuckettest.Scope{Project: "PROJ", Repository: slug}, "alice"); p != "" {
		t.Errorf("after destroy alice still has %s", p)
	}
}

// A reply lost after Bitbucket applied the PUT, and a 503 before it, are
// retried: the PUT is idempotent.
func TestRepoUserPermissionRetriesLostReplies(t *testing.T) {
	h := newGrantHarness(t, grantKind{scope: scopeRepository, principal: bitbucket.PrincipalUser})
	slug := h.seedRepositoryAndAlice()
	h.instance.ScriptFaults(
		bitbuckettest.Fault{Method: "PUT", Route: repoRoute, Status: 503},
		bitbuckettest.Fault{Method: "PUT", Route: repoRoute, Drop: true, AfterApply: true},
	)
	h.requests()

	resp := h.create(map[string]string{"project_key": "PROJ", "repository_slug": slug, "user": "alice", "permission": "REPO_READ"})
	if resp.Diagnostics.HasError() {
		t.Fatalf("create: %v", resp.Diagnostics)
	}
	if got := h.requests()["PUT "+repoRoute]; got != 3 {
		t.Errorf("made %d PUTs, want 3 (503, lost reply, success)", got)
	}
	if p := h.instance.UserPermission(bitbuckettest.Scope{Project: "PROJ", Repository: slug}, "alice"); p != "REPO_READ" {
		t.Errorf("alice has %q, want REPO_READ", p)
	}
}

// Rate limited beyond every retry: the error says so and what to do.
func TestRepoUserPermissionRateLimited(t *testing.T) {
	h := newGrantHarness(t, grantKind{scope: scopeRepository, principal: bitbucket.PrincipalUser})
	slug := h.seedRepositoryAndAlice()
	// One request's worth of tokens, refilled once a day: after the read
	// below, the PUT and its retries find the bucket empty. The harness's
	// short RetryWaitMax bounds the wait that Retry-After asks for.
	h.instance.SetRateLimit(1, 1.0/86400)
	h.read(h.state(h.value(map[string]string{"project_key": "PROJ", "repository_slug": slug, "user": "alice", "permission": "REPO_READ"})))

	resp := h.create(map[string]string{"project_key": "PROJ", "repository_slug": slug, "user": "alice", "permission": "REPO_READ"})
	if !resp.Diagnostics.HasError() {
		t.Fatal("create succeeded while rate limited")
	}
	detail := resp.Diagnostics[0].Detail()
	for _, want := range []string{"rate limiting", "max_retries", "Bitbucket answered 429"} {
		if !strings.Contains(detail, want) {
			t.Errorf("detail lacks %q:\n%s", want, detail)
		}
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// A 404 that does not come from Bitbucket (a proxy, a server_url with the
// wrong context path) must not pass for "already gone": that would drop the
// grant from state and report a revocation that never happened.
func TestGrantResourceForeign404IsAnError(t *testing.T) {
	h := newGrantHarness(t, grantKind{scope: scopeRepository, principal: bitbucket.PrincipalUser})
	proxy := httptest.NewServer(http.NotFoundHandler())
	t.Cleanup(proxy.Close)
	client, err := bitbucket.New(bitbucket.Config{ServerURL: proxy.URL, Token: "t", MaxRetries: 0})
	must(t, err)
	h.res.data.client = client
	st := h.state(h.value(map[string]string{
		"id": "PROJ/test/alice", "project_key": "PROJ", "repository_slug": "test", "user": "alice", "permission": "REPO_READ",
	}))

	read := h.read(st)
	if !read.Diagnostics.HasError() || read.State.Raw.IsNull() {
		t.Errorf("read: the grant left the state (diagnostics %v)", read.Diagnostics)
	} else if d := read.Diagnostics[0].Detail(); !strings.Contains(d, "context path") {
		t.Errorf("read: the error does not point at server_url's context path:\n%s", d)
	}
	if deleted := h.delete(st); !deleted.Diagnostics.HasError() {
		t.Error("delete: a foreign 404 passed for a revoked grant")
	}
}
