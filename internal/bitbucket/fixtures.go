package bitbucket

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
)

// The fixture calls (§4.5) let acceptance tests set up a real server. They
// are not idempotent (a repeated create fails with 409, a repeated delete
// with 404), so they are retried only on 429/503 and failures to connect.

// NewUser describes a user for CreateUser.
type NewUser struct {
	Name, DisplayName, EmailAddress, Password string
	AddToDefaultGroup                         bool // joins stash-users, which holds LICENSED_USER (§3)
}

// CreateUser creates a user: POST /admin/users with query arguments.
func (c *Client) CreateUser(ctx context.Context, u NewUser) error {
	if err := requireNonEmpty("user name", u.Name, "display name", u.DisplayName, "e-mail address", u.EmailAddress); err != nil {
		return err
	}
	path, err := apiPath("admin", "users")
	if err != nil {
		return err
	}
	q := url.Values{
		"name":              {u.Name},
		"displayName":       {u.DisplayName},
		"emailAddress":      {u.EmailAddress},
		"addToDefaultGroup": {strconv.FormatBool(u.AddToDefaultGroup)},
	}
	if u.Password != "" {
		q.Set("password", u.Password)
	}
	return c.do(ctx, call{method: http.MethodPost, path: path, query: q}, nil)
}

// DeleteUser deletes a user and, server-side, every permission granted to it.
func (c *Client) DeleteUser(ctx context.Context, name string) error {
	return c.adminDelete(ctx, "users", "user name", name)
}

// CreateGroup creates a group: POST /admin/groups?name= (409 if it exists).
func (c *Client) CreateGroup(ctx context.Context, name string) error {
	if err := requireNonEmpty("group name", name); err != nil {
		return err
	}
	path, err := apiPath("admin", "groups")
	if err != nil {
		return err
	}
	return c.do(ctx, call{method: http.MethodPost, path: path, query: url.Values{"name": {name}}}, nil)
}

// DeleteGroup deletes a group and, server-side, its permissions.
func (c *Client) DeleteGroup(ctx context.Context, name string) error {
	return c.adminDelete(ctx, "groups", "group name", name)
}

func (c *Client) adminDelete(ctx context.Context, kind, what, name string) error {
	if err := requireNonEmpty(what, name); err != nil {
		return err
	}
	path, err := apiPath("admin", kind)
	if err != nil {
		return err
	}
	return c.do(ctx, call{method: http.MethodDelete, path: path, query: url.Values{"name": {name}}}, nil)
}

// AddUsersToGroup adds users to group: POST /admin/groups/add-users with
// JSON {"group","users"}.
func (c *Client) AddUsersToGroup(ctx context.Context, group string, users ...string) error {
	if err := requireNonEmpty("group name", group); err != nil {
		return err
	}
	if len(users) == 0 {
		return errors.New("bitbucket: AddUsersToGroup needs at least one user")
	}
	path, err := apiPath("admin", "groups", "add-users")
	if err != nil {
		return err
	}
	body := struct {
		Group string   `json:"group"`
		Users []string `json:"users"`
	}{group, users}
	return c.do(ctx, call{method: http.MethodPost, path: path, body: body}, nil)
}

// CreateProject creates a project; the caller becomes its PROJECT_ADMIN (§11).
func (c *Client) CreateProject(ctx context.Context, key, name string) (*Project, error) {
	if err := requireNonEmpty("project key", key, "project name", name); err != nil {
		return nil, err
	}
	path, err := apiPath("projects")
	if err != nil {
		return nil, err
	}
	body := struct {
		Key  string `json:"key"`
		Name string `json:"name"`
	}{key, name}
	var p Project
	if err := c.do(ctx, call{method: http.MethodPost, path: path, body: body}, &p); err != nil {
		return nil, err
	}
	return &p, nil
}

// DeleteProject deletes a project; 409 IntegrityException while it still has
// repositories.
func (c *Client) DeleteProject(ctx context.Context, key string) error {
	if err := requireNonEmpty("project key", key); err != nil {
		return err
	}
	path, err := apiPath("projects", key)
	if err != nil {
		return err
	}
	return c.do(ctx, call{method: http.MethodDelete, path: path}, nil)
}

// CreateRepository creates a repository; the server derives the slug from
// the name, so use the returned Slug.
func (c *Client) CreateRepository(ctx context.Context, projectKey, name string) (*Repository, error) {
	if err := requireNonEmpty("project key", projectKey, "repository name", name); err != nil {
		return nil, err
	}
	path, err := apiPath("projects", projectKey, "repos")
	if err != nil {
		return nil, err
	}
	body := struct {
		Name string `json:"name"`
	}{name}
	var r Repository
	if err := c.do(ctx, call{method: http.MethodPost, path: path, body: body}, &r); err != nil {
		return nil, err
	}
	return &r, nil
}

// DeleteRepository deletes (or schedules the deletion of, 202) a repository.
func (c *Client) DeleteRepository(ctx context.Context, projectKey, slug string) error {
	if err := requireNonEmpty("project key", projectKey, "repository slug", slug); err != nil {
		return err
	}
	path, err := apiPath("projects", projectKey, "repos", slug)
	if err != nil {
		return err
	}
	return c.do(ctx, call{method: http.MethodDelete, path: path}, nil)
}
