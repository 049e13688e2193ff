package bitbuckettest

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

// Server is one in-memory Bitbucket Data Center. It holds no package-level
// state, so instances in one process are independent.
type Server struct {
	mu sync.RWMutex // guards st: the single lock over all Bitbucket state
	st *state

	mux     *http.ServeMux
	url     string
	log     requestLog    // own lock
	faults  faultInjector // own lock
	limiter rateLimiter   // own lock
}

// New returns a fresh instance: user admin (password admin) holds SYS_ADMIN
// and belongs to group stash-users, which holds LICENSED_USER, as on a fresh
// Bitbucket. It is an http.Handler serving at the root.
func New() *Server {
	s := &Server{st: newState(), mux: http.NewServeMux()}
	for _, rt := range s.routes() {
		s.mux.Handle(rt.pattern, s.routeHandler(rt))
	}
	s.mux.HandleFunc("/_bitbuckettest/requests", s.serveRequestLog)
	s.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { s.serveRoute(w, r, r.URL.Path, nil) })
	return s
}

// Start serves a New instance on httptest (127.0.0.1, a free port) and
// closes it when the test ends.
func Start(t testing.TB) *Server {
	t.Helper()
	s := New()
	ts := httptest.NewServer(s)
	s.url = ts.URL
	t.Cleanup(ts.Close)
	return s
}

// URL is the base URL when started by Start, such as http://127.0.0.1:41234;
// "" otherwise.
func (s *Server) URL() string { return s.url }

// ServeHTTP serves the REST API at the root, and the request log at /_bitbuckettest/requests.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.mux.ServeHTTP(w, r) }

// handler answers one method of one route. It takes the state lock itself
// and returns a reply that is written after the lock is released.
type handler func(q *request) reply

// request is what a handler sees.
type request struct {
	*http.Request
	caller *caller
	query  url.Values
	base   string // for links
}

// route is one endpoint template, such as
// /rest/api/{version}/projects/{projectKey}/permissions/users.
type route struct {
	pattern  string
	methods  map[string]handler
	open     bool // anonymous callers allowed (§5: only /application-properties)
	noTokens bool // HTTP access tokens refused (§8)
}

// routeHandler rejects versions other than 1.0 and latest (§1), then serves.
func (s *Server) routeHandler(rt *route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if v := r.PathValue("version"); v != "1.0" && v != "latest" {
			s.serveRoute(w, r, r.URL.Path, nil)
			return
		}
		s.serveRoute(w, r, rt.pattern, rt)
	})
}

// serveRoute counts the request, injects a fault if one matches, and
// otherwise answers it. A nil route answers 404.
func (s *Server) serveRoute(w http.ResponseWriter, r *http.Request, name string, rt *route) {
	s.log.add(r.Method, name)
	f, faulty := s.faults.pick(r.Method, name)
	if faulty && f.Delay > 0 && !sleep(r, f.Delay) {
		return
	}
	switch {
	case !faulty || !f.replaces():
		s.answer(w, r, rt)
	case f.AfterApply:
		// The change is applied and its reply lost, as when a proxy drops it.
		s.answer(&discardWriter{h: http.Header{}}, r, rt)
		strike(w, r, f)
	default:
		strike(w, r, f)
	}
}

// answer runs the checks every endpoint shares, in the real server's order
// (§9: the XSRF filter sits after authentication and before the service's
// permission checks), then the route's handler.
func (s *Server) answer(w http.ResponseWriter, r *http.Request, rt *route) {
	h := w.Header()
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "no-cache, no-transform")
	if rt == nil {
		writeError(w, r, &apiError{status: http.StatusNotFound, exception: exNoSuchEntity,
			message: "No resource is served at " + r.URL.Path + "."})
		return
	}

	now := time.Now()
	s.mu.RLock()
	c, err := s.st.authenticate(r, now)
	loggedIn := err == nil && s.st.loggedIn(c)
	s.mu.RUnlock()
	if err != nil {
		writeError(w, r, err)
		return
	}
	if id, name, ok := c.identity(); ok { // §16: also on a 401
		h.Set("X-AUSERID", id)
		h.Set("X-AUSERNAME", name)
	}
	if ok, wait := s.limiter.take(c.rateKey(), now); !ok {
		writeRateLimited(w, wait)
		return
	}
	hf := rt.methods[r.Method]
	if hf == nil {
		h.Set("Allow", allowed(rt))
		writeError(w, r, &apiError{status: http.StatusMethodNotAllowed,
			message: r.Method + " is not supported here; use " + allowed(rt) + "."})
		return
	}
	if rt.noTokens && c.token != nil {
		writeError(w, r, errNotPermitted())
		return
	}
	if xsrfRefused(r) {
		writeXSRFFailure(w)
		return
	}
	if !rt.open && !loggedIn {
		writeError(w, r, errNotPermitted())
		return
	}
	hf(&request{Request: r, caller: c, query: r.URL.Query(), base: baseURL(r)}).write(w, r)
}

func allowed(rt *route) string {
	var ms []string
	for _, m := range []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodDelete} {
		if rt.methods[m] != nil {
			ms = append(ms, m)
		}
	}
	return strings.Join(ms, ", ")
}
