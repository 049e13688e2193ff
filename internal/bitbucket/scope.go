package bitbucket

import "fmt"

// Scope selects where a permission applies. The zero value is global.
type Scope struct {
	ProjectKey, RepositorySlug string
}

func GlobalScope() Scope                   { return Scope{} }
func ProjectScope(projectKey string) Scope { return Scope{ProjectKey: projectKey} }
func RepositoryScope(projectKey, repositorySlug string) Scope {
	return Scope{ProjectKey: projectKey, RepositorySlug: repositorySlug}
}

func (s Scope) IsGlobal() bool     { return s.ProjectKey == "" && s.RepositorySlug == "" }
func (s Scope) IsRepository() bool { return s.RepositorySlug != "" }

// String returns "global", "project PROJ" or "repository PROJ/test".
func (s Scope) String() string {
	switch {
	case s.IsGlobal():
		return "global"
	case s.IsRepository():
		return "repository " + s.ProjectKey + "/" + s.RepositorySlug
	default:
		return "project " + s.ProjectKey
	}
}

// permissionsPath is the escaped base of the permission endpoints (§4.1–4.3).
func (s Scope) permissionsPath() (string, error) {
	switch {
	case s.IsGlobal():
		return apiPath("admin", "permissions")
	case s.ProjectKey == "":
		return "", fmt.Errorf("bitbucket: repository scope %q has no project key", s.RepositorySlug)
	case s.IsRepository():
		return apiPath("projects", s.ProjectKey, "repos", s.RepositorySlug, "permissions")
	default:
		return apiPath("projects", s.ProjectKey, "permissions")
	}
}

// PrincipalType is the path segment that selects users or groups.
type PrincipalType string

const (
	PrincipalUser  PrincipalType = "users"
	PrincipalGroup PrincipalType = "groups"
)

func (p PrincipalType) valid() error {
	if p != PrincipalUser && p != PrincipalGroup {
		return fmt.Errorf("bitbucket: principal type %q is neither %q nor %q", string(p), PrincipalUser, PrincipalGroup)
	}
	return nil
}
