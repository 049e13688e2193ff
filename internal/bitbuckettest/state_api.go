package bitbuckettest

import (
	"time"
)

// The Go API: tests seed and inspect the state directly, and change it out
// of band as a colleague clicking in the UI would. Names of users and groups
// and project keys are matched ignoring case. Creating something that exists
// fails with ErrConflict, naming something unknown with ErrNotFound, and a
// bad argument with ErrInvalid. Out-of-band changes skip the permission
// checks and the self-demotion and license rules of the REST API.

// User is a user to create.
type User struct{ Name, DisplayName, Email, Password string }

// Scope names where a grant lives: the zero value is global, Project alone a
// project, Project and Repository (a slug) a repository.
type Scope struct{ Project, Repository string }

// Token is an HTTP access token to create.
type Token struct {
	Permissions []string  // e.g. PROJECT_ADMIN, REPO_ADMIN
	ExpiresAt   time.Time // zero = never
	Value       string    // "" = generate
	Name        string    // "" = "token-{id}"
}

// write and read run fn under the state lock.
func (s *Server) write(fn func(st *state) *apiError) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return goErr(fn(s.st))
}

func (s *Server) read(fn func(st *state)) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	fn(s.st)
}

// CreateUser adds a user, who joins stash-users and is thereby licensed.
func (s *Server) CreateUser(u User) error {
	return s.write(func(st *state) *apiError {
		_, err := st.createUser(u, true)
		return err
	})
}

// DeleteUser removes a user with its grants, memberships and tokens.
func (s *Server) DeleteUser(name string) error {
	return s.write(func(st *state) *apiError {
		u, err := st.findUser(name)
		if err == nil {
			st.deleteUser(u)
		}
		return err
	})
}

// CreateGroup adds an empty group.
func (s *Server) CreateGroup(name string) error {
	return s.write(func(st *state) *apiError {
		_, err := st.createGroup(name)
		return err
	})
}

// DeleteGroup removes a group with its grants and memberships.
func (s *Server) DeleteGroup(name string) error {
	return s.write(func(st *state) *apiError {
		g, err := st.findGroup(name)
		if err == nil {
			st.deleteGroup(g)
		}
		return err
	})
}

// AddMember puts user in group; adding a member again is not an error.
func (s *Server) AddMember(group, user string) error {
	return s.write(func(st *state) *apiError { return st.membership(group, user, join) })
}

// RemoveMember takes user out of group; removing a non-member is not an error.
func (s *Server) RemoveMember(group, user string) error {
	return s.write(func(st *state) *apiError { return st.membership(group, user, leave) })
}

func (st *state) membership(groupName, userName string, change func(*group, *user)) *apiError {
	g, err := st.findGroup(groupName)
	if err != nil {
		return err
	}
	u, err := st.findUser(userName)
	if err != nil {
		return err
	}
	change(g, u)
	return nil
}

// CreateProject adds a project. Unlike POST /projects it grants nobody
// PROJECT_ADMIN.
func (s *Server) CreateProject(key, name string) error {
	return s.write(func(st *state) *apiError {
		_, err := st.createProject(key, name, "")
		return err
	})
}

// DeleteProject removes a project together with its repositories, grants
// and tokens (the REST endpoint refuses while repositories remain).
func (s *Server) DeleteProject(key string) error {
	return s.write(func(st *state) *apiError {
		p, err := st.findProject(key)
		if err == nil {
			st.deleteProject(p)
		}
		return err
	})
}

// CreateRepository adds a repository and returns its slug.
func (s *Server) CreateRepository(projectKey, name string) (slug string, err error) {
	err = s.write(func(st *state) *apiError {
		p, err := st.findProject(projectKey)
		if err != nil {
			return err
		}
		r, err := st.createRepository(p, name)
		if err == nil {
			slug = r.slug
		}
		return err
	})
	return slug, err
}

// DeleteRepository removes a repository with its grants and tokens.
func (s *Server) DeleteRepository(projectKey, slug string) error {
	return s.write(func(st *state) *apiError {
		r, err := st.findRepository(projectKey, slug)
		if err == nil {
			st.deleteRepository(r)
		}
		return err
	})
}

// targetOf resolves a Go API scope.
func (st *state) targetOf(sc Scope) (target, *apiError) {
	switch {
	case sc.Repository != "":
		r, err := st.findRepository(sc.Project, sc.Repository)
		if err != nil {
			return target{}, err
		}
		return target{kind: scopeRepo, project: r.project, repo: r}, nil
	case sc.Project != "":
		p, err := st.findProject(sc.Project)
		if err != nil {
			return target{}, err
		}
		return target{kind: scopeProject, project: p}, nil
	}
	return target{kind: scopeGlobal}, nil
}

// setGrant sets (or, with permNone, removes) one explicit grant.
func (st *state) setGrant(sc Scope, kind principalKind, name, permName string) *apiError {
	t, err := st.targetOf(sc)
	if err != nil {
		return err
	}
	perm := permNone
	if permName != "" {
		if perm = parsePermission(permName); perm == permNone || perm.scope() != t.kind {
			return errInvalid("permission", "%s is not a valid %s permission; valid values are %s.", permName, t.kind, validFor(t.kind))
		}
	}
	k, err := st.principalKey(kind, name)
	if err != nil {
		return err
	}
	apply([]edit{{idx: t.grants(st).of(kind), key: k, to: perm}})
	return nil
}

