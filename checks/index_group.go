package checks

import (
	"slices"

	"salesguard/amo"
)

// Positions of an item's deals while grouping: an item is about the deal at a position (≥ 0),
// about no deal of the snapshot (noDeal), or about the deals of the contact in slot k of the
// contact links (viaContact-k).
const (
	noDeal     int32 = -1
	viaContact int32 = -2
)

// grouping carves per-deal slices out of one backing array: counting first, then filling, so
// a million items cost a handful of allocations and one deal lookup each. Deals are addressed
// by their position in the snapshot; items about deals missing from the snapshot are dropped
// (every rule starts from the snapshot's deals).
type grouping[T any] struct {
	pos    map[amo.LeadID]int32
	at     []int32 // per item: the position of its deal, noDeal or viaContact-slot
	counts []int32 // per deal position: how many items
	segs   [][]*T
}

func newGrouping[T any](pos map[amo.LeadID]int32, leads, items int) *grouping[T] {
	g := &grouping[T]{pos: pos, at: make([]int32, items), counts: make([]int32, leads)}
	for i := range g.at {
		g.at[i] = noDeal // until counted
	}
	return g
}

// one counts item i as about deal id and returns the deal's position (noDeal when the
// snapshot lacks it).
func (g *grouping[T]) one(i int, id amo.LeadID) int32 {
	p, ok := g.pos[id]
	if !ok {
		g.at[i] = noDeal
		return noDeal
	}
	g.at[i] = p
	g.counts[p]++
	return p
}

// many counts item i as about the deals of the contact in slot k (≥ 0) of deals.
func (g *grouping[T]) many(i int, k int32, deals [][]int32) {
	g.at[i] = viaContact - k
	for _, p := range deals[k] {
		g.counts[p]++
	}
}

// fill ends counting and puts the items in their deals' slices, in item order. deals are the
// contact links given to many.
func (g *grouping[T]) fill(items []T, deals [][]int32) {
	total := 0
	for _, n := range g.counts {
		total += int(n)
	}
	backing := make([]*T, total)
	g.segs = make([][]*T, len(g.counts))
	off := 0
	for p, n := range g.counts {
		g.segs[p] = backing[off : off : off+int(n)]
		off += int(n)
	}
	for i, p := range g.at {
		switch {
		case p >= 0:
			g.segs[p] = append(g.segs[p], &items[i])
		case p <= viaContact:
			for _, q := range deals[viaContact-p] {
				g.segs[q] = append(g.segs[q], &items[i])
			}
		}
	}
}

// result sorts each deal's items (unless the items arrived sorted, which keeps every deal's
// slice sorted) and returns them by deal position and by deal id; deals with no items are
// absent from the map.
func (g *grouping[T]) result(leads []amo.Lead, presorted bool, cmpf func(a, b *T) int) ([][]*T, map[amo.LeadID][]*T) {
	n := 0
	for _, c := range g.counts {
		if c > 0 {
			n++
		}
	}
	out := make(map[amo.LeadID][]*T, n)
	for p, seg := range g.segs {
		if len(seg) == 0 {
			continue
		}
		if !presorted {
			sortSegment(seg, cmpf)
		}
		out[leads[p].ID] = seg
	}
	return g.segs, out
}

// sortSegment sorts s by cmpf, cheaply when it already is sorted either way (the event log
// and notes usually arrive in time order, oldest or newest first).
func sortSegment[T any](s []*T, cmpf func(a, b *T) int) {
	if slices.IsSortedFunc(s, cmpf) {
		return
	}
	slices.Reverse(s)
	if slices.IsSortedFunc(s, cmpf) {
		return
	}
	slices.SortFunc(s, cmpf)
}
