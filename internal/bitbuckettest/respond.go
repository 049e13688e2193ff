package bitbuckettest

import (
	"encoding/json"
	"net/http"
)

// §1: no space before charset; sent on every reply, 204 included.
const jsonContentType = "application/json;charset=UTF-8"

// reply is what a handler returns; the dispatcher writes it after the
// handler has released the state lock. body holds only fresh values copied
// out of the state, so marshalling it needs no lock.
type reply struct {
	status int
	body   any // marshalled as JSON; nil sends an empty body
	err    *apiError
}

func ok(body any) reply { return reply{status: http.StatusOK, body: body} }

func noContent() reply { return reply{status: http.StatusNoContent} }

func fail(e *apiError) reply { return reply{err: e} }

func writeJSON(w http.ResponseWriter, status int, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		// Only our own shapes are marshalled, so this is a programming error.
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", jsonContentType)
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

func (rep reply) write(w http.ResponseWriter, r *http.Request) {
	switch {
	case rep.err != nil:
		writeError(w, r, rep.err)
	case rep.body == nil:
		w.Header().Set("Content-Type", jsonContentType)
		w.WriteHeader(rep.status)
	default:
		writeJSON(w, rep.status, rep.body)
	}
}

// baseURL is the instance's address as the caller sees it, for links and the
// OAuth realm. The test instance serves at the root, with no context path.
func baseURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}
