package bitbuckettest_test

import (
	"encoding/json"
	"net/http"
	"slices"
	"testing"

	"github.com/bitbucket-access/terraform-provider-bitbucket/internal/bitbuckettest"
)

type userShape struct {
	Name         string `json:"name"`
	EmailAddress string `json:"emailAddress"`
	ID           int    `json:"id"`
	DisplayName  string `json:"displayName"`
	Active       bool   `json:"active"`
	Slug         string `json:"slug"`
	Type         string `json:"type"`
	Links        struct {
		Self []struct {
			Href string `json:"href"`
		} `json:"self"`
	} `json:"links"`
	DirectoryName  *string `json:"directoryName"`
	Deletable      *bool   `json:"deletable"`
	MutableDetails *bool   `json:"mutableDetails"`
}

// §4.4, §6.1, §11: /users/{userSlug} takes the slug, which differs from the
// name: username@example.com → username_example.com.
func TestLookup_UserBySlug(t *testing.T) {
	bb := fixture(t)
	check(t, bb.CreateUser(bitbuckettest.User{Name: "Username@Example.com", DisplayName: "Mail User", Email: "u@example.com"}))
	var u userShape
	get(t, bb, "/rest/api/1.0/users/username_example.com", admin).wantStatus(t, http.StatusOK).decode(t, &u)
	if u.Name != "Username@Example.com" || u.Slug != "username_example.com" || u.DisplayName != "Mail User" ||
		u.EmailAddress != "u@example.com" || !u.Active || u.Type != "NORMAL" || u.ID == 0 {
		t.Errorf("user %+v", u)
	}
	if len(u.Links.Self) != 1 || u.Links.Self[0].Href != bb.URL()+"/users/username_example.com" {
		t.Errorf("self link %+v", u.Links.Self)
	}
	get(t, bb, "/rest/api/1.0/users/Username@Example.com", admin).
		wantError(t, http.StatusNotFound, exNoSuchUser, "User Username@Example.com does not exist.")
	// The permission endpoints take the name, not the slug.
	put(t, bb, repoPerms+"/users?name=username@example.com&permission=REPO_READ", admin).wantNoContent(t)
	put(t, bb, repoPerms+"/users?name=username_example.com&permission=REPO_READ", admin).wantError(t, http.StatusNotFound, exNoSuchUser, "")
	// Any logged-in user may look users up.
	get(t, bb, "/rest/api/1.0/users/admin", basic("carol", "carol")).wantStatus(t, http.StatusOK)
}

// §4.4: /users filters on name, display name or e-mail, and by group.
func TestLookup_Users(t *testing.T) {
	bb := fixture(t)
	check(t, bb.CreateUser(bitbuckettest.User{Name: "zed", DisplayName: "Zed Carolsson", Email: "z@corp.test"}))
	for q, want := range map[string][]string{
		"?filter=carol":              {"carol", "zed"}, // zed by display name
		"?filter=CORP.TEST":          {"zed"},          // by e-mail
		"?group=developers":          {"alice", "bob"},
		"?group=developers&filter=b": {"bob"},
		"?group=ghosts":              nil,
	} {
		if got := get(t, bb, "/rest/api/1.0/users"+q, admin).page(t).names(t); !slices.Equal(got, want) {
			t.Errorf("/users%s: %v, want %v", q, got, want)
		}
	}
	get(t, bb, "/rest/api/1.0/users?permission=BOGUS", admin).wantError(t, http.StatusBadRequest, "", "")
	get(t, bb, "/rest/api/1.0/users?permission=REPO_READ", admin).wantError(t, http.StatusBadRequest, "", "")
	// §4.4: permission.N with repositoryId, as recorded.
	var repo struct{ ID int }
	get(t, bb, "/rest/api/1.0/projects/PROJ/repos/test", admin).decode(t, &repo)
	check(t, bb.GrantUser(repoScope, "carol", "REPO_READ"))
	got := get(t, bb, "/rest/api/1.0/users"+query("permission.1", "REPO_READ", "permission.1.repositoryId", jsonInt(repo.ID)), admin).page(t).names(t)
	if !slices.Equal(got, []string{"admin", "carol"}) {
		t.Errorf("REPO_READ holders by repositoryId: %v", got)
	}
	got = get(t, bb, "/rest/api/1.0/users?permission=SYS_ADMIN", admin).page(t).names(t)
	if !slices.Equal(got, []string{"admin"}) {
		t.Errorf("SYS_ADMIN holders %v", got)
	}
}

func jsonInt(n int) string { b, _ := json.Marshal(n); return string(b) }

