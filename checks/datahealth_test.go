package checks

import (
	"testing"
	"time"

	"salesguard/amo"
)

func TestDataHealth(t *testing.T) {
	now := at(18, 17, 0)
	// openDeals gives manager m n open deals in the talks stage.
	openDeals := func(f *fixture, m amo.UserID, first amo.LeadID, n int) {
		for i := range n {
			f.lead(first+amo.LeadID(i), m, stTalks, at(2, 10, 0))
		}
	}
	tests := []struct {
		name       string
		setup      func(f *fixture)
		want       []string
		missA      bool
		missB      bool
		missNobody bool
	}{
		{"no call notes at all", func(f *fixture) {
			openDeals(f, mgrA, 1, 1)
		}, []string{"0/data_health/no_call_data"}, true, true, true},
		{"the last call was eight days ago", func(f *fixture) {
			openDeals(f, mgrA, 1, 1)
			f.call(1, amo.NoteCallOut, now.Add(-8*24*time.Hour), 60, mgrA)
		}, []string{"0/data_health/no_call_data"}, true, true, true},
		{"no calls and no open deals", func(f *fixture) {
			f.lead(1, mgrA, 0, at(2, 10, 0), lost(at(3, 10, 0), rsnPrice))
		}, nil, false, false, false},
		{"one manager silent", func(f *fixture) {
			openDeals(f, mgrA, 1, 1)
			f.call(1, amo.NoteCallOut, now.Add(-time.Hour), 60, mgrA)
			openDeals(f, mgrB, 100, healthMinOpenDeals)
		}, []string{"0/data_health/no_call_data_manager/manager:2"}, false, true, false},
		{"one deal fewer", func(f *fixture) {
			openDeals(f, mgrA, 1, 1)
			f.call(1, amo.NoteCallOut, now.Add(-time.Hour), 60, mgrA)
			openDeals(f, mgrB, 100, healthMinOpenDeals-1)
		}, nil, false, false, false},
		{"silent manager is inactive", func(f *fixture) {
			f.snap.Users[1].IsActive = false
			openDeals(f, mgrA, 1, 1)
			f.call(1, amo.NoteCallOut, now.Add(-time.Hour), 60, mgrA)
			openDeals(f, mgrB, 100, healthMinOpenDeals)
		}, nil, false, false, false},
		{"silent manager was on vacation", func(f *fixture) {
			f.s.Calendar.Absences = []Absence{{Manager: mgrB, From: Date{2026, 11, 9}, To: Date{2026, 11, 20}}}
			openDeals(f, mgrA, 1, 1)
			f.call(1, amo.NoteCallOut, now.Add(-time.Hour), 60, mgrA)
			openDeals(f, mgrB, 100, healthMinOpenDeals)
		}, nil, false, false, false},
		{"calls written by a technical user on the manager's deal", func(f *fixture) {
			openDeals(f, mgrA, 1, 1)
			f.call(1, amo.NoteCallOut, now.Add(-time.Hour), 60, mgrA)
			openDeals(f, mgrB, 100, healthMinOpenDeals)
			f.call(100, amo.NoteCallOut, now.Add(-time.Hour), 60, 99)
		}, nil, false, false, false},
		{"calls on the contact of the manager's deal", func(f *fixture) {
			openDeals(f, mgrA, 1, 1)
			f.call(1, amo.NoteCallOut, now.Add(-time.Hour), 60, mgrA)
			openDeals(f, mgrB, 100, healthMinOpenDeals)
			f.snap.Leads[len(f.snap.Leads)-1].ContactIDs = []amo.ContactID{50}
			f.call(0, amo.NoteCallIn, now.Add(-time.Hour), 60, 0, onContact(50))
		}, nil, false, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture()
			tt.setup(f)
			in := f.input(t, now)
			checkBrief(t, evalDataHealth(in), tt.want...)
			for _, c := range []struct {
				m    amo.UserID
				want bool
			}{{mgrA, tt.missA}, {mgrB, tt.missB}, {0, tt.missNobody}} {
				if got := callDataMissing(in, c.m); got != c.want {
					t.Errorf("callDataMissing(%d) = %v, want %v", c.m, got, c.want)
				}
			}
		})
	}
}

// TestCallRulesQuietWithoutCallData: with no call log the call rules report nothing and data
// health reports the gap; with the log back, the same deals are reported.
func TestCallRulesQuietWithoutCallData(t *testing.T) {
	now := at(18, 17, 30)
	build := func() *fixture {
		f := newFixture()
		for i := range 6 {
			f.lead(amo.LeadID(1+i), mgrA, stMissed, at(16, 10, 0))
		}
		f.lead(10, mgrA, 0, at(16, 10, 0), lost(at(17, 10, 0), rsnCant))
		return f
	}
	in := build().input(t, now)
	got := Evaluate(in, R6, R7, R9, RuleDataHealth)
	checkBrief(t, got, "0/data_health/no_call_data")

	f := build()
	f.call(1, amo.NoteCallOut, at(18, 10, 0), 5, mgrA)
	got = Evaluate(f.input(t, now), R6, R7, R9, RuleDataHealth)
	checkBrief(t, got,
		"2/warning/no_attempt_today/day:2026-11-18", "3/warning/no_attempt_today/day:2026-11-18",
		"4/warning/no_attempt_today/day:2026-11-18", "5/warning/no_attempt_today/day:2026-11-18",
		"6/warning/no_attempt_today/day:2026-11-18",
		"10/escalation/unjustified_closure", "10/warning/unjustified_closure")
}
