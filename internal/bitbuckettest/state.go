package bitbuckettest

import (
	"net/http"
	"regexp"
	"strings"
)

// state is everything the instance holds. Every field is guarded by
// Server.mu; nothing here locks.
type state struct {
	users      index[*user]     // key: lower-cased name (§16: case-insensitive, case-preserving)
	userSlugs  map[string]*user // key: slug
	groups     index[*group]    // key: lower-cased name
	projects   index[*project]  // key: lower-cased key
	projectIDs map[int]*project
	repoIDs    map[int]*repository
	global     grants
	tokens     map[string]*token // key: the secret value
	tokenIDs   map[string]*token

	nextUserID, nextProjectID, nextRepoID, nextTokenID int

	licenseLimit int // 0 = unlimited
}

type user struct {
	id                           int
	key, name, slug              string
	displayName, email, password string
	groups                       index[*group]
}

type group struct {
	key, name string
	members   index[*user]
}

type project struct {
	id          int
	key         string // as created
	name        string
	description string
	grants      grants
	defaultPerm permission         // §4.2: granted to every logged-in user
	repos       index[*repository] // key: slug
}

type repository struct {
	id      int
	slug    string
	name    string
	project *project
	grants  grants
}

// grants are the explicit grants at one scope: one permission per principal,
// since a PUT replaces the principal's level (§11), so it is also the highest.
type grants struct {
	users  index[permission]
	groups index[permission]
}

// principalKind says whether a grant names a user or a group.
type principalKind uint8

const (
	principalUser principalKind = iota
	principalGroup
)

func (g *grants) of(k principalKind) *index[permission] {
	if k == principalUser {
		return &g.users
	}
	return &g.groups
}

// levelOf is u's explicit level here, directly or through its groups.
func (g *grants) levelOf(u *user) permission {
	best := g.users.m[u.key]
	for _, k := range u.groups.keys {
		best = max(best, g.groups.m[k])
	}
	return best
}

const defaultGroup = "stash-users"

// newState is a fresh Bitbucket: admin/admin holds SYS_ADMIN and belongs to
// stash-users, which holds LICENSED_USER (§3, §11 "Global list").
func newState() *state {
	st := &state{
		userSlugs:  map[string]*user{},
		projectIDs: map[int]*project{},
		repoIDs:    map[int]*repository{},
		tokens:     map[string]*token{},
		tokenIDs:   map[string]*token{},
	}
	must(st.createGroup(defaultGroup))
	st.global.groups.put(defaultGroup, permLicensedUser)
	must(st.createUser(User{Name: "admin", DisplayName: "Administrator", Email: "admin@example.com", Password: "admin"}, true))
	st.global.users.put("admin", permSysAdmin)
	return st
}

// must is for building the fixed fresh state, which cannot fail.
func must[T any](_ T, e *apiError) {
	if e != nil {
		panic(e)
	}
}

func lower(s string) string { return strings.ToLower(s) }

// userSlug derives a user's slug (§11, S30): lower case, and every character
// outside [A-Za-z0-9._-] becomes "_", so username@example.com gets
// username_example.com.
func userSlug(name string) string { return slugify(name, '_') }

// repoSlug derives a repository's slug from its name (§4.5: lower case,
// spaces to "-"). assumption: every other character outside [a-z0-9._-]
// also becomes "-".
func repoSlug(name string) string { return slugify(name, '-') }

func slugify(name string, replacement rune) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'A' && r <= 'Z':
			return r + ('a' - 'A')
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '.', r == '_', r == '-':
			return r
		}
		return replacement
	}, name)
}

