package bitbuckettest

import (
	"net/http"
	"net/url"
)

// target is the scope a permission endpoint or a Go API call acts on.
type target struct {
	kind    scopeKind
	project *project
	repo    *repository
}

func (t target) grants(st *state) *grants {
	switch t.kind {
	case scopeRepo:
		return &t.repo.grants
	case scopeProject:
		return &t.project.grants
	}
	return &st.global
}

// resolveTarget finds the scope named by the request path (§7.2: a missing
// project is reported before a missing repository).
func (st *state) resolveTarget(kind scopeKind, q *request) (target, *apiError) {
	switch kind {
	case scopeRepo:
		r, err := st.findRepository(q.PathValue("projectKey"), q.PathValue("repositorySlug"))
		if err != nil {
			return target{}, err
		}
		return target{kind: kind, project: r.project, repo: r}, nil
	case scopeProject:
		p, err := st.findProject(q.PathValue("projectKey"))
		if err != nil {
			return target{}, err
		}
		return target{kind: kind, project: p}, nil
	}
	return target{kind: scopeGlobal}, nil
}

// grantEndpoints are the list, grant, revoke and /none endpoints for one
// principal kind at one scope kind (§4.1–4.3). The checks run in this order
// (§11 leaves it [UNK] apart from existence before permission, §16): the
// scope exists (404), the caller may administer it (401), the arguments are
// valid (400), the principals exist (404), the caller keeps its own level
// (403/409).
type grantEndpoints struct {
	s     *Server
	scope scopeKind
	kind  principalKind
}

// target resolves the scope (404) and checks that the caller may manage its
// grants (401).
func (e grantEndpoints) target(st *state, q *request) (target, *apiError) {
	t, err := st.resolveTarget(e.scope, q)
	if err == nil && !st.mayAdminister(q.caller, t) {
		err = errNotPermitted()
	}
	return t, err
}

// permittedUserJSON and permittedGroupJSON are §6.2 list entries.
type permittedUserJSON struct {
	User       userJSON `json:"user"`
	Permission string   `json:"permission"`
}

type permittedGroupJSON struct {
	Group      groupNameJSON `json:"group"`
	Permission string        `json:"permission"`
}

// list pages through the explicit grants at the scope (§11), filtered by
// name (§16: names only, not display names or e-mail).
func (e grantEndpoints) list(q *request) reply {
	e.s.mu.RLock()
	defer e.s.mu.RUnlock()
	st := e.s.st
	t, err := e.target(st, q)
	if err != nil {
		return fail(err)
	}
	pg, err := parsePage(q.query)
	if err != nil {
		return fail(err)
	}
	idx := t.grants(st).of(e.kind)
	if e.kind == principalUser {
		return ok(pageOf(idx, pg, nameFilter(q.query), func(k string, p permission) permittedUserJSON {
			return permittedUserJSON{User: st.users.m[k].json(q.base), Permission: p.String()}
		}))
	}
	return ok(pageOf(idx, pg, nameFilter(q.query), func(k string, p permission) permittedGroupJSON {
		return permittedGroupJSON{Group: groupNameJSON{Name: st.groups.m[k].name}, Permission: p.String()}
	}))
}

// listUngranted is the /none list: users (licensed ones, except at the
// global scope, where it is every active user) or groups with no explicit
// grant at the scope (§4.1–4.3).
func (e grantEndpoints) listUngranted(q *request) reply {
	e.s.mu.RLock()
	defer e.s.mu.RUnlock()
	st := e.s.st
	t, err := e.target(st, q)
	if err != nil {
		return fail(err)
	}
	pg, err := parsePage(q.query)
	if err != nil {
		return fail(err)
	}
	granted := t.grants(st).of(e.kind)
	if e.kind == principalUser {
		keep := both(nameFilter(q.query), func(k string) bool { // the cheap test first
			return !granted.has(k) && (t.kind == scopeGlobal || st.licensed(st.users.m[k]))
		})
		return ok(pageOf(&st.users, pg, keep, func(_ string, u *user) userJSON { return u.json(q.base) }))
	}
	keep := both(func(k string) bool { return !granted.has(k) }, nameFilter(q.query))
	return ok(pageOf(&st.groups, pg, keep, func(_ string, g *group) groupJSON { return g.json() }))
}