// §4.4: /admin/users returns detailed users; /groups bare names;
// /admin/groups {name, deletable}; more-members the detailed members.
func TestLookup_AdminUsersAndGroups(t *testing.T) {
	bb := fixture(t)
	p := get(t, bb, "/rest/api/1.0/admin/users?filter=ali", admin).page(t)
	var u userShape
	response{Body: p.Values[0]}.decode(t, &u)
	if p.Size != 1 || u.Name != "alice" || u.DirectoryName == nil || u.Deletable == nil || u.MutableDetails == nil {
		t.Errorf("detailed user %s", p.Values)
	}
	var names []string
	for _, v := range get(t, bb, "/rest/api/1.0/groups", basic("alice", "alice")).page(t).Values {
		var n string
		response{Body: v}.decode(t, &n)
		names = append(names, n)
	}
	if !slices.Equal(names, []string{"developers", "stash-users"}) {
		t.Errorf("/groups %v", names)
	}
	if got := get(t, bb, "/rest/api/1.0/admin/groups?filter=DEV", basic("alice", "alice")).page(t).names(t); !slices.Equal(got, []string{"developers"}) {
		t.Errorf("/admin/groups %v", got)
	}
	p = get(t, bb, "/rest/api/1.0/admin/groups/more-members?context=Developers", admin).page(t)
	if got := p.names(t); !slices.Equal(got, []string{"alice", "bob"}) {
		t.Errorf("more-members %v", got)
	}
	response{Body: p.Values[0]}.decode(t, &u)
	if u.DirectoryName == nil || u.Slug != "alice" {
		t.Errorf("more-members entries are not detailed users: %s", p.Values[0])
	}
	if got := get(t, bb, "/rest/api/1.0/admin/groups/more-members?context=developers&filter=BO", admin).page(t).names(t); !slices.Equal(got, []string{"bob"}) {
		t.Errorf("filtered more-members %v", got)
	}
	get(t, bb, "/rest/api/1.0/admin/groups/more-members?context=ghosts", admin).wantError(t, http.StatusNotFound, exNoSuchGroup, "")
	if got := get(t, bb, "/rest/api/1.0/admin/users/more-members?context=alice", admin).page(t).names(t); !slices.Equal(got, []string{"developers", "stash-users"}) {
		t.Errorf("groups of alice %v", got)
	}
}

// §4.4: projects and repositories, single and listed, with their shapes;
// lists show what the caller can see.
func TestLookup_ProjectsAndRepositories(t *testing.T) {
	bb := fixture(t)
	check(t, bb.CreateProject("SECRET", "Secret"))
	if _, err := bb.CreateRepository("SECRET", "vault"); err != nil {
		t.Fatal(err)
	}
	var proj struct {
		Key, Name, Type string
		ID              int
		Public          bool
		Links           struct{ Self []struct{ Href string } }
	}
	get(t, bb, "/rest/api/1.0/projects/PROJ", admin).wantStatus(t, http.StatusOK).decode(t, &proj)
	if proj.Key != "PROJ" || proj.Name != "Project" || proj.Type != "NORMAL" || proj.ID == 0 || proj.Links.Self[0].Href != bb.URL()+"/projects/PROJ" {
		t.Errorf("project %+v", proj)
	}
	var repo struct {
		Slug, Name, ScmID, State string
		ID                       int
		Project                  struct{ Key string }
		Links                    struct{ Clone []struct{ Href, Name string } }
	}
	get(t, bb, "/rest/api/1.0/projects/PROJ/repos/test", admin).wantStatus(t, http.StatusOK).decode(t, &repo)
	if repo.Slug != "test" || repo.Name != "test" || repo.ScmID != "git" || repo.State != "AVAILABLE" || repo.Project.Key != "PROJ" || len(repo.Links.Clone) != 2 {
		t.Errorf("repository %+v", repo)
	}
	if got := get(t, bb, "/rest/api/1.0/projects", admin).page(t); len(got.Values) != 2 {
		t.Errorf("admin sees %d projects", len(got.Values))
	}
	check(t, bb.GrantUser(repoScope, "alice", "REPO_READ"))
	var keys []string
	for _, v := range get(t, bb, "/rest/api/1.0/projects", basic("alice", "alice")).page(t).Values {
		var p struct{ Key string }
		response{Body: v}.decode(t, &p)
		keys = append(keys, p.Key)
	}
	if !slices.Equal(keys, []string{"PROJ"}) {
		t.Errorf("alice sees projects %v", keys)
	}
	get(t, bb, "/rest/api/1.0/projects/SECRET", basic("alice", "alice")).wantNotPermitted(t)
	get(t, bb, "/rest/api/1.0/projects/SECRET/repos/vault", basic("alice", "alice")).wantNotPermitted(t)
	if got := get(t, bb, "/rest/api/1.0/projects/PROJ/repos", basic("alice", "alice")).page(t).names(t); !slices.Equal(got, []string{"test"}) {
		t.Errorf("alice's repositories %v", got)
	}
	// assumption: project keys resolve ignoring case; errors echo the key given.
	get(t, bb, "/rest/api/1.0/projects/proj/repos/test", admin).wantStatus(t, http.StatusOK)
}
