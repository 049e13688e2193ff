package bitbucket

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// ErrorMessage is one entry of the §7.1 error envelope.
type ErrorMessage struct {
	Context       string `json:"context"`
	Message       string `json:"message"`
	ExceptionName string `json:"exceptionName"`
}

// APIError is a non-2xx answer from Bitbucket.
type APIError struct {
	Method, Path string // escaped path as sent, with any context path; no host, query or credentials
	StatusCode   int
	Messages     []ErrorMessage // the decoded {"errors":[…]} envelope
	Body         string         // trimmed raw body when it was not the JSON envelope
	// AuthenticatedAs is X-AUSERNAME. Empty means the server treated the
	// request as anonymous, i.e. the credentials were not accepted (§16).
	AuthenticatedAs string
	RetryAfter      time.Duration // from Retry-After, 0 if absent
}

// Error reads like `PUT /rest/api/1.0/projects/P/permissions/users: 404:
// Project P does not exist. (NoSuchProjectException)`.
func (e *APIError) Error() string {
	s := fmt.Sprintf("%s %s: %d: %s", e.Method, e.Path, e.StatusCode, e.Message())
	if name := e.ShortExceptionName(); name != "" {
		s += " (" + name + ")"
	}
	return s
}

// Message returns the server's messages joined, else the body snippet,
// else the status text.
func (e *APIError) Message() string {
	var msgs []string
	for _, m := range e.Messages {
		if m.Message == "" {
			continue
		}
		if m.Context != "" {
			msgs = append(msgs, m.Context+": "+m.Message)
		} else {
			msgs = append(msgs, m.Message)
		}
	}
	if len(msgs) > 0 {
		return strings.Join(msgs, "; ")
	}
	if e.Body != "" {
		return e.Body
	}
	if t := http.StatusText(e.StatusCode); t != "" {
		return t
	}
	return "HTTP " + strconv.Itoa(e.StatusCode)
}

// ExceptionName returns the first exceptionName in full, e.g.
// com.atlassian.bitbucket.project.NoSuchProjectException.
func (e *APIError) ExceptionName() string {
	for _, m := range e.Messages {
		if m.ExceptionName != "" {
			return m.ExceptionName
		}
	}
	return ""
}

// ShortExceptionName returns ExceptionName without its Java package.
func (e *APIError) ShortExceptionName() string {
	name := e.ExceptionName()
	return name[strings.LastIndexByte(name, '.')+1:]
}

// CredentialsRejected reports a 401 to a request the server handled as
// anonymous: the credentials were missing or not accepted (§16: an unknown
// or expired token is not refused outright, it authenticates nobody). It
// tells "the token was not accepted" from "the user lacks the permission".
func (e *APIError) CredentialsRejected() bool {
	return e.StatusCode == http.StatusUnauthorized && e.AuthenticatedAs == ""
}

// TransportError is a request that got no HTTP response: DNS, connection
// refused, TLS, timeout. errors.As finds the underlying *url.Error and, for
// TLS failures, the x509 error.
type TransportError struct {
	Method, Path string
	Err          error
}

func (e *TransportError) Error() string {
	return fmt.Sprintf("%s %s: could not reach Bitbucket: %v", e.Method, e.Path, e.Err)
}

func (e *TransportError) Unwrap() error { return e.Err }

// IsTransportError reports whether err is a *TransportError.
func IsTransportError(err error) bool {
	var te *TransportError
	return errors.As(err, &te)
}

// AsAPIError returns the *APIError in err's chain.
func AsAPIError(err error) (*APIError, bool) {
	var ae *APIError
	if errors.As(err, &ae) {
		return ae, true
	}
	return nil, false
}

func hasStatus(err error, code int) bool {
	ae, ok := AsAPIError(err)
	return ok && ae.StatusCode == code
}

func IsNotFound(err error) bool     { return hasStatus(err, http.StatusNotFound) }
func IsUnauthorized(err error) bool { return hasStatus(err, http.StatusUnauthorized) }
func IsForbidden(err error) bool    { return hasStatus(err, http.StatusForbidden) }
func IsConflict(err error) bool     { return hasStatus(err, http.StatusConflict) }
func IsRateLimited(err error) bool  { return hasStatus(err, http.StatusTooManyRequests) }
func IsBadRequest(err error) bool   { return hasStatus(err, http.StatusBadRequest) }

// MissingObject names what a 404 says is missing, from the §7.2 exception
// names: "project", "repository", "user" or "group"; "" otherwise. §7.2:
// a missing project under a repository path reports the project.
func MissingObject(err error) string {
	ae, ok := AsAPIError(err)
	if !ok || ae.StatusCode != http.StatusNotFound {
		return ""
	}
	for _, m := range ae.Messages {
		name := m.ExceptionName[strings.LastIndexByte(m.ExceptionName, '.')+1:]
		switch name {
		case "NoSuchProjectException":
			return "project"
		case "NoSuchRepositoryException":
			return "repository"
		case "NoSuchUserException":
			return "user"
		case "NoSuchGroupException":
			return "group"
		}
	}
	return ""
}

// newAPIError reads (a bounded part of) the body of a non-2xx response.
func (c *Client) newAPIError(meta *callMeta, resp *http.Response) *APIError {
	e := &APIError{
		Method:          meta.method,
		Path:            meta.path,
		StatusCode:      resp.StatusCode,
		AuthenticatedAs: resp.Header.Get("X-AUSERNAME"),
	}
	if wait, ok := retryAfter(resp.Header, time.Now()); ok {
		e.RetryAfter = wait
	}
	raw, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
	if msgs, ok := decodeEnvelope(raw); ok {
		e.Messages = msgs
	} else {
		e.Body = c.secrets.apply(snippet(raw, 500))
	}
	if resp.StatusCode >= 300 && resp.StatusCode < 400 {
		if loc := resp.Header.Get("Location"); loc != "" {
			e.Body = "redirected to " + redactURLString(loc) + "; redirects are not followed, check the server URL"
		}
	}
	return e
}

// decodeEnvelope decodes §7.1 {"errors":[…]} regardless of Content-Type
// (§16: a 429 or an XSRF 403 may not be JSON at all). It also accepts the
// {"message":"…"} shape reported for Bitbucket 10 (§16, Basic auth disabled).
func decodeEnvelope(raw []byte) ([]ErrorMessage, bool) {
	trimmed := bytes.TrimSpace(raw)
	if len(trimmed) == 0 || trimmed[0] != '{' {
		return nil, false
	}
	var env struct {
		Errors  []ErrorMessage `json:"errors"`
		Message string         `json:"message"`
	}
	if err := json.Unmarshal(trimmed, &env); err != nil {
		return nil, false
	}
	var msgs []ErrorMessage
	for _, m := range env.Errors {
		if m.Message != "" || m.ExceptionName != "" {
			msgs = append(msgs, m)
		}
	}
	if len(msgs) == 0 && env.Message != "" {
		msgs = []ErrorMessage{{Message: env.Message}}
	}
	return msgs, len(msgs) > 0
}

// snippet collapses whitespace and truncates to n runes, for messages made
// of non-JSON bodies (plain text, HTML from a proxy).
func snippet(raw []byte, n int) string {
	s := strings.Join(strings.Fields(string(raw)), " ")
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "?")
	}
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n]) + "…"
}
