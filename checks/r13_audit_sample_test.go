package checks

import (
	"slices"
	"testing"
	"time"

	"salesguard/amo"
)

func TestTouchedIn(t *testing.T) {
	old := at(2, 10, 0)
	tests := []struct {
		name  string
		setup func(f *fixture)
		want  bool
	}{
		{"created that day", func(f *fixture) { f.lead(1, mgrA, stNew, at(18, 9, 0)) }, true},
		{"updated that day", func(f *fixture) {
			f.lead(1, mgrA, stNew, old, func(l *amo.Lead) { l.UpdatedAt = at(18, 23, 59) })
		}, true},
		{"updated the evening before", func(f *fixture) {
			f.lead(1, mgrA, stNew, old, func(l *amo.Lead) { l.UpdatedAt = at(17, 23, 59) })
		}, false},
		{"an event", func(f *fixture) {
			f.lead(1, mgrA, stNew, old)
			f.event(1, amo.EventLeadStatusChanged, at(18, 12, 0), statusChange(stNew, stTalks))
		}, true},
		{"a note at midnight", func(f *fixture) {
			f.lead(1, mgrA, stNew, old)
			f.note(1, amo.NoteCommon, "x", at(18, 0, 0))
		}, true},
		{"a note at the next midnight", func(f *fixture) {
			f.lead(1, mgrA, stNew, old)
			f.note(1, amo.NoteCommon, "x", at(19, 0, 0))
		}, false},
		{"a task completed that day", func(f *fixture) {
			f.lead(1, mgrA, stNew, old)
			f.snap.Tasks = append(f.snap.Tasks, amo.Task{ID: 5, EntityID: 1, EntityType: amo.EntityLeads, CreatedAt: old, UpdatedAt: at(18, 15, 0), CompleteTill: old})
		}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture()
			tt.setup(f)
			in := f.input(t, at(19, 12, 0))
			if got := touchedIn(newView(in, in.WS.Deal(1)), at(18, 0, 0), at(19, 0, 0)); got != tt.want {
				t.Errorf("touchedIn = %v, want %v", got, tt.want)
			}
		})
	}
}

// auditFixture gives manager A six deals touched on the 18th and one untouched, manager B two.
func auditFixture() *fixture {
	f := newFixture()
	for i := range 6 {
		f.lead(amo.LeadID(10+i), mgrA, stTalks, at(18, 9+i, 0))
	}
	f.lead(20, mgrA, stTalks, at(2, 9, 0))
	f.lead(21, mgrA, stTalks, at(18, 9, 0), func(l *amo.Lead) { l.PipelineID = 99 })
	f.lead(30, mgrB, stTalks, at(2, 9, 0))
	f.note(30, amo.NoteCommon, "x", at(18, 11, 0))
	f.lead(31, mgrB, stTalks, at(18, 10, 0))
	f.lead(40, 0, stNew, at(18, 10, 0)) // unassigned
	return f
}

func TestAuditSample(t *testing.T) {
	f := auditFixture()
	day := Date{2026, 11, 18}
	got := AuditSample(f.input(t, at(18, 18, 0)), day, 3)
	if len(got) != 2 {
		t.Fatalf("managers = %v, want A and B", got)
	}
	a := got[mgrA]
	if len(a) != 3 || !slices.IsSorted(a) {
		t.Fatalf("manager A = %v, want 3 sorted deals", a)
	}
	for _, id := range a {
		if id < 10 || id > 15 {
			t.Errorf("manager A picked %d, which was not touched that day", id)
		}
	}
	if !slices.Equal(got[mgrB], []amo.LeadID{30, 31}) {
		t.Errorf("manager B = %v, want [30 31]", got[mgrB])
	}
	slices.Reverse(f.snap.Leads)
	again := AuditSample(f.input(t, at(18, 18, 0)), day, 3)
	if !slices.Equal(again[mgrA], a) {
		t.Errorf("second pick %v differs from %v", again[mgrA], a)
	}
	spread := map[amo.LeadID]bool{}
	for d := range 20 {
		for _, id := range AuditSample(f.input(t, at(18, 18, 0)), day.AddDays(-d), 3)[mgrA] {
			spread[id] = true
		}
	}
	if len(spread) < 2 {
		t.Errorf("picks never vary across days: %v", spread)
	}
}

func TestEvalR13(t *testing.T) {
	tests := []struct {
		name   string
		now    time.Time
		absent bool
		want   int
	}{
		{"end of the working day", at(18, 18, 0), false, 5},
		{"a minute before the end", at(18, 17, 59), false, 0},
		{"late evening, same sample", at(18, 23, 0), false, 5},
		{"manager A absent", at(18, 18, 0), true, 2},
		{"Saturday", at(21, 18, 0), false, 0},
	}
	var first []Finding
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := auditFixture()
			if tt.absent {
				f.s.Calendar.Absences = []Absence{{Manager: mgrA, From: Date{2026, 11, 18}, To: Date{2026, 11, 18}}}
			}
			got := evalR13(f.input(t, tt.now))
			if len(got) != tt.want {
				t.Fatalf("got %d findings %v, want %d", len(got), brief(got), tt.want)
			}
			for _, g := range got {
				if g.Level != LevelInfo || g.Kind != KindAudit || g.Subject() != "audit:2026-11-18" || g.Link == "" {
					t.Errorf("finding = %+v", g)
				}
			}
			if tt.want == 5 {
				if first != nil && !slices.Equal(brief(first), brief(got)) {
					t.Errorf("sample changed during the evening: %v then %v", brief(first), brief(got))
				}
				first = got
			}
		})
	}
}
