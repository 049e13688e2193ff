package bitbucket

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

func TestDefaultPermission(t *testing.T) {
	rec := &recorder{}
	c, _ := newTestClient(t, func(w http.ResponseWriter, r *http.Request) {
		rec.record(r)
		switch {
		case strings.Contains(r.URL.Path, "/NOPE/"):
			writeAPIError(w, 404, "com.atlassian.bitbucket.project.NoSuchProjectException", "Project NOPE does not exist.")
		case r.Method == http.MethodGet:
			writeJSON(w, 200, map[string]any{"permitted": r.URL.Path == "/rest/api/1.0/projects/PROJ/permissions/PROJECT_WRITE/all"})
		default:
			noContent(w)
		}
	})
	ctx := t.Context()
	for perm, want := range map[string]bool{"PROJECT_WRITE": true, "PROJECT_READ": false} {
		got, err := c.DefaultPermission(ctx, "PROJ", perm)
		if err != nil || got != want {
			t.Errorf("DefaultPermission(%s) = %v, %v; want %v", perm, got, err, want)
		}
	}
	if _, err := c.DefaultPermission(ctx, "NOPE", "PROJECT_READ"); MissingObject(err) != "project" {
		t.Errorf("missing project: %v", err)
	}
	if err := c.SetDefaultPermission(ctx, "PROJ", "PROJECT_READ", false); err != nil {
		t.Fatal(err)
	}
	last := rec.all()[rec.count()-1]
	if last.Method != http.MethodPost || last.RawQuery != "allow=false" || last.Body != "" {
		t.Errorf("request = %+v", last)
	}
}

func TestFindUserAndGetUser(t *testing.T) {
	all := []map[string]any{
		{"name": "alice.smith", "slug": "alice.smith", "displayName": "Alice Smith", "id": 1, "active": true, "type": "NORMAL"},
		{"name": "bob", "slug": "bob", "displayName": "Alice's manager", "id": 2, "active": true, "type": "NORMAL"},
		{"name": "Alice", "slug": "alice", "displayName": "Alice", "emailAddress": "alice@corp.example", "id": 3, "active": false, "type": "NORMAL",
			"links": map[string]any{"self": []any{map[string]any{"href": "x"}}}},
	}
	var filters []string
	c, _ := newTestClient(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/rest/api/1.0/users":
			filters = append(filters, r.URL.Query().Get("filter"))
			// One user per page, to exercise paging.
			start, _ := strconv.Atoi(r.URL.Query().Get("start"))
			next := start + 1
			if next >= len(all) {
				next = -1
			}
			pageOf(w, start, 1, next, all[start:start+1])
		case "/rest/api/1.0/users/alice":
			writeJSON(w, 200, all[2])
		default:
			writeAPIError(w, 404, "com.atlassian.bitbucket.user.NoSuchUserException", "User ghost does not exist.")
		}
	})
	ctx := t.Context()
	u, err := c.FindUser(ctx, "alice")
	if err != nil || u == nil {
		t.Fatalf("FindUser = %v, %v", u, err)
	}
	want := User{Name: "Alice", Slug: "alice", DisplayName: "Alice", EmailAddress: "alice@corp.example", Type: "NORMAL", ID: 3, Active: false}
	if *u != want {
		t.Errorf("user = %+v, want %+v", *u, want)
	}
	if filters[0] != "alice" {
		t.Errorf("filter = %q", filters[0])
	}
	if u, err := c.FindUser(ctx, "ali"); err != nil || u != nil {
		t.Errorf("FindUser(ali) = %v, %v; want nil, nil", u, err)
	}
	if u, err := c.GetUser(ctx, "alice"); err != nil || u.ID != 3 {
		t.Errorf("GetUser = %+v, %v", u, err)
	}
	if _, err := c.GetUser(ctx, "ghost"); MissingObject(err) != "user" {
		t.Errorf("GetUser(ghost) err = %v", err)
	}
}

