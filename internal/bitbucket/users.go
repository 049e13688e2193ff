package bitbucket

import (
	"context"
	"net/http"
	"net/url"
	"strings"
)

// User is the §6.1 user object. Name is the username used by permission
// endpoints; Slug is what /users/{slug} takes (they differ, e.g. for names
// containing "@", §11).
type User struct {
	Name         string `json:"name"`
	Slug         string `json:"slug"`
	DisplayName  string `json:"displayName"`
	EmailAddress string `json:"emailAddress"`
	Type         string `json:"type"` // NORMAL or SERVICE
	ID           int    `json:"id"`
	Active       bool   `json:"active"`
}

// FindUser returns the user whose name equals name ignoring case (§16), or
// (nil, nil). The /users filter also matches display names and e-mail
// addresses by substring (§4.4), hence the exact post-filter.
func (c *Client) FindUser(ctx context.Context, name string) (*User, error) {
	if err := requireNonEmpty("user name", name); err != nil {
		return nil, err
	}
	path, err := apiPath("users")
	if err != nil {
		return nil, err
	}
	var found *User
	err = eachPage(ctx, c, path, url.Values{"filter": {name}}, func(users []User) bool {
		for i := range users {
			if strings.EqualFold(users[i].Name, name) {
				u := users[i]
				found = &u
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

// GetUser fetches a user by slug (not username, §11). A missing user is a
// 404 *APIError with NoSuchUserException.
func (c *Client) GetUser(ctx context.Context, slug string) (*User, error) {
	if err := requireNonEmpty("user slug", slug); err != nil {
		return nil, err
	}
	path, err := apiPath("users", slug)
	if err != nil {
		return nil, err
	}
	var u User
	if err := c.do(ctx, call{method: http.MethodGet, path: path, idempotent: true}, &u); err != nil {
		return nil, err
	}
	return &u, nil
}
