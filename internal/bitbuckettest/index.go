package bitbuckettest

import "slices"

// index is a map whose keys are also kept sorted, so that a page of a list
// can be cut without sorting on every request (§2; up to 100,000 grants).
// Keys are lower-cased names, which also gives the listing order.
// The zero value is ready to use.
type index[V any] struct {
	m    map[string]V
	keys []string
}

func (x *index[V]) get(k string) (V, bool) {
	v, ok := x.m[k]
	return v, ok
}

func (x *index[V]) has(k string) bool {
	_, ok := x.m[k]
	return ok
}

// put inserts or replaces.
func (x *index[V]) put(k string, v V) {
	if x.m == nil {
		x.m = map[string]V{}
	}
	if _, ok := x.m[k]; !ok {
		i, _ := slices.BinarySearch(x.keys, k)
		x.keys = slices.Insert(x.keys, i, k)
	}
	x.m[k] = v
}

// del removes k and reports whether it was there.
func (x *index[V]) del(k string) bool {
	if _, ok := x.m[k]; !ok {
		return false
	}
	delete(x.m, k)
	i, _ := slices.BinarySearch(x.keys, k)
	x.keys = slices.Delete(x.keys, i, i+1)
	return true
}

func (x *index[V]) len() int { return len(x.keys) }