func TestFindGroup(t *testing.T) {
	t.Run("groups endpoint", func(t *testing.T) {
		var paths []string
		c, _ := newTestClient(t, func(w http.ResponseWriter, r *http.Request) {
			paths = append(paths, r.URL.Path+"?"+r.URL.RawQuery)
			pageOf(w, 0, 1000, -1, []string{"release managers-old", "Release Managers"})
		})
		name, err := c.FindGroup(t.Context(), "release managers")
		if err != nil || name != "Release Managers" {
			t.Errorf("FindGroup = %q, %v", name, err)
		}
		ok, err := c.GroupExists(t.Context(), "release")
		if err != nil || ok {
			t.Errorf("GroupExists(release) = %v, %v", ok, err)
		}
		if !strings.HasPrefix(paths[0], "/rest/api/1.0/groups?") || !strings.Contains(paths[0], "filter=release+managers") {
			t.Errorf("request = %s", paths[0])
		}
	})
	t.Run("falls back to admin groups on 404", func(t *testing.T) {
		c, _ := newTestClient(t, func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/rest/api/1.0/admin/groups" {
				pageOf(w, 0, 1000, -1, []map[string]any{{"name": "devs", "deletable": true}})
				return
			}
			http.NotFound(w, r)
		})
		ok, err := c.GroupExists(t.Context(), "DEVS")
		if err != nil || !ok {
			t.Errorf("GroupExists = %v, %v", ok, err)
		}
	})
	t.Run("other errors are returned", func(t *testing.T) {
		c, _ := newTestClient(t, func(w http.ResponseWriter, r *http.Request) {
			writeAPIError(w, 401, "com.atlassian.bitbucket.AuthorisationException", "You are not permitted to access this resource")
		})
		if _, err := c.GroupExists(t.Context(), "devs"); !IsUnauthorized(err) {
			t.Errorf("err = %v", err)
		}
	})
}

func TestGroupMembers(t *testing.T) {
	var contexts []string
	c, _ := newTestClient(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/rest/api/1.0/admin/groups/more-members" {
			http.NotFound(w, r)
			return
		}
		contexts = append(contexts, r.URL.Query().Get("context"))
		if r.URL.Query().Get("start") == "" {
			pageOf(w, 0, 2, 2, []map[string]any{{"name": "a", "directoryName": "Internal"}, {"name": "b"}})
			return
		}
		pageOf(w, 2, 2, -1, []map[string]any{{"name": "c", "mutableGroups": true}})
	})
	members, err := c.GroupMembers(t.Context(), "release managers")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, m := range members {
		names = append(names, m.Name)
	}
	if !reflect.DeepEqual(names, []string{"a", "b", "c"}) || !reflect.DeepEqual(contexts, []string{"release managers", "release managers"}) {
		t.Errorf("names %v, contexts %v", names, contexts)
	}
}

func TestProjectsAndRepositories(t *testing.T) {
	project := map[string]any{"key": "PROJ", "id": 3, "name": "Project", "public": false, "type": "NORMAL", "description": "d",
		"links": map[string]any{"self": []any{map[string]any{"href": "http://x/projects/PROJ"}}}}
	repo := func(slug string, id int) map[string]any {
		return map[string]any{"slug": slug, "id": id, "name": slug, "hierarchyId": "h", "scmId": "git", "state": "AVAILABLE",
			"forkable": false, "public": true, "project": project, "archived": false}
	}
	c, _ := newTestClient(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.EscapedPath() {
		case "/rest/api/1.0/projects/PROJ":
			writeJSON(w, 200, project)
		case "/rest/api/1.0/projects/PROJ/repos/my-repo":
			writeJSON(w, 200, repo("my-repo", 9))
		case "/rest/api/1.0/projects/PROJ/repos/gone":
			writeAPIError(w, 404, "com.atlassian.bitbucket.repository.NoSuchRepositoryException", "Repository PROJ/gone does not exist.")
		case "/rest/api/1.0/projects/PROJ/repos":
			if r.URL.Query().Get("start") == "" {
				pageOf(w, 0, 1000, 5, []any{repo("a", 1)})
			} else {
				pageOf(w, 5, 1000, -1, []any{repo("b", 2)})
			}
		default:
			writeAPIError(w, 404, "com.atlassian.bitbucket.project.NoSuchProjectException", "Project NOPE does not exist.")
		}
	})
	ctx := t.Context()
	p, err := c.GetProject(ctx, "PROJ")
	if err != nil || *p != (Project{Key: "PROJ", Name: "Project", Description: "d", Type: "NORMAL", ID: 3}) {
		t.Errorf("GetProject = %+v, %v", p, err)
	}
	if _, err := c.GetProject(ctx, "NOPE"); MissingObject(err) != "project" {
		t.Errorf("GetProject(NOPE) = %v", err)
	}
	r, err := c.GetRepository(ctx, "PROJ", "my-repo")
	if err != nil || r.Slug != "my-repo" || r.ID != 9 || !r.Public || r.Project.Key != "PROJ" {
		t.Errorf("GetRepository = %+v, %v", r, err)
	}
	if _, err := c.GetRepository(ctx, "PROJ", "gone"); MissingObject(err) != "repository" {
		t.Errorf("GetRepository(gone) = %v", err)
	}
	repos, err := c.ListRepositories(ctx, "PROJ")
	if err != nil || len(repos) != 2 || repos[1].Slug != "b" {
		t.Errorf("ListRepositories = %+v, %v", repos, err)
	}
}

