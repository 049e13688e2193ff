package bitbucket

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestErrorDecoding(t *testing.T) {
	tests := []struct {
		name        string
		handler     http.HandlerFunc
		status      int
		message     string
		exception   string // short form
		missing     string
		authAs      string
		retryAfter  time.Duration
		is          func(error) bool
		errorString string
	}{
		{
			name: "401 not permitted, authenticated",
			handler: func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("X-AUSERNAME", "bob")
				w.Header().Set("X-AUSERID", "12")
				writeAPIError(w, 401, "com.atlassian.bitbucket.AuthorisationException", "You are not permitted to access this resource")
			},
			status: 401, message: "You are not permitted to access this resource", exception: "AuthorisationException",
			authAs: "bob", is: IsUnauthorized,
		},
		{
			name: "401 anonymous (token not accepted)",
			handler: func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("WWW-Authenticate", `OAuth realm="http%3A%2F%2Fbitbucket"`)
				writeAPIError(w, 401, "com.atlassian.plugins.rest.api.security.exception.AuthenticationRequiredException", "You are not permitted to access this resource")
			},
			status: 401, message: "You are not permitted to access this resource", exception: "AuthenticationRequiredException",
			is: IsUnauthorized,
		},
		{
			name: "404 missing project",
			handler: func(w http.ResponseWriter, r *http.Request) {
				writeAPIError(w, 404, "com.atlassian.bitbucket.project.NoSuchProjectException", "Project PROJ does not exist.")
			},
			status: 404, message: "Project PROJ does not exist.", exception: "NoSuchProjectException", missing: "project",
			is:          IsNotFound,
			errorString: "PUT /rest/api/1.0/projects/PROJ/repos/test/permissions/users: 404: Project PROJ does not exist. (NoSuchProjectException)",
		},
		{
			name: "404 missing repository",
			handler: func(w http.ResponseWriter, r *http.Request) {
				writeAPIError(w, 404, "com.atlassian.bitbucket.repository.NoSuchRepositoryException", "Repository PROJ/test does not exist.")
			},
			status: 404, message: "Repository PROJ/test does not exist.", exception: "NoSuchRepositoryException", missing: "repository",
			is: IsNotFound,
		},
		{
			name: "404 missing user",
			handler: func(w http.ResponseWriter, r *http.Request) {
				writeAPIError(w, 404, "com.atlassian.bitbucket.user.NoSuchUserException", "User ghost does not exist.")
			},
			status: 404, message: "User ghost does not exist.", exception: "NoSuchUserException", missing: "user", is: IsNotFound,
		},
		{
			name: "404 missing group",
			handler: func(w http.ResponseWriter, r *http.Request) {
				writeAPIError(w, 404, "com.atlassian.bitbucket.user.NoSuchGroupException", "Group ghosts does not exist.")
			},
			status: 404, message: "Group ghosts does not exist.", exception: "NoSuchGroupException", missing: "group", is: IsNotFound,
		},
		{
			name: "403 XSRF plain text",
			handler: func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "text/plain;charset=UTF-8")
				w.WriteHeader(403)
				fmt.Fprint(w, "XSRF check failed\n")
			},
			status: 403, message: "XSRF check failed", is: IsForbidden,
			errorString: "PUT /rest/api/1.0/projects/PROJ/repos/test/permissions/users: 403: XSRF check failed",
		},
		{
			name: "429 text with Retry-After",
			handler: func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Retry-After", "7")
				w.Header().Set("Content-Type", "text/html")
				w.WriteHeader(429)
				fmt.Fprint(w, "  Too many\n requests  ")
			},
			status: 429, message: "Too many requests", retryAfter: 7 * time.Second, is: IsRateLimited,
		},
		{
			name: "400 validation with context and null exception",
			handler: func(w http.ResponseWriter, r *http.Request) {
				writeJSON(w, 400, map[string]any{"errors": []map[string]any{
					{"context": "permission", "message": "not a permission", "exceptionName": nil},
				}})
			},
			status: 400, message: "permission: not a permission", is: IsBadRequest,
		},
		{
			name: "409 several messages and extra keys",
			handler: func(w http.ResponseWriter, r *http.Request) {
				writeJSON(w, 409, map[string]any{"errors": []map[string]any{
					{"context": nil, "message": "first", "exceptionName": "com.atlassian.bitbucket.IntegrityException", "currentVersion": 3},
					{"context": nil, "message": "second", "exceptionName": nil},
				}})
			},
			status: 409, message: "first; second", exception: "IntegrityException", is: IsConflict,
		},
		{
			name: "403 Bitbucket 10 basic auth disabled",
			handler: func(w http.ResponseWriter, r *http.Request) {
				writeJSON(w, 403, map[string]any{"message": "Basic Authentication has been disabled on this instance."})
			},
			status: 403, message: "Basic Authentication has been disabled on this instance.", is: IsForbidden,
		},
		{
			name: "502 HTML from a proxy",
			handler: func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "text/html")
				w.WriteHeader(502)
				fmt.Fprint(w, "<html>\n<head><title>502 Bad Gateway</title></head>\n<body>"+strings.Repeat("nginx ", 200)+"</body></html>")
			},
			status: 502, message: "<html> <head><title>502 Bad Gateway</title></head>",
		},
		{
			name: "empty body",
			handler: func(w http.ResponseWriter, r *http.Request) {
				w.WriteHeader(405)
			},
			status: 405, message: "Method Not Allowed",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, _ := newTestClient(t, tt.handler, func(c *Config) { c.MaxRetries = 0 })
			err := c.SetPermission(t.Context(), RepositoryScope("PROJ", "test"), PrincipalUser, "REPO_READ", "alice")
			ae := mustAPIError(t, err)
			if ae.StatusCode != tt.status {
				t.Errorf("status = %d, want %d", ae.StatusCode, tt.status)
			}
			if !strings.HasPrefix(ae.Message(), tt.message) {
				t.Errorf("Message() = %q, want prefix %q", ae.Message(), tt.message)
			}
			if len(ae.Message()) > 520*3 {
				t.Errorf("message not trimmed: %d bytes", len(ae.Message()))
			}
			if ae.ShortExceptionName() != tt.exception {
				t.Errorf("ShortExceptionName() = %q, want %q", ae.ShortExceptionName(), tt.exception)
			}
			if tt.exception != "" && !strings.HasSuffix(ae.ExceptionName(), "."+tt.exception) {
				t.Errorf("ExceptionName() = %q", ae.ExceptionName())
			}
			if got := MissingObject(err); got != tt.missing {
				t.Errorf("MissingObject = %q, want %q", got, tt.missing)
			}
			if ae.AuthenticatedAs != tt.authAs {
				t.Errorf("AuthenticatedAs = %q, want %q", ae.AuthenticatedAs, tt.authAs)
			}
			if ae.RetryAfter != tt.retryAfter {
				t.Errorf("RetryAfter = %v, want %v", ae.RetryAfter, tt.retryAfter)
			}
			if ae.Method != http.MethodPut || ae.Path != "/rest/api/1.0/projects/PROJ/repos/test/permissions/users" {
				t.Errorf("Method/Path = %s %s", ae.Method, ae.Path)
			}
			if tt.is != nil && !tt.is(err) {
				t.Errorf("status helper false for %v", err)
			}
			if tt.errorString != "" && err.Error() != tt.errorString {
				t.Errorf("Error() =\n%q, want\n%q", err.Error(), tt.errorString)
			}
			if strings.Contains(err.Error(), "?") || strings.Contains(err.Error(), "alice") {
				t.Errorf("Error() carries the query: %q", err.Error())
			}
		})
	}
}

