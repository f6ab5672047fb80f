package workset

import "time"

// Loaded ends a load (Load, LoadPending): the links between deals, contacts and tasks, grown
// one by one as the records came, are carved into a pool of their own, to their length.
func (s *Set) Loaded() {
	links := &pool[int32]{}
	for i := range s.deals {
		if d := &s.deals[i]; d.live {
			d.taskSlots, d.cs = links.carve(d.taskSlots.s()), links.carve(d.cs.s())
		}
	}
	for i := range s.contacts {
		if c := &s.contacts[i]; c.live {
			c.ds = links.carve(c.ds.s())
		}
	}
	s.mem.links = links
	s.scratch = pool[uint64]{}
	s.texts.trim()
	s.carvedAt = s.now
}

// RecarveEvery is how often Prune re-carves the set (see Recarve).
const RecarveEvery = 24 * time.Hour

// Recarve copies every list of the live deals, contacts and pending trails into a new pool,
// each to its length, in slot order, and the texts into a new arena; the old pools go as a
// whole, with the spare blocks and the room growing left (pool.go). It changes nothing the
// rules read. Prune runs it once a RecarveEvery, and when it compacts the slots; the service
// also after the first full sync.
func (s *Set) Recarve() {
	fresh := newMem(&s.texts)
	for i := range s.deals {
		d := &s.deals[i]
		if !d.live {
			continue
		}
		fresh.carveTrail(&d.Trail)
		d.contactIDs, d.fields = fresh.contacts.carve(d.contactIDs.s()), fresh.fields.carve(d.fields.s())
		d.taskSlots, d.cs = fresh.links.carve(d.taskSlots.s()), fresh.links.carve(d.cs.s())
	}
	for i := range s.contacts {
		c := &s.contacts[i]
		if !c.live {
			continue
		}
		fresh.carveTrail(&c.Trail)
		c.dealIDs, c.fields = fresh.leads.carve(c.dealIDs.s()), fresh.fields.carve(c.fields.s())
		c.ds = fresh.links.carve(c.ds.s())
	}
	for _, t := range s.pending {
		fresh.carveTrail(t)
	}
	s.mem = fresh
	s.recarveTexts()
	s.carvedAt = s.now
}
