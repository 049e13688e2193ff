package provider

import (
	"fmt"
	"strings"

	"github.com/bitbucket-access/terraform-provider-bitbucket/internal/bitbucket"
)

// scopeLevel is where a grant lives: Bitbucket's three permission scopes.
type scopeLevel int

const (
	scopeGlobal scopeLevel = iota
	scopeProject
	scopeRepository
)

// Permission values per scope, lowest first (bitbucket-api.md §3).
var (
	repositoryPermissions = []string{"REPO_READ", "REPO_WRITE", "REPO_ADMIN"}
	projectPermissions    = []string{"PROJECT_READ", "PROJECT_WRITE", "REPO_CREATE", "PROJECT_ADMIN"}
	globalPermissions     = []string{"LICENSED_USER", "PROJECT_CREATE", "ADMIN", "SYS_ADMIN"}
)

// grantKind describes one permission resource by its small differences:
// the scope its grants live in and the kind of principal that receives them.
// All behaviour lives in grantResource, written once.
type grantKind struct {
	scope     scopeLevel
	principal bitbucket.PrincipalType
}

// typeName is the resource type without the provider prefix, such as
// "repo_user_permission".
func (k grantKind) typeName() string {
	return k.scopeWord() + "_" + k.principalAttribute() + "_permission"
}

func (k grantKind) scopeWord() string {
	switch k.scope {
	case scopeRepository:
		return "repo"
	case scopeProject:
		return "project"
	default:
		return "global"
	}
}

// principalAttribute is the schema attribute naming the principal.
func (k grantKind) principalAttribute() string {
	if k.principal == bitbucket.PrincipalGroup {
		return "group"
	}
	return "user"
}

// permissions lists the values Bitbucket accepts at this scope.
func (k grantKind) permissions() []string {
	switch k.scope {
	case scopeRepository:
		return repositoryPermissions
	case scopeProject:
		return projectPermissions
	default:
		return globalPermissions
	}
}

// scopeAttributes are the identifying attributes before the principal, in
// import ID order.
func (k grantKind) scopeAttributes() []string {
	switch k.scope {
	case scopeRepository:
		return []string{"project_key", "repository_slug"}
	case scopeProject:
		return []string{"project_key"}
	default:
		return nil
	}
}

// idAttributes are every identifying attribute, in import ID order.
func (k grantKind) idAttributes() []string {
	return append(k.scopeAttributes(), k.principalAttribute())
}

// importIDFormat shows the import ID with placeholders and an example.
func (k grantKind) importIDFormat() (format, example string) {
	parts := map[string][2]string{
		"project_key":     {"PROJECT_KEY", "PROJ"},
		"repository_slug": {"repository-slug", "test"},
		"user":            {"username", "alice"},
		"group":           {"group-name", "developers"},
	}
	var f, e []string
	for _, attr := range k.idAttributes() {
		f = append(f, parts[attr][0])
		e = append(e, parts[attr][1])
	}
	return strings.Join(f, "/"), strings.Join(e, "/")
}

// neededPermission is what the provider's credentials must hold to manage
// grants at this scope (bitbucket-api.md §4).
func (k grantKind) neededPermission() string {
	switch k.scope {
	case scopeRepository:
		return "REPO_ADMIN"
	case scopeProject:
		return "PROJECT_ADMIN"
	default:
		return "ADMIN (and SYS_ADMIN to grant SYS_ADMIN)"
	}
}

// grantAddress identifies one grant: a principal at a scope.
type grantAddress struct {
	ProjectKey     string
	RepositorySlug string
	Principal      string
}

func (k grantKind) clientScope(a grantAddress) bitbucket.Scope {
	switch k.scope {
	case scopeRepository:
		return bitbucket.RepositoryScope(a.ProjectKey, a.RepositorySlug)
	case scopeProject:
		return bitbucket.ProjectScope(a.ProjectKey)
	default:
		return bitbucket.GlobalScope()
	}
}

// scopeName names the scope for messages: "repository PROJ/test".
func (k grantKind) scopeName(a grantAddress) string {
	switch k.scope {
	case scopeRepository:
		return "repository " + a.ProjectKey + "/" + a.RepositorySlug
	case scopeProject:
		return "project " + a.ProjectKey
	default:
		return "the global permissions"
	}
}

// missingScopeName names the object a 404 reports missing, such as
// "project PROJ" when a repository's whole project is gone.
func (k grantKind) missingScopeName(err error, a grantAddress) string {
	switch bitbucket.MissingObject(err) {
	case "project":
		return "project " + a.ProjectKey
	case "repository":
		return "repository " + a.ProjectKey + "/" + a.RepositorySlug
	default:
		return k.scopeName(a)
	}
}

// describe names the grant for messages: `user "alice" on repository PROJ/test`.
func (k grantKind) describe(a grantAddress) string {
	return fmt.Sprintf("%s %q on %s", k.principalAttribute(), a.Principal, k.scopeName(a))
}

// id is the resource ID, which is also its import ID.
func (k grantKind) id(a grantAddress) string {
	return strings.Join(k.values(a), "/")
}

// values returns the identifying values in idAttributes order.
func (k grantKind) values(a grantAddress) []string {
	switch k.scope {
	case scopeRepository:
		return []string{a.ProjectKey, a.RepositorySlug, a.Principal}
	case scopeProject:
		return []string{a.ProjectKey, a.Principal}
	default:
		return []string{a.Principal}
	}
}

// parseID reads an import ID. The principal comes last and keeps any further
// slashes, since group names may contain them.
func (k grantKind) parseID(id string) (grantAddress, error) {
	n := len(k.idAttributes())
	parts := strings.SplitN(id, "/", n)
	valid := len(parts) == n
	for _, p := range parts {
		if strings.TrimSpace(p) == "" {
			valid = false
		}
	}
	if !valid {
		format, example := k.importIDFormat()
		return grantAddress{}, fmt.Errorf("expected an import ID of the form %q, for example %q; got %q", format, example, id)
	}
	return k.address(parts), nil
}

// address builds a grantAddress from the identifying values in idAttributes
// order; it is the inverse of values.
func (k grantKind) address(v []string) grantAddress {
	switch k.scope {
	case scopeRepository:
		return grantAddress{ProjectKey: v[0], RepositorySlug: v[1], Principal: v[2]}
	case scopeProject:
		return grantAddress{ProjectKey: v[0], Principal: v[1]}
	default:
		return grantAddress{Principal: v[0]}
	}
}
