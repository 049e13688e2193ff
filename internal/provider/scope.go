package provider

import (
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/bitbucket-access/terraform-provider-bitbucket/internal/bitbucket"
)

// scopeLevel is where a grant lives: Bitbucket's three permission scopes.
// Every permission resource and data source is described by one.
type scopeLevel int

const (
	scopeGlobal scopeLevel = iota
	scopeProject
	scopeRepository
)

// Permission values per scope, lowest first (bitbucket-api.md §3).
// REPO_CREATE exists from Bitbucket 8.2; older servers answer 400.
var (
	repositoryPermissions = []string{"REPO_READ", "REPO_WRITE", "REPO_ADMIN"}
	projectPermissions    = []string{"PROJECT_READ", "PROJECT_WRITE", "REPO_CREATE", "PROJECT_ADMIN"}
	globalPermissions     = []string{"LICENSED_USER", "PROJECT_CREATE", "ADMIN", "SYS_ADMIN"}
)

// scopeAddress names one scope: a repository, a project, or the instance.
type scopeAddress struct {
	ProjectKey     string
	RepositorySlug string
}

// word is the scope as it appears in type names: "repo", "project", "global".
func (s scopeLevel) word() string {
	switch s {
	case scopeRepository:
		return "repo"
	case scopeProject:
		return "project"
	default:
		return "global"
	}
}

// noun is the scope in prose: "repository", "project", "global".
func (s scopeLevel) noun() string {
	if s == scopeRepository {
		return "repository"
	}
	return s.word()
}

// permissions lists the values Bitbucket accepts at this scope.
func (s scopeLevel) permissions() []string {
	switch s {
	case scopeRepository:
		return repositoryPermissions
	case scopeProject:
		return projectPermissions
	default:
		return globalPermissions
	}
}

// attributes are the schema attributes naming the scope, in import ID order.
func (s scopeLevel) attributes() []string {
	switch s {
	case scopeRepository:
		return []string{"project_key", "repository_slug"}
	case scopeProject:
		return []string{"project_key"}
	default:
		return nil
	}
}

// resourceAttributes are the schema attributes naming the scope in a
// resource: required, and replacing the resource when changed, since a
// grant cannot move. what names the resource in the descriptions.
func (s scopeLevel) resourceAttributes(what string) map[string]schema.Attribute {
	descriptions := map[string]string{
		"project_key":     "Key of the project, such as `PROJ`.",
		"repository_slug": "Slug of the repository, as in its URL (`…/repos/{slug}`), not its display name.",
	}
	attrs := map[string]schema.Attribute{}
	for _, a := range s.attributes() {
		attrs[a] = schema.StringAttribute{
			MarkdownDescription: descriptions[a] + " Changing it replaces the " + what + ".",
			Required:            true,
			Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
			PlanModifiers:       []planmodifier.String{stringplanmodifier.RequiresReplace()},
		}
	}
	return attrs
}

// neededPermission is what the provider's credentials must hold to manage
// grants at this scope (bitbucket-api.md §4).
func (s scopeLevel) neededPermission() string {
	switch s {
	case scopeRepository:
		return "REPO_ADMIN"
	case scopeProject:
		return "PROJECT_ADMIN"
	default:
		return "ADMIN (and SYS_ADMIN to grant SYS_ADMIN)"
	}
}

func (s scopeLevel) client(a scopeAddress) bitbucket.Scope {
	switch s {
	case scopeRepository:
		return bitbucket.RepositoryScope(a.ProjectKey, a.RepositorySlug)
	case scopeProject:
		return bitbucket.ProjectScope(a.ProjectKey)
	default:
		return bitbucket.GlobalScope()
	}
}

// name names the scope for messages: "repository PROJ/test".
func (s scopeLevel) name(a scopeAddress) string {
	switch s {
	case scopeRepository:
		return "repository " + a.ProjectKey + "/" + a.RepositorySlug
	case scopeProject:
		return "project " + a.ProjectKey
	default:
		return "the global permissions"
	}
}

// missingName names the object a 404 reports missing, such as
// "project PROJ" when a repository's whole project is gone.
func (s scopeLevel) missingName(err error, a scopeAddress) string {
	switch bitbucket.MissingObject(err) {
	case "project":
		return "project " + a.ProjectKey
	case "repository":
		return "repository " + a.ProjectKey + "/" + a.RepositorySlug
	default:
		return s.name(a)
	}
}

// values returns the scope's identifying values in attributes order.
func (s scopeLevel) values(a scopeAddress) []string {
	switch s {
	case scopeRepository:
		return []string{a.ProjectKey, a.RepositorySlug}
	case scopeProject:
		return []string{a.ProjectKey}
	default:
		return nil
	}
}

// address is the inverse of values.
func (s scopeLevel) address(v []string) scopeAddress {
	switch s {
	case scopeRepository:
		return scopeAddress{ProjectKey: v[0], RepositorySlug: v[1]}
	case scopeProject:
		return scopeAddress{ProjectKey: v[0]}
	default:
		return scopeAddress{}
	}
}

// idPlaceholders shows the scope part of an import ID with placeholders and
// an example.
func (s scopeLevel) idPlaceholders() (format, example []string) {
	switch s {
	case scopeRepository:
		return []string{"PROJECT_KEY", "repository-slug"}, []string{"PROJ", "test"}
	case scopeProject:
		return []string{"PROJECT_KEY"}, []string{"PROJ"}
	default:
		return nil, nil
	}
}

// splitID splits an import ID into n non-blank parts; the last part keeps any
// further slashes, since group names may contain them.
func splitID(id string, n int) ([]string, bool) {
	parts := strings.SplitN(id, "/", n)
	if len(parts) != n {
		return nil, false
	}
	for _, p := range parts {
		if strings.TrimSpace(p) == "" {
			return nil, false
		}
	}
	return parts, true
}