// §5: the real rule for project keys. assumption: keys keep the case they
// were created with and are looked up ignoring case.
var projectKeyPattern = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]*$`)

func (st *state) findUser(name string) (*user, *apiError) {
	if u, ok := st.users.get(lower(name)); ok {
		return u, nil
	}
	return nil, errNoSuchUser(name)
}

func (st *state) findUserBySlug(slug string) (*user, *apiError) {
	if u, ok := st.userSlugs[lower(slug)]; ok {
		return u, nil
	}
	return nil, errNoSuchUser(slug)
}

func (st *state) findGroup(name string) (*group, *apiError) {
	if g, ok := st.groups.get(lower(name)); ok {
		return g, nil
	}
	return nil, errNoSuchGroup(name)
}

func (st *state) findProject(key string) (*project, *apiError) {
	if p, ok := st.projects.get(lower(key)); ok {
		return p, nil
	}
	return nil, errNoSuchProject(key)
}

// findRepository reports a missing project before a missing repository (§7.2).
func (st *state) findRepository(key, slug string) (*repository, *apiError) {
	p, err := st.findProject(key)
	if err != nil {
		return nil, err
	}
	if r, ok := p.repos.get(lower(slug)); ok {
		return r, nil
	}
	return nil, errNoSuchRepository(key, slug)
}

// createUser adds a user; joinDefault puts it in stash-users, which
// licenses it (§4.5 addToDefaultGroup).
func (st *state) createUser(in User, joinDefault bool) (*user, *apiError) {
	switch {
	case in.Name == "":
		return nil, errInvalid("name", "A username is required.")
	case strings.ContainsAny(in.Name, `/\`):
		return nil, errInvalid("name", "The username %q may not contain / or \\.", in.Name)
	}
	key, slug := lower(in.Name), userSlug(in.Name)
	if st.users.has(key) {
		return nil, errConflict("A user with name %q already exists.", in.Name)
	}
	if other, ok := st.userSlugs[slug]; ok {
		// assumption: the real server's rule for colliding slugs is unknown.
		return nil, errConflict("The slug %q of user %q is taken by user %q.", slug, in.Name, other.name)
	}
	st.nextUserID++
	u := &user{id: st.nextUserID, key: key, name: in.Name, slug: slug,
		displayName: in.DisplayName, email: in.Email, password: in.Password}
	if u.displayName == "" {
		u.displayName = in.Name
	}
	st.users.put(key, u)
	st.userSlugs[slug] = u
	if joinDefault {
		if g, ok := st.groups.get(defaultGroup); ok {
			join(g, u)
		}
	}
	return u, nil
}

// deleteUser removes the user with its grants, memberships and tokens
// (§4.5; §16: the test instance purges at once).
func (st *state) deleteUser(u *user) {
	for _, k := range u.groups.keys {
		u.groups.m[k].members.del(u.key)
	}
	st.eachGrants(func(g *grants) { g.users.del(u.key) })
	for _, t := range st.tokens {
		if t.owner == u {
			st.dropToken(t)
		}
	}
	st.users.del(u.key)
	delete(st.userSlugs, u.slug)
}

func (st *state) createGroup(name string) (*group, *apiError) {
	if name == "" {
		return nil, errInvalid("name", "A group name is required.")
	}
	key := lower(name)
	if st.groups.has(key) {
		return nil, errConflict("A group named %q already exists.", name) // §7.2: 409 IntegrityException
	}
	g := &group{key: key, name: name}
	st.groups.put(key, g)
	return g, nil
}

// deleteGroup removes the group with its grants and memberships (§11).
func (st *state) deleteGroup(g *group) {
	for _, k := range g.members.keys {
		g.members.m[k].groups.del(g.key)
	}
	st.eachGrants(func(gr *grants) { gr.groups.del(g.key) })
	st.groups.del(g.key)
}

func join(g *group, u *user) {
	g.members.put(u.key, u)
	u.groups.put(g.key, g)
}

func leave(g *group, u *user) {
	g.members.del(u.key)
	u.groups.del(g.key)
}

// eachGrants visits every scope's grants.
func (st *state) eachGrants(fn func(*grants)) {
	fn(&st.global)
	for _, p := range st.projects.m {
		fn(&p.grants)
		for _, r := range p.repos.m {
			fn(&r.grants)
		}
	}
}

func (st *state) createProject(key, name, description string) (*project, *apiError) {
	switch {
	case key == "":
		return nil, errInvalid("key", "A project key is required.")
	case len(key) > 128 || !projectKeyPattern.MatchString(key):
		return nil, errInvalid("key", "Project keys must start with a letter and may contain only letters, numbers and underscores.")
	case name == "":
		return nil, errInvalid("name", "A project name is required.")
	case st.projects.has(lower(key)):
		// assumption: the real status and exception for a taken key are [UNK].
		return nil, &apiError{status: http.StatusConflict, context: "key", exception: exIntegrity,
			message: "Project key " + key + " is already in use."}
	}
	for _, p := range st.projects.m {
		if lower(p.name) == lower(name) {
			return nil, &apiError{status: http.StatusConflict, context: "name", exception: exIntegrity,
				message: "Project name " + name + " is already in use."}
		}
	}
	st.nextProjectID++
	p := &project{id: st.nextProjectID, key: key, name: name, description: description}
	st.projects.put(lower(key), p)
	st.projectIDs[p.id] = p
	return p, nil
}

// deleteProject removes the project and everything in it. The REST endpoint
// refuses while repositories remain (§7.2); the Go API does not.
func (st *state) deleteProject(p *project) {
	for _, k := range append([]string(nil), p.repos.keys...) {
		st.deleteRepository(p.repos.m[k])
	}
	for _, t := range st.tokens {
		if t.project == p {
			st.dropToken(t)
		}
	}
	st.projects.del(lower(p.key))
	delete(st.projectIDs, p.id)
}

func (st *state) createRepository(p *project, name string) (*repository, *apiError) {
	if name == "" {
		return nil, errInvalid("name", "A repository name is required.")
	}
	slug := repoSlug(name)
	if p.repos.has(slug) {
		// assumption: 409; the real exception for a taken name is [UNK].
		return nil, &apiError{status: http.StatusConflict, context: "name", exception: exIntegrity,
			message: "This repository URL is already taken by '" + p.repos.m[slug].name + "' in '" + p.name + "'"}
	}
	st.nextRepoID++
	r := &repository{id: st.nextRepoID, slug: slug, name: name, project: p}
	p.repos.put(slug, r)
	st.repoIDs[r.id] = r
	return r, nil
}

func (st *state) deleteRepository(r *repository) {
	for _, t := range st.tokens {
		if t.repo == r {
			st.dropToken(t)
		}
	}
	r.project.repos.del(r.slug)
	delete(st.repoIDs, r.id)
}

// licensed reports whether u holds any global permission; without one a
// user cannot log in and is not in the /none lists (§3, §11).
func (st *state) licensed(u *user) bool { return st.userGlobal(u) >= permLicensedUser }

// licensedCount counts licensed users, for the optional license limit.
func (st *state) licensedCount() int {
	n := 0
	for _, u := range st.users.m {
		if st.licensed(u) {
			n++
		}
	}
	return n
}
