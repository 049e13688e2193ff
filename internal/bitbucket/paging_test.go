package bitbucket

import (
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

func groupEntries(names ...string) []map[string]any {
	out := []map[string]any{}
	for _, n := range names {
		out = append(out, map[string]any{"group": map[string]any{"name": n}, "permission": "REPO_READ"})
	}
	return out
}

func TestPagingFollowsNextPageStart(t *testing.T) {
	// Non-contiguous identifiers (§2): page 1 holds 2 values but points to
	// start=10, page 2 points to 37. start+size would ask for 2 and 12.
	pages := map[string]struct {
		values []map[string]any
		next   int
	}{
		"":   {groupEntries("g1", "g2"), 10},
		"10": {groupEntries("g3"), 37},
		"37": {groupEntries("g4", "g5"), -1},
	}
	var starts, limits []string
	c, _ := newTestClient(t, func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		starts = append(starts, q.Get("start"))
		limits = append(limits, q.Get("limit"))
		p, ok := pages[q.Get("start")]
		if !ok {
			http.Error(w, "unexpected start "+q.Get("start"), http.StatusBadRequest)
			return
		}
		start, _ := strconv.Atoi(q.Get("start"))
		pageOf(w, start, 2, p.next, p.values) // the server clamped 1000 to 2
	})
	grants, err := c.ListPermissions(t.Context(), RepositoryScope("PROJ", "repo"), PrincipalGroup, "")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, g := range grants {
		names = append(names, g.Principal)
		if g.User != nil || g.Permission != "REPO_READ" {
			t.Errorf("grant %+v", g)
		}
	}
	if want := []string{"g1", "g2", "g3", "g4", "g5"}; !reflect.DeepEqual(names, want) {
		t.Errorf("names = %v, want %v", names, want)
	}
	if want := []string{"", "10", "37"}; !reflect.DeepEqual(starts, want) {
		t.Errorf("starts requested = %q, want %q", starts, want)
	}
	for _, l := range limits {
		if l != "1000" {
			t.Errorf("limit = %q, want the default 1000", l)
		}
	}
}

func TestPagingEmptyPageAndCustomLimit(t *testing.T) {
	var rawQuery string
	c, _ := newTestClient(t, func(w http.ResponseWriter, r *http.Request) {
		rawQuery = r.URL.RawQuery
		// §2 recorded empty page.
		w.Header().Set("Content-Type", "application/json;charset=UTF-8")
		fmt.Fprint(w, `{"size":0,"limit":50,"isLastPage":true,"values":[],"start":0}`)
	}, func(c *Config) { c.PageLimit = 50 })
	grants, err := c.ListPermissions(t.Context(), GlobalScope(), PrincipalUser, "zed")
	if err != nil {
		t.Fatal(err)
	}
	if len(grants) != 0 {
		t.Errorf("grants = %v, want none", grants)
	}
	q, _ := url.ParseQuery(rawQuery)
	if q.Get("limit") != "50" || q.Get("filter") != "zed" || q.Has("start") {
		t.Errorf("query = %q", rawQuery)
	}
}

func TestPagingRejectsBrokenEnvelopes(t *testing.T) {
	for name, body := range map[string]string{
		// BSERV-12725: a paged API without nextPageStart.
		"missing nextPageStart": `{"size":1,"limit":1,"isLastPage":false,"values":[{"name":"a"}],"start":0}`,
		"nextPageStart loops":   `{"size":1,"limit":1,"isLastPage":false,"values":[{"name":"a"}],"start":0,"nextPageStart":0}`,
		"not JSON":              `<html>login</html>`,
	} {
		t.Run(name, func(t *testing.T) {
			calls := 0
			c, _ := newTestClient(t, func(w http.ResponseWriter, r *http.Request) {
				calls++
				if calls > 3 {
					t.Error("client keeps paging")
					http.Error(w, "stop", http.StatusBadRequest)
					return
				}
				w.Header().Set("Content-Type", "application/json;charset=UTF-8")
				fmt.Fprint(w, body)
			})
			_, err := c.GroupMembers(t.Context(), "devs")
			if err == nil {
				t.Fatal("no error")
			}
			if !strings.Contains(err.Error(), "/rest/api/1.0/admin/groups/more-members") {
				t.Errorf("error does not name the path: %v", err)
			}
		})
	}
}

func TestGetPermissionStopsAtTheMatch(t *testing.T) {
	calls := 0
	c, _ := newTestClient(t, func(w http.ResponseWriter, r *http.Request) {
		calls++
		pageOf(w, 0, 1000, 1000, groupEntries("devs", "devs-admin")) // more pages exist
	})
	g, err := c.GetPermission(t.Context(), ProjectScope("PROJ"), PrincipalGroup, "devs")
	if err != nil || g == nil || g.Principal != "devs" {
		t.Fatalf("got %+v, %v", g, err)
	}
	if calls != 1 {
		t.Errorf("%d requests, want 1", calls)
	}
}
