package bitbuckettest

import (
	"mime"
	"net/http"
	"strings"
)

// xsrfRefused applies the §9 rule: a POST whose Content-Type is absent,
// form-encoded, multipart or text/plain must carry X-Atlassian-Token:
// no-check (or the deprecated nocheck). PUT and DELETE fail the same check
// but are only logged by the real server, so they pass here.
func xsrfRefused(r *http.Request) bool {
	if r.Method != http.MethodPost {
		return false
	}
	switch v := strings.ToLower(r.Header.Get("X-Atlassian-Token")); v {
	case "no-check", "nocheck":
		return false
	}
	ct := r.Header.Get("Content-Type")
	if ct == "" {
		return true
	}
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		return false
	}
	switch mt {
	case "application/x-www-form-urlencoded", "multipart/form-data", "text/plain":
		return true
	}
	return false
}

// writeXSRFFailure is plain text, not the JSON envelope (§7.2).
func writeXSRFFailure(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "text/plain;charset=UTF-8")
	w.WriteHeader(http.StatusForbidden)
	_, _ = w.Write([]byte("XSRF check failed"))
}
