package provider

import (
	"fmt"
	"strings"

	"github.com/bitbucket-access/terraform-provider-bitbucket/internal/bitbucket"
)

// grantKind describes one permission resource by its small differences:
// the scope its grants live in and the kind of principal that receives them.
// All behaviour lives in grantResource, written once.
type grantKind struct {
	scope     scopeLevel
	principal bitbucket.PrincipalType
}

// grantAddress identifies one grant: a principal at a scope.
type grantAddress struct {
	scopeAddress
	Principal string
}

// typeName is the resource type without the provider prefix, such as
// "repo_user_permission".
func (k grantKind) typeName() string {
	return k.scope.word() + "_" + k.principalAttribute() + "_permission"
}

// principalAttribute is the schema attribute naming the principal.
func (k grantKind) principalAttribute() string {
	if k.principal == bitbucket.PrincipalGroup {
		return "group"
	}
	return "user"
}

func (k grantKind) permissions() []string { return k.scope.permissions() }

// idAttributes are every identifying attribute, in import ID order.
func (k grantKind) idAttributes() []string {
	return append(k.scope.attributes(), k.principalAttribute())
}

// importIDFormat shows the import ID with placeholders and an example.
func (k grantKind) importIDFormat() (format, example string) {
	f, e := k.scope.idPlaceholders()
	if k.principal == bitbucket.PrincipalGroup {
		f, e = append(f, "group-name"), append(e, "developers")
	} else {
		f, e = append(f, "username"), append(e, "alice")
	}
	return strings.Join(f, "/"), strings.Join(e, "/")
}

func (k grantKind) clientScope(a grantAddress) bitbucket.Scope { return k.scope.client(a.scopeAddress) }

// describe names the grant for messages: `user "alice" on repository PROJ/test`.
func (k grantKind) describe(a grantAddress) string {
	return fmt.Sprintf("%s %q on %s", k.principalAttribute(), a.Principal, k.scope.name(a.scopeAddress))
}

// id is the resource ID, which is also its import ID.
func (k grantKind) id(a grantAddress) string {
	return strings.Join(k.values(a), "/")
}

// values returns the identifying values in idAttributes order.
func (k grantKind) values(a grantAddress) []string {
	return append(k.scope.values(a.scopeAddress), a.Principal)
}

// address is the inverse of values.
func (k grantKind) address(v []string) grantAddress {
	n := len(v) - 1
	return grantAddress{scopeAddress: k.scope.address(v[:n]), Principal: v[n]}
}

// parseID reads an import ID.
func (k grantKind) parseID(id string) (grantAddress, error) {
	parts, ok := splitID(id, len(k.idAttributes()))
	if !ok {
		format, example := k.importIDFormat()
		return grantAddress{}, fmt.Errorf("expected an import ID of the form %q, for example %q; got %q", format, example, id)
	}
	return k.address(parts), nil
}
