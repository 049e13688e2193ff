package bitbuckettest

import (
	"net/http"
	"sync"
)

// requestLog counts requests by "METHOD route", under its own lock. Requests
// that match no route are counted under their literal path.
type requestLog struct {
	mu     sync.Mutex
	counts map[string]int
}

func (l *requestLog) add(method, route string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.counts == nil {
		l.counts = map[string]int{}
	}
	l.counts[method+" "+route]++
}

// RequestCount is how many method requests reached route, a template such as
// "/rest/api/{version}/projects/{projectKey}/repos/{repositorySlug}/permissions/users".
func (s *Server) RequestCount(method, route string) int {
	s.log.mu.Lock()
	defer s.log.mu.Unlock()
	return s.log.counts[method+" "+route]
}

// Requests returns a copy of all counts, keyed "METHOD route".
func (s *Server) Requests() map[string]int {
	s.log.mu.Lock()
	defer s.log.mu.Unlock()
	out := make(map[string]int, len(s.log.counts))
	for k, v := range s.log.counts {
		out[k] = v
	}
	return out
}

// ResetRequests clears the counts.
func (s *Server) ResetRequests() {
	s.log.mu.Lock()
	defer s.log.mu.Unlock()
	s.log.counts = nil
}

// serveRequestLog is GET/DELETE /_bitbuckettest/requests: the counts as JSON
// {"total":N,"counts":{"METHOD route":n}}, or a reset. It is not itself
// counted, faulted or rate limited.
func (s *Server) serveRequestLog(w http.ResponseWriter, r *http.Request) {
	switch r.Method {
	case http.MethodGet:
		counts := s.Requests()
		total := 0
		for _, n := range counts {
			total += n
		}
		writeJSON(w, http.StatusOK, map[string]any{"total": total, "counts": counts})
	case http.MethodDelete:
		s.ResetRequests()
		noContent().write(w, r)
	default:
		w.Header().Set("Allow", "GET, DELETE")
		writeError(w, r, &apiError{status: http.StatusMethodNotAllowed, message: "Use GET to read the request log or DELETE to reset it."})
	}
}
