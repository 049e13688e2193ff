package bitbucket

import (
	"maps"
	"net/http"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"testing"
)

func TestEscaping(t *testing.T) {
	rec := &recorder{}
	c, _ := newTestClient(t, func(w http.ResponseWriter, r *http.Request) {
		rec.record(r)
		if r.Method == http.MethodGet {
			pageOf(w, 0, 1000, -1, []any{})
			return
		}
		noContent(w)
	})
	ctx := t.Context()
	const email = "first.last+ci@corp.example"

	tests := []struct {
		name      string
		call      func() error
		wantPath  string
		wantQuery url.Values
	}{
		{
			name: "plus and at sign in a user name, several names",
			call: func() error {
				return c.SetPermission(ctx, RepositoryScope("PROJ", "test"), PrincipalUser, "REPO_WRITE", email, "bob")
			},
			wantPath:  "/rest/api/1.0/projects/PROJ/repos/test/permissions/users",
			wantQuery: url.Values{"name": {email, "bob"}, "permission": {"REPO_WRITE"}},
		},
		{
			name: "group with spaces and an ampersand",
			call: func() error {
				return c.RevokePermission(ctx, ProjectScope("PROJ"), PrincipalGroup, "release managers & co")
			},
			wantPath:  "/rest/api/1.0/projects/PROJ/permissions/groups",
			wantQuery: url.Values{"name": {"release managers & co"}},
		},
		{
			name: "special characters in path segments",
			call: func() error {
				return c.SetPermission(ctx, RepositoryScope("~first.last_corp", "a b/c?d#e%f"), PrincipalGroup, "REPO_READ", "g=1;x")
			},
			wantPath:  "/rest/api/1.0/projects/~first.last_corp/repos/a%20b%2Fc%3Fd%23e%25f/permissions/groups",
			wantQuery: url.Values{"name": {"g=1;x"}, "permission": {"REPO_READ"}},
		},
		{
			name:      "global scope",
			call:      func() error { return c.SetPermission(ctx, GlobalScope(), PrincipalUser, "PROJECT_CREATE", email) },
			wantPath:  "/rest/api/1.0/admin/permissions/users",
			wantQuery: url.Values{"name": {email}, "permission": {"PROJECT_CREATE"}},
		},
		{
			name: "filter on a list",
			call: func() error {
				_, err := c.GetPermission(ctx, RepositoryScope("PROJ", "test"), PrincipalUser, email)
				return err
			},
			wantPath:  "/rest/api/1.0/projects/PROJ/repos/test/permissions/users",
			wantQuery: url.Values{"filter": {email}, "limit": {"1000"}},
		},
		{
			name:      "user slug in the path",
			call:      func() error { _, err := c.GetUser(ctx, "first.last+ci@corp.example"); return err },
			wantPath:  "/rest/api/1.0/users/first.last+ci@corp.example",
			wantQuery: url.Values{},
		},
		{
			name:      "default permission",
			call:      func() error { return c.SetDefaultPermission(ctx, "PROJ", "PROJECT_READ", true) },
			wantPath:  "/rest/api/1.0/projects/PROJ/permissions/PROJECT_READ/all",
			wantQuery: url.Values{"allow": {"true"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := rec.count()
			_ = tt.call() // GetUser decodes an empty page into a user; only the request matters
			reqs := rec.all()
			if len(reqs) != before+1 {
				t.Fatalf("server saw %d requests, want 1", len(reqs)-before)
			}
			r := reqs[before]
			if r.EscapedPath != tt.wantPath {
				t.Errorf("path = %q, want %q", r.EscapedPath, tt.wantPath)
			}
			got, err := url.ParseQuery(r.RawQuery)
			if err != nil {
				t.Fatalf("raw query %q: %v", r.RawQuery, err)
			}
			if !reflect.DeepEqual(got, tt.wantQuery) {
				t.Errorf("query = %v (raw %q), want %v", got, r.RawQuery, tt.wantQuery)
			}
			// A '+' sent raw would arrive as a space.
			if strings.Contains(r.RawQuery, "+ci") {
				t.Errorf("raw query %q has an unescaped '+'", r.RawQuery)
			}
		})
	}
}

// permissionServer stores grants and filters like §16: a case-insensitive
// substring match on the name.
func permissionServer(users map[string]string, groups map[string]string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if strings.Contains(r.URL.Path, "/projects/NOPE/") {
			writeAPIError(w, 404, "com.atlassian.bitbucket.project.NoSuchProjectException", "Project NOPE does not exist.")
			return
		}
		filter := strings.ToLower(r.URL.Query().Get("filter"))
		values := []map[string]any{}
		if strings.HasSuffix(r.URL.Path, "/users") {
			for _, name := range slices.Sorted(maps.Keys(users)) {
				if strings.Contains(strings.ToLower(name), filter) {
					values = append(values, map[string]any{
						"user":       map[string]any{"name": name, "slug": name, "displayName": strings.ToUpper(name), "id": len(name), "active": true, "type": "NORMAL"},
						"permission": users[name],
					})
				}
			}
		} else {
			for _, name := range slices.Sorted(maps.Keys(groups)) {
				if strings.Contains(strings.ToLower(name), filter) {
					values = append(values, map[string]any{"group": map[string]any{"name": name}, "permission": groups[name]})
				}
			}
		}
		pageOf(w, 0, 1000, -1, values)
	}
}

