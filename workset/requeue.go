package workset

import "salesguard/amo"

// Requeue marks records as changed again, after persisting them failed: the next TakeChanged
// returns them with whatever changed since.
func (s *Set) Requeue(cs []Change) {
	for _, c := range cs {
		k := recKey{c.Kind, c.ID}
		if _, ok := s.changed[k]; !ok {
			s.changed[k] = c.Op
			if c.Op == OpCold {
				s.cold[k] = c.Data
			}
		}
	}
}

// Unknown returns the deals and contacts a page names that the set does not hold and would keep:
// the deals amoCRM lists, the deals of open tasks, the contacts of listed deals and listed
// contacts. The caller restores those it has persisted cold (Restore) before applying the
// page, so an evicted deal amoCRM shows again comes back with its history. Notes and events
// alone do not bring an evicted deal back (they wait in a pending trail).
func (s *Set) Unknown(ch *amo.Changes) (deals, contacts []int64) {
	seenD, seenC := map[int64]bool{}, map[int64]bool{}
	deal := func(id int64) {
		if _, ok := s.dealAt[amo.LeadID(id)]; !ok && id != 0 && !seenD[id] {
			seenD[id] = true
			deals = append(deals, id)
		}
	}
	contact := func(id int64) {
		if _, ok := s.contactAt[amo.ContactID(id)]; !ok && id != 0 && !seenC[id] {
			seenC[id] = true
			contacts = append(contacts, id)
		}
	}
	for i := range ch.Leads {
		deal(int64(ch.Leads[i].ID))
		for _, c := range ch.Leads[i].ContactIDs {
			contact(int64(c))
		}
	}
	for i := range ch.Contacts {
		contact(int64(ch.Contacts[i].ID))
	}
	for i := range ch.Tasks {
		if id := ch.Tasks[i].LeadID(); id != 0 && !ch.Tasks[i].IsCompleted {
			deal(int64(id))
		}
	}
	return deals, contacts
}

// DictGen returns a number that changes whenever the dictionaries do.
func (s *Set) DictGen() uint64 { return s.dictGen }
