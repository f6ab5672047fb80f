package amo

import (
	"slices"
	"time"
)

// AsOfReport says how a sync's data was turned back to a past moment (AsOf), and what could
// not be: amoCRM keeps no history of most fields, so what the events do not tell is as it is
// now. Every count is of items that the moment changes.
type AsOfReport struct {
	At time.Time `json:"at"`
	// Dropped: created after At.
	DroppedLeads    int `json:"dropped_leads"`
	DroppedContacts int `json:"dropped_contacts"`
	DroppedTasks    int `json:"dropped_tasks"`
	DroppedNotes    int `json:"dropped_notes"`
	DroppedEvents   int `json:"dropped_events"`
	// Restored from the events after At: deals put back in the stage they were in at At (and
	// reopened when they were closed since), and deals given back their responsible user.
	RestoredStatuses     int `json:"restored_statuses"`
	Reopened             int `json:"reopened"`
	RestoredResponsibles int `json:"restored_responsibles"`
	// ReopenedTasks were completed after their last update past At: they count as open at At
	// (amoCRM does not say when a task was completed; its last update is taken for it).
	ReopenedTasks int `json:"reopened_tasks"`
	// Not reconstructable: deals and tasks updated after At whose other fields (custom fields,
	// price, name; a task's deadline and text) are as they are now; deals deleted since At,
	// which the API no longer returns; users, whose active state is as of now.
	LeadsChangedSince int `json:"leads_changed_since"`
	TasksChangedSince int `json:"tasks_changed_since"`
	DeletedSince      int `json:"deleted_since"`
	// ClosedUnknown are deals closed after At whose stage at At no event read tells: they
	// stay as they are now. EventsFrom is where the events read begin.
	ClosedUnknown int       `json:"closed_unknown"`
	EventsFrom    time.Time `json:"events_from"`
}

// AsOf turns what a sync read (Client.Sync: settled, sorted by id) back to the moment at:
//   - leads, contacts, tasks, notes and events created after at are dropped;
//   - a deal's stage at at is the status before its first status change after at, and its
//     responsible user the one before its first responsible change after at, where the events
//     read (from eventsFrom on) hold such a change; a deal open at at loses its closing time
//     and loss reason;
//   - a task completed and last updated after at is open at at, without a result.
//
// Everything else is as amoCRM holds it now; the report counts what that affects. AsOf does no
// I/O and never reads the clock.
func AsOf(ch *Changes, at, eventsFrom time.Time) AsOfReport {
	r := AsOfReport{At: at, EventsFrom: eventsFrom}
	after := func(t time.Time) bool { return t.After(at) }

	// The first status and responsible change of each deal after at: what it changed from is
	// what the deal was at at.
	type firstChange struct {
		status      *StatusRef
		statusAt    time.Time
		responsible UserID
		respAt      time.Time
		closedAt    time.Time // the last move into won or lost at or before at
	}
	firsts := map[LeadID]*firstChange{}
	get := func(id LeadID) *firstChange {
		f := firsts[id]
		if f == nil {
			f = &firstChange{}
			firsts[id] = f
		}
		return f
	}
	deletedSince := map[LeadID]bool{}
	for i := range ch.Events {
		e := &ch.Events[i]
		id := e.LeadID()
		if id == 0 {
			continue
		}
		switch {
		case e.Type == EventLeadStatusChanged && e.StatusBefore != nil && after(e.CreatedAt):
			if f := get(id); f.status == nil || e.CreatedAt.Before(f.statusAt) {
				st := *e.StatusBefore
				f.status, f.statusAt = &st, e.CreatedAt
			}
		case e.Type == EventLeadStatusChanged && e.StatusAfter != nil && !after(e.CreatedAt) &&
			(e.StatusAfter.StatusID == StatusWon || e.StatusAfter.StatusID == StatusLost):
			if f := get(id); e.CreatedAt.After(f.closedAt) {
				f.closedAt = e.CreatedAt
			}
		case e.Type == EventResponsibleChanged && e.ResponsibleBefore != 0 && after(e.CreatedAt):
			if f := get(id); f.responsible == 0 || e.CreatedAt.Before(f.respAt) {
				f.responsible, f.respAt = e.ResponsibleBefore, e.CreatedAt
			}
		case e.Type == EventLeadDeleted && after(e.CreatedAt):
			deletedSince[id] = true
		}
	}
	r.DeletedSince = len(deletedSince)

	contacts := map[ContactID]bool{}
	r.DroppedContacts = countDropped(&ch.Contacts, func(c *Contact) bool { return after(c.CreatedAt) })
	for i := range ch.Contacts {
		contacts[ch.Contacts[i].ID] = true
	}

	leads := map[LeadID]bool{}
	r.DroppedLeads = countDropped(&ch.Leads, func(l *Lead) bool { return after(l.CreatedAt) })
	for i := range ch.Leads {
		l := &ch.Leads[i]
		leads[l.ID] = true
		if after(l.UpdatedAt) {
			r.LeadsChangedSince++
		}
		l.ContactIDs = slices.DeleteFunc(l.ContactIDs, func(c ContactID) bool { return !contacts[c] })
		f := firsts[l.ID]
		if f == nil {
			if after(l.ClosedAt) && !l.IsOpen() {
				r.ClosedUnknown++ // closed after at, and no event read says from what
			}
			continue
		}
		if f.status != nil {
			wasClosed := !l.IsOpen()
			l.PipelineID, l.StatusID = f.status.PipelineID, f.status.StatusID
			r.RestoredStatuses++
			if l.IsOpen() {
				if wasClosed {
					r.Reopened++
				}
				l.ClosedAt, l.LossReasonID = time.Time{}, 0
			} else if after(l.ClosedAt) && !f.closedAt.IsZero() {
				l.ClosedAt = f.closedAt
			}
		}
		if f.responsible != 0 {
			l.ResponsibleUserID = f.responsible
			r.RestoredResponsibles++
		}
	}

	r.DroppedTasks = countDropped(&ch.Tasks, func(t *Task) bool { return after(t.CreatedAt) })
	for i := range ch.Tasks {
		t := &ch.Tasks[i]
		if !after(t.UpdatedAt) {
			continue
		}
		r.TasksChangedSince++
		if t.IsCompleted {
			t.IsCompleted, t.Result = false, ""
			r.ReopenedTasks++
		}
	}
	r.DroppedNotes = countDropped(&ch.Notes, func(n *Note) bool { return after(n.CreatedAt) })
	r.DroppedEvents = countDropped(&ch.Events, func(e *Event) bool { return after(e.CreatedAt) })
	ch.Marks = slices.DeleteFunc(ch.Marks, func(m Mark) bool { return after(m.At) })
	// Deals dropped above leave their ids in the deletion lists only if amoCRM said so before at.
	ch.DeletedLeads = slices.DeleteFunc(ch.DeletedLeads, func(id LeadID) bool { return deletedSince[id] })
	if ch.TakenAt.After(at) || ch.TakenAt.IsZero() {
		ch.TakenAt = at
	}
	return r
}

// countDropped removes the items drop selects and returns how many went.
func countDropped[T any](s *[]T, drop func(*T) bool) int {
	n := len(*s)
	out := (*s)[:0]
	for i := range *s {
		if !drop(&(*s)[i]) {
			out = append(out, (*s)[i])
		}
	}
	clear((*s)[len(out):])
	*s = out
	return n - len(out)
}
