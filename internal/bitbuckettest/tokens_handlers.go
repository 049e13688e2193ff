package bitbuckettest

import (
	"net/http"
	"slices"
	"time"
)

// HTTP access token endpoints under /rest/access-tokens/{version} (§4.5),
// one family each for users, projects and repositories. The answer pipeline
// has already refused token callers on these routes.
type tokenEndpoints struct {
	s    *Server
	kind tokenKind
}

// holder resolves whose tokens the path names and checks that the caller may
// manage them: the user themself or an ADMIN (assumption: the spec names only
// the user), PROJECT_ADMIN for project tokens, REPO_ADMIN for repository tokens.
func (e tokenEndpoints) holder(st *state, q *request) (tokenHolder, *apiError) {
	var (
		h   tokenHolder
		err *apiError
	)
	if e.kind == personalToken {
		// The path names a user by slug, not by name (§11).
		var u *user
		u, err = st.findUserBySlug(q.PathValue("userSlug"))
		h = tokenHolder{kind: personalToken, owner: u}
	} else {
		h, err = st.findHolder("", q.PathValue("projectKey"), q.PathValue("repositorySlug"))
	}
	switch {
	case err != nil:
		return h, err
	case h.kind == personalToken && q.caller.user != h.owner && st.callerGlobal(q.caller) < permAdmin,
		h.kind == projectToken && st.callerProject(q.caller, h.project) < permProjectAdmin,
		h.kind == repositoryToken && st.callerRepo(q.caller, h.repo) < permRepoAdmin:
		return h, errNotPermitted()
	}
	return h, nil
}

// tokenBody is the PUT body: {"name","permissions","expiryDays"}.
type tokenBody struct {
	Name        string   `json:"name"`
	Permissions []string `json:"permissions"`
	ExpiryDays  *int     `json:"expiryDays"`
}

// create answers 200 with the token, whose secret is shown only here.
func (e tokenEndpoints) create(q *request) reply {
	raw := readBody(q)
	e.s.mu.Lock()
	defer e.s.mu.Unlock()
	st := e.s.st
	h, err := e.holder(st, q)
	if err != nil {
		return fail(err)
	}
	var b tokenBody
	if err := decodeJSON(raw, &b); err != nil {
		return fail(err)
	}
	if b.Name == "" {
		return fail(errInvalid("name", "A token name is required."))
	}
	spec := tokenSpec{name: b.Name, perms: b.Permissions}
	if b.ExpiryDays != nil {
		if *b.ExpiryDays <= 0 {
			return fail(errInvalid("expiryDays", "expiryDays must be a positive number of days."))
		}
		spec.expires = time.Now().AddDate(0, 0, *b.ExpiryDays)
	}
	t, err := st.createToken(h, spec)
	if err != nil {
		return fail(err)
	}
	return ok(t.json(q.base, true))
}

// list pages through the holder's tokens, oldest first, without secrets.
func (e tokenEndpoints) list(q *request) reply {
	e.s.mu.RLock()
	defer e.s.mu.RUnlock()
	st := e.s.st
	h, err := e.holder(st, q)
	if err != nil {
		return fail(err)
	}
	pg, err := parsePage(q.query)
	if err != nil {
		return fail(err)
	}
	var ids []string
	for id, t := range st.tokenIDs {
		if t.tokenHolder == h {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids) // ids are fixed-width numbers
	sel, last := cut(ids, pg, nil)
	out := make([]tokenJSON, 0, len(sel))
	for _, id := range sel {
		out = append(out, st.tokenIDs[id].json(q.base, false))
	}
	return ok(newPage(pg, out, last))
}

// revoke deletes one token by id.
func (e tokenEndpoints) revoke(q *request) reply {
	e.s.mu.Lock()
	defer e.s.mu.Unlock()
	st := e.s.st
	h, err := e.holder(st, q)
	if err != nil {
		return fail(err)
	}
	id := q.PathValue("tokenId")
	t, found := st.tokenIDs[id]
	if !found || t.tokenHolder != h {
		return fail(&apiError{status: http.StatusNotFound, exception: exNoSuchEntity,
			message: "No access token with ID " + id + " exists here."})
	}
	st.dropToken(t)
	return noContent()
}
