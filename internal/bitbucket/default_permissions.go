package bitbucket

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
)

// DefaultPermission reports whether every logged-in user holds permission on
// the project by default: GET P/permissions/{permission}/all (§4.2). This is
// not the project's public flag, which concerns anonymous access.
func (c *Client) DefaultPermission(ctx context.Context, projectKey, permission string) (bool, error) {
	if err := requireNonEmpty("project key", projectKey, "permission", permission); err != nil {
		return false, err
	}
	path, err := apiPath("projects", projectKey, "permissions", permission, "all")
	if err != nil {
		return false, err
	}
	var out struct {
		Permitted bool `json:"permitted"`
	}
	if err := c.do(ctx, call{method: http.MethodGet, path: path, idempotent: true}, &out); err != nil {
		return false, err
	}
	return out.Permitted, nil
}

// SetDefaultPermission grants or removes the project default permission:
// POST P/permissions/{permission}/all?allow=. It has no body, so it relies
// on X-Atlassian-Token (§9). Setting a value is idempotent, so it is retried
// like a GET.
func (c *Client) SetDefaultPermission(ctx context.Context, projectKey, permission string, allow bool) error {
	if err := requireNonEmpty("project key", projectKey, "permission", permission); err != nil {
		return err
	}
	path, err := apiPath("projects", projectKey, "permissions", permission, "all")
	if err != nil {
		return err
	}
	q := url.Values{"allow": {strconv.FormatBool(allow)}}
	return c.do(ctx, call{method: http.MethodPost, path: path, query: q, idempotent: true}, nil)
}