// grant is the PUT: every name (repeatable, §5) gets the permission, or,
// when one name is unknown, none does (§16).
func (e grantEndpoints) grant(q *request) reply {
	e.s.mu.Lock()
	defer e.s.mu.Unlock()
	st := e.s.st
	t, err := e.target(st, q)
	if err != nil {
		return fail(err)
	}
	// §5: arguments come only from the query; a JSON body is ignored.
	perm, err := grantPermission(q.query, e.scope)
	if err != nil {
		return fail(err)
	}
	names := q.query["name"]
	if len(names) == 0 {
		return fail(errInvalid("name", "At least one name is required."))
	}
	keys := make([]string, 0, len(names))
	for _, name := range names {
		k, err := st.principalKey(e.kind, name)
		if err != nil {
			return fail(err)
		}
		keys = append(keys, k)
	}
	if t.kind == scopeGlobal {
		// §4.3: the caller must hold the permission it grants.
		if st.callerGlobal(q.caller) < perm {
			return fail(errNotPermitted())
		}
		if err := st.outranks(q.caller, e.kind, keys); err != nil {
			return fail(err)
		}
	}
	edits := make([]edit, len(keys))
	for i, k := range keys {
		edits[i] = edit{idx: t.grants(st).of(e.kind), key: k, to: perm}
	}
	refusal := http.StatusForbidden // §7.2: a PUT that lowers one's own level
	if t.kind == scopeGlobal {
		refusal = http.StatusConflict
	}
	if err := st.applyGuarded(q.caller, t, edits, refusal); err != nil {
		return fail(err)
	}
	return noContent()
}

// revoke is the DELETE of one principal's grant. §7.2: an unknown user is
// 404, an unknown group a no-op 204.
func (e grantEndpoints) revoke(q *request) reply {
	e.s.mu.Lock()
	defer e.s.mu.Unlock()
	st := e.s.st
	t, err := e.target(st, q)
	if err != nil {
		return fail(err)
	}
	// assumption: name is single-valued (§4.1); like JAX-RS, the first wins.
	name := q.query.Get("name")
	if name == "" {
		return fail(errInvalid("name", "A name is required."))
	}
	k, err := st.principalKey(e.kind, name)
	if err != nil {
		if e.kind == principalGroup && err.status == http.StatusNotFound {
			return noContent()
		}
		return fail(err)
	}
	if t.kind == scopeGlobal {
		if err := st.outranks(q.caller, e.kind, []string{k}); err != nil {
			return fail(err)
		}
	}
	if err := st.applyGuarded(q.caller, t, []edit{{idx: t.grants(st).of(e.kind), key: k}}, http.StatusConflict); err != nil {
		return fail(err)
	}
	return noContent()
}

// revokeAll is the bulk DELETE …/permissions?user=&group= (§4.1, §4.2).
// Both parameters repeat. Unlike the single revoke, an unknown group is 404
// here, as the spec's 404 text says. The caller needs PROJECT_ADMIN even at
// repository scope, as the spec states (§12.5 leaves REPO_ADMIN [UNK]).
func (s *Server) revokeAll(scope scopeKind) handler {
	return func(q *request) reply {
		s.mu.Lock()
		defer s.mu.Unlock()
		st := s.st
		t, err := st.resolveTarget(scope, q)
		if err != nil {
			return fail(err)
		}
		if st.callerProject(q.caller, t.project) < permProjectAdmin {
			return fail(errNotPermitted())
		}
		users, groups := q.query["user"], q.query["group"]
		if len(users)+len(groups) == 0 {
			return fail(errInvalid("user", "At least one user or group is required."))
		}
		var edits []edit
		for _, pr := range []struct {
			kind  principalKind
			names []string
		}{{principalUser, users}, {principalGroup, groups}} {
			for _, name := range pr.names {
				k, err := st.principalKey(pr.kind, name)
				if err != nil {
					return fail(err)
				}
				edits = append(edits, edit{idx: t.grants(st).of(pr.kind), key: k})
			}
		}
		if err := st.applyGuarded(q.caller, t, edits, http.StatusConflict); err != nil {
			return fail(err)
		}
		return noContent()
	}
}