func TestStatusHelpers(t *testing.T) {
	helpers := map[int]func(error) bool{
		400: IsBadRequest, 401: IsUnauthorized, 403: IsForbidden, 404: IsNotFound, 409: IsConflict, 429: IsRateLimited,
	}
	for status := range helpers {
		err := fmt.Errorf("granting: %w", &APIError{StatusCode: status})
		for other, is := range helpers {
			if got := is(err); got != (other == status) {
				t.Errorf("helper for %d on a wrapped %d = %v", other, status, got)
			}
		}
	}
	for _, err := range []error{nil, errors.New("plain"), &TransportError{Err: errors.New("x")}} {
		if IsNotFound(err) || MissingObject(err) != "" {
			t.Errorf("%v classified as 404", err)
		}
	}
	if MissingObject(&APIError{StatusCode: 401, Messages: []ErrorMessage{{ExceptionName: "x.NoSuchProjectException"}}}) != "" {
		t.Error("MissingObject on a 401")
	}
}

func TestCredentialsRejected(t *testing.T) {
	if !(&APIError{StatusCode: 401}).CredentialsRejected() {
		t.Error("anonymous 401 not reported")
	}
	if (&APIError{StatusCode: 401, AuthenticatedAs: "bob"}).CredentialsRejected() {
		t.Error("authenticated 401 reported as rejected credentials")
	}
	if (&APIError{StatusCode: 404}).CredentialsRejected() {
		t.Error("404 reported as rejected credentials")
	}
}

func TestSuccessWithUndecodableBody(t *testing.T) {
	c, _ := newTestClient(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, "<html>Log in to Bitbucket</html>")
	})
	_, err := c.GetProject(t.Context(), "PROJ")
	if err == nil || !strings.Contains(err.Error(), "text/html") || !strings.Contains(err.Error(), "Log in") {
		t.Errorf("err = %v", err)
	}
}