func TestApplicationProperties(t *testing.T) {
	for name, body := range map[string]string{
		"recorded":          `{"version":"7.11.2","buildNumber":"7011002","buildDate":"1616539597394","displayName":"Bitbucket"}`,
		"numbers tolerated": `{"version":"7.11.2","buildNumber":7011002,"buildDate":1616539597394,"displayName":"Bitbucket","extra":{}}`,
	} {
		c, _ := newTestClient(t, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json;charset=UTF-8")
			fmt.Fprint(w, body)
		}, func(c *Config) { c.Token = "" })
		p, err := c.ApplicationProperties(t.Context())
		want := ApplicationProperties{Version: "7.11.2", BuildNumber: "7011002", BuildDate: "1616539597394", DisplayName: "Bitbucket"}
		if err != nil || *p != want {
			t.Errorf("%s: %+v, %v", name, p, err)
		}
	}
}

func TestFixtureRequests(t *testing.T) {
	rec := &recorder{}
	c, _ := newTestClient(t, func(w http.ResponseWriter, r *http.Request) {
		rec.record(r)
		switch {
		case strings.HasPrefix(r.URL.Path, "/rest/access-tokens/"):
			writeJSON(w, 200, map[string]any{"id": "123456", "name": "ci", "createdDate": 1700000000000, "token": "NEW-" + r.URL.Path})
		case r.Method == http.MethodPost && r.URL.Path == "/rest/api/1.0/projects":
			writeJSON(w, 201, map[string]any{"key": "PROJ", "name": "Project", "id": 1})
		case r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/repos"):
			writeJSON(w, 201, map[string]any{"slug": "my-repo", "name": "My Repo", "id": 4, "project": map[string]any{"key": "PROJ"}})
		case r.Method == http.MethodPost && r.URL.Path == "/rest/api/1.0/admin/groups":
			writeJSON(w, 200, map[string]any{"name": "devs", "deletable": true})
		case r.Method == http.MethodDelete && strings.HasSuffix(r.URL.Path, "/repos/my-repo"):
			writeJSON(w, 202, map[string]any{"context": nil, "message": "scheduled"})
		case r.Method == http.MethodDelete && r.URL.Path == "/rest/api/1.0/admin/users":
			writeJSON(w, 200, map[string]any{"name": "u"})
		default:
			noContent(w)
		}
	})
	ctx := t.Context()
	nt := NewToken{Name: "ci", Permissions: []string{"PROJECT_READ", "REPO_ADMIN"}, ExpiryDays: 30}

	tests := []struct {
		name     string
		call     func() (any, error)
		want     any
		method   string
		path     string
		query    url.Values
		jsonBody string
	}{
		{"CreateUser", func() (any, error) {
			return nil, c.CreateUser(ctx, NewUser{Name: "first.last+ci@corp.example", DisplayName: "First Last", EmailAddress: "f@corp.example", Password: "pw"})
		}, nil, "POST", "/rest/api/1.0/admin/users",
			url.Values{"name": {"first.last+ci@corp.example"}, "displayName": {"First Last"}, "emailAddress": {"f@corp.example"}, "password": {"pw"}, "addToDefaultGroup": {"false"}}, ""},
		{"DeleteUser", func() (any, error) { return nil, c.DeleteUser(ctx, "u") }, nil, "DELETE", "/rest/api/1.0/admin/users", url.Values{"name": {"u"}}, ""},
		{"CreateGroup", func() (any, error) { return nil, c.CreateGroup(ctx, "release managers") }, nil, "POST", "/rest/api/1.0/admin/groups", url.Values{"name": {"release managers"}}, ""},
		{"DeleteGroup", func() (any, error) { return nil, c.DeleteGroup(ctx, "devs") }, nil, "DELETE", "/rest/api/1.0/admin/groups", url.Values{"name": {"devs"}}, ""},
		{"AddUsersToGroup", func() (any, error) { return nil, c.AddUsersToGroup(ctx, "devs", "a", "b") }, nil,
			"POST", "/rest/api/1.0/admin/groups/add-users", url.Values{}, `{"group":"devs","users":["a","b"]}`},
		{"CreateProject", func() (any, error) { p, err := c.CreateProject(ctx, "PROJ", "Project"); return p.Key, err }, "PROJ",
			"POST", "/rest/api/1.0/projects", url.Values{}, `{"key":"PROJ","name":"Project"}`},
		{"DeleteProject", func() (any, error) { return nil, c.DeleteProject(ctx, "PROJ") }, nil, "DELETE", "/rest/api/1.0/projects/PROJ", url.Values{}, ""},
		{"CreateRepository", func() (any, error) { r, err := c.CreateRepository(ctx, "PROJ", "My Repo"); return r.Slug, err }, "my-repo",
			"POST", "/rest/api/1.0/projects/PROJ/repos", url.Values{}, `{"name":"My Repo"}`},
		{"DeleteRepository", func() (any, error) { return nil, c.DeleteRepository(ctx, "PROJ", "my-repo") }, nil,
			"DELETE", "/rest/api/1.0/projects/PROJ/repos/my-repo", url.Values{}, ""},
		{"CreatePersonalToken", func() (any, error) { return c.CreatePersonalToken(ctx, "username_example.com", nt) }, "NEW-/rest/access-tokens/1.0/users/username_example.com",
			"PUT", "/rest/access-tokens/1.0/users/username_example.com", url.Values{}, `{"name":"ci","permissions":["PROJECT_READ","REPO_ADMIN"],"expiryDays":30}`},
		{"CreateProjectToken", func() (any, error) { return c.CreateProjectToken(ctx, "PROJ", NewToken{Name: "ci"}) }, "NEW-/rest/access-tokens/1.0/projects/PROJ",
			"PUT", "/rest/access-tokens/1.0/projects/PROJ", url.Values{}, `{"name":"ci","permissions":[]}`},
		{"CreateRepositoryToken", func() (any, error) { return c.CreateRepositoryToken(ctx, "PROJ", "my-repo", nt) }, "NEW-/rest/access-tokens/1.0/projects/PROJ/repos/my-repo",
			"PUT", "/rest/access-tokens/1.0/projects/PROJ/repos/my-repo", url.Values{}, `{"name":"ci","permissions":["PROJECT_READ","REPO_ADMIN"],"expiryDays":30}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := rec.count()
			got, err := tt.call()
			if err != nil {
				t.Fatal(err)
			}
			if tt.want != nil && got != tt.want {
				t.Errorf("result = %v, want %v", got, tt.want)
			}
			r := rec.all()[before]
			q, _ := url.ParseQuery(r.RawQuery)
			if r.Method != tt.method || r.EscapedPath != tt.path || !reflect.DeepEqual(q, tt.query) {
				t.Errorf("request = %s %s ? %v; want %s %s ? %v", r.Method, r.EscapedPath, q, tt.method, tt.path, tt.query)
			}
			if r.Header.Get("X-Atlassian-Token") != "no-check" {
				t.Error("no X-Atlassian-Token")
			}
			if tt.jsonBody == "" {
				if r.Body != "" || r.Header.Get("Content-Type") != "" {
					t.Errorf("unexpected body %q / Content-Type %q", r.Body, r.Header.Get("Content-Type"))
				}
				return
			}
			if r.Header.Get("Content-Type") != "application/json" {
				t.Errorf("Content-Type = %q", r.Header.Get("Content-Type"))
			}
			var gotBody, wantBody any
			_ = json.Unmarshal([]byte(r.Body), &gotBody)
			_ = json.Unmarshal([]byte(tt.jsonBody), &wantBody)
			if !reflect.DeepEqual(gotBody, wantBody) {
				t.Errorf("body = %s, want %s", r.Body, tt.jsonBody)
			}
		})
	}
}

func TestTokenResponseWithoutToken(t *testing.T) {
	c, _ := newTestClient(t, func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, map[string]any{"id": "1", "name": "ci"})
	})
	if _, err := c.CreateProjectToken(t.Context(), "PROJ", NewToken{Name: "ci"}); err == nil {
		t.Error("no error for a response without a token")
	}
}
