package amo

import (
	"slices"
	"testing"
	"time"
)

func TestSnapshotApply(t *testing.T) {
	lead := func(id LeadID, name string) Lead { return Lead{ID: id, Name: name} }
	tests := []struct {
		name string
		held []Lead
		ch   Changes
		want []Lead
	}{
		{name: "upsert into empty", ch: Changes{Leads: []Lead{lead(3, "c"), lead(1, "a")}}, want: []Lead{lead(1, "a"), lead(3, "c")}},
		{name: "update and insert", held: []Lead{lead(1, "a"), lead(3, "c")}, ch: Changes{Leads: []Lead{lead(3, "C"), lead(2, "b")}},
			want: []Lead{lead(1, "a"), lead(2, "b"), lead(3, "C")}},
		{name: "delete", held: []Lead{lead(1, "a"), lead(2, "b")}, ch: Changes{DeletedLeads: []LeadID{1, 9}}, want: []Lead{lead(2, "b")}},
		{name: "full replaces", held: []Lead{lead(1, "a"), lead(2, "b")}, ch: Changes{Full: true, Leads: []Lead{lead(5, "e")}}, want: []Lead{lead(5, "e")}},
		{name: "duplicate in changes: last wins", ch: Changes{Leads: []Lead{lead(4, "old"), lead(4, "new")}}, want: []Lead{lead(4, "new")}},
		{name: "unsorted held list", held: []Lead{lead(3, "c"), lead(1, "a")}, ch: Changes{Leads: []Lead{lead(2, "b")}},
			want: []Lead{lead(1, "a"), lead(2, "b"), lead(3, "c")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := Snapshot{Leads: slices.Clone(tt.held)}
			s.Apply(&tt.ch)
			if !slices.EqualFunc(s.Leads, tt.want, func(a, b Lead) bool { return a.ID == b.ID && a.Name == b.Name }) {
				t.Errorf("got %v, want %v", s.Leads, tt.want)
			}
		})
	}
}

func TestSnapshotApplyDictionariesAndPrune(t *testing.T) {
	s := Snapshot{Users: []User{{ID: 1}}, Pipelines: []Pipeline{{ID: 1}}}
	s.Apply(&Changes{TakenAt: t0, Account: &Account{TimeZone: "Europe/Moscow"}, Pipelines: []Pipeline{{ID: 2}},
		Events: []Event{{ID: "b", CreatedAt: t0.Add(-40 * 24 * time.Hour)}, {ID: "a", CreatedAt: t0}}})
	if len(s.Users) != 1 || s.Pipelines[0].ID != 2 || s.Account.TimeZone != "Europe/Moscow" || !s.TakenAt.Equal(t0) {
		t.Errorf("snapshot = %+v", s)
	}
	if s.Events[0].ID != "a" {
		t.Errorf("events not sorted by id: %v", s.Events)
	}
	if n := s.PruneEvents(t0.Add(-30 * 24 * time.Hour)); n != 1 || len(s.Events) != 1 || s.Events[0].ID != "a" {
		t.Errorf("pruned %d, events %v", n, s.Events)
	}
}

func TestSettleRestoredLeadIsNotDeleted(t *testing.T) {
	ch := &Changes{Leads: []Lead{{ID: 1, UpdatedAt: t0.Add(time.Minute)}, {ID: 2, UpdatedAt: t0}}, Marks: []Mark{
		{Entity: EntityLeads, ID: 1, At: t0, Deleted: true},                  // deleted, then restored and edited
		{Entity: EntityLeads, ID: 2, At: t0.Add(time.Second), Deleted: true}, // edited, then deleted
		{Entity: EntityLeads, ID: 3, At: t0, Deleted: true},                  // deleted
		{Entity: EntityLeads, ID: 3, At: t0.Add(time.Second)},                // and restored: not deleted
	}}
	ch.settle()
	if got := ids(ch.Leads, func(l Lead) LeadID { return l.ID }); !slices.Equal(got, []LeadID{1}) {
		t.Errorf("leads = %v, want [1]", got)
	}
	if !slices.Equal(ch.DeletedLeads, []LeadID{2}) {
		t.Errorf("deleted = %v, want [2]", ch.DeletedLeads)
	}
}
