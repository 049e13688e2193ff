package bitbucket

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// PermissionGrant is one explicit grant at a scope: a user or group name and
// its highest permission there (§3).
type PermissionGrant struct {
	Principal  string // user name or group name, as stored by the server
	Permission string
	User       *User // nil for groups
}

// permittedEntry is a §6.2 list value.
type permittedEntry struct {
	User  *User `json:"user"`
	Group *struct {
		Name string `json:"name"`
	} `json:"group"`
	Permission string `json:"permission"`
}

func (e permittedEntry) grant() PermissionGrant {
	g := PermissionGrant{Permission: e.Permission}
	switch {
	case e.User != nil:
		u := *e.User
		g.User = &u
		g.Principal = u.Name
	case e.Group != nil:
		g.Principal = e.Group.Name
	}
	return g
}

func permissionsPath(scope Scope, principal PrincipalType) (string, error) {
	if err := principal.valid(); err != nil {
		return "", err
	}
	base, err := scope.permissionsPath()
	if err != nil {
		return "", err
	}
	return base + "/" + string(principal), nil
}

// ListPermissions returns every explicit grant to principals of one type at
// scope (§11: inherited access is not listed). filter is the server's
// case-insensitive substring match on the name (§16); "" lists all.
func (c *Client) ListPermissions(ctx context.Context, scope Scope, principal PrincipalType, filter string) ([]PermissionGrant, error) {
	path, err := permissionsPath(scope, principal)
	if err != nil {
		return nil, err
	}
	q := url.Values{}
	if filter != "" {
		q.Set("filter", filter)
	}
	entries, err := listAll[permittedEntry](ctx, c, path, q)
	if err != nil {
		return nil, err
	}
	grants := make([]PermissionGrant, 0, len(entries))
	for _, e := range entries {
		grants = append(grants, e.grant())
	}
	return grants, nil
}

// GetPermission returns the explicit grant of the named principal at scope,
// or (nil, nil) when it has none. The server's filter is a substring match,
// so "bob" also lists "bobby"; names are case-insensitive and stored with
// their own case (§16), so "Alice" finds "alice" and the grant carries the
// stored spelling. A missing project or repository is the *APIError (404).
func (c *Client) GetPermission(ctx context.Context, scope Scope, principal PrincipalType, name string) (*PermissionGrant, error) {
	if err := requireNonEmpty("principal name", name); err != nil {
		return nil, err
	}
	path, err := permissionsPath(scope, principal)
	if err != nil {
		return nil, err
	}
	var found *PermissionGrant
	err = eachPage(ctx, c, path, url.Values{"filter": {name}}, func(entries []permittedEntry) bool {
		for _, e := range entries {
			if g := e.grant(); strings.EqualFold(g.Principal, name) {
				found = &g
				return true
			}
		}
		return false
	})
	if err != nil {
		return nil, err
	}
	return found, nil
}

// SetPermission grants permission to every name at scope, replacing each
// principal's previous level there: PUT …?name=a&name=b&permission=P
// (§4, §5). §1: the arguments go in the query; no body is sent.
func (c *Client) SetPermission(ctx context.Context, scope Scope, principal PrincipalType, permission string, names ...string) error {
	path, err := permissionsPath(scope, principal)
	if err != nil {
		return err
	}
	if err := requireNonEmpty("permission", permission); err != nil {
		return err
	}
	if len(names) == 0 {
		return errors.New("bitbucket: SetPermission needs at least one name")
	}
	for i, n := range names {
		if strings.TrimSpace(n) == "" {
			return fmt.Errorf("bitbucket: SetPermission name #%d is empty", i+1)
		}
	}
	q := url.Values{"name": names, "permission": {permission}}
	return c.do(ctx, call{method: http.MethodPut, path: path, query: q, idempotent: true}, nil)
}

// RevokePermission removes the principal's explicit grant at scope:
// DELETE …?name=. §7.2: revoking from an unknown group is a 204 no-op; an
// unknown user is a 404.
func (c *Client) RevokePermission(ctx context.Context, scope Scope, principal PrincipalType, name string) error {
	path, err := permissionsPath(scope, principal)
	if err != nil {
		return err
	}
	if err := requireNonEmpty("principal name", name); err != nil {
		return err
	}
	q := url.Values{"name": {name}}
	return c.do(ctx, call{method: http.MethodDelete, path: path, query: q, idempotent: true}, nil)
}
