package bitbuckettest

import (
	"net"
	"net/url"
	"strings"
)

// JSON shapes of §6. Each is built from the state under the lock and holds
// only copies, so it can be marshalled after the lock is released.

type linkJSON struct {
	Href string `json:"href"`
	Name string `json:"name,omitempty"`
}

type linksJSON struct {
	Clone []linkJSON `json:"clone,omitempty"`
	Self  []linkJSON `json:"self"`
}

func selfLink(href string) linksJSON { return linksJSON{Self: []linkJSON{{Href: href}}} }

// userJSON is §6.1.
type userJSON struct {
	Name         string    `json:"name"`
	EmailAddress string    `json:"emailAddress,omitempty"`
	ID           int       `json:"id"`
	DisplayName  string    `json:"displayName"`
	Active       bool      `json:"active"`
	Slug         string    `json:"slug"`
	Type         string    `json:"type"`
	Links        linksJSON `json:"links"`
}

func (u *user) json(base string) userJSON {
	return userJSON{Name: u.name, EmailAddress: u.email, ID: u.id, DisplayName: u.displayName,
		Active: true, Slug: u.slug, Type: "NORMAL", Links: selfLink(base + "/users/" + url.PathEscape(u.slug))}
}

// detailedUserJSON is what /admin/users returns (§4.4).
type detailedUserJSON struct {
	userJSON
	DirectoryName  string `json:"directoryName"`
	Deletable      bool   `json:"deletable"`
	MutableDetails bool   `json:"mutableDetails"`
	MutableGroups  bool   `json:"mutableGroups"`
}

func (u *user) detailedJSON(base string) detailedUserJSON {
	return detailedUserJSON{userJSON: u.json(base), DirectoryName: "Bitbucket Internal Directory",
		Deletable: true, MutableDetails: true, MutableGroups: true}
}

// groupJSON is a /none or /admin/groups entry; groupNameJSON sits in a
// permission entry (§6.2).
type groupJSON struct {
	Name      string `json:"name"`
	Deletable bool   `json:"deletable"`
}

type groupNameJSON struct {
	Name string `json:"name"`
}

func (g *group) json() groupJSON { return groupJSON{Name: g.name, Deletable: true} }

// projectJSON is §6.3.
type projectJSON struct {
	Key         string    `json:"key"`
	ID          int       `json:"id"`
	Name        string    `json:"name"`
	Description string    `json:"description,omitempty"`
	Public      bool      `json:"public"`
	Type        string    `json:"type"`
	Links       linksJSON `json:"links"`
}

func (p *project) json(base string) projectJSON {
	return projectJSON{Key: p.key, ID: p.id, Name: p.name, Description: p.description, Type: "NORMAL",
		Links: selfLink(base + "/projects/" + url.PathEscape(p.key))}
}

// repositoryJSON is §6.4.
type repositoryJSON struct {
	Slug          string      `json:"slug"`
	ID            int         `json:"id"`
	Name          string      `json:"name"`
	HierarchyID   string      `json:"hierarchyId"`
	ScmID         string      `json:"scmId"`
	State         string      `json:"state"`
	StatusMessage string      `json:"statusMessage"`
	Forkable      bool        `json:"forkable"`
	Project       projectJSON `json:"project"`
	Public        bool        `json:"public"`
	Archived      bool        `json:"archived"`
	Links         linksJSON   `json:"links"`
}

func (r *repository) json(base string) repositoryJSON {
	path := strings.ToLower(r.project.key) + "/" + r.slug + ".git"
	host := strings.TrimPrefix(strings.TrimPrefix(base, "http://"), "https://")
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	links := selfLink(base + "/projects/" + url.PathEscape(r.project.key) + "/repos/" + r.slug + "/browse")
	links.Clone = []linkJSON{
		{Href: base + "/scm/" + path, Name: "http"},
		{Href: "ssh://git@" + net.JoinHostPort(host, "7999") + "/" + path, Name: "ssh"},
	}
	return repositoryJSON{Slug: r.slug, ID: r.id, Name: r.name, HierarchyID: hierarchyID(r.id),
		ScmID: "git", State: "AVAILABLE", StatusMessage: "Available", Forkable: true,
		Project: r.project.json(base), Links: links}
}

func hierarchyID(id int) string {
	const hex = "0123456789abcdef"
	b := []byte("00000000000000000000")
	for i := len(b) - 1; id > 0 && i >= 0; i-- {
		b[i] = hex[id%16]
		id /= 16
	}
	return string(b)
}

// tokenJSON is an HTTP access token (§6.5). The secret is shown only in the
// reply that creates it.
type tokenJSON struct {
	ID          string    `json:"id"`
	CreatedDate int64     `json:"createdDate"`
	Name        string    `json:"name"`
	Permissions []string  `json:"permissions"`
	ExpiryDate  int64     `json:"expiryDate,omitempty"`
	User        *userJSON `json:"user,omitempty"`
	Token       string    `json:"token,omitempty"`
}

func (t *token) json(base string, withSecret bool) tokenJSON {
	out := tokenJSON{ID: t.id, CreatedDate: t.created.UnixMilli(), Name: t.name, Permissions: []string{}}
	for _, p := range t.perms {
		out.Permissions = append(out.Permissions, p.String())
	}
	if !t.expires.IsZero() {
		out.ExpiryDate = t.expires.UnixMilli()
	}
	if t.owner != nil {
		u := t.owner.json(base)
		out.User = &u
	}
	if withSecret {
		out.Token = t.value
	}
	return out
}
