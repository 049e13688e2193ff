package bitbuckettest_test

import (
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"testing"
	"time"

	"github.com/bitbucket-access/terraform-provider-bitbucket/internal/bitbuckettest"
)

// The size: 10,000 users, 1,000 repositories (50 projects of 20),
// 100,000 grants (100 users on each repository), plus 100 groups of 100.
const (
	scaleUsers        = 10_000
	scaleProjects     = 50
	reposPerProject   = 20
	grantsPerRepo     = 100
	scaleGroups       = 100
	membersPerGroup   = 100
	scaleProjectKey   = "P%02d"
	scaleRepoSlug     = "repo%02d"
	scaleUserNameForm = "user%05d"
)

// largeInstance builds the instance through the Go API.
func largeInstance(tb testing.TB) *bitbuckettest.Server {
	tb.Helper()
	bb := bitbuckettest.Start(tb)
	for i := range scaleUsers {
		check(tb, bb.CreateUser(bitbuckettest.User{Name: fmt.Sprintf(scaleUserNameForm, i), Password: "pw"}))
	}
	for g := range scaleGroups {
		name := fmt.Sprintf("group%03d", g)
		check(tb, bb.CreateGroup(name))
		for m := range membersPerGroup {
			check(tb, bb.AddMember(name, fmt.Sprintf(scaleUserNameForm, (g*membersPerGroup+m)%scaleUsers)))
		}
	}
	perms := []string{"REPO_READ", "REPO_WRITE", "REPO_ADMIN"}
	n := 0
	for p := range scaleProjects {
		key := fmt.Sprintf(scaleProjectKey, p)
		check(tb, bb.CreateProject(key, "Project "+key))
		for r := range reposPerProject {
			slug, err := bb.CreateRepository(key, fmt.Sprintf(scaleRepoSlug, r))
			check(tb, err)
			scope := bitbuckettest.Scope{Project: key, Repository: slug}
			for g := range grantsPerRepo {
				user := fmt.Sprintf(scaleUserNameForm, (n*grantsPerRepo+g*97)%scaleUsers)
				check(tb, bb.GrantUser(scope, user, perms[g%3]))
			}
			check(tb, bb.GrantGroup(scope, fmt.Sprintf("group%03d", n%scaleGroups), "REPO_READ"))
			n++
		}
	}
	return bb
}

// The instance holds the size and still answers lists in pages.
func TestScale(t *testing.T) {
	if testing.Short() {
		t.Skip("builds 10,000 users and 100,000 grants")
	}
	start := time.Now()
	bb := largeInstance(t)
	t.Logf("built %d users, %d repositories and %d grants in %v", scaleUsers, scaleProjects*reposPerProject,
		scaleProjects*reposPerProject*grantsPerRepo, time.Since(start).Round(time.Millisecond))

	path := "/rest/api/1.0/projects/P07/repos/repo13/permissions/users"
	total, pages, next := 0, 0, 0
	for {
		p := get(t, bb, path+query("start", fmt.Sprint(next), "limit", "40"), admin).page(t)
		total += p.Size
		pages++
		if p.IsLastPage {
			break
		}
		next = *p.NextPageStart
	}
	if total != grantsPerRepo || pages != 3 {
		t.Errorf("listed %d grants over %d pages, want %d over 3", total, pages, grantsPerRepo)
	}
	if p := get(t, bb, "/rest/api/1.0/admin/users?limit=1000&start=9500", admin).page(t); p.Size != scaleUsers+1-9500 || !p.IsLastPage {
		t.Errorf("last page of users: size %d", p.Size)
	}
	if p := get(t, bb, "/rest/api/1.0/users?filter=user0999", admin).page(t); p.Size != 10 {
		t.Errorf("filtered users: %d", p.Size)
	}
	if p := get(t, bb, path+"/none?limit=5", admin).page(t); p.Size != 5 || p.IsLastPage {
		t.Errorf("users/none page %d", p.Size)
	}
	if p := get(t, bb, "/rest/api/1.0/projects?limit=1000", admin).page(t); p.Size != scaleProjects {
		t.Errorf("projects %d", p.Size)
	}
}

// BenchmarkListRepoPermissions measures simple requests per second: real
// HTTP over loopback, parallel keep-alive clients (4 per CPU), each listing a
// page of 25 user grants of a random repository of the large instance as
// admin with Basic authentication.
//
//	go test -run '^$' -bench ListRepoPermissions -benchtime 5s ./internal/bitbuckettest/
func BenchmarkListRepoPermissions(b *testing.B) {
	bb := largeInstance(b)
	transport := &http.Transport{MaxIdleConnsPerHost: 256}
	defer transport.CloseIdleConnections()
	client := &http.Client{Transport: transport}
	b.SetParallelism(4)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			url := fmt.Sprintf("%s/rest/api/1.0/projects/"+scaleProjectKey+"/repos/"+scaleRepoSlug+"/permissions/users?limit=25",
				bb.URL(), rand.IntN(scaleProjects), rand.IntN(reposPerProject))
			req, _ := http.NewRequest(http.MethodGet, url, nil)
			req.SetBasicAuth("admin", "admin")
			res, err := client.Do(req)
			if err != nil {
				b.Error(err)
				return
			}
			_, _ = io.Copy(io.Discard, res.Body)
			res.Body.Close()
			if res.StatusCode != http.StatusOK {
				b.Errorf("status %d", res.StatusCode)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "req/s")
}
