package bitbuckettest

// Effective permissions (§3, §11): global over project over repository,
// directly or through groups; the project default permission applies to
// every logged-in user; a token caps what its owner may do (§8).

// userGlobal is u's global level, directly or through a group.
func (st *state) userGlobal(u *user) permission { return st.global.levelOf(u) }

// userProject is u's effective level on p.
func (st *state) userProject(u *user, p *project) permission {
	best := st.userGlobal(u).onProject()
	if best == permProjectAdmin {
		return best
	}
	return max(best, p.defaultPerm, p.grants.levelOf(u))
}

// userRepo is u's effective level on r.
func (st *state) userRepo(u *user, r *repository) permission {
	return max(st.userProject(u, r.project).onRepo(), r.grants.levelOf(u))
}

// ownLevel is u's own effective level at t, which a change may not lower (§11).
func (st *state) ownLevel(u *user, t target) permission {
	switch t.kind {
	case scopeRepo:
		return st.userRepo(u, t.repo)
	case scopeProject:
		return st.userProject(u, t.project)
	}
	return st.userGlobal(u)
}

// serviceToken reports whether c acts as a project or repository token,
// a service user in no directory (§8 S40).
func (c *caller) serviceToken() bool { return c.token != nil && c.token.kind != personalToken }

// loggedIn is "authenticated" for the permission checks: a licensed user
// (a user with no global permission cannot log in, §3), or a service token.
func (st *state) loggedIn(c *caller) bool {
	if c.serviceToken() {
		return true
	}
	return c.user != nil && st.licensed(c.user)
}

func (st *state) callerGlobal(c *caller) permission {
	if c.user == nil || !st.licensed(c.user) {
		return permNone // service tokens hold no global permission
	}
	lvl := st.userGlobal(c.user)
	if c.token != nil {
		lvl = min(lvl, c.token.globalCap())
	}
	return lvl
}

// callerProject is c's effective level on p. A project token acts on its own
// project only; a repository token has no project permission (§8).
func (st *state) callerProject(c *caller, p *project) permission {
	if c.serviceToken() {
		if c.token.project == p {
			return c.token.projectCap
		}
		return permNone
	}
	if c.user == nil || !st.licensed(c.user) {
		return permNone
	}
	lvl := st.userProject(c.user, p)
	if c.token != nil {
		lvl = min(lvl, c.token.projectCap)
	}
	return lvl
}

// callerRepo is c's effective level on r.
func (st *state) callerRepo(c *caller, r *repository) permission {
	if c.serviceToken() {
		if c.token.repo == r || c.token.project == r.project {
			return c.token.repoCap
		}
		return permNone
	}
	if c.user == nil || !st.licensed(c.user) {
		return permNone
	}
	lvl := st.userRepo(c.user, r)
	if c.token != nil {
		lvl = min(lvl, c.token.repoCap)
	}
	return lvl
}

// canViewProject is PROJECT_VIEW: implied by any permission on the project
// or on one of its repositories (§3).
func (st *state) canViewProject(c *caller, p *project) bool {
	if st.callerProject(c, p) >= permProjectRead {
		return true
	}
	for _, r := range p.repos.m {
		if st.callerRepo(c, r) >= permRepoRead {
			return true
		}
	}
	return false
}

// mayAdminister says whether c may manage the grants at t (§4.1–4.3
// "Caller needs"): REPO_ADMIN, PROJECT_ADMIN or ADMIN.
func (st *state) mayAdminister(c *caller, t target) bool {
	switch t.kind {
	case scopeRepo:
		return st.callerRepo(c, t.repo) >= permRepoAdmin
	case scopeProject:
		return st.callerProject(c, t.project) >= permProjectAdmin
	}
	return st.callerGlobal(c) >= permAdmin
}
