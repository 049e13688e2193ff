package bitbucket

import (
	"encoding/base64"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestLoggerNeverSeesSecrets(t *testing.T) {
	const fixturePassword = "fixture-SECRET-pw"
	basic := base64.StdEncoding.EncodeToString([]byte(testUser + ":" + testPassword))
	secrets := []string{testToken, testPassword, basic, fixturePassword}

	for name, mutate := range map[string]func(*Config){
		"bearer": func(*Config) {},
		"basic":  func(c *Config) { c.Token, c.Username, c.Password = "", testUser, testPassword },
	} {
		t.Run(name, func(t *testing.T) {
			logs := &captureLogger{}
			var n atomic.Int32
			c, _ := newTestClient(t, func(w http.ResponseWriter, r *http.Request) {
				switch n.Add(1) {
				case 1:
					writeAPIError(w, 503, "x.ServiceException", "down")
				case 2:
					// A server echoing the credentials back must not reach logs or errors.
					w.WriteHeader(401)
					fmt.Fprintf(w, "bad credentials %s", r.Header.Get("Authorization"))
				default:
					noContent(w)
				}
			}, mutate, func(c *Config) { c.Logger = logs })
			ctx := t.Context()

			err := c.SetPermission(ctx, ProjectScope("PROJ"), PrincipalUser, "PROJECT_READ", "alice")
			if !IsUnauthorized(err) {
				t.Fatalf("want 401, got %v", err)
			}
			if err := c.CreateUser(ctx, NewUser{Name: "u", DisplayName: "U", EmailAddress: "u@x", Password: fixturePassword}); err != nil {
				t.Fatal(err)
			}

			text := logs.text() + "\n" + err.Error()
			for _, s := range secrets {
				if strings.Contains(text, s) {
					t.Errorf("secret %q found in logs or error:\n%s", s, text)
				}
			}
			if strings.Contains(logs.text(), "Authorization") || strings.Contains(logs.text(), "Bearer ") {
				t.Errorf("auth header content in logs:\n%s", text)
			}

			// The useful parts are there.
			entries := logs.all()
			var attempts []int
			sawRetry := false
			for _, e := range entries {
				if e.Msg == "Bitbucket request" {
					for _, k := range []string{"method", "path", "status", "duration_ms", "attempt"} {
						if _, ok := e.Fields[k]; !ok {
							t.Errorf("entry lacks %q: %v", k, e.Fields)
						}
					}
					attempts = append(attempts, e.Fields["attempt"].(int))
				}
				if e.Level == "warn" && strings.Contains(e.Msg, "retrying") {
					sawRetry = true
				}
			}
			if fmt.Sprint(attempts) != "[1 2 1]" {
				t.Errorf("attempts logged = %v, want [1 2 1]", attempts)
			}
			if !sawRetry {
				t.Errorf("no retry warning in:\n%s", logs.text())
			}
			if !strings.Contains(logs.text(), "password=REDACTED") {
				t.Errorf("fixture password not redacted in query:\n%s", logs.text())
			}
		})
	}
}

func TestTransportErrorHidesSecretQuery(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	logs := &captureLogger{}
	c, err := New(Config{ServerURL: "http://" + addr, Token: testToken, Logger: logs, RetryWaitMin: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	err = c.CreateUser(t.Context(), NewUser{Name: "u", DisplayName: "U", EmailAddress: "u@x", Password: "hunter2-SECRET"})
	if !IsTransportError(err) {
		t.Fatalf("want transport error, got %v", err)
	}
	if strings.Contains(err.Error(), "hunter2") || strings.Contains(logs.text(), "hunter2") {
		t.Errorf("password leaked: %v\n%s", err, logs.text())
	}
	if !strings.Contains(err.Error(), "POST /rest/api/1.0/admin/users") {
		t.Errorf("error does not name the call: %v", err)
	}
}

func TestMaskerFields(t *testing.T) {
	sink := logSink{logger: &captureLogger{}, mask: newMasker("secret", "", "secret-longer", "admin")}
	got := sink.maskFields(map[string]any{
		"s": "x secret-longer y secret", "e": errors.New("secret"), "n": 3, "l": []string{"secret"},
		"other": struct{ A string }{"secret"}, "path": "/rest/api/1.0/admin/permissions/users",
	})
	if got["s"] != "x REDACTED y REDACTED" || got["e"] != "REDACTED" || got["n"] != 3 ||
		fmt.Sprint(got["l"]) != "[REDACTED]" || strings.Contains(fmt.Sprint(got["other"]), "secret") {
		t.Errorf("masked = %v", got)
	}
	// Too short to mask as a substring without garbling ordinary text.
	if got["path"] != "/rest/api/1.0/admin/permissions/users" {
		t.Errorf("path garbled: %v", got["path"])
	}
}

func TestNilLoggerIsFine(t *testing.T) {
	c, _ := newTestClient(t, scripted(new(atomic.Int32), "", 503, 200), func(c *Config) { c.Logger = nil })
	if _, err := c.GetProject(t.Context(), "PROJ"); err != nil {
		t.Fatal(err)
	}
}

// retryablehttp's own logger would print URLs with the fixture password in
// the query, outside the masked Logger: it must stay disabled.
func TestRetryableHTTPLoggerIsDisabled(t *testing.T) {
	c, err := New(Config{ServerURL: "https://bitbucket.example.com", Token: testToken, Logger: &captureLogger{}})
	if err != nil {
		t.Fatal(err)
	}
	if c.retry.Logger != nil || c.retry.RequestLogHook != nil || c.retry.ResponseLogHook != nil {
		t.Errorf("retryablehttp logs on its own: %#v", c.retry.Logger)
	}
}
