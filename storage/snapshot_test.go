package storage

import (
	"fmt"
	"reflect"
	"testing"
	"time"

	"salesguard/amo"
)

func lead(id amo.LeadID, name string) amo.Lead {
	return amo.Lead{ID: id, Name: name, StatusID: 1, PipelineID: 1, ResponsibleUserID: 10,
		CreatedAt: t0, UpdatedAt: t0, CustomFields: []amo.FieldValue{{FieldID: 1, Values: []string{"x"}}}}
}

func event(id string, at time.Time) amo.Event {
	return amo.Event{ID: id, Type: amo.EventLeadAdded, EntityID: 1, EntityType: "lead", CreatedAt: at}
}

func leadIDs(ls []amo.Lead) []amo.LeadID {
	var out []amo.LeadID
	for _, l := range ls {
		out = append(out, l.ID)
	}
	return out
}

func eventIDs(es []amo.Event) []string {
	var out []string
	for _, e := range es {
		out = append(out, e.ID)
	}
	return out
}

func mustSave(t *testing.T, db *DB, ch *amo.Changes) {
	t.Helper()
	if err := db.SaveChanges("main", ch); err != nil {
		t.Fatalf("save changes: %v", err)
	}
}

func mustLoad(t *testing.T, db *DB) (*amo.Snapshot, amo.SyncState) {
	t.Helper()
	s, st, err := db.LoadSnapshot("main")
	if err != nil {
		t.Fatalf("load snapshot: %v", err)
	}
	return s, st
}

func TestSnapshotRoundTrip(t *testing.T) {
	db := mustOpen(t)
	if err := db.PutAccount(Account{Key: "main", BaseURL: "https://x.amocrm.ru", AddedAt: t0}); err != nil {
		t.Fatal(err)
	}
	s, st := mustLoad(t, db)
	if st.FullDone || len(s.Leads) != 0 || s.BaseURL != "https://x.amocrm.ru" {
		t.Fatalf("empty account: state %+v, snapshot %+v", st, s)
	}

	state := amo.SyncState{FullDone: true, Cursors: map[string]time.Time{"leads": t0}}
	full := &amo.Changes{
		Full: true, TakenAt: t0, Dictionaries: true,
		Account:   &amo.Account{ID: 5, Name: "Acme", TimeZone: "Europe/Moscow"},
		Users:     []amo.User{{ID: 10, Name: "Ann", IsActive: true}},
		Pipelines: []amo.Pipeline{{ID: 1, Name: "Sales", Statuses: []amo.Status{{ID: 1, PipelineID: 1, Name: "New"}}}},
		Leads:     []amo.Lead{lead(3, "c"), lead(1, "a"), lead(2, "b")},
		Contacts:  []amo.Contact{{ID: 4, Name: "Bob", LeadIDs: []amo.LeadID{1}}},
		Tasks:     []amo.Task{{ID: 6, EntityID: 1, EntityType: amo.EntityLeads, CompleteTill: t0}},
		Notes:     []amo.Note{{ID: 8, EntityID: 1, EntityType: amo.EntityLeads, NoteType: amo.NoteCallOut, Call: &amo.Call{Duration: 42}}},
		Events:    []amo.Event{event("e2", t0.Add(time.Minute)), event("e1", t0)},
		State:     state,
	}
	mustSave(t, db, full)

	s, st = mustLoad(t, db)
	if !reflect.DeepEqual(st, state) {
		t.Errorf("state %+v, want %+v", st, state)
	}
	if got := leadIDs(s.Leads); !reflect.DeepEqual(got, []amo.LeadID{1, 2, 3}) {
		t.Errorf("leads %v, want 1 2 3 in id order", got)
	}
	if got := eventIDs(s.Events); !reflect.DeepEqual(got, []string{"e1", "e2"}) {
		t.Errorf("events %v, want e1 e2 in time order", got)
	}
	if s.Account.Name != "Acme" || len(s.Users) != 1 || len(s.Pipelines) != 1 || len(s.Contacts) != 1 ||
		len(s.Tasks) != 1 || len(s.Notes) != 1 || s.Notes[0].Call.Duration != 42 || !s.TakenAt.Equal(t0) {
		t.Errorf("snapshot not restored: %+v", s)
	}
	if !reflect.DeepEqual(s.Leads[0].CustomFields, full.Leads[1].CustomFields) {
		t.Errorf("custom fields %+v", s.Leads[0].CustomFields)
	}
}

