package checks

import (
	"slices"
	"testing"
	"time"

	"salesguard/amo"
)

func TestEvalR7TelephonyTrouble(t *testing.T) {
	now := at(18, 17, 0)
	// calls adds n calls of secs seconds by manager m on deal 1 during the last week.
	calls := func(f *fixture, m amo.UserID, n int, secs int64) {
		for range n {
			f.call(1, amo.NoteCallOut, at(17, 10, 0).Add(time.Duration(f.nextID%600)*time.Second), secs, m)
		}
	}
	tests := []struct {
		name  string
		setup func(f *fixture)
		want  []string
	}{
		{"half the calls in the band", func(f *fixture) {
			calls(f, mgrA, 5, 25)
			calls(f, mgrA, 5, 120)
		}, []string{"0/info/telephony_trouble/manager:1/day:2026-11-18"}},
		{"exactly 30 percent, band edges included", func(f *fixture) {
			calls(f, mgrA, 3, 20)
			calls(f, mgrA, 3, 40)
			calls(f, mgrA, 14, 90)
		}, []string{"0/info/telephony_trouble/manager:1/day:2026-11-18"}},
		{"just under 30 percent", func(f *fixture) {
			calls(f, mgrA, 5, 30)
			calls(f, mgrA, 12, 90)
		}, nil},
		{"too few calls to tell", func(f *fixture) {
			calls(f, mgrA, 4, 30)
		}, nil},
		{"outside the band", func(f *fixture) {
			calls(f, mgrA, 5, 19)
			calls(f, mgrA, 5, 41)
		}, nil},
		{"calls older than a week", func(f *fixture) {
			for range 6 {
				f.call(1, amo.NoteCallOut, at(11, 16, 0), 30, mgrA)
			}
			calls(f, mgrA, 1, 100)
		}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture()
			f.lead(1, mgrB, stTalks, at(2, 10, 0))
			tt.setup(f)
			checkBrief(t, trouble(f.input(t, now)), tt.want...)
		})
	}
}

func TestEvalR7FakedActivity(t *testing.T) {
	now := at(18, 17, 0)
	run := func(f *fixture, l amo.LeadID, n int) {
		f.outCalls(l, at(18, 10, 0), time.Minute, n, 5, mgrA)
	}
	hit := []string{"1/info/faked_activity/day:2026-11-18", "1/warning/faked_activity/day:2026-11-18"}
	tests := []struct {
		name  string
		setup func(f *fixture)
		want  []string
	}{
		{"five very short calls in a row", func(f *fixture) { run(f, 1, 5) }, hit},
		{"four", func(f *fixture) { run(f, 1, 4) }, nil},
		{"broken by a real incoming call", func(f *fixture) {
			run(f, 1, 3)
			f.call(1, amo.NoteCallIn, at(18, 10, 3).Add(30*time.Second), 30, mgrA)
			f.outCalls(1, at(18, 11, 0), time.Minute, 2, 5, mgrA)
		}, nil},
		{"a short incoming call does not break the run", func(f *fixture) {
			run(f, 1, 3)
			f.call(1, amo.NoteCallIn, at(18, 10, 3).Add(30*time.Second), 29, mgrA)
			f.outCalls(1, at(18, 11, 0), time.Minute, 2, 5, mgrA)
		}, hit},
		{"broken by a 10-second outgoing call", func(f *fixture) {
			run(f, 1, 4)
			f.call(1, amo.NoteCallOut, at(18, 10, 4), 10, mgrA)
		}, nil},
		{"split by midnight", func(f *fixture) {
			f.outCalls(1, at(17, 23, 56), time.Minute, 3, 5, mgrA)
			f.outCalls(1, at(18, 0, 0), time.Minute, 2, 5, mgrA)
		}, nil},
		{"on a shared contact, counted once on the open deal", func(f *fixture) {
			f.lead(2, mgrA, stTalks, at(2, 10, 0), withContact(50))
			f.contact(50, 1, 2)
			for i := range 5 {
				f.call(0, amo.NoteCallOut, at(18, 10, i), 3, mgrA, onContact(50))
			}
		}, []string{"2/info/faked_activity/day:2026-11-18", "2/warning/faked_activity/day:2026-11-18"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture()
			f.lead(1, mgrA, 0, at(2, 10, 0), lost(at(18, 16, 0), rsnPrice), withContact(50))
			tt.setup(f)
			got := evalR7(f.input(t, now))
			checkBrief(t, got, tt.want...)
			if len(got) > 0 && (got[0].Value != 5 || got[0].Limit != 5) {
				t.Errorf("value/limit = %v/%v, want 5/5", got[0].Value, got[0].Limit)
			}
		})
	}
}

func TestReviewSample(t *testing.T) {
	f := newFixture()
	f.lead(1, mgrA, stTalks, at(2, 10, 0))
	var wantA []amo.NoteID
	for i := range 6 {
		wantA = append(wantA, f.call(1, amo.NoteCallOut, at(16+i%5, 11, i), 60, mgrA, withLink("https://rec/a")))
	}
	f.call(1, amo.NoteCallOut, at(17, 12, 0), 59, mgrA, withLink("https://rec/short"))
	f.call(1, amo.NoteCallOut, at(17, 12, 0), 300, mgrA)                               // no recording
	f.call(1, amo.NoteCallOut, at(15, 23, 59), 300, mgrA, withLink("https://rec/old")) // the week before
	f.call(1, amo.NoteCallIn, at(23, 0, 0), 300, mgrA, withLink("https://rec/next"))   // the week after
	b1 := f.call(1, amo.NoteCallIn, at(18, 9, 0), 61, mgrB, withLink("https://rec/b1"))
	b2 := f.call(0, amo.NoteCallOut, at(18, 9, 0), 90, mgrB, withLink("https://rec/b2"), func(n *amo.Note) { n.EntityID = 0 })

	in := f.input(t, at(23, 9, 0))
	week := Date{2026, 11, 16}
	got := ReviewSample(in, week, 42)
	if len(got[mgrA]) != 3 {
		t.Fatalf("manager A: %d calls, want 3", len(got[mgrA]))
	}
	for _, c := range got[mgrA] {
		if !slices.Contains(wantA, c.NoteID) || c.DealID != 1 || c.Link != "https://rec/a" {
			t.Errorf("manager A picked %+v", c)
		}
	}
	ids := func(cs []ReviewCall) []amo.NoteID {
		var out []amo.NoteID
		for _, c := range cs {
			out = append(out, c.NoteID)
		}
		return out
	}
	if g := ids(got[mgrB]); !slices.Equal(g, []amo.NoteID{b1, b2}) && !slices.Equal(g, []amo.NoteID{b2, b1}) {
		t.Errorf("manager B = %v, want both calls", g)
	}
	// Reproducible whatever the order of the snapshot.
	slices.Reverse(f.snap.Notes)
	again := ReviewSample(f.input(t, at(23, 9, 0)), week, 42)
	if !slices.Equal(ids(again[mgrA]), ids(got[mgrA])) {
		t.Errorf("second pick %v differs from %v", ids(again[mgrA]), ids(got[mgrA]))
	}
	// Different seeds spread the picks.
	seen := map[amo.NoteID]bool{}
	for seed := range uint64(20) {
		for _, c := range ReviewSample(in, week, seed)[mgrA] {
			seen[c.NoteID] = true
		}
	}
	if len(seen) != len(wantA) {
		t.Errorf("20 seeds picked %d of the %d candidates", len(seen), len(wantA))
	}
}
