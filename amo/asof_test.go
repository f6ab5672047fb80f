package amo

import (
	"testing"
	"time"
)

func TestAsOf(t *testing.T) {
	at := time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)
	h := func(n int) time.Time { return at.Add(time.Duration(n) * time.Hour) }
	st := func(s StatusID) *StatusRef { return &StatusRef{PipelineID: 1, StatusID: s} }
	ch := &Changes{
		Contacts: []Contact{{ID: 1, CreatedAt: h(-50)}, {ID: 2, CreatedAt: h(3)}},
		Leads: []Lead{
			// moved twice after T: the stage at T is the first move's "before"
			{ID: 10, PipelineID: 1, StatusID: 30, ResponsibleUserID: 7, CreatedAt: h(-48), UpdatedAt: h(5), ContactIDs: []ContactID{1, 2}},
			// lost after T: open at T, without a loss reason
			{ID: 11, PipelineID: 1, StatusID: StatusLost, LossReasonID: 4, ClosedAt: h(2), CreatedAt: h(-48), UpdatedAt: h(2)},
			// created after T
			{ID: 12, PipelineID: 1, StatusID: 10, CreatedAt: h(1), UpdatedAt: h(1)},
			// untouched since T
			{ID: 13, PipelineID: 1, StatusID: 20, CreatedAt: h(-10), UpdatedAt: h(-9)},
			// closed after T with no event read: stays as it is
			{ID: 14, PipelineID: 1, StatusID: StatusWon, ClosedAt: h(4), CreatedAt: h(-10), UpdatedAt: h(4)},
		},
		Tasks: []Task{
			{ID: 100, IsCompleted: true, Result: "done", CreatedAt: h(-5), UpdatedAt: h(1)}, // completed after T
			{ID: 101, IsCompleted: true, CreatedAt: h(-5), UpdatedAt: h(-1)},                // completed before
			{ID: 102, CreatedAt: h(2), UpdatedAt: h(2)},                                     // created after
		},
		Notes: []Note{{ID: 1, CreatedAt: h(-1)}, {ID: 2, CreatedAt: h(1)}},
		Events: []Event{
			{ID: "a", Type: EventLeadStatusChanged, EntityType: "lead", EntityID: 10, CreatedAt: h(-3), StatusBefore: st(10), StatusAfter: st(20)},
			{ID: "b", Type: EventLeadStatusChanged, EntityType: "lead", EntityID: 10, CreatedAt: h(4), StatusBefore: st(25), StatusAfter: st(30)},
			{ID: "c", Type: EventLeadStatusChanged, EntityType: "lead", EntityID: 10, CreatedAt: h(1), StatusBefore: st(20), StatusAfter: st(25)},
			{ID: "d", Type: EventResponsibleChanged, EntityType: "lead", EntityID: 10, CreatedAt: h(2), ResponsibleBefore: 6, ResponsibleAfter: 7},
			{ID: "e", Type: EventLeadStatusChanged, EntityType: "lead", EntityID: 11, CreatedAt: h(2), StatusBefore: st(20), StatusAfter: st(StatusLost)},
			{ID: "f", Type: EventLeadDeleted, EntityType: "lead", EntityID: 15, CreatedAt: h(6)},
		},
		Marks: []Mark{{Entity: EntityLeads, ID: 15, At: h(6), Deleted: true}},
	}
	r := AsOf(ch, at, at.Add(-30*24*time.Hour))
	leads := map[LeadID]Lead{}
	for _, l := range ch.Leads {
		leads[l.ID] = l
	}
	if _, ok := leads[12]; ok || len(leads) != 4 {
		t.Errorf("leads %v: want 10, 11, 13, 14 (12 was created after T)", leads)
	}
	if l := leads[10]; l.StatusID != 20 || l.ResponsibleUserID != 6 || len(l.ContactIDs) != 1 {
		t.Errorf("deal 10 at T: status %d responsible %d contacts %v, want 20, 6, [1]", l.StatusID, l.ResponsibleUserID, l.ContactIDs)
	}
	if l := leads[11]; l.StatusID != 20 || !l.ClosedAt.IsZero() || l.LossReasonID != 0 {
		t.Errorf("deal 11 at T: %+v, want open in 20 without a closing", l)
	}
	if l := leads[14]; l.StatusID != StatusWon {
		t.Errorf("deal 14: %+v, want as it is (no event tells)", l)
	}
	if len(ch.Tasks) != 2 || ch.Tasks[0].IsCompleted || ch.Tasks[0].Result != "" || !ch.Tasks[1].IsCompleted {
		t.Errorf("tasks %+v: want 100 open again, 101 completed, 102 gone", ch.Tasks)
	}
	if len(ch.Notes) != 1 || len(ch.Contacts) != 1 || len(ch.Marks) != 0 {
		t.Errorf("notes %v contacts %v marks %v", ch.Notes, ch.Contacts, ch.Marks)
	}
	for _, e := range ch.Events {
		if e.CreatedAt.After(at) {
			t.Errorf("event %s after T kept", e.ID)
		}
	}
	want := AsOfReport{At: at, EventsFrom: at.Add(-30 * 24 * time.Hour), DroppedLeads: 1, DroppedContacts: 1, DroppedTasks: 1,
		DroppedNotes: 1, DroppedEvents: 5, RestoredStatuses: 2, Reopened: 1, RestoredResponsibles: 1, ReopenedTasks: 1,
		LeadsChangedSince: 3, TasksChangedSince: 1, DeletedSince: 1, ClosedUnknown: 1}
	if r != want {
		t.Errorf("report\n got %+v\nwant %+v", r, want)
	}
	if !ch.TakenAt.Equal(at) {
		t.Errorf("TakenAt %v, want T", ch.TakenAt)
	}
}
