package bitbuckettest

import (
	"strings"
)

// The project default permission (§4.2 …/permissions/{permission}/all): one
// level granted to every logged-in user.
//
// assumption ([UNK] in §4.2): GET answers whether the default implies the
// level asked about, so a PROJECT_WRITE default makes PROJECT_READ/all true;
// PROJECT_ADMIN may be asked about but never set (a default may only be
// PROJECT_READ, PROJECT_WRITE or REPO_CREATE, S32); allow=true replaces the
// default, and allow=false removes it when it implies the level named.

func (s *Server) getDefaultPermission(q *request) reply {
	s.mu.RLock()
	defer s.mu.RUnlock()
	p, perm, err := s.st.defaultPermissionTarget(q, false)
	if err != nil {
		return fail(err)
	}
	return ok(map[string]bool{"permitted": p.defaultPerm >= perm})
}

func (s *Server) setDefaultPermission(q *request) reply {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, perm, err := s.st.defaultPermissionTarget(q, true)
	if err != nil {
		return fail(err)
	}
	var allow bool
	switch strings.ToLower(q.query.Get("allow")) {
	case "true":
		allow = true
	case "false":
	default:
		return fail(errInvalid("allow", "allow must be true or false."))
	}
	setDefault(p, perm, allow)
	return noContent()
}

// defaultPermissionTarget runs the shared checks: the project exists (404),
// the caller is its admin (401), the path permission is valid (400).
func (st *state) defaultPermissionTarget(q *request, forSet bool) (*project, permission, *apiError) {
	p, err := st.findProject(q.PathValue("projectKey"))
	if err != nil {
		return nil, permNone, err
	}
	if st.callerProject(q.caller, p) < permProjectAdmin {
		return nil, permNone, errNotPermitted()
	}
	name := q.PathValue("permission")
	perm, err := defaultPermissionValue(name, forSet)
	return p, perm, err
}

func defaultPermissionValue(name string, forSet bool) (permission, *apiError) {
	perm := parsePermission(name)
	if perm.scope() != scopeProject || (forSet && perm == permProjectAdmin) {
		valid := "PROJECT_READ, PROJECT_WRITE, REPO_CREATE"
		if !forSet {
			valid += ", PROJECT_ADMIN"
		}
		return permNone, errInvalid("permission", "%s is not a valid default permission; valid values are %s.", name, valid)
	}
	return perm, nil
}

func setDefault(p *project, perm permission, allow bool) {
	switch {
	case allow:
		p.defaultPerm = perm
	case p.defaultPerm >= perm:
		p.defaultPerm = permNone
	}
}
