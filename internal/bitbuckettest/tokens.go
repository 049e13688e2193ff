package bitbuckettest

import (
	"crypto/rand"
	"encoding/base64"
	"strconv"
	"time"
)

// tokenKind is whose HTTP access token it is (§8).
type tokenKind uint8

const (
	personalToken tokenKind = iota
	projectToken
	repositoryToken
)

// tokenHolder is whose token it is: exactly one of owner, project and repo
// is set, as kind says.
type tokenHolder struct {
	kind    tokenKind
	owner   *user       // personal tokens
	project *project    // project tokens
	repo    *repository // repository tokens
}

// findHolder resolves a user name, a project key, or a project key and a
// repository slug.
func (st *state) findHolder(userName, projectKey, slug string) (tokenHolder, *apiError) {
	switch {
	case userName != "" && projectKey == "" && slug == "":
		u, err := st.findUser(userName)
		return tokenHolder{kind: personalToken, owner: u}, err
	case userName == "" && projectKey != "" && slug == "":
		p, err := st.findProject(projectKey)
		return tokenHolder{kind: projectToken, project: p}, err
	case userName == "" && projectKey != "":
		r, err := st.findRepository(projectKey, slug)
		return tokenHolder{kind: repositoryToken, repo: r}, err
	}
	return tokenHolder{}, errInvalid("user", "A token belongs to a user, a project, or a project's repository.")
}

type token struct {
	tokenHolder
	id, name, value string
	perms           []permission
	projectCap      permission // the highest project permission the token carries
	repoCap         permission // the highest repository permission, including what projectCap implies
	created         time.Time
	expires         time.Time // zero: never
}

func (t *token) expired(at time.Time) bool { return !t.expires.IsZero() && !at.Before(t.expires) }

// globalCap caps a personal token's owner on global checks outside /admin
// (tokens never reach /admin, §8). assumption: a PROJECT_ADMIN token may
// create projects when its owner holds PROJECT_CREATE; other tokens only log in.
func (t *token) globalCap() permission {
	if t.projectCap == permProjectAdmin {
		return permProjectCreate
	}
	return permLicensedUser
}

// serviceName is the identity a project or repository token acts as.
// assumption: the real system-generated name is unknown (§8, §16); this one
// is only for X-AUSERNAME.
func (t *token) serviceName() string {
	if t.kind == projectToken {
		return "project-token-" + t.id
	}
	return "repository-token-" + t.id
}

// tokenSpec is what a caller asks for, from REST or from the Go API.
type tokenSpec struct {
	name    string
	perms   []string
	expires time.Time
	value   string // "" generates one
}

// createToken validates and stores a token. §8: personal and project tokens
// carry a project and/or a repository permission; repository tokens only a
// repository permission. assumption: a project permission alone also grants
// the repository permission it implies, as the UI's "repository permission
// ≥ project permission" rule would force.
func (st *state) createToken(h tokenHolder, spec tokenSpec) (*token, *apiError) {
	if len(spec.perms) == 0 {
		return nil, errInvalid("permissions", "A token needs at least one permission.")
	}
	t := &token{tokenHolder: h, name: spec.name, expires: spec.expires, created: time.Now()}
	for _, name := range spec.perms {
		perm := parsePermission(name)
		switch {
		case perm.scope() == scopeRepo:
			t.repoCap = max(t.repoCap, perm)
		case perm.scope() == scopeProject && perm != permRepoCreate && h.kind != repositoryToken:
			t.projectCap = max(t.projectCap, perm)
		default:
			return nil, errInvalid("permissions", "%q is not a valid permission for a %s token.", name, h.kind)
		}
		t.perms = append(t.perms, perm)
	}
	t.repoCap = max(t.repoCap, t.projectCap.onRepo())
	if spec.value == "" {
		spec.value = newTokenValue()
	} else if _, taken := st.tokens[spec.value]; taken {
		return nil, errConflict("Another token already has that value.")
	}
	t.value = spec.value
	st.nextTokenID++
	t.id = strconv.Itoa(100000000000 + st.nextTokenID) // assumption: ids are numeric strings
	if t.name == "" {
		t.name = "token-" + t.id
	}
	st.tokens[t.value] = t
	st.tokenIDs[t.id] = t
	return t, nil
}

func (k tokenKind) String() string {
	return [...]string{"personal", "project", "repository"}[k]
}

func (st *state) dropToken(t *token) {
	delete(st.tokens, t.value)
	delete(st.tokenIDs, t.id)
}

// newTokenValue makes a 44-character secret like the real ones.
func newTokenValue() string {
	b := make([]byte, 33)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go 1.24+)
	return base64.StdEncoding.EncodeToString(b)
}
