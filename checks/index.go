package checks

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"salesguard/amo"
)

// isContactEventType reports whether an event type is communication that may be logged on a
// contact instead of its deal (API.md §4.9 chat-message quirk; calls made from the contact
// card); BuildIndex maps such events to the contact's deals.
func isContactEventType(t string) bool {
	switch t {
	case amo.EventOutgoingChatMessage, amo.EventIncomingChatMessage, amo.EventOutgoingCall,
		amo.EventIncomingCall, amo.EventOutgoingSMS, amo.EventOutgoingMail, amo.EventCommonNoteAdded:
		return true
	}
	return false
}

// BuildIndex builds the lookups of a snapshot in time linear in its size (plus sorting each
// deal's own slices when they do not arrive sorted). The index points into s, which must not
// change while it is used.
func BuildIndex(s *amo.Snapshot) *Index {
	ix := &Index{
		Leads:              make(map[amo.LeadID]*amo.Lead, len(s.Leads)),
		Users:              make(map[amo.UserID]*amo.User, len(s.Users)),
		Contacts:           make(map[amo.ContactID]*amo.Contact, len(s.Contacts)),
		Statuses:           map[amo.StatusRef]*amo.Status{},
		Reasons:            make(map[amo.LossReasonID]*amo.LossReason, len(s.LossReasons)),
		CallNotesByManager: map[amo.UserID]int{},
	}
	for i := range s.Users {
		ix.Users[s.Users[i].ID] = &s.Users[i]
	}
	for i := range s.Pipelines {
		for j := range s.Pipelines[i].Statuses {
			st := &s.Pipelines[i].Statuses[j]
			ix.Statuses[amo.StatusRef{PipelineID: s.Pipelines[i].ID, StatusID: st.ID}] = st
		}
	}
	for i := range s.LossReasons {
		ix.Reasons[s.LossReasons[i].ID] = &s.LossReasons[i]
	}
	pos := make(map[amo.LeadID]int32, len(s.Leads))
	for i := range s.Leads {
		l := &s.Leads[i]
		ix.Leads[l.ID] = l
		pos[l.ID] = int32(i)
	}
	ix.LeadsByManager = leadsByManager(s.Leads)
	for i := range s.Contacts {
		ix.Contacts[s.Contacts[i].ID] = &s.Contacts[i]
	}
	contactLeads := buildContactLeads(s, pos)
	ix.sum = newDealSummaries(s.Leads, s.Events)
	ix.tasksAt, ix.TasksByLead = groupTasks(s, pos, ix.sum)
	ix.notesAt, ix.NotesByLead = groupNotes(s, pos, contactLeads, ix.sum)
	ix.eventsAt, ix.EventsByLead = groupEvents(s, pos, contactLeads, ix.sum)
	if len(pos) == len(s.Leads) {
		ix.leads = s.Leads
	} else { // repeated deal ids: the maps keep the last deal's slices, so go by the maps
		ix.tasksAt, ix.notesAt, ix.eventsAt, ix.sum = nil, nil, nil, nil
	}
	for i := range s.Notes {
		n := &s.Notes[i]
		if n.IsCall() {
			ix.CallNotes++
			who := n.CreatedBy
			if who == 0 {
				who = n.ResponsibleUserID
			}
			ix.CallNotesByManager[who]++
		}
	}
	return ix
}

// at reports whether l is the deal at position i of the snapshot the index was built from.
func (ix *Index) at(i int, l *amo.Lead) bool {
	return i >= 0 && i < len(ix.leads) && &ix.leads[i] == l
}

// tasksOf returns TasksByLead[l.ID] for l, the deal at position i of the snapshot.
func (ix *Index) tasksOf(i int, l *amo.Lead) []*amo.Task {
	if ix.at(i, l) {
		return ix.tasksAt[i]
	}
	return ix.TasksByLead[l.ID]
}

// notesOf returns NotesByLead[l.ID] for l, the deal at position i of the snapshot.
func (ix *Index) notesOf(i int, l *amo.Lead) []*amo.Note {
	if ix.at(i, l) {
		return ix.notesAt[i]
	}
	return ix.NotesByLead[l.ID]
}

// eventsOf returns EventsByLead[l.ID] for l, the deal at position i of the snapshot.
func (ix *Index) eventsOf(i int, l *amo.Lead) []*amo.Event {
	if ix.at(i, l) {
		return ix.eventsAt[i]
	}
	return ix.EventsByLead[l.ID]
}

// notesSince returns the notes of l, the deal at position i of the snapshot, created at or
// after from (notesFrom), without touching them when the deal has no note that recent.
func (ix *Index) notesSince(i int, l *amo.Lead, from time.Time) []*amo.Note {
	if ix.at(i, l) && ix.sum.lastNoteSec[i] < from.Unix() {
		return nil // the latest note is in an earlier second than from
	}
	return notesFrom(ix.notesOf(i, l), from)
}