func TestGetPermissionExactCaseInsensitiveMatch(t *testing.T) {
	users := map[string]string{"bobby": "REPO_ADMIN", "alice": "REPO_WRITE", "bob": "REPO_READ", "carol-bob": "REPO_READ"}
	groups := map[string]string{"devs-all": "REPO_WRITE", "Devs": "REPO_READ"}
	c, _ := newTestClient(t, permissionServer(users, groups))
	ctx := t.Context()
	scope := RepositoryScope("PROJ", "test")

	tests := []struct {
		principal PrincipalType
		name      string
		wantName  string // "" = no grant
		wantPerm  string
	}{
		{PrincipalUser, "bob", "bob", "REPO_READ"},
		{PrincipalUser, "bobby", "bobby", "REPO_ADMIN"},
		{PrincipalUser, "Alice", "alice", "REPO_WRITE"}, // stored spelling is returned
		{PrincipalUser, "bo", "", ""},
		{PrincipalUser, "carol", "", ""},
		{PrincipalGroup, "devs", "Devs", "REPO_READ"},
		{PrincipalGroup, "DEVS-ALL", "devs-all", "REPO_WRITE"},
		{PrincipalGroup, "dev", "", ""},
	}
	for _, tt := range tests {
		g, err := c.GetPermission(ctx, scope, tt.principal, tt.name)
		if err != nil {
			t.Fatalf("%s %q: %v", tt.principal, tt.name, err)
		}
		switch {
		case tt.wantName == "" && g != nil:
			t.Errorf("%s %q: got %+v, want none", tt.principal, tt.name, g)
		case tt.wantName != "" && g == nil:
			t.Errorf("%s %q: got none, want %s", tt.principal, tt.name, tt.wantName)
		case g != nil && (g.Principal != tt.wantName || g.Permission != tt.wantPerm):
			t.Errorf("%s %q: got %s=%s, want %s=%s", tt.principal, tt.name, g.Principal, g.Permission, tt.wantName, tt.wantPerm)
		case g != nil && tt.principal == PrincipalUser && (g.User == nil || g.User.Name != tt.wantName || !g.User.Active):
			t.Errorf("%s %q: user = %+v", tt.principal, tt.name, g.User)
		case g != nil && tt.principal == PrincipalGroup && g.User != nil:
			t.Errorf("group grant carries a user: %+v", g.User)
		}
	}

	_, err := c.GetPermission(ctx, RepositoryScope("NOPE", "test"), PrincipalUser, "bob")
	if !IsNotFound(err) || MissingObject(err) != "project" {
		t.Errorf("missing project: %v", err)
	}
}

func TestListPermissionsAllScopes(t *testing.T) {
	c, _ := newTestClient(t, permissionServer(map[string]string{"alice": "X", "bob": "Y"}, map[string]string{"g": "Z"}))
	ctx := t.Context()
	for _, scope := range []Scope{GlobalScope(), ProjectScope("PROJ"), RepositoryScope("PROJ", "r")} {
		users, err := c.ListPermissions(ctx, scope, PrincipalUser, "")
		if err != nil || len(users) != 2 || users[0].Principal != "alice" || users[1].Permission != "Y" {
			t.Errorf("%s users: %+v, %v", scope, users, err)
		}
		groups, err := c.ListPermissions(ctx, scope, PrincipalGroup, "")
		if err != nil || len(groups) != 1 || groups[0].Principal != "g" {
			t.Errorf("%s groups: %+v, %v", scope, groups, err)
		}
	}
}

func TestScopeString(t *testing.T) {
	for s, want := range map[Scope]string{
		GlobalScope():                   "global",
		ProjectScope("PROJ"):            "project PROJ",
		RepositoryScope("PROJ", "test"): "repository PROJ/test",
	} {
		if s.String() != want {
			t.Errorf("%#v.String() = %q, want %q", s, s.String(), want)
		}
	}
}
