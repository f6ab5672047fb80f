package checks

import (
	"slices"

	"salesguard/amo"
)

// contactLinks holds each contact's deals, from both sides of the relation, as positions in
// the snapshot's deals (a deal listed twice with one id counts at the position pos gives).
type contactLinks struct {
	slot  map[amo.ContactID]int32
	deals [][]int32 // by slot
}

// slotOf returns the slot of contact c, or -1 when it has no deals.
func (cl *contactLinks) slotOf(c amo.ContactID) int32 {
	if k, ok := cl.slot[c]; ok && len(cl.deals[k]) > 0 {
		return k
	}
	return -1
}

// buildContactLeads links each contact to its deals. The deals' own contact lists fill one
// backing array; a contact's extra deals (listed only on the contact) are appended to its slice.
func buildContactLeads(s *amo.Snapshot, pos map[amo.LeadID]int32) *contactLinks {
	cl := &contactLinks{slot: make(map[amo.ContactID]int32, len(s.Contacts))}
	var counts []int32
	total := 0
	for i := range s.Leads {
		for _, c := range s.Leads[i].ContactIDs {
			k, ok := cl.slot[c]
			if !ok {
				k = int32(len(counts))
				cl.slot[c] = k
				counts = append(counts, 0)
			}
			counts[k]++
			total++
		}
	}
	backing := make([]int32, total)
	cl.deals = make([][]int32, len(counts), len(counts)+len(s.Contacts)/8)
	off := 0
	for k, n := range counts {
		cl.deals[k] = backing[off : off : off+int(n)]
		off += int(n)
	}
	unique := len(pos) == len(s.Leads)
	for i := range s.Leads {
		p := int32(i)
		if !unique {
			p = pos[s.Leads[i].ID]
		}
		for _, c := range s.Leads[i].ContactIDs {
			k := cl.slot[c]
			cl.deals[k] = append(cl.deals[k], p)
		}
	}
	for i := range s.Contacts {
		c := &s.Contacts[i]
		for _, l := range c.LeadIDs {
			p, ok := pos[l]
			if !ok {
				continue
			}
			k, ok := cl.slot[c.ID]
			if !ok {
				k = int32(len(cl.deals))
				cl.slot[c.ID] = k
				cl.deals = append(cl.deals, nil)
			}
			if !slices.Contains(cl.deals[k], p) {
				cl.deals[k] = append(cl.deals[k], p)
			}
		}
	}
	return cl
}
