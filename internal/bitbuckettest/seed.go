package bitbuckettest

import (
	"encoding/json"
	"fmt"
	"io"
	"time"
)

// seedFile is the -seed JSON format, documented in the package doc and in
// cmd/bitbucket-test-instance/example-seed.json. Unknown fields are errors,
// so a typo never passes silently.
type seedFile struct {
	Users    []seedUser    `json:"users"`
	Groups   []seedGroup   `json:"groups"`
	Projects []seedProject `json:"projects"`
	Grants   []seedGrant   `json:"grants"`
	Tokens   []seedToken   `json:"tokens"`
}

type seedUser struct {
	Name         string `json:"name"`
	DisplayName  string `json:"displayName"`
	EmailAddress string `json:"emailAddress"`
	Password     string `json:"password"`
}

type seedGroup struct {
	Name    string   `json:"name"`
	Members []string `json:"members"`
}

type seedProject struct {
	Key               string   `json:"key"`
	Name              string   `json:"name"`
	Description       string   `json:"description"`
	DefaultPermission string   `json:"defaultPermission"`
	Repositories      []string `json:"repositories"` // names; slugs are derived
}

// seedGrant names one user or one group; no project means global, a
// project alone the project, a project and a repository (slug or name) the
// repository.
type seedGrant struct {
	User       string `json:"user"`
	Group      string `json:"group"`
	Project    string `json:"project"`
	Repository string `json:"repository"`
	Permission string `json:"permission"`
}

// seedToken is a personal token (user), a project token (project) or a
// repository token (project and repository).
type seedToken struct {
	User        string    `json:"user"`
	Project     string    `json:"project"`
	Repository  string    `json:"repository"`
	Name        string    `json:"name"`
	Permissions []string  `json:"permissions"`
	Value       string    `json:"value"`
	ExpiresAt   time.Time `json:"expiresAt"` // RFC 3339; absent = never
}

// LoadSeed adds the users, groups, projects, repositories, grants and
// tokens of a seed file (the -seed format) to the instance, in that order.
// Errors name the entry, e.g. `seed grants[2]: User bob does not exist.`;
// entries before the failing one stay applied.
func (s *Server) LoadSeed(r io.Reader) error {
	var f seedFile
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return fmt.Errorf("bitbuckettest: seed: %w", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.st.loadSeed(&f)
}

func (st *state) loadSeed(f *seedFile) error {
	for i, u := range f.Users {
		if _, err := st.createUser(User{Name: u.Name, DisplayName: u.DisplayName, Email: u.EmailAddress, Password: u.Password}, true); err != nil {
			return seedErr("users", i, err)
		}
	}
	for i, g := range f.Groups {
		if _, err := st.createGroup(g.Name); err != nil {
			return seedErr("groups", i, err)
		}
		for _, m := range g.Members {
			if err := st.membership(g.Name, m, join); err != nil {
				return seedErr("groups", i, err)
			}
		}
	}
	for i, sp := range f.Projects {
		p, err := st.createProject(sp.Key, sp.Name, sp.Description)
		if err != nil {
			return seedErr("projects", i, err)
		}
		if sp.DefaultPermission != "" {
			perm, err := defaultPermissionValue(sp.DefaultPermission, true)
			if err != nil {
				return seedErr("projects", i, err)
			}
			setDefault(p, perm, true)
		}
		for _, name := range sp.Repositories {
			if _, err := st.createRepository(p, name); err != nil {
				return seedErr("projects", i, err)
			}
		}
	}
	for i, g := range f.Grants {
		sc := Scope{Project: g.Project, Repository: repoSlug(g.Repository)}
		var err *apiError
		switch {
		case g.Permission == "":
			err = errInvalid("permission", "A grant needs a permission.")
		case (g.User == "") == (g.Group == ""):
			err = errInvalid("user", "A grant names exactly one user or one group.")
		case g.User != "":
			err = st.setGrant(sc, principalUser, g.User, g.Permission)
		default:
			err = st.setGrant(sc, principalGroup, g.Group, g.Permission)
		}
		if err != nil {
			return seedErr("grants", i, err)
		}
	}
	for i, t := range f.Tokens {
		spec := Token{Name: t.Name, Permissions: t.Permissions, Value: t.Value, ExpiresAt: t.ExpiresAt}
		slug := t.Repository
		if slug != "" {
			slug = repoSlug(slug)
		}
		_, err := st.createTokenFor(t.User, t.Project, slug, spec)
		if err != nil {
			return seedErr("tokens", i, err)
		}
	}
	return nil
}

func seedErr(section string, i int, err *apiError) error {
	return fmt.Errorf("bitbuckettest: seed %s[%d]: %w", section, i, err)
}
