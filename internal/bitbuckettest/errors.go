package bitbuckettest

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
)

// Sentinels that errors returned by the Go API wrap, for errors.Is.
var (
	ErrNotFound = errors.New("not found")
	ErrConflict = errors.New("conflict")
	ErrInvalid  = errors.New("invalid argument")
)

// Exception names the real server sends (§7.2).
const (
	exAuthorisation     = "com.atlassian.bitbucket.AuthorisationException"
	exIncorrectPassword = "com.atlassian.bitbucket.auth.IncorrectPasswordAuthenticationException"
	exNoSuchProject     = "com.atlassian.bitbucket.project.NoSuchProjectException"
	exNoSuchRepository  = "com.atlassian.bitbucket.repository.NoSuchRepositoryException"
	exNoSuchUser        = "com.atlassian.bitbucket.user.NoSuchUserException"
	exNoSuchGroup       = "com.atlassian.bitbucket.user.NoSuchGroupException"
	exIntegrity         = "com.atlassian.bitbucket.IntegrityException"
	exForbidden         = "com.atlassian.bitbucket.ForbiddenException"
	exServer            = "com.atlassian.bitbucket.ServerException"
	exNoSuchEntity      = "com.atlassian.bitbucket.NoSuchEntityException"
)

// apiError is one REST error. It doubles as the Go API's error value, so
// one code path decides both what HTTP says and what Go callers see.
type apiError struct {
	status    int
	context   string // the offending field for validation errors; "" sends null
	exception string // "" sends null (§7.1: validation errors may have none)
	message   string
}

func (e *apiError) Error() string { return e.message }

func (e *apiError) Unwrap() error {
	switch e.status {
	case http.StatusNotFound:
		return ErrNotFound
	case http.StatusConflict:
		return ErrConflict
	case http.StatusBadRequest:
		return ErrInvalid
	}
	return nil
}

// goErr turns a possibly nil *apiError into a Go API error (a nil
// *apiError must not become a non-nil error interface).
func goErr(e *apiError) error {
	if e == nil {
		return nil
	}
	return fmt.Errorf("bitbuckettest: %w", e)
}

// §7.2: an authenticated caller without the permission gets 401, not 403;
// so does an anonymous caller on anything but /application-properties.
func errNotPermitted() *apiError {
	return &apiError{status: http.StatusUnauthorized, exception: exAuthorisation,
		message: "You are not permitted to access this resource"}
}

func errBadCredentials() *apiError {
	return &apiError{status: http.StatusUnauthorized, exception: exIncorrectPassword,
		message: "Authentication failed. Please check your credentials and try again."}
}

// §5: the message echoes the key exactly as the caller gave it.
func errNoSuchProject(key string) *apiError {
	return &apiError{status: http.StatusNotFound, exception: exNoSuchProject,
		message: fmt.Sprintf("Project %s does not exist.", key)}
}

func errNoSuchRepository(key, slug string) *apiError {
	return &apiError{status: http.StatusNotFound, exception: exNoSuchRepository,
		message: fmt.Sprintf("Repository %s/%s does not exist.", key, slug)}
}

func errNoSuchUser(name string) *apiError {
	return &apiError{status: http.StatusNotFound, exception: exNoSuchUser,
		message: fmt.Sprintf("User %s does not exist.", name)}
}

// assumption: the message mirrors NoSuchUserException's.
func errNoSuchGroup(name string) *apiError {
	return &apiError{status: http.StatusNotFound, exception: exNoSuchGroup,
		message: fmt.Sprintf("Group %s does not exist.", name)}
}

// errInvalid is a validation failure (§7.1: context names the field,
// exceptionName is null). assumption: the real 400 bodies are [UNK] (§16).
func errInvalid(field, format string, args ...any) *apiError {
	return &apiError{status: http.StatusBadRequest, context: field, message: fmt.Sprintf(format, args...)}
}

func errConflict(format string, args ...any) *apiError {
	return &apiError{status: http.StatusConflict, exception: exIntegrity, message: fmt.Sprintf(format, args...)}
}

// errOwnLevel refuses a change that would lower the caller's own level.
// §7.2: PUT → 403 and DELETE → 409 on repository and project scopes, 409 on
// the global scope. assumption: the exception names are [UNK]; these are
// the two candidates §7.2 names.
func errOwnLevel(status int) *apiError {
	ex := exIntegrity
	if status == http.StatusForbidden {
		ex = exForbidden
	}
	return &apiError{status: status, exception: ex,
		message: "You cannot reduce your own permission level."}
}

// writeError sends the §7.1 envelope. Every 401 carries the OAuth realm (§1).
func writeError(w http.ResponseWriter, r *http.Request, e *apiError) {
	if e.status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `OAuth realm="`+url.QueryEscape(baseURL(r))+`"`)
	}
	type entry struct {
		Context       *string `json:"context"`
		Message       string  `json:"message"`
		ExceptionName *string `json:"exceptionName"`
	}
	var ent entry
	ent.Message = e.message
	if e.context != "" {
		ent.Context = &e.context
	}
	if e.exception != "" {
		ent.ExceptionName = &e.exception
	}
	writeJSON(w, e.status, map[string][]entry{"errors": {ent}})
}