// grantPermission reads a PUT's permission, which must belong to the scope
// (§3). assumption: the 400 bodies are [UNK] (§16).
func grantPermission(q url.Values, k scopeKind) (permission, *apiError) {
	s := q.Get("permission")
	if s == "" {
		return permNone, errInvalid("permission", "A permission is required; valid values are %s.", validFor(k))
	}
	p := parsePermission(s)
	if p == permNone || p.scope() != k {
		return permNone, errInvalid("permission", "%s is not a valid %s permission; valid values are %s.", s, k, validFor(k))
	}
	return p, nil
}

// principalKey resolves a user or group name, ignoring case (§16).
func (st *state) principalKey(kind principalKind, name string) (string, *apiError) {
	if name == "" {
		return "", errInvalid("name", "Names may not be empty.")
	}
	if kind == principalUser {
		u, err := st.findUser(name)
		if err != nil {
			return "", err
		}
		return u.key, nil
	}
	g, err := st.findGroup(name)
	if err != nil {
		return "", err
	}
	return g.key, nil
}

// outranks refuses a global change to a principal above the caller (§4.3: 409).
func (st *state) outranks(c *caller, kind principalKind, keys []string) *apiError {
	mine := st.callerGlobal(c)
	for _, k := range keys {
		if kind == principalUser {
			if u := st.users.m[k]; st.userGlobal(u) > mine {
				return errConflict("You cannot change the permissions of user %s, who holds a higher global permission than you.", u.name)
			}
		} else if st.global.groups.m[k] > mine {
			return errConflict("You cannot change the permissions of group %s, which holds a higher global permission than you.", st.groups.m[k].name)
		}
	}
	return nil
}

// edit sets one principal's grant at one scope; permNone removes it.
type edit struct {
	idx  *index[permission]
	key  string
	to   permission
	from permission // set by apply, for undo
	had  bool
}

func apply(edits []edit) {
	for i := range edits {
		e := &edits[i]
		e.from, e.had = e.idx.get(e.key)
		if e.to == permNone {
			e.idx.del(e.key)
		} else {
			e.idx.put(e.key, e.to)
		}
	}
}

func undo(edits []edit) {
	for i := len(edits) - 1; i >= 0; i-- {
		e := &edits[i]
		if e.had {
			e.idx.put(e.key, e.from)
		} else {
			e.idx.del(e.key)
		}
	}
}

// applyGuarded applies the edits unless they would lower the caller's own
// effective level at t (§11: allowed only when a project or global
// permission already implies it, which comparing effective levels captures),
// or push the licensed users past the license limit (§4.3: 403).
func (st *state) applyGuarded(c *caller, t target, edits []edit, refusal int) *apiError {
	var before permission
	if c.user != nil {
		before = st.ownLevel(c.user, t)
	}
	checkLicense := t.kind == scopeGlobal && st.licenseLimit > 0
	var licensedBefore int
	if checkLicense {
		licensedBefore = st.licensedCount()
	}
	apply(edits)
	if c.user != nil && st.ownLevel(c.user, t) < before {
		undo(edits)
		return errOwnLevel(refusal)
	}
	if checkLicense {
		if n := st.licensedCount(); n > st.licenseLimit && n > licensedBefore {
			undo(edits)
			// assumption: the exception name for the license limit is [UNK].
			return &apiError{status: http.StatusForbidden, exception: exForbidden,
				message: "This change would exceed the number of licensed users."}
		}
	}
	return nil
}
