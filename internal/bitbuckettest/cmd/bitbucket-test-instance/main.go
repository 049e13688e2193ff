// Command bitbucket-test-instance serves an in-memory Bitbucket Data Center
// (package bitbuckettest) for trying the provider by hand or from another
// process. It prints its base URL on the first line of output and stops
// cleanly on SIGINT or SIGTERM.
//
//	go run ./internal/bitbuckettest/cmd/bitbucket-test-instance [-listen 127.0.0.1:7990] [-token VALUE] [-seed FILE]
//
// It starts with system administrator admin/admin, a member of stash-users,
// which holds LICENSED_USER. -token pre-creates a personal HTTP access token
// of admin with that value (PROJECT_ADMIN and REPO_ADMIN, no expiry). -seed
// loads a JSON file in the format of example-seed.json, described in the
// package documentation. GET /_bitbuckettest/requests returns the request
// counts; DELETE resets them.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/bitbucket-access/terraform-provider-bitbucket/internal/bitbuckettest"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "bitbucket-test-instance:", err)
		os.Exit(2)
	}
}

// run serves until ctx is done. The first line written to stdout is the
// base URL.
func run(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("bitbucket-test-instance", flag.ContinueOnError)
	listen := fs.String("listen", "127.0.0.1:7990", "address to listen on; port 0 picks a free port")
	tokenValue := fs.String("token", "", "pre-create a personal HTTP access token of admin with this value (PROJECT_ADMIN, REPO_ADMIN, no expiry)")
	seedPath := fs.String("seed", "", "load users, groups, projects, repositories, grants and tokens from this JSON file")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q; see -help", fs.Args())
	}

	bb := bitbuckettest.New()
	if *seedPath != "" {
		f, err := os.Open(*seedPath)
		if err != nil {
			return fmt.Errorf("reading the seed: %w", err)
		}
		err = bb.LoadSeed(f)
		f.Close()
		if err != nil {
			return fmt.Errorf("loading %s: %w", *seedPath, err)
		}
	}
	if *tokenValue != "" {
		if _, err := bb.CreatePersonalToken("admin", bitbuckettest.Token{
			Name: "bitbucket-test-instance", Value: *tokenValue,
			Permissions: []string{"PROJECT_ADMIN", "REPO_ADMIN"},
		}); err != nil {
			return fmt.Errorf("creating the -token: %w", err)
		}
	}

	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		return fmt.Errorf("listening on %s: %w", *listen, err)
	}
	srv := &http.Server{Handler: bb, ReadHeaderTimeout: 10 * time.Second}
	fmt.Fprintf(stdout, "http://%s\n", ln.Addr())
	fmt.Fprintln(stdout, "Log in as admin/admin; GET /_bitbuckettest/requests shows the request counts. Stop with Ctrl-C.")

	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("stopping: %w", err)
	}
	if err := <-served; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
