package sandbox

import (
	"cmp"
	"slices"
	"sort"
	"sync"
)

// indexCache keeps, for the current World version, each collection sorted by each order field
// and the matches of recent list queries, so paging through a list costs O(limit) per page and
// a World change costs one rebuild on the next request. Slices hold pointers into the World's
// data: they are only read inside World.Read at the version they were built for.
type indexCache struct {
	mu      sync.Mutex
	version uint64
	sorted  map[string]any // "leads/updated_at" → []*amo.Lead
	results map[string]any // collection + query without page → matches in order
}

// maxCachedResults bounds the query-result cache; it is simply cleared when full.
const maxCachedResults = 16

func newIndexCache() *indexCache {
	return &indexCache{sorted: map[string]any{}, results: map[string]any{}}
}

// sync drops everything built for an older World version; c.mu is held.
func (c *indexCache) sync(version uint64) {
	if c.version != version {
		c.version = version
		clear(c.sorted)
		clear(c.results)
	}
}

// collection describes how to list one kind of entity.
type collection[T any] struct {
	name string
	// all returns the entities in a stable base order (by id, or creation order for events).
	all func(d *Data) []*T
	// key returns the sortable value of an order field (Unix seconds); any other field, "id"
	// included, gives the id (events: 0, so ties keep creation order).
	key func(t *T, field string) int64
}

// sortedBy returns the collection sorted by field ascending, ties in base order.
func sortedBy[T any](c *indexCache, version uint64, d *Data, col collection[T], field string) []*T {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.sync(version)
	k := col.name + "/" + field
	if v, ok := c.sorted[k]; ok {
		return v.([]*T)
	}
	base := baseOrder(c, d, col)
	if field == "" || field == "id" {
		return base
	}
	out := slices.Clone(base)
	slices.SortStableFunc(out, func(a, b *T) int { return cmp.Compare(col.key(a, field), col.key(b, field)) })
	c.sorted[k] = out
	return out
}

// baseOrder returns the collection in its base order; c.mu is held.
func baseOrder[T any](c *indexCache, d *Data, col collection[T]) []*T {
	k := col.name + "/"
	if v, ok := c.sorted[k]; ok {
		return v.([]*T)
	}
	out := col.all(d)
	c.sorted[k] = out
	return out
}

// selection says which entities a list request wants, in which order.
type selection[T any] struct {
	order  orderBy
	window string // a time field with a range filter, used to cut the index by binary search
	span   span
	match  func(t *T) bool
}

// selectAll returns every entity matching sel, in order. Results are cached per query key.
func selectAll[T any](s *Server, version uint64, d *Data, col collection[T], cacheKey string, sel selection[T]) []*T {
	c := s.cache
	c.mu.Lock()
	c.sync(version)
	if v, ok := c.results[cacheKey]; ok {
		c.mu.Unlock()
		return v.([]*T)
	}
	c.mu.Unlock()

	var out []*T
	if sel.window != "" && sel.span.set {
		idx := sortedBy(c, version, d, col, sel.window)
		lo := sort.Search(len(idx), func(i int) bool { return col.key(idx[i], sel.window) >= sel.span.from })
		hi := sort.Search(len(idx), func(i int) bool { return col.key(idx[i], sel.window) > sel.span.to })
		out = filterSlice(idx[lo:max(lo, hi)], sel.match)
		if sel.order.field != sel.window {
			f := sel.order.field
			slices.SortFunc(out, func(a, b *T) int {
				if x := cmp.Compare(col.key(a, f), col.key(b, f)); x != 0 {
					return x
				}
				return cmp.Compare(col.key(a, "id"), col.key(b, "id"))
			})
		}
	} else {
		out = filterSlice(sortedBy(c, version, d, col, sel.order.field), sel.match)
	}
	if sel.order.desc {
		slices.Reverse(out)
	}

	c.mu.Lock()
	defer c.mu.Unlock()
	if c.version == version {
		if len(c.results) >= maxCachedResults {
			clear(c.results)
		}
		c.results[cacheKey] = out
	}
	return out
}

// filterSlice returns the items that match, in a new slice.
func filterSlice[T any](in []*T, match func(*T) bool) []*T {
	out := make([]*T, 0, min(len(in), 1024))
	for _, t := range in {
		if match == nil || match(t) {
			out = append(out, t)
		}
	}
	return out
}
