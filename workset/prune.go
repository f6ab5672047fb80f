package workset

import (
	"time"

	"salesguard/amo"
)

// PruneStats says what one Prune dropped.
type PruneStats struct {
	EvictedDeals, EvictedContacts, DroppedTasks, DroppedPending int
}

// Prune drops what the rules no longer read at now: raw items past their windows, tasks
// completed more than KeepDone ago (their completion stays folded into the deal, for R1), deals
// closed more than KeepClosed ago with no open task and contacts no kept deal links (both are
// evicted: persisted cold, restored when amoCRM shows them again), and pending items of deals
// and contacts that never came. Trimmed windows are not re-persisted: a record loaded later is
// trimmed again.
func (s *Set) Prune(now time.Time) PruneStats {
	var st PruneStats
	n := now.Unix()
	s.now = max(s.now, n)
	actFrom := n - int64(ActWindow/time.Second)
	noteFrom := n - int64(NoteWindow/time.Second)
	moveFrom := n - int64(MoveWindow/time.Second)
	for i := range s.tasks {
		t := &s.tasks[i]
		if !t.live || !t.Completed || t.Updated >= n-int64(KeepDone/time.Second) {
			continue
		}
		if t.deal >= 0 {
			d := &s.deals[t.deal]
			if t.Updated >= d.Created && (d.FirstDone == 0 || t.Updated < d.FirstDone) {
				d.FirstDone = t.Updated
				s.change(RecDeal, int64(d.ID), OpPut)
			}
		}
		s.removeTask(int32(i))
		st.DroppedTasks++
	}
	closedFrom := n - int64(KeepClosed/time.Second)
	for i := range s.deals {
		d := &s.deals[i]
		if !d.live {
			continue
		}
		d.trim(&s.mem, noteFrom, moveFrom)
		if !d.IsOpen() && Sec(d.ClosedAt()) < closedFrom && d.Updated < closedFrom && !s.hasOpenTask(int32(i)) {
			s.removeDeal(int32(i), OpCold)
			st.EvictedDeals++
		}
	}
	for i := range s.contacts {
		c := &s.contacts[i]
		if !c.live {
			continue
		}
		c.trim(&s.mem, actFrom, moveFrom)
		if len(c.ds.s()) == 0 && c.acts.len() == 0 && c.count(secTouches) == 0 {
			s.removeContact(int32(i), OpCold)
			st.EvictedContacts++
		}
	}
	for o, t := range s.pending {
		t.trim(&s.mem, actFrom, moveFrom)
		if t.newest() < actFrom {
			s.mem.releaseTrail(t)
			delete(s.pending, o)
			kind := RecPendingDeal
			if o.contact {
				kind = RecPendingContact
			}
			s.change(kind, o.id, OpDelete)
			st.DroppedPending++
		}
	}
	switch {
	case s.compact():
		s.Recarve()
	case s.carvedAt == 0: // a load carved the set: its clock starts now
		s.carvedAt = n
	case n-s.carvedAt >= int64(RecarveEvery/time.Second):
		s.Recarve()
	}
	for id, ds := range s.awaiting {
		live := ds[:0]
		for _, d := range ds {
			if s.deals[d].live && containsContact(s.deals[d].ContactIDs(), id) {
				live = append(live, d)
			}
		}
		if len(live) == 0 {
			delete(s.awaiting, id)
		} else {
			s.awaiting[id] = live
		}
	}
	s.awaiting, s.orphans, s.pending = resized(s.awaiting), resized(s.orphans), resized(s.pending)
	return st
}

// hasOpenTask reports whether a deal has an open task in the set.
func (s *Set) hasOpenTask(deal int32) bool {
	for _, t := range s.deals[deal].taskSlots.s() {
		if !s.tasks[t].Completed {
			return true
		}
	}
	return false
}

func containsContact(cs []amo.ContactID, id amo.ContactID) bool {
	for _, c := range cs {
		if c == id {
			return true
		}
	}
	return false
}
