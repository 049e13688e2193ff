package bitbuckettest_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/bitbucket-access/terraform-provider-bitbucket/internal/bitbuckettest"
)

// pagedFixture grants REPO_READ on PROJ/test to n users user0000…
func pagedFixture(t *testing.T, n int) *bitbuckettest.Server {
	t.Helper()
	bb := fixture(t)
	for i := range n {
		name := fmt.Sprintf("user%04d", i)
		check(t, bb.CreateUser(bitbuckettest.User{Name: name}))
		check(t, bb.GrantUser(repoScope, name, "REPO_READ"))
	}
	return bb
}

// §2, §13: default 25, the applied limit echoed, nextPageStart only when
// more remain, no "filter" key.
func TestPaging_Envelope(t *testing.T) {
	bb := pagedFixture(t, 30)
	p := get(t, bb, repoPerms+"/users", admin).page(t)
	if p.Limit != 25 || p.Size != 25 || len(p.Values) != 25 || p.Start != 0 || p.IsLastPage || p.NextPageStart == nil || *p.NextPageStart != 25 {
		t.Fatalf("first page: limit %d size %d start %d last %v next %v", p.Limit, p.Size, p.Start, p.IsLastPage, p.NextPageStart)
	}
	if _, ok := p.raw["filter"]; ok {
		t.Error(`the envelope has a "filter" key`)
	}
	p = get(t, bb, repoPerms+"/users?start=25", admin).page(t)
	if p.Size != 5 || !p.IsLastPage || p.Start != 25 {
		t.Fatalf("last page: size %d last %v start %d", p.Size, p.IsLastPage, p.Start)
	}
	if _, ok := p.raw["nextPageStart"]; ok {
		t.Error("the last page has a nextPageStart key")
	}
	// §2: the recorded empty page.
	p = get(t, bb, repoPerms+"/groups?limit=1", admin).page(t)
	if p.Size != 0 || p.Limit != 1 || !p.IsLastPage || p.Start != 0 || string(p.raw["values"]) != "[]" {
		t.Errorf("empty page %v", p.raw)
	}
}

// §2: following nextPageStart visits every entry exactly once, in order,
// with or without a filter.
func TestPaging_FollowNextPageStart(t *testing.T) {
	bb := pagedFixture(t, 30)
	for _, filter := range []string{"", "user00", "1"} {
		var seen []string
		start, pages := 0, 0
		for {
			p := get(t, bb, repoPerms+"/users"+query("limit", "7", "start", fmt.Sprint(start), "filter", filter), admin).page(t)
			seen = append(seen, p.names(t)...)
			pages++
			if p.IsLastPage {
				break
			}
			start = *p.NextPageStart
		}
		want := 0
		for i := range 30 {
			if n := fmt.Sprintf("user%04d", i); filter == "" || strings.Contains(n, filter) {
				want++
			}
		}
		if len(seen) != want {
			t.Errorf("filter %q: %d entries over %d pages, want %d", filter, len(seen), pages, want)
		}
		for i := 1; i < len(seen); i++ {
			if seen[i-1] >= seen[i] {
				t.Errorf("filter %q: not in order or repeated: %v", filter, seen)
				break
			}
		}
	}
}

// §2: a limit above the maximum is clamped to 1000 and the clamped value
// echoed; the odd values ([UNK]) follow the documented choice.
func TestPaging_LimitEdgeCases(t *testing.T) {
	bb := pagedFixture(t, 3)
	if p := get(t, bb, repoPerms+"/users?limit=5000", admin).page(t); p.Limit != 1000 || p.Size != 3 {
		t.Errorf("limit=5000: applied %d, size %d", p.Limit, p.Size)
	}
	for _, l := range []string{"0", "-3"} { // assumption: <= 0 means the default
		if p := get(t, bb, repoPerms+"/users?limit="+l, admin).page(t); p.Limit != 25 || p.Size != 3 {
			t.Errorf("limit=%s: applied %d, size %d", l, p.Limit, p.Size)
		}
	}
	get(t, bb, repoPerms+"/users?limit=ten", admin).wantError(t, http.StatusBadRequest, "", "")
	get(t, bb, repoPerms+"/users?start=x", admin).wantError(t, http.StatusBadRequest, "", "")
	if p := get(t, bb, repoPerms+"/users?start=-4", admin).page(t); p.Start != 0 || p.Size != 3 {
		t.Errorf("start=-4: start %d size %d", p.Start, p.Size)
	}
	if p := get(t, bb, repoPerms+"/users?start=100", admin).page(t); p.Size != 0 || !p.IsLastPage || p.Start != 100 {
		t.Errorf("start past the end: %v", p.raw)
	}
}

// §2: paging applies to every list, e.g. the lookups.
func TestPaging_OtherLists(t *testing.T) {
	bb := pagedFixture(t, 30)
	for _, path := range []string{"/rest/api/1.0/users", "/rest/api/1.0/admin/users", "/rest/api/1.0/admin/groups/more-members?context=stash-users", globalPerms + "/users/none"} {
		sep := "?"
		if strings.Contains(path, "?") {
			sep = "&"
		}
		p := get(t, bb, path+sep+"limit=10", admin).page(t)
		if p.Limit != 10 || p.Size != 10 || p.IsLastPage || *p.NextPageStart != 10 {
			t.Errorf("%s: limit %d size %d last %v", path, p.Limit, p.Size, p.IsLastPage)
		}
	}
}
