package checks

import (
	"slices"
	"testing"
	"time"

	"salesguard/amo"
)

func TestR12Unsorted(t *testing.T) {
	now := mskAt(t, 2026, 11, 18, 18, 0)
	snap := baseSnap()
	snap.Leads = []amo.Lead{
		lead(1, tUnsorted), lead(2, tNew), lead(3, tMissed), lead(4, amo.StatusWon),
		lead(5, tNew), lead(6, tNew, owner(tManager2)),
	}
	snap.Leads[4].IsDeleted = true
	fs := Evaluate(mustInput(t, snap, DefaultSettings(), now), R12)
	if got := dealIDs(fs); !slices.Equal(got, []amo.LeadID{1, 2, 6}) {
		t.Errorf("deals %v", got)
	}
	s := DefaultSettings()
	s.Stages.First = []amo.StatusRef{ref(tMissed)}
	fs = Evaluate(mustInput(t, snap, s, now), R12)
	if got := dealIDs(fs); !slices.Equal(got, []amo.LeadID{3}) {
		t.Errorf("configured first stage: deals %v", got)
	}
}

// r12At evaluates R12 alone on deal 1 at now: its findings and the moment the deadline queue
// would wake it.
func r12At(t *testing.T, snap *amo.Snapshot, s Settings, now time.Time) ([]Finding, time.Time) {
	t.Helper()
	in := mustInput(t, snap, s, now)
	o := &out{now: now}
	evalDeal(in, in.WS.Deal(1), maskOf(R12), o)
	return o.fs, o.wake
}

// TestR12EndOfDay: R12 is checked at the end of the working day only (Monday–Friday
// 09:00–18:00 in Moscow; 2026-11-18 is a Wednesday), and a deal left in the first stage stays
// reported, with its first end of day as Due, until it moves.
func TestR12EndOfDay(t *testing.T) {
	tests := []struct {
		name    string
		since   time.Time // created in the first stage, or moved back into it
		back    bool      // moved back into the first stage at since (created a week before)
		status  amo.StatusID
		holiday []Date
		now     time.Time
		want    bool
		due     time.Time // the finding's Due, or where the queue wakes the deal
	}{
		{name: "a lead of the day is not checked mid-day", since: at(18, 10, 0), now: at(18, 12, 0), due: at(18, 18, 0)},
		{name: "nor a minute before the end", since: at(18, 10, 0), now: at(18, 17, 59), due: at(18, 18, 0)},
		{name: "left at the end of the day", since: at(18, 10, 0), now: at(18, 18, 0), want: true, due: at(18, 18, 0)},
		{name: "still reported the next morning", since: at(18, 10, 0), now: at(19, 10, 0), want: true, due: at(18, 18, 0)},
		{name: "and the day after", since: at(18, 10, 0), now: at(20, 18, 30), want: true, due: at(18, 18, 0)},
		{name: "a lead that came after the end waits for the next one", since: at(18, 18, 30), now: at(18, 23, 0), due: at(19, 18, 0)},
		{name: "a lead that came at the end exactly was left", since: at(18, 18, 0), now: at(18, 18, 0), want: true, due: at(18, 18, 0)},
		{name: "moved back into the first stage after the end", since: at(18, 19, 0), back: true, now: at(18, 20, 0), due: at(19, 18, 0)},
		{name: "moved back during the day, left at its end", since: at(18, 11, 0), back: true, now: at(18, 18, 5), want: true, due: at(18, 18, 0)},
		{name: "Friday evening lead over the weekend", since: at(20, 19, 0), now: at(22, 12, 0), due: at(23, 18, 0)},
		{name: "no end of day on a holiday", since: at(18, 10, 0), holiday: []Date{{2026, 11, 18}}, now: at(18, 20, 0), due: at(19, 18, 0)},
		{name: "sorted deals are not checked", since: at(17, 10, 0), status: tWork, now: at(18, 18, 0)},
		{name: "nor closed ones", since: at(17, 10, 0), status: amo.StatusLost, now: at(18, 18, 0)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			snap := baseSnap()
			status := cmpOr(tt.status, tNew)
			l := lead(1, status, created(tt.since))
			if tt.back {
				l.CreatedAt = tt.since.Add(-7 * 24 * time.Hour)
				snap.Events = []amo.Event{moved("a", 1, tNew, tWork, l.CreatedAt.Add(time.Hour)), moved("b", 1, tWork, tNew, tt.since)}
			}
			snap.Leads = []amo.Lead{l}
			s := DefaultSettings()
			s.Calendar.Holidays = tt.holiday
			fs, wake := r12At(t, snap, s, tt.now)
			if got := len(fs) == 1; got != tt.want {
				t.Fatalf("findings %+v, want one=%v", fs, tt.want)
			}
			switch {
			case tt.want:
				if !fs[0].Due.Equal(tt.due) || !wake.IsZero() || fs[0].Level != LevelWarning {
					t.Errorf("due %v wake %v, want due %v and no wake", fs[0].Due, wake, tt.due)
				}
			case !wake.Equal(tt.due):
				t.Errorf("wakes at %v, want %v", wake, tt.due)
			}
		})
	}
}

// TestR12OneKeyPerStay: a deal left for several days keeps one finding (one alert, no
// "fixed" edit at the next end of day); the daily table counts it on each day.
func TestR12OneKeyPerStay(t *testing.T) {
	snap := baseSnap()
	snap.Leads = []amo.Lead{lead(1, tNew, created(at(18, 10, 0)))}
	var keys []Key
	for _, now := range []time.Time{at(18, 18, 0), at(19, 12, 0), at(19, 18, 0), at(23, 18, 0)} {
		fs, _ := r12At(t, snap, DefaultSettings(), now)
		if len(fs) != 1 {
			t.Fatalf("at %v: %+v", now, fs)
		}
		keys = append(keys, fs[0].Key())
		if rows := Table(fs, DateOf(now.In(msk))); len(rows) != 1 || rows[0].Rule != R12 || rows[0].Count != 1 {
			t.Errorf("at %v: table %+v", now, rows)
		}
	}
	for _, k := range keys[1:] {
		if k != keys[0] {
			t.Errorf("keys changed: %v", keys)
		}
	}
}

// TestUnsortedAtDayEnd: the pre-close nudge sees what R12 will report at the day's end.
func TestUnsortedAtDayEnd(t *testing.T) {
	snap := baseSnap()
	snap.Leads = []amo.Lead{
		lead(1, tNew, created(at(18, 10, 0))), lead(2, tUnsorted, created(at(17, 12, 0))),
		lead(3, tWork, created(at(18, 9, 0))), lead(4, tNew, created(at(18, 19, 0))),
	}
	in := mustInput(t, snap, DefaultSettings(), at(18, 17, 0))
	if fs := Evaluate(in, R12); !slices.Equal(dealIDs(fs), []amo.LeadID{2}) {
		t.Errorf("R12 at 17:00: %v", dealIDs(fs))
	}
	fs := UnsortedAtDayEnd(in)
	if !slices.Equal(dealIDs(fs), []amo.LeadID{1, 2}) {
		t.Fatalf("at the day's end: %v", dealIDs(fs))
	}
	if !fs[0].Due.Equal(at(18, 18, 0)) || !fs[1].Due.Equal(at(17, 18, 0)) {
		t.Errorf("due %v, %v", fs[0].Due, fs[1].Due)
	}
	if in.Now != at(18, 17, 0) {
		t.Error("the input moved")
	}
}

func cmpOr[T comparable](v, fallback T) T {
	var zero T
	if v == zero {
		return fallback
	}
	return v
}
