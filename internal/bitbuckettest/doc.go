// Package bitbuckettest is an in-memory Bitbucket Data Center for tests: the
// permission, lookup and fixture endpoints of the team's REST reference,
// bitbucket-api.md (sections 4.1 to 4.5; the § numbers in comments cite it),
// served at the root under both /rest/api/1.0 and /rest/api/latest, with the
// real server's semantics for effective permissions, errors, paging,
// authentication and XSRF.
//
// It is written from the reference independently of the REST client, so a
// mistake in one is caught by the other; the two share no code.
//
// # Use
//
// In a test, Start serves a fresh instance on 127.0.0.1 and closes it when
// the test ends:
//
//	bb := bitbuckettest.Start(t)
//	_ = bb.CreateProject("PROJ", "Project")
//	slug, _ := bb.CreateRepository("PROJ", "test")
//	token, _ := bb.CreatePersonalToken("admin", bitbuckettest.Token{Permissions: []string{"PROJECT_ADMIN", "REPO_ADMIN"}})
//	// … point the client at bb.URL() with the token …
//	_ = bb.RevokeUser(bitbuckettest.Scope{Project: "PROJ", Repository: slug}, "alice") // drift, out of band
//
// Outside tests, New returns the instance as a plain http.Handler; the
// command cmd/bitbucket-test-instance serves one on 127.0.0.1:7990.
//
// A fresh instance, like a fresh Bitbucket, has system administrator admin
// (password admin), a member of group stash-users, which holds LICENSED_USER.
// Users created later join stash-users and are thereby licensed.
//
// # Seed files
//
// LoadSeed and the command's -seed flag read a JSON document; every section
// is optional and unknown fields are errors. Sections are applied in the
// order shown; project keys and user and group names are matched ignoring
// case; repositories are named by slug or by name.
//
//	{
//	  "users": [
//	    {"name": "alice", "displayName": "Alice", "emailAddress": "alice@example.com", "password": "alice"}
//	  ],
//	  "groups": [
//	    {"name": "developers", "members": ["alice"]}
//	  ],
//	  "projects": [
//	    {"key": "PROJ", "name": "Project", "description": "optional",
//	     "defaultPermission": "PROJECT_READ", "repositories": ["test", "My Repo"]}
//	  ],
//	  "grants": [
//	    {"user": "alice", "permission": "PROJECT_CREATE"},
//	    {"group": "developers", "project": "PROJ", "permission": "PROJECT_WRITE"},
//	    {"user": "alice", "project": "PROJ", "repository": "my-repo", "permission": "REPO_ADMIN"}
//	  ],
//	  "tokens": [
//	    {"user": "alice", "permissions": ["REPO_READ"], "value": "optional-fixed-secret"},
//	    {"project": "PROJ", "permissions": ["PROJECT_ADMIN"], "expiresAt": "2030-01-01T00:00:00Z"},
//	    {"project": "PROJ", "repository": "test", "permissions": ["REPO_WRITE"]}
//	  ]
//	}
//
// A grant with no project is global (LICENSED_USER, PROJECT_CREATE, ADMIN,
// SYS_ADMIN), with a project only a project grant (PROJECT_READ,
// PROJECT_WRITE, REPO_CREATE, PROJECT_ADMIN), with both a repository grant
// (REPO_READ, REPO_WRITE, REPO_ADMIN). A token names a user (personal), a
// project (project token) or a project and repository (repository token).
// cmd/bitbucket-test-instance/example-seed.json is a complete example.
//
// # Knobs
//
// SetRateLimit turns on a per-user token bucket (429 with Retry-After).
// ScriptFaults and SetFaultRate inject 500/502/503 replies, dropped
// connections and latency, before or after a change is applied, optionally
// only for one method and route. RequestCount, Requests and ResetRequests
// read the request log, which counts requests by method and route template
// (for example "PUT /rest/api/{version}/projects/{projectKey}/repos/{repositorySlug}/permissions/users");
// over HTTP, GET /_bitbuckettest/requests returns it as
// {"total":N,"counts":{"METHOD route":n}} and DELETE resets it. Faults,
// rate limiting and the request log never apply to /_bitbuckettest/*.
// SetLicenseLimit caps the number of licensed users.
//
// # Choices where the reference is silent
//
// Where the reference marks behaviour unknown, the code says "assumption:"
// beside the choice. The main ones: filter is a case-insensitive substring
// match on names; lists are ordered by lower-cased name (projects by key,
// repositories by slug); limit <= 0 means 25, a non-numeric start or limit
// is 400; 400 bodies carry the field in context and a null exceptionName;
// self-demotion is ForbiddenException (403) or IntegrityException (409);
// tokens are refused on /rest/access-tokens as well as on /admin; the
// default permission GET answers whether the default implies the level.
package bitbuckettest
