package bitbucket

import (
	"net/http"
	"net/url"
	"reflect"
	"testing"
)

func TestListUsers_pagesAndKeepsTheQuery(t *testing.T) {
	rec := &recorder{}
	c, _ := newTestClient(t, func(w http.ResponseWriter, r *http.Request) {
		rec.record(r)
		// nextPageStart 7, not start+size: identifiers need not be contiguous (§2).
		switch r.URL.Query().Get("start") {
		case "":
			pageOf(w, 0, 2, 7, []map[string]any{
				{"name": "alice", "slug": "alice", "id": 1, "active": true},
				{"name": "bob@corp.example", "slug": "bob_corp.example", "id": 2, "active": true},
			})
		case "7":
			pageOf(w, 7, 2, -1, []map[string]any{{"name": "Carol", "slug": "carol", "id": 9, "active": false}})
		default:
			t.Errorf("unexpected start %q", r.URL.Query().Get("start"))
			writeAPIError(w, http.StatusBadRequest, "", "bad start")
		}
	})

	users, err := c.ListUsers(t.Context(), UserQuery{Group: "release managers & co", Permission: "LICENSED_USER"})
	if err != nil {
		t.Fatalf("ListUsers: %v", err)
	}
	var names []string
	for _, u := range users {
		names = append(names, u.Name)
	}
	if want := []string{"alice", "bob@corp.example", "Carol"}; !reflect.DeepEqual(names, want) {
		t.Errorf("names = %q, want %q", names, want)
	}
	if users[1].Slug != "bob_corp.example" || users[2].ID != 9 || users[2].Active {
		t.Errorf("user fields not decoded: %+v", users)
	}

	reqs := rec.all()
	if len(reqs) != 2 {
		t.Fatalf("%d requests, want 2", len(reqs))
	}
	for i, r := range reqs {
		if r.Method != http.MethodGet || r.EscapedPath != "/rest/api/1.0/users" {
			t.Errorf("request %d: %s %s", i, r.Method, r.EscapedPath)
		}
		q, _ := url.ParseQuery(r.RawQuery)
		if q.Get("group") != "release managers & co" || q.Get("permission") != "LICENSED_USER" {
			t.Errorf("request %d lost its conditions: %s", i, r.RawQuery)
		}
		if q.Has("filter") {
			t.Errorf("request %d sent an empty filter: %s", i, r.RawQuery)
		}
	}
}

func TestListUsers_emptyQueryAndEmptyResult(t *testing.T) {
	rec := &recorder{}
	c, _ := newTestClient(t, func(w http.ResponseWriter, r *http.Request) {
		rec.record(r)
		pageOf(w, 0, 1000, -1, []any{})
	})
	users, err := c.ListUsers(t.Context(), UserQuery{})
	if err != nil {
		t.Fatalf("ListUsers: %v", err)
	}
	if users == nil || len(users) != 0 {
		t.Errorf("users = %#v, want an empty, non-nil slice", users)
	}
	if got := rec.all()[0].RawQuery; got != "limit=1000" {
		t.Errorf("query = %q, want only the page limit", got)
	}
}

func TestListUsers_filterEscaping(t *testing.T) {
	rec := &recorder{}
	c, _ := newTestClient(t, func(w http.ResponseWriter, r *http.Request) {
		rec.record(r)
		pageOf(w, 0, 1000, -1, []any{})
	})
	const email = "first.last+ci@corp.example"
	if _, err := c.ListUsers(t.Context(), UserQuery{Filter: email}); err != nil {
		t.Fatalf("ListUsers: %v", err)
	}
	q, _ := url.ParseQuery(rec.all()[0].RawQuery)
	if q.Get("filter") != email {
		t.Errorf("filter arrived as %q, want %q", q.Get("filter"), email)
	}
}

func TestListUsers_error(t *testing.T) {
	c, _ := newTestClient(t, func(w http.ResponseWriter, r *http.Request) {
		writeAPIError(w, http.StatusBadRequest, "com.atlassian.bitbucket.validation.ArgumentValidationException",
			"NOPE is not a permission.")
	})
	_, err := c.ListUsers(t.Context(), UserQuery{Permission: "NOPE"})
	ae := mustAPIError(t, err)
	if ae.StatusCode != http.StatusBadRequest || ae.Message() != "NOPE is not a permission." {
		t.Errorf("error = %v", err)
	}
}