// GrantUser sets user's explicit permission at scope, replacing any other.
func (s *Server) GrantUser(scope Scope, user, permission string) error {
	return s.write(func(st *state) *apiError { return st.setGrant(scope, principalUser, user, permission) })
}

// GrantGroup sets group's explicit permission at scope, replacing any other.
func (s *Server) GrantGroup(scope Scope, group, permission string) error {
	return s.write(func(st *state) *apiError { return st.setGrant(scope, principalGroup, group, permission) })
}

// RevokeUser removes user's explicit permission at scope, if any.
func (s *Server) RevokeUser(scope Scope, user string) error {
	return s.write(func(st *state) *apiError { return st.setGrant(scope, principalUser, user, "") })
}

// RevokeGroup removes group's explicit permission at scope, if any.
func (s *Server) RevokeGroup(scope Scope, group string) error {
	return s.write(func(st *state) *apiError { return st.setGrant(scope, principalGroup, group, "") })
}

// UserPermission is user's explicit grant at scope; "" if none, or if the
// scope or user does not exist.
func (s *Server) UserPermission(scope Scope, user string) string {
	return s.explicitGrant(scope, principalUser, user)
}

// GroupPermission is group's explicit grant at scope; "" if none.
func (s *Server) GroupPermission(scope Scope, group string) string {
	return s.explicitGrant(scope, principalGroup, group)
}

func (s *Server) explicitGrant(scope Scope, kind principalKind, name string) (out string) {
	s.read(func(st *state) {
		if t, err := st.targetOf(scope); err == nil {
			out = t.grants(st).of(kind).m[lower(name)].String()
		}
	})
	return out
}

// SetDefaultPermission sets (allow) or clears the project's default
// permission, as POST …/permissions/{permission}/all?allow= does.
func (s *Server) SetDefaultPermission(projectKey, permission string, allow bool) error {
	return s.write(func(st *state) *apiError {
		p, err := st.findProject(projectKey)
		if err != nil {
			return err
		}
		perm, err := defaultPermissionValue(permission, true)
		if err == nil {
			setDefault(p, perm, allow)
		}
		return err
	})
}

// DefaultPermission is the project's default permission; "" if none.
func (s *Server) DefaultPermission(projectKey string) (out string) {
	s.read(func(st *state) {
		if p, err := st.findProject(projectKey); err == nil {
			out = p.defaultPerm.String()
		}
	})
	return out
}

// CreatePersonalToken creates an HTTP access token of user and returns its
// secret, usable as a Bearer token or as the user's Basic password.
func (s *Server) CreatePersonalToken(user string, t Token) (string, error) {
	return s.createToken(user, "", "", t)
}

// CreateProjectToken creates a project HTTP access token (Bearer only).
func (s *Server) CreateProjectToken(projectKey string, t Token) (string, error) {
	return s.createToken("", projectKey, "", t)
}

// CreateRepositoryToken creates a repository HTTP access token (Bearer only).
func (s *Server) CreateRepositoryToken(projectKey, slug string, t Token) (string, error) {
	return s.createToken("", projectKey, slug, t)
}

func (s *Server) createToken(userName, projectKey, slug string, t Token) (value string, err error) {
	err = s.write(func(st *state) *apiError {
		tok, err := st.createTokenFor(userName, projectKey, slug, t)
		if err == nil {
			value = tok.value
		}
		return err
	})
	return value, err
}

func (st *state) createTokenFor(userName, projectKey, slug string, t Token) (*token, *apiError) {
	h, err := st.findHolder(userName, projectKey, slug)
	if err != nil {
		return nil, err
	}
	return st.createToken(h, tokenSpec{name: t.Name, perms: t.Permissions, expires: t.ExpiresAt, value: t.Value})
}

// SetLicenseLimit caps the number of licensed users: a global PUT that
// would exceed it is refused with 403 (§4.3). 0, the default, is unlimited.
func (s *Server) SetLicenseLimit(n int) {
	_ = s.write(func(st *state) *apiError {
		st.licenseLimit = max(n, 0)
		return nil
	})
}

// Users, Groups and Projects list names (keys for projects) as stored, in
// listing order; Members a group's members; Repositories a project's slugs.
func (s *Server) Users() []string {
	return s.names(func(st *state) []string { return namesOf(&st.users, func(u *user) string { return u.name }) })
}

func (s *Server) Groups() []string {
	return s.names(func(st *state) []string { return namesOf(&st.groups, func(g *group) string { return g.name }) })
}

// Projects lists project keys as created, in listing order.
func (s *Server) Projects() []string {
	return s.names(func(st *state) []string { return namesOf(&st.projects, func(p *project) string { return p.key }) })
}

// Members lists a group's members; nil when the group does not exist.
func (s *Server) Members(group string) []string {
	return s.names(func(st *state) []string {
		if g, ok := st.groups.get(lower(group)); ok {
			return namesOf(&g.members, func(u *user) string { return u.name })
		}
		return nil
	})
}

// Repositories lists a project's slugs; nil when the project does not exist.
func (s *Server) Repositories(projectKey string) []string {
	return s.names(func(st *state) []string {
		if p, ok := st.projects.get(lower(projectKey)); ok {
			return namesOf(&p.repos, func(r *repository) string { return r.slug })
		}
		return nil
	})
}

func (s *Server) names(fn func(*state) []string) (out []string) {
	s.read(func(st *state) { out = fn(st) })
	return out
}

func namesOf[V any](x *index[V], name func(V) string) []string {
	out := make([]string, 0, x.len())
	for _, k := range x.keys {
		out = append(out, name(x.m[k]))
	}
	return out
}
