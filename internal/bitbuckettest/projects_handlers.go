package bitbuckettest

import (
	"net/http"
)

// Projects and repositories (§4.4, §4.5).

// listProjects lists the projects the caller can view, optionally those
// whose name contains ?name= (assumption: case-insensitive, like filter).
func (s *Server) listProjects(q *request) reply {
	s.mu.RLock()
	defer s.mu.RUnlock()
	st := s.st
	pg, err := parsePage(q.query)
	if err != nil {
		return fail(err)
	}
	name := lower(q.query.Get("name"))
	keep := func(k string) bool {
		p := st.projects.m[k]
		return contains(p.name, name) && st.canViewProject(q.caller, p)
	}
	return ok(pageOf(&st.projects, pg, keep, func(_ string, p *project) projectJSON { return p.json(q.base) }))
}

// projectBody is POST /projects. Besides key, name and description it
// accepts the other fields of the real project shape, which clients echo.
type projectBody struct {
	Key         string          `json:"key"`
	Name        string          `json:"name"`
	Description string          `json:"description"`
	Public      bool            `json:"public"`
	Avatar      string          `json:"avatar"`
	ID          *int            `json:"id"`
	Type        string          `json:"type"`
	Links       *map[string]any `json:"links"`
}

// createProject needs PROJECT_CREATE and grants the creator PROJECT_ADMIN
// explicitly, even a SYS_ADMIN creator (§11).
func (s *Server) createProject(q *request) reply {
	raw := readBody(q)
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.st
	if st.callerGlobal(q.caller) < permProjectCreate {
		return fail(errNotPermitted())
	}
	var b projectBody
	if err := decodeJSON(raw, &b); err != nil {
		return fail(err)
	}
	p, err := st.createProject(b.Key, b.Name, b.Description)
	if err != nil {
		return fail(err)
	}
	if q.caller.user != nil {
		p.grants.users.put(q.caller.user.key, permProjectAdmin)
	}
	return reply{status: http.StatusCreated, body: p.json(q.base)}
}

func (s *Server) getProject(q *request) reply {
	s.mu.RLock()
	defer s.mu.RUnlock()
	p, err := s.st.findProject(q.PathValue("projectKey"))
	if err != nil {
		return fail(err)
	}
	if !s.st.canViewProject(q.caller, p) {
		return fail(errNotPermitted())
	}
	return ok(p.json(q.base))
}

// deleteProject refuses while repositories remain (§7.2: 409).
func (s *Server) deleteProject(q *request) reply {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, err := s.st.findProject(q.PathValue("projectKey"))
	if err != nil {
		return fail(err)
	}
	if s.st.callerProject(q.caller, p) < permProjectAdmin {
		return fail(errNotPermitted())
	}
	if p.repos.len() > 0 {
		return fail(errConflict("The project \"%s\" cannot be deleted because it has repositories.", p.key))
	}
	s.st.deleteProject(p)
	return noContent()
}

// listRepositories lists the project's repositories the caller can read.
func (s *Server) listRepositories(q *request) reply {
	s.mu.RLock()
	defer s.mu.RUnlock()
	st := s.st
	p, err := st.findProject(q.PathValue("projectKey"))
	if err != nil {
		return fail(err)
	}
	if !st.canViewProject(q.caller, p) {
		return fail(errNotPermitted())
	}
	pg, err := parsePage(q.query)
	if err != nil {
		return fail(err)
	}
	keep := func(k string) bool { return st.callerRepo(q.caller, p.repos.m[k]) >= permRepoRead }
	return ok(pageOf(&p.repos, pg, keep, func(_ string, r *repository) repositoryJSON { return r.json(q.base) }))
}

// repositoryBody is POST /projects/{key}/repos; only name matters, the
// other fields of the real shape are accepted and ignored.
type repositoryBody struct {
	Name          string `json:"name"`
	ScmID         string `json:"scmId"`
	Forkable      *bool  `json:"forkable"`
	Public        bool   `json:"public"`
	Description   string `json:"description"`
	DefaultBranch string `json:"defaultBranch"`
}

// createRepository needs REPO_CREATE or PROJECT_ADMIN on the project. §11:
// an admin creator gets no grant; from 8.2 a REPO_CREATE creator becomes the
// repository's admin. assumption: as an explicit, listed REPO_ADMIN grant.
func (s *Server) createRepository(q *request) reply {
	raw := readBody(q)
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.st
	p, err := st.findProject(q.PathValue("projectKey"))
	if err != nil {
		return fail(err)
	}
	if st.callerProject(q.caller, p) < permRepoCreate {
		return fail(errNotPermitted())
	}
	var b repositoryBody
	if err := decodeJSON(raw, &b); err != nil {
		return fail(err)
	}
	if b.ScmID != "" && b.ScmID != "git" {
		return fail(errInvalid("scmId", "Only git repositories are supported."))
	}
	r, err := st.createRepository(p, b.Name)
	if err != nil {
		return fail(err)
	}
	if u := q.caller.user; u != nil && st.userRepo(u, r) < permRepoAdmin {
		r.grants.users.put(u.key, permRepoAdmin)
	}
	return reply{status: http.StatusCreated, body: r.json(q.base)}
}

func (s *Server) getRepository(q *request) reply {
	s.mu.RLock()
	defer s.mu.RUnlock()
	r, err := s.st.findRepository(q.PathValue("projectKey"), q.PathValue("repositorySlug"))
	if err != nil {
		return fail(err)
	}
	if s.st.callerRepo(q.caller, r) < permRepoRead {
		return fail(errNotPermitted())
	}
	return ok(r.json(q.base))
}

// deleteRepository answers 202 (deletion scheduled; here it is immediate).
// The spec answers 204 when no such repository exists; a missing project is
// still 404 (assumption).
func (s *Server) deleteRepository(q *request) reply {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.st
	r, err := st.findRepository(q.PathValue("projectKey"), q.PathValue("repositorySlug"))
	switch {
	case err != nil && err.exception == exNoSuchRepository:
		return noContent()
	case err != nil:
		return fail(err)
	case st.callerRepo(q.caller, r) < permRepoAdmin:
		return fail(errNotPermitted())
	}
	st.deleteRepository(r)
	return reply{status: http.StatusAccepted}
}