// leadsByManager groups deals by responsible user, in id order, in one backing array.
func leadsByManager(leads []amo.Lead) map[amo.UserID][]*amo.Lead {
	counts := map[amo.UserID]int{}
	for i := range leads {
		counts[leads[i].ResponsibleUserID]++
	}
	backing := make([]*amo.Lead, len(leads))
	out := make(map[amo.UserID][]*amo.Lead, len(counts))
	off := 0
	for i := range leads {
		l := &leads[i]
		seg, ok := out[l.ResponsibleUserID]
		if !ok {
			n := counts[l.ResponsibleUserID]
			seg = backing[off : off : off+n]
			off += n
		}
		out[l.ResponsibleUserID] = append(seg, l)
	}
	byID := func(a, b *amo.Lead) int { return cmp.Compare(a.ID, b.ID) }
	for _, ls := range out {
		if !slices.IsSortedFunc(ls, byID) {
			slices.SortFunc(ls, byID)
		}
	}
	return out
}

func compareTasks(a, b *amo.Task) int {
	if c := a.CompleteTill.Compare(b.CompleteTill); c != 0 {
		return c
	}
	return cmp.Compare(a.ID, b.ID)
}

func compareNotes(a, b *amo.Note) int {
	if c := a.CreatedAt.Compare(b.CreatedAt); c != 0 {
		return c
	}
	return cmp.Compare(a.ID, b.ID)
}

func compareEvents(a, b *amo.Event) int {
	if c := a.CreatedAt.Compare(b.CreatedAt); c != 0 {
		return c
	}
	return strings.Compare(a.ID, b.ID)
}

// groupTasks maps tasks to their deals, noting in sum each task's deal and each deal's open
// tasks.
func groupTasks(s *amo.Snapshot, pos map[amo.LeadID]int32, sum *dealSummaries) ([][]*amo.Task, map[amo.LeadID][]*amo.Task) {
	g := newGrouping[amo.Task](pos, len(s.Leads), len(s.Tasks))
	sorted := true
	for i := range s.Tasks {
		t := &s.Tasks[i]
		if p := g.one(i, t.LeadID()); p >= 0 && !t.IsCompleted {
			sum.openTasks[p]++
		}
		sorted = sorted && (i == 0 || compareTasks(&s.Tasks[i-1], t) <= 0)
	}
	sum.tasks, sum.taskDeal = s.Tasks, g.at
	g.fill(s.Tasks, nil)
	return g.result(s.Leads, sorted, compareTasks)
}

// groupNotes maps notes to their deal or their contact's deals, summing them up in sum.
func groupNotes(s *amo.Snapshot, pos map[amo.LeadID]int32, cl *contactLinks, sum *dealSummaries) ([][]*amo.Note, map[amo.LeadID][]*amo.Note) {
	g := newGrouping[amo.Note](pos, len(s.Leads), len(s.Notes))
	sorted := true
	for i := range s.Notes {
		n := &s.Notes[i]
		sorted = sorted && (i == 0 || compareNotes(&s.Notes[i-1], n) <= 0)
		switch n.EntityType {
		case amo.EntityLeads:
			if p := g.one(i, amo.LeadID(n.EntityID)); p >= 0 {
				sum.addNote(p, n)
			}
		case amo.EntityContacts:
			if k := cl.slotOf(amo.ContactID(n.EntityID)); k >= 0 {
				g.many(i, k, cl.deals)
				for _, p := range cl.deals[k] {
					sum.addNote(p, n)
				}
			}
		}
	}
	g.fill(s.Notes, cl.deals)
	return g.result(s.Leads, sorted, compareNotes)
}

// groupEvents maps events to their deal or, for communication logged on a contact, to the
// contact's deals.
func groupEvents(s *amo.Snapshot, pos map[amo.LeadID]int32, cl *contactLinks, sum *dealSummaries) ([][]*amo.Event, map[amo.LeadID][]*amo.Event) {
	g := newGrouping[amo.Event](pos, len(s.Leads), len(s.Events))
	sorted := true
	for i := range s.Events {
		e := &s.Events[i]
		sorted = sorted && (i == 0 || compareEvents(&s.Events[i-1], e) <= 0)
		switch e.EntityType {
		case "lead":
			if p := g.one(i, amo.LeadID(e.EntityID)); p >= 0 {
				sum.addEvent(p, i, sorted)
			}
		case "contact":
			if !isContactEventType(e.Type) {
				break
			}
			if k := cl.slotOf(amo.ContactID(e.EntityID)); k >= 0 {
				g.many(i, k, cl.deals)
			}
		}
	}
	g.fill(s.Events, cl.deals)
	return g.result(s.Leads, sorted, compareEvents)
}
