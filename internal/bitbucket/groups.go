package bitbucket

import (
	"context"
	"net/url"
	"strings"
)

// FindGroup returns the stored spelling of the group whose name equals name
// ignoring case (§16), or "" when there is none.
//
// It asks GET /groups, a page of bare names that any licensed user may read
// (§4.4). /admin/* endpoints refuse HTTP access tokens (§4.3, §8), so
// /admin/groups is used only when /groups is not served (404).
func (c *Client) FindGroup(ctx context.Context, name string) (string, error) {
	if err := requireNonEmpty("group name", name); err != nil {
		return "", err
	}
	q := url.Values{"filter": {name}}
	var found string

	path, err := apiPath("groups")
	if err != nil {
		return "", err
	}
	err = eachPage(ctx, c, path, q, func(names []string) bool {
		for _, n := range names {
			if strings.EqualFold(n, name) {
				found = n
				return true
			}
		}
		return false
	})
	if err == nil || !IsNotFound(err) {
		return found, err
	}

	path, err = apiPath("admin", "groups")
	if err != nil {
		return "", err
	}
	type adminGroup struct {
		Name string `json:"name"`
	}
	err = eachPage(ctx, c, path, q, func(groups []adminGroup) bool {
		for _, g := range groups {
			if strings.EqualFold(g.Name, name) {
				found = g.Name
				return true
			}
		}
		return false
	})
	return found, err
}

// GroupExists reports whether a group of that name (ignoring case) exists.
func (c *Client) GroupExists(ctx context.Context, name string) (bool, error) {
	found, err := c.FindGroup(ctx, name)
	return found != "", err
}

// GroupMembers lists every member of group:
// GET /admin/groups/more-members?context=GROUP, all pages.
func (c *Client) GroupMembers(ctx context.Context, group string) ([]User, error) {
	if err := requireNonEmpty("group name", group); err != nil {
		return nil, err
	}
	path, err := apiPath("admin", "groups", "more-members")
	if err != nil {
		return nil, err
	}
	return listAll[User](ctx, c, path, url.Values{"context": {group}})
}
