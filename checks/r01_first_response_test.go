package checks

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"salesguard/amo"
)

func TestR1FirstResponse(t *testing.T) {
	c := func(h, m int) time.Time { return mskAt(t, 2026, 11, 18, h, m) } // Wednesday
	callNote := func(at time.Time, on string, id int64) amo.Note {
		return amo.Note{ID: 1, EntityType: on, EntityID: id, NoteType: amo.NoteCallOut, CreatedAt: at}
	}
	tests := []struct {
		name  string
		setup func(s *amo.Snapshot)
		now   time.Time
		want  []string // "level/kind/value"
	}{
		{"not due yet", nil, c(10, 14), nil},
		{"due exactly", nil, c(10, 15), []string{"warning/not_taken/15"}},
		{"escalation at 2x", nil, c(10, 30), []string{"warning/not_taken/30", "escalation/not_taken/30"}},
		{"taken in time by a call", func(s *amo.Snapshot) {
			s.Events = append(s.Events, event("e", amo.EventOutgoingCall, 1, c(10, 10)))
		}, c(11, 0), nil},
		{"taken at the deadline", func(s *amo.Snapshot) {
			s.Events = append(s.Events, event("e", amo.EventOutgoingChatMessage, 1, c(10, 15)))
		}, c(11, 0), nil},
		{"taken late", func(s *amo.Snapshot) {
			s.Events = append(s.Events, event("e", amo.EventOutgoingCall, 1, c(10, 20)))
		}, c(11, 0), []string{"info/taken_late/20"}},
		{"robot note does not count", func(s *amo.Snapshot) {
			e := event("e", amo.EventCommonNoteAdded, 1, c(10, 5))
			e.CreatedBy = 0
			s.Events = append(s.Events, e)
		}, c(10, 20), []string{"warning/not_taken/20"}},
		{"moved out of the first stage", func(s *amo.Snapshot) {
			s.Leads[0].StatusID = tWork
			s.Events = append(s.Events, moved("m", 1, tNew, tWork, c(10, 1)))
		}, c(12, 0), nil},
		{"unsorted accepted", func(s *amo.Snapshot) {
			s.Events = append(s.Events, moved("m", 1, tUnsorted, tNew, c(10, 1)))
		}, c(12, 0), nil},
		{"call on the contact", func(s *amo.Snapshot) {
			s.Leads[0].ContactIDs = []amo.ContactID{9}
			s.Notes = append(s.Notes, callNote(c(10, 3), amo.EntityContacts, 9))
		}, c(12, 0), nil},
		{"completed task", func(s *amo.Snapshot) {
			tk := task(1, 1, c(11, 0), true)
			tk.UpdatedAt = c(10, 40)
			s.Tasks = append(s.Tasks, tk)
		}, c(12, 0), []string{"info/taken_late/40"}},
		{"action before creation ignored", func(s *amo.Snapshot) {
			s.Notes = append(s.Notes, callNote(c(9, 0), amo.EntityLeads, 1))
		}, c(10, 15), []string{"warning/not_taken/15"}},
		{"created by a manager", func(s *amo.Snapshot) { s.Leads[0].CreatedBy = tManager }, c(12, 0), nil},
		{"not watched", func(s *amo.Snapshot) { s.Leads[0].PipelineID = 99 }, c(12, 0), nil},
		{"night lead before 09:15", func(s *amo.Snapshot) {
			s.Leads[0].CreatedAt = mskAt(t, 2026, 11, 17, 23, 0)
		}, c(9, 14), nil},
		{"night lead at 09:15", func(s *amo.Snapshot) {
			s.Leads[0].CreatedAt = mskAt(t, 2026, 11, 17, 23, 0)
		}, c(9, 15), []string{"warning/not_taken/15"}},
		{"older than the lookback", func(s *amo.Snapshot) {
			s.Leads[0].CreatedAt = c(10, 0).Add(-15 * 24 * time.Hour)
		}, c(12, 0), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			snap := baseSnap()
			snap.Leads = []amo.Lead{lead(1, tNew, created(c(10, 0)))}
			if tt.setup != nil {
				tt.setup(snap)
			}
			fs := Evaluate(mustInput(t, snap, DefaultSettings(), tt.now), R1)
			var got []string
			for _, f := range fs {
				got = append(got, fmt.Sprintf("%s/%s/%g", f.Level, f.Kind, f.Value))
				if f.AccountID != 7 || f.DealID != 1 || f.ManagerID != tManager {
					t.Errorf("finding ids: %+v", f)
				}
			}
			slices.Sort(got)
			want := slices.Clone(tt.want)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Errorf("got %v, want %v", got, want)
			}
		})
	}
}

