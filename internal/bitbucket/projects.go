package bitbucket

import (
	"context"
	"net/http"
)

// Project is the §6.3 project object.
type Project struct {
	Key         string `json:"key"`
	Name        string `json:"name"`
	Description string `json:"description"` // present only when set
	Type        string `json:"type"`        // NORMAL or PERSONAL
	ID          int    `json:"id"`
	Public      bool   `json:"public"`
}

// Repository is the §6.4 repository object.
type Repository struct {
	Slug    string  `json:"slug"`
	Name    string  `json:"name"`
	ID      int     `json:"id"`
	Public  bool    `json:"public"`
	Project Project `json:"project"`
}

// GetProject fetches a project; 404 NoSuchProjectException when missing.
func (c *Client) GetProject(ctx context.Context, key string) (*Project, error) {
	if err := requireNonEmpty("project key", key); err != nil {
		return nil, err
	}
	path, err := apiPath("projects", key)
	if err != nil {
		return nil, err
	}
	var p Project
	if err := c.do(ctx, call{method: http.MethodGet, path: path, idempotent: true}, &p); err != nil {
		return nil, err
	}
	return &p, nil
}

// GetRepository fetches a repository; 404 with NoSuchRepositoryException, or
// NoSuchProjectException when the project itself is missing (§7.2).
func (c *Client) GetRepository(ctx context.Context, projectKey, slug string) (*Repository, error) {
	if err := requireNonEmpty("project key", projectKey, "repository slug", slug); err != nil {
		return nil, err
	}
	path, err := apiPath("projects", projectKey, "repos", slug)
	if err != nil {
		return nil, err
	}
	var r Repository
	if err := c.do(ctx, call{method: http.MethodGet, path: path, idempotent: true}, &r); err != nil {
		return nil, err
	}
	return &r, nil
}

// ListRepositories lists every repository of a project the caller can see.
func (c *Client) ListRepositories(ctx context.Context, projectKey string) ([]Repository, error) {
	if err := requireNonEmpty("project key", projectKey); err != nil {
		return nil, err
	}
	path, err := apiPath("projects", projectKey, "repos")
	if err != nil {
		return nil, err
	}
	return listAll[Repository](ctx, c, path, nil)
}
