package bitbuckettest

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"strings"
)

// User and group lookups (§4.4) and fixtures (§4.5). The answer pipeline
// has already required a logged-in caller and, under /admin, refused tokens.

func (s *Server) listUsers(q *request) reply {
	s.mu.RLock()
	defer s.mu.RUnlock()
	pg, err := parsePage(q.query)
	if err != nil {
		return fail(err)
	}
	keep, err := s.st.userSearch(q.query)
	if err != nil {
		return fail(err)
	}
	return ok(pageOf(&s.st.users, pg, keep, func(_ string, u *user) userJSON { return u.json(q.base) }))
}

// getUser takes the slug, not the username (§11).
func (s *Server) getUser(q *request) reply {
	s.mu.RLock()
	defer s.mu.RUnlock()
	u, err := s.st.findUserBySlug(q.PathValue("userSlug"))
	if err != nil {
		return fail(err)
	}
	return ok(u.json(q.base))
}

func (s *Server) listDetailedUsers(q *request) reply {
	s.mu.RLock()
	defer s.mu.RUnlock()
	pg, err := parsePage(q.query)
	if err != nil {
		return fail(err)
	}
	return ok(pageOf(&s.st.users, pg, s.st.userFilter(q.query.Get("filter")),
		func(_ string, u *user) detailedUserJSON { return u.detailedJSON(q.base) }))
}

// listGroupNames is GET /groups: a page of bare names.
func (s *Server) listGroupNames(q *request) reply {
	s.mu.RLock()
	defer s.mu.RUnlock()
	pg, err := parsePage(q.query)
	if err != nil {
		return fail(err)
	}
	return ok(pageOf(&s.st.groups, pg, nameFilter(q.query), func(_ string, g *group) string { return g.name }))
}

func (s *Server) listGroups(q *request) reply {
	s.mu.RLock()
	defer s.mu.RUnlock()
	pg, err := parsePage(q.query)
	if err != nil {
		return fail(err)
	}
	return ok(pageOf(&s.st.groups, pg, nameFilter(q.query), func(_ string, g *group) groupJSON { return g.json() }))
}

// listMembersOfGroup is GET /admin/groups/more-members?context=GROUP.
func (s *Server) listMembersOfGroup(q *request) reply {
	s.mu.RLock()
	defer s.mu.RUnlock()
	pg, err := parsePage(q.query)
	if err != nil {
		return fail(err)
	}
	g, err := s.st.findGroup(q.query.Get("context"))
	if err != nil {
		return fail(err)
	}
	return ok(pageOf(&g.members, pg, s.st.userFilter(q.query.Get("filter")),
		func(_ string, u *user) detailedUserJSON { return u.detailedJSON(q.base) }))
}

// listGroupsOfUser is GET /admin/users/more-members?context=USER.
func (s *Server) listGroupsOfUser(q *request) reply {
	s.mu.RLock()
	defer s.mu.RUnlock()
	pg, err := parsePage(q.query)
	if err != nil {
		return fail(err)
	}
	u, err := s.st.findUser(q.query.Get("context"))
	if err != nil {
		return fail(err)
	}
	return ok(pageOf(&u.groups, pg, nameFilter(q.query), func(_ string, g *group) groupJSON { return g.json() }))
}

// requireAdmin is the ADMIN check of the §4.5 fixture endpoints.
func (st *state) requireAdmin(c *caller) *apiError {
	if st.callerGlobal(c) < permAdmin {
		return errNotPermitted()
	}
	return nil
}

// createUser is POST /admin/users with query arguments (§4.5).
func (s *Server) createUser(q *request) reply {
	in := User{Name: q.query.Get("name"), DisplayName: q.query.Get("displayName"),
		Email: q.query.Get("emailAddress"), Password: q.query.Get("password")}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.st.requireAdmin(q.caller); err != nil {
		return fail(err)
	}
	for _, f := range [...]struct{ field, value string }{{"name", in.Name}, {"displayName", in.DisplayName}, {"emailAddress", in.Email}} {
		if f.value == "" {
			return fail(errInvalid(f.field, "%s is required.", f.field))
		}
	}
	joinDefault := true
	switch strings.ToLower(q.query.Get("addToDefaultGroup")) {
	case "", "true":
	case "false":
		joinDefault = false
	default:
		return fail(errInvalid("addToDefaultGroup", "addToDefaultGroup must be true or false."))
	}
	if _, err := s.st.createUser(in, joinDefault); err != nil {
		return fail(err)
	}
	return noContent()
}

