package bitbucket

import (
	"context"
	"fmt"
	"net/http"
)

// NewToken describes an HTTP access token to create (§4.5).
type NewToken struct {
	Name        string
	Permissions []string // e.g. PROJECT_READ, REPO_ADMIN
	ExpiryDays  int      // 0 = server default
}

// CreatePersonalToken creates a token for userSlug and returns its secret,
// which the server shows only once. §8: the user must call it themself,
// with Basic auth.
func (c *Client) CreatePersonalToken(ctx context.Context, userSlug string, t NewToken) (string, error) {
	if err := requireNonEmpty("user slug", userSlug); err != nil {
		return "", err
	}
	return c.createToken(ctx, t, "users", userSlug)
}

// CreateProjectToken creates a project token (Bearer only, §8).
func (c *Client) CreateProjectToken(ctx context.Context, projectKey string, t NewToken) (string, error) {
	if err := requireNonEmpty("project key", projectKey); err != nil {
		return "", err
	}
	return c.createToken(ctx, t, "projects", projectKey)
}

// CreateRepositoryToken creates a repository token (REPO_* permissions only).
func (c *Client) CreateRepositoryToken(ctx context.Context, projectKey, slug string, t NewToken) (string, error) {
	if err := requireNonEmpty("project key", projectKey, "repository slug", slug); err != nil {
		return "", err
	}
	return c.createToken(ctx, t, "projects", projectKey, "repos", slug)
}

// createToken PUTs the token description. Despite the PUT, each call mints a
// new token, so it is not retried as idempotent.
func (c *Client) createToken(ctx context.Context, t NewToken, segments ...string) (string, error) {
	if err := requireNonEmpty("token name", t.Name); err != nil {
		return "", err
	}
	path, err := pathOf(tokensPrefix, segments...)
	if err != nil {
		return "", err
	}
	body := struct {
		Name        string   `json:"name"`
		Permissions []string `json:"permissions"`
		ExpiryDays  int      `json:"expiryDays,omitempty"`
	}{t.Name, t.Permissions, t.ExpiryDays}
	if body.Permissions == nil {
		body.Permissions = []string{}
	}
	var out struct {
		Token string `json:"token"`
	}
	if err := c.do(ctx, call{method: http.MethodPut, path: path, body: body}, &out); err != nil {
		return "", err
	}
	if out.Token == "" {
		return "", fmt.Errorf("PUT %s%s: the response carries no token", c.basePath, path)
	}
	return out.Token, nil
}