func TestSaveChangesIncrementalAndFull(t *testing.T) {
	db := mustOpen(t)
	mustSave(t, db, &amo.Changes{Full: true, Dictionaries: true, Users: []amo.User{{ID: 1}},
		Leads: []amo.Lead{lead(1, "a"), lead(2, "b"), lead(3, "c")}, Events: []amo.Event{event("e1", t0)}})

	// Incremental: upsert 2, add 4, delete 3; dictionaries not read keep their value.
	mustSave(t, db, &amo.Changes{TakenAt: t0.Add(time.Hour), Leads: []amo.Lead{lead(2, "B"), lead(4, "d")},
		DeletedLeads: []amo.LeadID{3}, Events: []amo.Event{event("e2", t0.Add(time.Hour))},
		State: amo.SyncState{FullDone: true}})
	s, st := mustLoad(t, db)
	if got := leadIDs(s.Leads); !reflect.DeepEqual(got, []amo.LeadID{1, 2, 4}) {
		t.Errorf("after incremental: leads %v, want 1 2 4", got)
	}
	if s.Leads[1].Name != "B" || len(s.Users) != 1 || len(s.Events) != 2 || !st.FullDone {
		t.Errorf("after incremental: %+v, state %+v", s, st)
	}

	// Full: replaces the lists.
	mustSave(t, db, &amo.Changes{Full: true, Leads: []amo.Lead{lead(4, "d"), lead(5, "e")},
		Events: []amo.Event{event("e3", t0.Add(2*time.Hour))}})
	s, _ = mustLoad(t, db)
	if got := leadIDs(s.Leads); !reflect.DeepEqual(got, []amo.LeadID{4, 5}) {
		t.Errorf("after full: leads %v, want 4 5", got)
	}
	if got := eventIDs(s.Events); !reflect.DeepEqual(got, []string{"e3"}) {
		t.Errorf("after full: events %v, want e3", got)
	}
	if err := db.SaveChanges("main", nil); err == nil {
		t.Error("nil changes: want an error")
	}
}

// TestSaveChangesSkipsUnchanged checks that re-saving the same entities writes almost nothing.
func TestSaveChangesSkipsUnchanged(t *testing.T) {
	db := mustOpen(t)
	ch := &amo.Changes{Full: true}
	for i := 1; i <= 2000; i++ {
		ch.Leads = append(ch.Leads, lead(amo.LeadID(i), fmt.Sprintf("lead %d", i)))
	}
	writes := func() int64 { st := db.bolt.Stats(); return st.TxStats.GetWrite() }
	before := writes()
	mustSave(t, db, ch)
	first := writes() - before
	mustSave(t, db, ch)
	second := writes() - before - first
	t.Logf("first save %d page writes, second %d", first, second)
	if second*10 > first {
		t.Errorf("re-saving unchanged leads wrote %d pages, the first save %d", second, first)
	}
}

func TestPruneEventsAndSyncState(t *testing.T) {
	db := mustOpen(t)
	var evs []amo.Event
	for i := range 10 {
		evs = append(evs, event(fmt.Sprintf("e%d", i), t0.Add(time.Duration(i)*24*time.Hour)))
	}
	mustSave(t, db, &amo.Changes{Events: evs, State: amo.SyncState{Cursors: map[string]time.Time{"events": t0}}})
	n, err := db.PruneEvents("main", t0.Add(3*24*time.Hour))
	if err != nil || n != 3 {
		t.Fatalf("prune: %d, %v; want 3", n, err)
	}
	s, _ := mustLoad(t, db)
	if got := eventIDs(s.Events); len(got) != 7 || got[0] != "e3" {
		t.Errorf("events after prune %v", got)
	}
	st, err := db.SyncState("main")
	if err != nil || !st.Cursors["events"].Equal(t0) {
		t.Errorf("sync state %+v, %v", st, err)
	}
	if _, err := db.PruneEvents("nobody-synced", t0); err != nil {
		t.Errorf("prune of an empty account: %v", err)
	}
	if _, _, err := db.LoadSnapshot(""); err == nil {
		t.Error("empty account key: want an error")
	}
}
