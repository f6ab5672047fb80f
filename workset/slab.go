package workset

import (
	"time"
	"unsafe"

	"salesguard/amo"
)

// slab hands out small slices carved from large chunks. A restart decodes about a million
// small lists and strings (ids, fields, raw items, aggregates, names); each its own allocation
// made the load slow and left the collector a million objects to mark on every cycle. Carved,
// they are a few hundred chunks. A chunk lives while one of its slices does: a list that grows
// later moves to an allocation of its own (its carved slice has no spare capacity), and its
// old place is freed with the chunk.
type slab[T any] struct{ free []T }

// slabChunk is how many elements a chunk holds; a request of more than an eighth of it gets an
// allocation of its own.
const slabChunk = 4096

// make returns a zeroed slice of n elements with no spare capacity (nil for 0). A nil slab
// allocates.
func (b *slab[T]) make(n int) []T {
	switch {
	case n == 0:
		return nil
	case b == nil || n > slabChunk/8:
		return make([]T, n)
	}
	if len(b.free) < n {
		b.free = make([]T, slabChunk)
	}
	s := b.free[:n:n]
	b.free = b.free[n:]
	return s
}

// clone returns a copy of s carved from the slab.
func (b *slab[T]) clone(s []T) []T {
	out := b.make(len(s))
	copy(out, s)
	return out
}

// carveString returns a string holding src, its bytes carved from b (nil b: an allocation).
// A carved chunk's bytes are never written again, so the string stays immutable.
func carveString(b *slab[byte], src []byte) string {
	if len(src) == 0 {
		return ""
	}
	if b == nil {
		return string(src)
	}
	out := b.clone(src)
	return unsafe.String(unsafe.SliceData(out), len(out))
}

// slabs are the slabs a decode carves from, one per element type. The zero value has none:
// its nil slabs allocate (decoding outside a load).
type slabs struct {
	acts     *slab[Act]
	words    *slab[uint64]
	leads    *slab[amo.LeadID]
	contacts *slab[amo.ContactID]
	fields   *slab[amo.FieldID]
	bytes    *slab[byte]
}

// newSlabs returns slabs that carve.
func newSlabs() slabs {
	return slabs{&slab[Act]{}, &slab[uint64]{}, &slab[amo.LeadID]{}, &slab[amo.ContactID]{}, &slab[amo.FieldID]{}, &slab[byte]{}}
}

// recarved returns v carved from b.
func recarved(b *slab[byte], v string) string {
	return carveString(b, unsafe.Slice(unsafe.StringData(v), len(v)))
}

// Loaded ends a load (Load, LoadPending): the links between deals, contacts and tasks, grown
// one by one as the records came, are carved into chunks of their own, and the load's slabs
// are let go.
func (s *Set) Loaded() {
	var links slab[int32]
	for i := range s.deals {
		d := &s.deals[i]
		if d.live {
			d.taskSlots.set(links.clone(d.taskSlots.s()))
			d.cs.set(links.clone(d.cs.s()))
		}
	}
	for i := range s.contacts {
		if c := &s.contacts[i]; c.live {
			c.ds.set(links.clone(c.ds.s()))
		}
	}
	s.slabs = slabs{}
	s.texts.trim()
	s.carvedAt = s.now
}

// RecarveEvery is how often Prune re-carves the set (see Recarve).
const RecarveEvery = 24 * time.Hour

// Recarve copies every list and string of the live deals, contacts and tasks into fresh
// chunks, in slot order. A list that grew since it was carved (or was never carved: a deal
// changed by a sync) is an allocation of its own, and the collector marks each on every
// cycle; the chunks it left keep their other lists. After a recarve the set is a few thousand
// chunks again, and the old chunks are freed as a whole. It changes nothing the rules read.
// Prune runs it once a RecarveEvery; the service also after the first full sync.
func (s *Set) Recarve() {
	sl := newSlabs()
	var links slab[int32]
	carveTrail := func(t *Trail) {
		t.acts.set(sl.acts.clone(t.acts.s()))
		t.agg.set(sl.words.clone(t.agg.s()))
	}
	for i := range s.deals {
		d := &s.deals[i]
		if !d.live {
			continue
		}
		d.Name = recarved(sl.bytes, d.Name)
		carveTrail(&d.Trail)
		d.contactIDs.set(sl.contacts.clone(d.contactIDs.s()))
		d.fields.set(sl.fields.clone(d.fields.s()))
		d.taskSlots.set(links.clone(d.taskSlots.s()))
		d.cs.set(links.clone(d.cs.s()))
	}
	for i := range s.contacts {
		c := &s.contacts[i]
		if !c.live {
			continue
		}
		carveTrail(&c.Trail)
		c.dealIDs.set(sl.leads.clone(c.dealIDs.s()))
		c.fields.set(sl.fields.clone(c.fields.s()))
		c.ds.set(links.clone(c.ds.s()))
	}
	s.recarveTexts()
	s.carvedAt = s.now
}
