package bitbuckettest

import (
	"net/url"
	"strconv"
	"strings"
)

// §2 paging.
const (
	defaultLimit = 25
	maxLimit     = 1000
)

// page is a request's window into a list.
type page struct {
	start, limit int
}

// parsePage reads start and limit. §2 leaves odd values [UNK]; the choices:
// a non-numeric start or limit is 400; limit <= 0 means the default (25);
// a limit above 1000 is clamped to 1000 and the clamped value is echoed;
// a negative start means 0.
func parsePage(q url.Values) (page, *apiError) {
	pg := page{limit: defaultLimit}
	if s := q.Get("start"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			return pg, errInvalid("start", "start must be a number, not %q.", s)
		}
		pg.start = max(n, 0)
	}
	if s := q.Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			return pg, errInvalid("limit", "limit must be a number, not %q.", s)
		}
		if n > 0 {
			pg.limit = min(n, maxLimit)
		}
	}
	return pg, nil
}

// cut returns the keys of the page, in order, among those keep accepts
// (nil keeps all), and whether this is the last page. It stops scanning as
// soon as it knows, so a page costs O(start+limit), not O(len(keys)).
func cut(keys []string, pg page, keep func(string) bool) (sel []string, last bool) {
	if keep == nil {
		if pg.start >= len(keys) {
			return nil, true
		}
		end := min(pg.start+pg.limit, len(keys))
		return keys[pg.start:end], end == len(keys)
	}
	seen := 0
	for _, k := range keys {
		if !keep(k) {
			continue
		}
		if seen >= pg.start+pg.limit {
			return sel, false
		}
		if seen >= pg.start {
			sel = append(sel, k)
		}
		seen++
	}
	return sel, true
}

// pageJSON is the §2 envelope. filter is never echoed, and nextPageStart is
// absent on the last page.
type pageJSON[T any] struct {
	Size          int  `json:"size"`
	Limit         int  `json:"limit"`
	IsLastPage    bool `json:"isLastPage"`
	Values        []T  `json:"values"`
	Start         int  `json:"start"`
	NextPageStart *int `json:"nextPageStart,omitempty"`
}

func newPage[T any](pg page, values []T, last bool) pageJSON[T] {
	if values == nil {
		values = []T{}
	}
	out := pageJSON[T]{Size: len(values), Limit: pg.limit, IsLastPage: last, Values: values, Start: pg.start}
	if !last {
		next := pg.start + len(values)
		out.NextPageStart = &next
	}
	return out
}

// contains is the filter rule: a case-insensitive substring match
// (§16; case-insensitivity is an assumption). needle is already lower case.
func contains(haystack, needle string) bool {
	return needle == "" || strings.Contains(lower(haystack), needle)
}

// nameFilter keeps the keys (lower-cased names) that contain the request's
// filter; nil when there is none.
func nameFilter(q url.Values) func(string) bool {
	f := lower(q.Get("filter"))
	if f == "" {
		return nil
	}
	return func(k string) bool { return strings.Contains(k, f) }
}

// pageOf cuts a page of keys and renders each one.
func pageOf[V, T any](x *index[V], pg page, keep func(string) bool, render func(string, V) T) pageJSON[T] {
	keys, last := cut(x.keys, pg, keep)
	out := make([]T, 0, len(keys))
	for _, k := range keys {
		out = append(out, render(k, x.m[k]))
	}
	return newPage(pg, out, last)
}

// both combines two optional filters.
func both(a, b func(string) bool) func(string) bool {
	switch {
	case a == nil:
		return b
	case b == nil:
		return a
	}
	return func(k string) bool { return a(k) && b(k) }
}
