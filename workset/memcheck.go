package workset

import (
	"cmp"
	"fmt"
	"slices"
	"unsafe"
)

// CheckMemory verifies the invariants the set's lists rest on (pool.go, vec.go): every list
// lies in a block its pool holds, no two lists share memory, and no spare block or unused end
// of a chunk is memory a list holds. A broken invariant would let one list overwrite another,
// so the tests call it after every step of random changes. It sorts every list: a test's cost.
func (s *Set) CheckMemory() error {
	var c memCheck
	for i := range s.deals {
		if d := &s.deals[i]; d.live {
			c.trail(&d.Trail)
			c.contacts = spanOf(c.contacts, d.contactIDs)
			c.fields = spanOf(c.fields, d.fields)
			c.links = spanOf(spanOf(c.links, d.taskSlots), d.cs)
		}
	}
	for i := range s.contacts {
		if ct := &s.contacts[i]; ct.live {
			c.trail(&ct.Trail)
			c.leads = spanOf(c.leads, ct.dealIDs)
			c.fields = spanOf(c.fields, ct.fields)
			c.links = spanOf(c.links, ct.ds)
		}
	}
	for _, t := range s.pending {
		c.trail(t)
	}
	m := &s.mem
	for _, err := range []error{checkPool("raw items", m.acts, c.acts), checkPool("aggregates", m.words, c.words),
		checkPool("contact ids", m.contacts, c.contacts), checkPool("deal ids", m.leads, c.leads),
		checkPool("fields", m.fields, c.fields), checkPool("links", m.links, c.links)} {
		if err != nil {
			return err
		}
	}
	return nil
}

// span is a block of memory: [lo, hi).
type span struct {
	lo, hi uintptr
	free   bool // spare, or a chunk's unused end
}

// memCheck collects the blocks the set's lists hold, per pool.
type memCheck struct {
	acts, words, contacts, leads, fields, links []span
}

func (c *memCheck) trail(t *Trail) {
	c.acts = spanOf(c.acts, t.acts)
	c.words = spanOf(c.words, t.agg)
}

func spanOf[T any](spans []span, v vec[T]) []span {
	if v.p == 0 {
		return spans
	}
	return append(spans, span{lo: v.p, hi: v.p + uintptr(v.c)*unsafe.Sizeof(*new(T))})
}

// checkPool checks the lists' blocks against pool p.
func checkPool[T any](name string, p *pool[T], used []span) error {
	size := unsafe.Sizeof(*new(T))
	var chunks []span
	for _, ch := range p.chunks {
		chunks = append(chunks, span{lo: addr(ch), hi: addr(ch) + uintptr(cap(ch))*size})
	}
	slices.SortFunc(chunks, func(a, b span) int { return cmp.Compare(a.lo, b.lo) })
	inChunk := func(b span) bool {
		i, _ := slices.BinarySearchFunc(chunks, b.lo, func(c span, lo uintptr) int { return cmp.Compare(c.lo, lo) })
		if i < len(chunks) && chunks[i].lo == b.lo {
			return b.hi <= chunks[i].hi
		}
		return i > 0 && b.lo >= chunks[i-1].lo && b.hi <= chunks[i-1].hi
	}
	for _, b := range used {
		if big, ok := p.big[b.lo]; ok {
			if b.hi-b.lo != uintptr(cap(big))*size {
				return fmt.Errorf("workset: %s: a list of %d bytes in a block of its own of %d", name, b.hi-b.lo, uintptr(cap(big))*size)
			}
			continue
		}
		if !inChunk(b) {
			return fmt.Errorf("workset: %s: a list at %#x is in no block of its pool", name, b.lo)
		}
	}
	all := slices.Clone(used)
	for k, blocks := range p.spare {
		for _, a := range blocks {
			b := span{lo: a, hi: a + uintptr(1<<k)*size, free: true}
			if !inChunk(b) {
				return fmt.Errorf("workset: %s: a spare block at %#x is in no chunk", name, a)
			}
			all = append(all, b)
		}
	}
	if len(p.rest) > 0 {
		all = append(all, span{lo: addr(p.rest), hi: addr(p.rest) + uintptr(len(p.rest))*size, free: true})
	}
	slices.SortFunc(all, func(a, b span) int { return cmp.Compare(a.lo, b.lo) })
	for i := 1; i < len(all); i++ {
		if a, b := all[i-1], all[i]; b.lo < a.hi {
			what := "two lists share"
			if a.free || b.free {
				what = "a list is in free"
			}
			return fmt.Errorf("workset: %s: %s memory at %#x", name, what, b.lo)
		}
	}
	return nil
}
