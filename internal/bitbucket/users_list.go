package bitbucket

import (
	"context"
	"net/url"
)

// UserQuery narrows ListUsers. Every condition that is set must hold; the
// zero value lists every user the server returns.
type UserQuery struct {
	// Filter keeps users whose username, display name or e-mail address
	// contains it (§4.4).
	Filter string
	// Group keeps the members of this group.
	Group string
	// Permission keeps users who hold this global permission directly,
	// through a group, or implied by a higher one; LICENSED_USER lists every
	// user who may log in (§3).
	Permission string
}

// ListUsers returns every user that matches q, all pages: GET /users (§4.4).
//
// Unlike /admin/users and /admin/groups/more-members, any logged-in caller
// may ask, including with an HTTP access token, which /admin endpoints
// refuse (§4.3, §8). That makes it the way to list a group's members or the
// licensed users whatever the credentials.
func (c *Client) ListUsers(ctx context.Context, q UserQuery) ([]User, error) {
	path, err := apiPath("users")
	if err != nil {
		return nil, err
	}
	query := url.Values{}
	for key, value := range map[string]string{"filter": q.Filter, "group": q.Group, "permission": q.Permission} {
		if value != "" {
			query.Set(key, value)
		}
	}
	users, err := listAll[User](ctx, c, path, query)
	if err != nil {
		return nil, err
	}
	if users == nil {
		users = []User{}
	}
	return users, nil
}
