package bitbuckettest

import (
	"encoding/base64"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// caller is who sent a request. Anonymous: both nil. A password login or a
// personal token: user is set (token too for the latter). A project or
// repository token: token only.
type caller struct {
	user  *user
	token *token
}

// identity is what X-AUSERID and X-AUSERNAME carry (§16); ok is false for
// anonymous callers, which get neither header.
func (c *caller) identity() (id, name string, ok bool) {
	switch {
	case c.user != nil:
		return strconv.Itoa(c.user.id), c.user.name, true
	case c.token != nil:
		return c.token.id, c.token.serviceName(), true
	}
	return "", "", false
}

// rateKey is the bucket a caller draws from: per user, and per token for
// project and repository tokens (§16). Anonymous callers are not limited (§10).
func (c *caller) rateKey() string {
	switch {
	case c.user != nil:
		return "user:" + c.user.key
	case c.token != nil:
		return "token:" + c.token.id
	}
	return ""
}

// authenticate reads the Authorization header (§8). A failed Basic login is
// an error; an unknown or expired Bearer token makes the caller anonymous
// (§16), as does any other scheme.
func (st *state) authenticate(r *http.Request, at time.Time) (*caller, *apiError) {
	h := r.Header.Get("Authorization")
	scheme, cred, _ := strings.Cut(h, " ")
	switch {
	case strings.EqualFold(scheme, "Basic"):
		raw, err := base64.StdEncoding.DecodeString(strings.TrimSpace(cred))
		if err != nil {
			return nil, errBadCredentials()
		}
		name, secret, _ := strings.Cut(string(raw), ":")
		u, ok := st.users.get(lower(name))
		if !ok || secret == "" {
			return nil, errBadCredentials()
		}
		if secret == u.password {
			return &caller{user: u}, nil
		}
		// §8: a personal token works as the password of its owner. Project
		// and repository tokens are Bearer only, and an expired token is
		// just a wrong password here (assumption).
		if t, ok := st.tokens[secret]; ok && t.kind == personalToken && t.owner == u && !t.expired(at) {
			return &caller{user: u, token: t}, nil
		}
		return nil, errBadCredentials()
	case strings.EqualFold(scheme, "Bearer"):
		t, ok := st.tokens[strings.TrimSpace(cred)]
		if !ok || t.expired(at) {
			return &caller{}, nil
		}
		return &caller{user: t.owner, token: t}, nil
	}
	return &caller{}, nil
}
