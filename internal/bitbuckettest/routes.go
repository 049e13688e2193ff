package bitbuckettest

import (
	"net/http"
	"strings"
)

const (
	apiPrefix    = "/rest/api/{version}"
	tokensPrefix = "/rest/access-tokens/{version}"
)

// routes is every endpoint the instance serves. Templates double as the
// request log's route names.
func (s *Server) routes() []*route {
	type m = map[string]handler
	const (
		get, post, put, del = http.MethodGet, http.MethodPost, http.MethodPut, http.MethodDelete
		project             = apiPrefix + "/projects/{projectKey}"
		repo                = project + "/repos/{repositorySlug}"
	)
	rts := []*route{
		{pattern: apiPrefix + "/application-properties", open: true, methods: m{get: s.applicationProperties}},

		// §4.4 lookups and §4.5 fixtures for users and groups
		{pattern: apiPrefix + "/users", methods: m{get: s.listUsers}},
		{pattern: apiPrefix + "/users/{userSlug}", methods: m{get: s.getUser}},
		{pattern: apiPrefix + "/groups", methods: m{get: s.listGroupNames}},
		{pattern: apiPrefix + "/admin/users", methods: m{get: s.listDetailedUsers, post: s.createUser, del: s.deleteUser}},
		{pattern: apiPrefix + "/admin/users/add-groups", methods: m{post: s.addUserToGroups}},
		{pattern: apiPrefix + "/admin/users/remove-group", methods: m{post: s.removeGroupFromUser}},
		{pattern: apiPrefix + "/admin/users/more-members", methods: m{get: s.listGroupsOfUser}},
		{pattern: apiPrefix + "/admin/groups", methods: m{get: s.listGroups, post: s.createGroup, del: s.deleteGroup}},
		{pattern: apiPrefix + "/admin/groups/add-users", methods: m{post: s.addUsersToGroup}},
		{pattern: apiPrefix + "/admin/groups/remove-user", methods: m{post: s.removeUserFromGroup}},
		{pattern: apiPrefix + "/admin/groups/more-members", methods: m{get: s.listMembersOfGroup}},

		// §4.4 and §4.5 projects and repositories
		{pattern: apiPrefix + "/projects", methods: m{get: s.listProjects, post: s.createProject}},
		{pattern: project, methods: m{get: s.getProject, del: s.deleteProject}},
		{pattern: project + "/permissions/{permission}/all", methods: m{get: s.getDefaultPermission, post: s.setDefaultPermission}},
		{pattern: project + "/repos", methods: m{get: s.listRepositories, post: s.createRepository}},
		{pattern: repo, methods: m{get: s.getRepository, del: s.deleteRepository}},
	}

	// §4.1–4.3: the same endpoints at three scopes, for users and groups.
	for _, fam := range []struct {
		prefix string
		scope  scopeKind
	}{
		{repo + "/permissions", scopeRepo},
		{project + "/permissions", scopeProject},
		{apiPrefix + "/admin/permissions", scopeGlobal},
	} {
		for _, pk := range []principalKind{principalUser, principalGroup} {
			e := grantEndpoints{s: s, scope: fam.scope, kind: pk}
			path := fam.prefix + "/" + pk.String()
			rts = append(rts,
				&route{pattern: path, methods: m{get: e.list, put: e.grant, del: e.revoke}},
				&route{pattern: path + "/none", methods: m{get: e.listUngranted}})
		}
		if fam.scope != scopeGlobal {
			rts = append(rts, &route{pattern: fam.prefix, methods: m{del: s.revokeAll(fam.scope)}})
		}
	}

	// §4.5 HTTP access tokens.
	for _, fam := range []struct {
		prefix string
		kind   tokenKind
	}{
		{tokensPrefix + "/users/{userSlug}", personalToken},
		{tokensPrefix + "/projects/{projectKey}", projectToken},
		{tokensPrefix + "/projects/{projectKey}/repos/{repositorySlug}", repositoryToken},
	} {
		e := tokenEndpoints{s: s, kind: fam.kind}
		rts = append(rts,
			&route{pattern: fam.prefix, methods: m{get: e.list, put: e.create}},
			&route{pattern: fam.prefix + "/{tokenId}", methods: m{del: e.revoke}})
	}

	for _, rt := range rts {
		// §8: tokens never work on /admin. assumption: nor on the token
		// endpoints, since a token may not act "on behalf of a user".
		rt.noTokens = strings.HasPrefix(rt.pattern, apiPrefix+"/admin/") || strings.HasPrefix(rt.pattern, tokensPrefix)
	}
	return rts
}

func (k principalKind) String() string {
	if k == principalUser {
		return "users"
	}
	return "groups"
}

// applicationProperties is the version probe (§1), open to anyone.
func (s *Server) applicationProperties(*request) reply {
	return ok(map[string]string{"version": "8.19.1", "buildNumber": "8019001",
		"buildDate": "1712000000000", "displayName": "Bitbucket"})
}
