package bitbucket

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
)

// page is the §2 paging envelope.
type page[T any] struct {
	Size       int  `json:"size"`
	Limit      int  `json:"limit"`
	IsLastPage bool `json:"isLastPage"`
	Start      int  `json:"start"`
	// §2: present only when isLastPage is false.
	NextPageStart *int `json:"nextPageStart"`
	Values        []T  `json:"values"`
}

// eachPage GETs path page by page, following nextPageStart until isLastPage
// (§2: never start+size, identifiers may not be contiguous), and hands each
// page's values to fn. fn returns true to stop early.
func eachPage[T any](ctx context.Context, c *Client, path string, query url.Values, fn func([]T) bool) error {
	q := url.Values{}
	for k, v := range query {
		q[k] = v
	}
	q.Set("limit", strconv.Itoa(c.pageLimit))
	start := 0
	seen := map[int]bool{}
	for {
		if start != 0 {
			q.Set("start", strconv.Itoa(start))
		} else {
			q.Del("start")
		}
		seen[start] = true

		var p page[T]
		if err := c.do(ctx, call{method: http.MethodGet, path: path, query: q, idempotent: true}, &p); err != nil {
			return err
		}
		if p.Limit > 0 && p.Limit < c.pageLimit && start == 0 {
			// §2: the echoed limit is the one applied; the server clamped ours.
			c.log.debug(ctx, "Bitbucket clamped the page limit", map[string]any{
				"path": c.basePath + path, "requested_limit": c.pageLimit, "applied_limit": p.Limit,
			})
		}
		if fn(p.Values) || p.IsLastPage {
			return nil
		}
		if p.NextPageStart == nil {
			return fmt.Errorf("GET %s%s: page at start=%d is not the last but has no nextPageStart", c.basePath, path, start)
		}
		next := *p.NextPageStart
		if seen[next] {
			return fmt.Errorf("GET %s%s: nextPageStart=%d was already requested; refusing to loop", c.basePath, path, next)
		}
		start = next
	}
}

// listAll returns the values of every page.
func listAll[T any](ctx context.Context, c *Client, path string, query url.Values) ([]T, error) {
	var all []T
	err := eachPage(ctx, c, path, query, func(values []T) bool {
		all = append(all, values...)
		return false
	})
	if err != nil {
		return nil, err
	}
	return all, nil
}
