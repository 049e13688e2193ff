package bitbuckettest

import (
	"net/url"
	"strconv"
	"strings"
)

// userFilter keeps users whose name, display name or e-mail contains the
// filter (§4.4; case-insensitive as an assumption, §16).
func (st *state) userFilter(f string) func(string) bool {
	f = lower(f)
	if f == "" {
		return nil
	}
	return func(k string) bool {
		u := st.users.m[k]
		return strings.Contains(k, f) || contains(u.displayName, f) || contains(u.email, f)
	}
}

// userSearch builds the filter of GET /users (§4.4): filter, group, and
// permission / permission.N with .projectKey, .projectId, .repositorySlug
// and .repositoryId. Every condition must hold. A user matches a permission
// condition when its effective permission there implies it.
// assumption: an unknown group matches nobody; an unknown project or
// repository is 404 like everywhere else.
func (st *state) userSearch(q url.Values) (func(string) bool, *apiError) {
	keep := st.userFilter(q.Get("filter"))
	if name := q.Get("group"); name != "" {
		g, _ := st.groups.get(lower(name))
		keep = both(keep, func(k string) bool { return g != nil && g.members.has(k) })
	}
	conds := map[string]url.Values{} // condition id ("" or N) → field → values
	for key, vals := range q {
		rest, isPerm := strings.CutPrefix(key, "permission")
		if !isPerm || (rest != "" && rest[0] != '.') {
			continue
		}
		rest = strings.TrimPrefix(rest, ".")
		id, field := "", rest
		if head, tail, dotted := strings.Cut(rest, "."); dotted {
			id, field = head, tail
		} else if _, err := strconv.Atoi(rest); err == nil {
			id, field = rest, ""
		}
		if conds[id] == nil {
			conds[id] = url.Values{}
		}
		conds[id][field] = vals
	}
	for _, c := range conds {
		check, err := st.permissionCondition(c)
		if err != nil {
			return nil, err
		}
		keep = both(keep, func(k string) bool { return check(st.users.m[k]) })
	}
	return keep, nil
}

func (st *state) permissionCondition(c url.Values) (func(*user) bool, *apiError) {
	for field := range c {
		switch field {
		case "", "projectKey", "projectId", "repositorySlug", "repositoryId":
		default:
			return nil, errInvalid("permission", "Unknown permission filter field %q.", field)
		}
	}
	name := c.Get("")
	perm := parsePermission(name)
	if perm == permNone {
		return nil, errInvalid("permission", "%q is not a permission.", name)
	}
	switch perm.scope() {
	case scopeRepo:
		r, err := st.conditionRepository(c)
		if err != nil {
			return nil, err
		}
		return func(u *user) bool { return st.licensed(u) && st.userRepo(u, r) >= perm }, nil
	case scopeProject:
		p, err := st.conditionProject(c)
		if err != nil {
			return nil, err
		}
		return func(u *user) bool { return st.licensed(u) && st.userProject(u, p) >= perm }, nil
	}
	return func(u *user) bool { return st.userGlobal(u) >= perm }, nil
}

func (st *state) conditionProject(c url.Values) (*project, *apiError) {
	if id := c.Get("projectId"); id != "" {
		n, _ := strconv.Atoi(id)
		if p, ok := st.projectIDs[n]; ok {
			return p, nil
		}
		return nil, errNoSuchProject(id)
	}
	if key := c.Get("projectKey"); key != "" {
		return st.findProject(key)
	}
	return nil, errInvalid("permission", "A project permission filter needs a projectKey or projectId.")
}

func (st *state) conditionRepository(c url.Values) (*repository, *apiError) {
	if id := c.Get("repositoryId"); id != "" {
		n, _ := strconv.Atoi(id)
		if r, ok := st.repoIDs[n]; ok {
			return r, nil
		}
		return nil, &apiError{status: 404, exception: exNoSuchRepository, message: "Repository " + id + " does not exist."}
	}
	key, slug := c.Get("projectKey"), c.Get("repositorySlug")
	if key == "" || slug == "" {
		return nil, errInvalid("permission", "A repository permission filter needs a repositoryId, or a projectKey and a repositorySlug.")
	}
	return st.findRepository(key, slug)
}
