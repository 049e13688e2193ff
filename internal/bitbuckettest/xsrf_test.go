package bitbuckettest_test

import (
	"net/http"
	"testing"
)

// §9, §13: a POST without X-Atlassian-Token: no-check whose Content-Type is
// absent, form, multipart or text/plain is refused with 403 plain text
// "XSRF check failed"; PUT and DELETE are not enforced.
func TestXSRF(t *testing.T) {
	bb := fixture(t)
	const allow = projectPerms + "/PROJECT_READ/all?allow=true"
	for _, ct := range []string{"", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "text/plain; charset=utf-8"} {
		r := send(t, bb, call{method: http.MethodPost, path: allow, auth: admin, contentType: ct, noXSRF: true})
		r.wantStatus(t, http.StatusForbidden)
		if string(r.Body) != "XSRF check failed" {
			t.Errorf("Content-Type %q: body %q", ct, r.Body)
		}
		if r.Header.Get("Content-Type") == "application/json;charset=UTF-8" {
			t.Errorf("Content-Type %q: the XSRF failure is JSON", ct)
		}
	}
	if bb.DefaultPermission("PROJ") != "" {
		t.Fatal("a refused POST applied its change")
	}
	// A JSON content type, or the header (also the deprecated value), passes.
	send(t, bb, call{method: http.MethodPost, path: allow, auth: admin, contentType: "application/json", noXSRF: true}).wantNoContent(t)
	r := send(t, bb, call{method: http.MethodPost, path: allow, auth: admin, noXSRF: true})
	r.wantStatus(t, http.StatusForbidden)
	req := call{method: http.MethodPost, path: projectPerms + "/PROJECT_WRITE/all?allow=true", auth: admin, noXSRF: true}
	for _, value := range []string{"no-check", "nocheck"} {
		rr := send(t, bb, withHeader(req, "X-Atlassian-Token", value))
		rr.wantNoContent(t)
	}
	// PUT and DELETE without the header and without a Content-Type pass.
	send(t, bb, call{method: http.MethodPut, path: repoPerms + "/users?name=alice&permission=REPO_READ", auth: admin, noXSRF: true}).wantNoContent(t)
	send(t, bb, call{method: http.MethodDelete, path: repoPerms + "/users?name=alice", auth: admin, noXSRF: true}).wantNoContent(t)
	// §4.5: the query-argument fixture POSTs are XSRF-able too.
	send(t, bb, call{method: http.MethodPost, path: "/rest/api/1.0/admin/groups?name=x", auth: admin, noXSRF: true}).wantStatus(t, http.StatusForbidden)
}

// withHeader sends c with one extra header, via its auth hook.
func withHeader(c call, key, value string) call {
	inner := c.auth
	c.auth = func(r *http.Request) {
		if inner != nil {
			inner(r)
		}
		r.Header.Set(key, value)
	}
	return c
}
