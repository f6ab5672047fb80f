package checks

import (
	"testing"
	"time"

	"salesguard/amo"
)

func TestBuildIndex(t *testing.T) {
	now := mskAt(t, 2026, 11, 18, 12, 0)
	snap := baseSnap()
	snap.Leads = []amo.Lead{lead(1, tNew, contacts(50)), lead(2, tNew, owner(tManager2)), lead(3, tWork)}
	snap.Contacts = []amo.Contact{{ID: 50, LeadIDs: []amo.LeadID{1, 3}}}
	snap.Tasks = []amo.Task{task(1, 1, now.Add(time.Hour), false), task(2, 1, now, false), task(3, 0, now, false)}
	snap.Notes = []amo.Note{
		{ID: 1, EntityType: amo.EntityLeads, EntityID: 1, NoteType: amo.NoteCommon, CreatedAt: now},
		{ID: 2, EntityType: amo.EntityContacts, EntityID: 50, NoteType: amo.NoteCallOut, CreatedAt: now.Add(-time.Hour), CreatedBy: 2},
		{ID: 3, EntityType: amo.EntityContacts, EntityID: 51, NoteType: amo.NoteCallIn, ResponsibleUserID: 1},
	}
	chat := event("c", amo.EventOutgoingChatMessage, 0, now.Add(-2*time.Hour))
	chat.EntityType, chat.EntityID = "contact", 50
	deleted := event("d", amo.EventContactDeleted, 0, now)
	deleted.EntityType, deleted.EntityID = "contact", 50
	snap.Events = []amo.Event{event("a", amo.EventCommonNoteAdded, 1, now), chat, deleted, event("z", amo.EventOutgoingCall, 99, now)}
	ix := BuildIndex(snap)

	if got := ix.TasksByLead[1]; len(got) != 2 || got[0].ID != 2 {
		t.Errorf("tasks of 1 not sorted by deadline: %v", got)
	}
	if got := ix.NotesByLead[1]; len(got) != 2 || got[0].ID != 2 || got[1].ID != 1 {
		t.Errorf("notes of 1 (with the contact's call first): %v", got)
	}
	if got := ix.NotesByLead[3]; len(got) != 1 || got[0].ID != 2 {
		t.Errorf("notes of 3 (via the contact's lead list): %v", got)
	}
	if got := ix.EventsByLead[1]; len(got) != 2 || got[0].ID != "c" {
		t.Errorf("events of 1 (chat from the contact first, no contact_deleted): %v", got)
	}
	if _, ok := ix.EventsByLead[99]; ok {
		t.Error("events of a deal missing from the snapshot are indexed")
	}
	if len(ix.LeadsByManager[tManager]) != 2 || ix.LeadsByManager[tManager][0].ID != 1 {
		t.Errorf("leads by manager: %v", ix.LeadsByManager)
	}
	if ix.CallNotes != 2 || ix.CallNotesByManager[2] != 1 || ix.CallNotesByManager[1] != 1 {
		t.Errorf("call notes: %d %v", ix.CallNotes, ix.CallNotesByManager)
	}
	if ix.Statuses[ref(tNew)].Name != "Новый лид" || ix.Leads[2].ResponsibleUserID != tManager2 {
		t.Error("lookups wrong")
	}
}
