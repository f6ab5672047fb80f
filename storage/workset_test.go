package storage

import (
	"path/filepath"
	"testing"
	"time"

	"salesguard/amo"
	"salesguard/workset"
)

// TestSavePageLoadWorkset persists pages of a working set and loads it back into a new one:
// the records, the sync state and the sizes (the loaded set is reserved at its size).
func TestSavePageLoadWorkset(t *testing.T) {
	db, err := Open(filepath.Join(t.TempDir(), "db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	now := time.Date(2026, 11, 24, 8, 0, 0, 0, time.UTC)
	ws := workset.New()
	p := &amo.Changes{TakenAt: now, Account: &amo.Account{ID: 7, TimeZone: "Europe/Moscow"}, Dictionaries: true}
	for i := 1; i <= 3000; i++ {
		p.Leads = append(p.Leads, amo.Lead{ID: amo.LeadID(i), Name: "deal", PipelineID: 1, StatusID: 10,
			CreatedAt: now.Add(-time.Hour), UpdatedAt: now.Add(-time.Hour), ContactIDs: []amo.ContactID{amo.ContactID(i)}})
		p.Contacts = append(p.Contacts, amo.Contact{ID: amo.ContactID(i), LeadIDs: []amo.LeadID{amo.LeadID(i)}})
		p.Tasks = append(p.Tasks, amo.Task{ID: amo.TaskID(i), EntityID: int64(i), EntityType: amo.EntityLeads, Text: "call",
			CompleteTill: now.Add(time.Hour), CreatedAt: now.Add(-time.Hour), UpdatedAt: now.Add(-time.Hour)})
	}
	ws.Apply(p)
	meta, err := ws.MarshalMeta()
	if err != nil {
		t.Fatal(err)
	}
	var recs []Record
	for _, c := range ws.TakeChanged() {
		data, ok := ws.Encode(c.Kind, c.ID)
		if !ok {
			t.Fatalf("record %v not encoded", c)
		}
		recs = append(recs, Record{Kind: c.Kind, ID: c.ID, Op: c.Op, Data: data})
	}
	st := amo.SyncState{FullDone: true, Lists: map[string]amo.ListState{"leads": {Cursor: now}}}
	if err := db.SavePage("main", recs, &st, meta, ws.Sizes()); err != nil {
		t.Fatal(err)
	}
	loaded := workset.New()
	got, err := db.LoadWorkset("main", loaded)
	if err != nil {
		t.Fatal(err)
	}
	if !got.FullDone || !got.Lists["leads"].Cursor.Equal(now) {
		t.Errorf("sync state %+v, want the saved one", got)
	}
	d1, t1, c1, _ := ws.Counts()
	d2, t2, c2, _ := loaded.Counts()
	if d1 != d2 || t1 != t2 || c1 != c2 || d2 != 3000 {
		t.Errorf("loaded %d deals, %d tasks, %d contacts; saved %d, %d, %d", d2, t2, c2, d1, t1, c1)
	}
	if cp := cap(loaded.Deals()); cp != 3000 {
		t.Errorf("the loaded deals' array has room for %d, want exactly 3000 (reserved from the sizes)", cp)
	}
	if d := loaded.DealByID(1234); d == nil || loaded.DealName(d) != "deal" || len(d.ContactIDs()) != 1 {
		t.Errorf("deal 1234 after the load: %+v", d)
	}
	if loaded.Dict().Account.ID != 7 {
		t.Errorf("meta not loaded: account %d", loaded.Dict().Account.ID)
	}
}
