package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

var baseURLLine = regexp.MustCompile(`^http://127\.0\.0\.1:[0-9]+$`)

// firstLine returns the first line read from r, and drains the rest.
func firstLine(t *testing.T, r io.Reader) string {
	t.Helper()
	lines := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(r)
		if sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
		_, _ = io.Copy(io.Discard, r)
	}()
	select {
	case line := <-lines:
		return line
	case <-time.After(10 * time.Second):
		t.Fatal("no URL printed within 10s")
		return ""
	}
}

func do(t *testing.T, method, url, token, contentType, body string) (int, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, b
}

// The seed story: the command prints its URL, serves the example seed, and
// answers as the provider's tests expect; it stops when its context ends.
func TestRun_SeedStory(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	out, stdout := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"-listen", "127.0.0.1:0", "-token", "admin-secret", "-seed", "example-seed.json"}, stdout)
		stdout.Close()
	}()
	base := firstLine(t, out)
	if !baseURLLine.MatchString(base) {
		t.Fatalf("first line %q is not the base URL", base)
	}
	const perms = "/rest/api/1.0/projects/PROJ/repos/test/permissions/users"

	status, body := do(t, "GET", base+perms, "", "", "")
	if status != 401 || !strings.Contains(string(body), `"com.atlassian.bitbucket.AuthorisationException"`) {
		t.Fatalf("no credentials: %d %s", status, body)
	}
	if status, body = do(t, "PUT", base+perms+"?name=new.user&permission=REPO_READ", "admin-secret", "", ""); status != 204 {
		t.Fatalf("PUT with the admin token: %d %s", status, body)
	}
	status, body = do(t, "GET", base+perms+"?filter=new.user", "admin-secret", "", "")
	var page struct {
		Values []struct {
			User       struct{ Name string }
			Permission string
		}
	}
	if err := json.Unmarshal(body, &page); status != 200 || err != nil || len(page.Values) != 1 ||
		page.Values[0].User.Name != "new.user" || page.Values[0].Permission != "REPO_READ" {
		t.Fatalf("the grant does not show in the list: %d %s", status, body)
	}
	status, body = do(t, "PUT", base+perms, "admin-secret", "application/json", `{"name":"new.user","permission":"REPO_WRITE"}`)
	if status != 400 {
		t.Fatalf("PUT with a JSON body and no query: %d %s", status, body)
	}
	// The request log, over HTTP.
	status, body = do(t, "GET", base+"/_bitbuckettest/requests", "", "", "")
	if status != 200 || !strings.Contains(string(body), `"PUT /rest/api/{version}/projects/{projectKey}/repos/{repositorySlug}/permissions/users":2`) {
		t.Errorf("request log: %d %s", status, body)
	}

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("run returned %v after its context ended", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("run did not stop")
	}
}

// Bad arguments fail before anything listens.
func TestRun_BadArguments(t *testing.T) {
	dir := t.TempDir()
	badSeed := filepath.Join(dir, "seed.json")
	if err := os.WriteFile(badSeed, []byte(`{"grants":[{"user":"ghost","permission":"ADMIN"}]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-seed", filepath.Join(dir, "missing.json")}, "reading the seed"},
		{[]string{"-seed", badSeed}, "User ghost does not exist."},
		{[]string{"-listen", "not an address"}, "listening on"},
		{[]string{"-bogus"}, "flag provided but not defined"},
		{[]string{"extra"}, "unexpected arguments"},
	} {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second) // bounds a run that wrongly starts
		err := run(ctx, tc.args, io.Discard)
		cancel()
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("run %v: %v, want an error containing %q", tc.args, err, tc.want)
		}
	}
}

// The built command prints its URL first and exits 0 on SIGTERM and SIGINT.
func TestCommand_StopsCleanlyOnSignals(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the command")
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go tool on PATH")
	}
	bin := filepath.Join(t.TempDir(), "bitbucket-test-instance")
	if out, err := exec.Command(goTool, "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGINT} {
		cmd := exec.Command(bin, "-listen", "127.0.0.1:0")
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		base := firstLine(t, stdout)
		if !baseURLLine.MatchString(base) {
			_ = cmd.Process.Kill()
			t.Fatalf("first line %q", base)
		}
		if status, _ := do(t, "GET", base+"/rest/api/1.0/application-properties", "", "", ""); status != 200 {
			t.Errorf("application-properties: %d", status)
		}
		if err := cmd.Process.Signal(sig); err != nil {
			t.Fatal(err)
		}
		exited := make(chan error, 1)
		go func() { exited <- cmd.Wait() }()
		select {
		case err := <-exited:
			if err != nil {
				t.Errorf("after %v: %v", sig, err)
			}
		case <-time.After(10 * time.Second):
			_ = cmd.Process.Kill()
			t.Fatalf("did not stop on %v", sig)
		}
	}
}