// deleteUser is DELETE /admin/users?name= (§4.5): 200 with the deleted user;
// its grants, memberships and tokens go with it.
func (s *Server) deleteUser(q *request) reply {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.st
	if err := st.requireAdmin(q.caller); err != nil {
		return fail(err)
	}
	u, err := st.findUser(q.query.Get("name"))
	if err != nil {
		return fail(err)
	}
	if u == q.caller.user {
		// assumption: the real server refuses self-deletion; the status is [UNK].
		return fail(errConflict("You cannot delete yourself."))
	}
	st.deleteUser(u)
	return ok(u.detailedJSON(q.base))
}

func (s *Server) createGroup(q *request) reply {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.st.requireAdmin(q.caller); err != nil {
		return fail(err)
	}
	g, err := s.st.createGroup(q.query.Get("name"))
	if err != nil {
		return fail(err)
	}
	return ok(g.json())
}

func (s *Server) deleteGroup(q *request) reply {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.st.requireAdmin(q.caller); err != nil {
		return fail(err)
	}
	g, err := s.st.findGroup(q.query.Get("name"))
	if err != nil {
		return fail(err)
	}
	s.st.deleteGroup(g)
	return ok(g.json())
}

// Membership bodies (§4.5); names says which groups and users each names.
type membershipBody interface {
	names() (groups, users []string)
}

// addUsersBody is POST /admin/groups/add-users.
type addUsersBody struct {
	Group string   `json:"group"`
	Users []string `json:"users"`
}

func (b *addUsersBody) names() ([]string, []string) { return []string{b.Group}, b.Users }

// addGroupsBody is POST /admin/users/add-groups.
type addGroupsBody struct {
	User   string   `json:"user"`
	Groups []string `json:"groups"`
}

func (b *addGroupsBody) names() ([]string, []string) { return b.Groups, []string{b.User} }

// removeUserBody is POST /admin/groups/remove-user: context is the group.
type removeUserBody struct {
	Context  string `json:"context"`
	ItemName string `json:"itemName"`
}

func (b *removeUserBody) names() ([]string, []string) {
	return []string{b.Context}, []string{b.ItemName}
}

// removeGroupBody is POST /admin/users/remove-group: context is the user.
type removeGroupBody removeUserBody

func (b *removeGroupBody) names() ([]string, []string) {
	return []string{b.ItemName}, []string{b.Context}
}

func (s *Server) addUsersToGroup(q *request) reply {
	return s.changeMembership(q, &addUsersBody{}, join)
}

func (s *Server) addUserToGroups(q *request) reply {
	return s.changeMembership(q, &addGroupsBody{}, join)
}

func (s *Server) removeUserFromGroup(q *request) reply {
	return s.changeMembership(q, &removeUserBody{}, leave)
}

func (s *Server) removeGroupFromUser(q *request) reply {
	return s.changeMembership(q, &removeGroupBody{}, leave)
}

// changeMembership resolves every name first, so that an unknown one
// changes nothing.
func (s *Server) changeMembership(q *request, b membershipBody, change func(*group, *user)) reply {
	raw := readBody(q)
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.st
	if err := st.requireAdmin(q.caller); err != nil {
		return fail(err)
	}
	if err := decodeJSON(raw, b); err != nil {
		return fail(err)
	}
	groupNames, userNames := b.names()
	if len(groupNames) == 0 || len(userNames) == 0 || slices.Contains(groupNames, "") || slices.Contains(userNames, "") {
		return fail(errInvalid("", "Both a group and a user are required."))
	}
	var groups []*group
	for _, name := range groupNames {
		g, err := st.findGroup(name)
		if err != nil {
			return fail(err)
		}
		groups = append(groups, g)
	}
	var users []*user
	for _, name := range userNames {
		u, err := st.findUser(name)
		if err != nil {
			return fail(err)
		}
		users = append(users, u)
	}
	for _, g := range groups {
		for _, u := range users {
			change(g, u)
		}
	}
	return reply{status: http.StatusOK}
}

// readBody reads the request body before the state lock is taken, so that a
// slow client never holds the lock; it is decoded after the permission checks.
func readBody(q *request) []byte {
	raw, _ := io.ReadAll(io.LimitReader(q.Body, 1<<20))
	return raw
}

// decodeJSON decodes strictly: §5 shows the real server refusing unknown
// fields with 400.
func decodeJSON(raw []byte, v any) *apiError {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return errInvalid("", "The request body could not be read as JSON: %v", err)
	}
	return nil
}
