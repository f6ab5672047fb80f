package checks

import (
	"strings"
	"testing"
	"time"

	"salesguard/amo"
)

// attempts adds 10-second outgoing calls on deal l on each given November day at each hour.
func (f *fixture) attempts(l amo.LeadID, m amo.UserID, days, hours []int) {
	for _, d := range days {
		for _, h := range hours {
			f.call(l, amo.NoteCallOut, at(d, h, 0), 10, m)
		}
	}
}

var (
	workweek  = []int{16, 17, 18, 19, 20} // Monday to Friday
	threeHrs  = []int{10, 13, 16}
	r6Created = at(16, 9, 30)
	r6Closed  = at(20, 17, 0)
)

func TestEvalR6Closure(t *testing.T) {
	now := at(25, 12, 0)
	chat := func(f *fixture) { f.event(1, amo.EventOutgoingChatMessage, at(16, 16, 5)) }
	tests := []struct {
		name   string
		setup  func(f *fixture)
		want   []string
		failed string
	}{
		{"enough attempts", func(f *fixture) {
			f.lead(1, mgrA, 0, r6Created, lost(r6Closed, rsnCant))
			f.attempts(1, mgrA, workweek, threeHrs)
			chat(f)
		}, nil, ""},
		{"one attempt short of the total", func(f *fixture) {
			f.lead(1, mgrA, 0, r6Created, lost(r6Closed, rsnCant))
			f.attempts(1, mgrA, workweek, threeHrs)
			f.snap.Notes = f.snap.Notes[:len(f.snap.Notes)-1]
			chat(f)
		}, []string{"1/escalation/unjustified_closure", "1/warning/unjustified_closure"}, "total"},
		{"an attempt exactly at the end of the window counts", func(f *fixture) {
			f.lead(1, mgrA, 0, r6Created, lost(at(21, 11, 0), rsnCant))
			f.attempts(1, mgrA, workweek, threeHrs)
			f.snap.Notes = f.snap.Notes[:len(f.snap.Notes)-1]
			f.call(1, amo.NoteCallOut, at(21, 10, 0), 10, mgrA) // Monday 10:00 + 5 days
			chat(f)
		}, nil, ""},
		{"two attempts on the first day", func(f *fixture) {
			f.lead(1, mgrA, 0, r6Created, lost(r6Closed, rsnCant))
			f.attempts(1, mgrA, workweek, threeHrs)
			f.snap.Notes = f.snap.Notes[1:]
			f.call(1, amo.NoteCallOut, at(20, 11, 0), 10, mgrA)
			chat(f)
		}, []string{"1/escalation/unjustified_closure", "1/warning/unjustified_closure"}, "per_day"},
		{"an absent day is skipped", func(f *fixture) {
			f.s.Calendar.Absences = []Absence{{Manager: mgrA, From: Date{2026, 11, 17}, To: Date{2026, 11, 17}}}
			f.lead(1, mgrA, 0, r6Created, lost(r6Closed, rsnCant))
			f.attempts(1, mgrA, []int{16, 18, 19, 20}, threeHrs)
			f.attempts(1, mgrA, []int{19, 20}, []int{11, 14, 17})
			chat(f)
		}, nil, ""},
		{"always at the same hour", func(f *fixture) {
			f.lead(1, mgrA, 0, r6Created, lost(r6Closed, rsnCant))
			for _, d := range workweek {
				for m := range 3 {
					f.call(1, amo.NoteCallOut, at(d, 10, m*10), 10, mgrA)
				}
			}
			chat(f)
		}, []string{"1/escalation/unjustified_closure", "1/warning/unjustified_closure"}, "hours"},
		{"no message after the missed call", func(f *fixture) {
			f.lead(1, mgrA, 0, r6Created, lost(r6Closed, rsnCant))
			f.attempts(1, mgrA, workweek, threeHrs)
			f.event(1, amo.EventOutgoingChatMessage, at(16, 9, 55)) // before the first missed call
		}, []string{"1/escalation/unjustified_closure", "1/warning/unjustified_closure"}, "message"},
		{"an SMS note is a message", func(f *fixture) {
			f.lead(1, mgrA, 0, r6Created, lost(r6Closed, rsnCant))
			f.attempts(1, mgrA, workweek, threeHrs)
			f.note(1, amo.NoteSMSOut, "Не дозвонились, перезвоните", at(16, 10, 1))
		}, nil, ""},
		{"closed quickly from the missed-call stage", func(f *fixture) {
			f.lead(1, mgrA, 0, r6Created, lost(at(19, 11, 0), rsnPrice))
			f.attempts(1, mgrA, []int{16}, threeHrs)
			f.event(1, amo.EventLeadStatusChanged, at(19, 11, 0), statusChange(stMissed, amo.StatusLost))
			chat(f)
		}, []string{"1/escalation/unjustified_closure", "1/warning/unjustified_closure"}, "total,per_day"},
		{"closed from talks with a concrete reason", func(f *fixture) {
			f.lead(1, mgrA, 0, r6Created, lost(at(19, 11, 0), rsnPrice))
			f.attempts(1, mgrA, []int{16}, threeHrs)
			f.event(1, amo.EventLeadStatusChanged, at(16, 17, 0), statusChange(stNew, stMissed))
			f.event(1, amo.EventLeadStatusChanged, at(19, 11, 0), statusChange(stTalks, amo.StatusLost))
		}, nil, ""},
		{"outgoing_call events without notes count, duplicates do not", func(f *fixture) {
			f.lead(1, mgrA, 0, r6Created, lost(r6Closed, rsnCant))
			f.attempts(1, mgrA, workweek, threeHrs)
			last := f.snap.Notes[len(f.snap.Notes)-1]
			f.snap.Notes = f.snap.Notes[:len(f.snap.Notes)-1]
			f.event(1, amo.EventOutgoingCall, at(16, 10, 0), func(e *amo.Event) { e.NoteID = f.snap.Notes[0].ID })
			f.event(1, amo.EventOutgoingCall, last.CreatedAt, func(e *amo.Event) { e.NoteID = last.ID })
			chat(f)
		}, nil, ""},
		{"calls on the contact count", func(f *fixture) {
			f.lead(1, mgrA, 0, r6Created, lost(r6Closed, rsnCant), withContact(50))
			f.contact(50, 1)
			for _, d := range workweek {
				for _, h := range threeHrs {
					f.call(0, amo.NoteCallOut, at(d, h, 0), 0, mgrA, onContact(50), withStatus(6))
				}
			}
			chat(f)
		}, nil, ""},
		{"manager whose calls never reach amoCRM", func(f *fixture) {
			f.keepCallsAlive(now, mgrA)
			for i := range healthMinOpenDeals {
				f.lead(amo.LeadID(100+i), mgrB, stTalks, r6Created)
			}
			f.lead(1, mgrB, 0, r6Created, lost(r6Closed, rsnCant))
		}, nil, ""},
		{"closed long ago", func(f *fixture) {
			f.keepCallsAlive(now, mgrA)
			f.lead(1, mgrA, 0, at(2, 10, 0), lost(at(3, 10, 0), rsnCant))
		}, nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture()
			tt.setup(f)
			got := evalR6(f.input(t, now))
			checkBrief(t, got, tt.want...)
			for _, g := range got {
				if got := strings.Join(g.FailedCriteria(), ","); got != tt.failed {
					t.Errorf("failed = %q, want %q", got, tt.failed)
				}
			}
		})
	}
}