func TestR1DueIsTheWorkingDeadline(t *testing.T) {
	snap := baseSnap()
	snap.Leads = []amo.Lead{lead(1, tNew, created(mskAt(t, 2026, 11, 20, 17, 55)))} // Friday
	fs := Evaluate(mustInput(t, snap, DefaultSettings(), mskAt(t, 2026, 11, 23, 9, 30)), R1)
	if len(fs) != 2 {
		t.Fatalf("findings: %+v", fs)
	}
	w, e := only(fs, LevelWarning), only(fs, LevelEscalation)
	if want := mskAt(t, 2026, 11, 23, 9, 10); len(w) != 1 || !w[0].Due.Equal(want) {
		t.Errorf("warning %+v, want due %s", w, want)
	}
	if want := mskAt(t, 2026, 11, 23, 9, 25); len(e) != 1 || !e[0].Due.Equal(want) || e[0].Limit != 15 {
		t.Errorf("escalation %+v, want due %s", e, want)
	}
}

func TestResponseStats(t *testing.T) {
	c := func(h, m int) time.Time { return mskAt(t, 2026, 11, 18, h, m) }
	snap := baseSnap()
	snap.Leads = []amo.Lead{
		lead(1, tNew, created(c(10, 0))),                   // 5 min
		lead(2, tNew, created(c(11, 0))),                   // 25 min, late
		lead(3, tNew, created(c(12, 0))),                   // untaken: 60 min so far
		lead(4, tNew, created(c(12, 0)), owner(tManager2)), // 15 min: within
		lead(5, tNew, created(c(12, 0).AddDate(0, 0, -1))), // another day
	}
	snap.Events = []amo.Event{
		event("a", amo.EventOutgoingCall, 1, c(10, 5)), event("b", amo.EventOutgoingCall, 2, c(11, 25)),
		event("d", amo.EventOutgoingCall, 4, c(12, 15)),
	}
	in := mustInput(t, snap, DefaultSettings(), c(13, 0))
	st := ResponseStats(in, Date{2026, 11, 18})
	if got := st[tManager]; got.Count != 3 || got.WithinLimit != 1 || got.Median != 25*time.Minute {
		t.Errorf("manager 1: %+v", got)
	}
	if got := st[tManager2]; got.Count != 1 || got.WithinLimit != 1 || got.Median != 15*time.Minute || got.Share() != 1 {
		t.Errorf("manager 2: %+v", got)
	}
}

// TestR1DirectorStep: with a director chat, a lead still not taken at DirectorFactor × the
// limit (working time: the Friday evening counts, the weekend not) is a third finding, the
// ladder's last step; without one there is none.
func TestR1DirectorStep(t *testing.T) {
	snap := baseSnap()
	snap.Leads = []amo.Lead{lead(1, tNew, created(mskAt(t, 2026, 11, 20, 17, 55)))} // Friday
	s := DefaultSettings()
	if fs := Evaluate(mustInput(t, snap, s, mskAt(t, 2026, 11, 23, 10, 0)), R1); len(fs) != 2 {
		t.Fatalf("no director chat: %d findings, want the warning and the escalation", len(fs))
	}
	s.Escalation.DirectorChat = -100
	before := Evaluate(mustInput(t, snap, s, mskAt(t, 2026, 11, 23, 9, 54)), R1)
	if len(before) != 2 {
		t.Fatalf("before 4 × 15 working minutes: %d findings, want 2", len(before))
	}
	fs := Evaluate(mustInput(t, snap, s, mskAt(t, 2026, 11, 23, 9, 55)), R1)
	var top, head []Finding
	for _, f := range fs {
		switch {
		case f.Kind == KindDirector:
			top = append(top, f)
		case f.Level == LevelEscalation:
			head = append(head, f)
		}
	}
	if want := mskAt(t, 2026, 11, 23, 9, 55); len(top) != 1 || !top[0].Due.Equal(want) || top[0].Level != LevelEscalation || top[0].Limit != 15 {
		t.Fatalf("director step %+v, want one escalation due %s quoting the 15 min limit", top, want)
	}
	if len(head) != 1 || top[0].Key() == head[0].Key() {
		t.Error("the director step shares the head's key: it would never be alerted")
	}
}