func TestEvalR6FindingData(t *testing.T) {
	f := newFixture()
	f.lead(1, mgrA, 0, r6Created, lost(at(17, 11, 0), rsnCant))
	f.attempts(1, mgrA, []int{16}, threeHrs)
	got := evalR6(f.input(t, at(18, 12, 0)))
	if len(got) != 2 {
		t.Fatalf("got %d findings, want 2", len(got))
	}
	g := got[1]
	if g.Value != 3 || g.Limit != 15 || g.Unit != UnitCount || g.Extra != 3 || g.Reason != ReasonCantReach ||
		strings.Join(g.FailedCriteria(), ",") != "total,per_day,message" || !g.Due.Equal(at(17, 11, 0)) {
		t.Errorf("finding = %+v", g)
	}
}

func TestEvalR6NoAttemptToday(t *testing.T) {
	tests := []struct {
		name  string
		now   time.Time
		setup func(f *fixture)
		want  []string
	}{
		{"no call today", at(18, 17, 0), func(f *fixture) {
			f.lead(1, mgrA, stMissed, at(16, 10, 0))
			f.call(1, amo.NoteCallOut, at(17, 15, 0), 0, mgrA)
		}, []string{"1/warning/no_attempt_today/day:2026-11-18"}},
		{"called this morning", at(18, 17, 0), func(f *fixture) {
			f.lead(1, mgrA, stMissed, at(16, 10, 0))
			f.call(1, amo.NoteCallOut, at(18, 9, 5), 0, mgrA)
		}, nil},
		{"before the nudge", at(18, 16, 59), func(f *fixture) {
			f.keepCallsAlive(at(18, 16, 59), mgrA)
			f.lead(1, mgrA, stMissed, at(16, 10, 0))
		}, nil},
		{"an incoming call is not an attempt", at(18, 17, 30), func(f *fixture) {
			f.lead(1, mgrA, stMissed, at(16, 10, 0))
			f.call(1, amo.NoteCallIn, at(18, 11, 0), 5, mgrA)
		}, []string{"1/warning/no_attempt_today/day:2026-11-18"}},
		{"Saturday", at(21, 17, 0), func(f *fixture) {
			f.keepCallsAlive(at(21, 17, 0), mgrA)
			f.lead(1, mgrA, stMissed, at(16, 10, 0))
		}, nil},
		{"manager absent today", at(18, 17, 0), func(f *fixture) {
			f.s.Calendar.Absences = []Absence{{Manager: mgrA, From: Date{2026, 11, 18}, To: Date{2026, 11, 20}}}
			f.keepCallsAlive(at(18, 17, 0), mgrB)
			f.lead(1, mgrA, stMissed, at(16, 10, 0))
		}, nil},
		{"no call data in the account", at(18, 17, 0), func(f *fixture) {
			f.lead(1, mgrA, stMissed, at(16, 10, 0))
		}, nil},
		{"other stage", at(18, 17, 0), func(f *fixture) {
			f.keepCallsAlive(at(18, 17, 0), mgrA)
			f.lead(1, mgrA, stTalks, at(16, 10, 0))
		}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture()
			tt.setup(f)
			checkBrief(t, evalR6(f.input(t, tt.now)), tt.want...)
		})
	}
}
