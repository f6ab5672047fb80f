package checks

import (
	"testing"
	"time"

	"salesguard/amo"
)

func TestR4StaleStage(t *testing.T) {
	now := mskAt(t, 2026, 11, 18, 12, 0)
	day := 24 * time.Hour
	tests := []struct {
		name   string
		status amo.StatusID
		since  time.Duration // time in stage
		viaEvt bool          // entered by a status change (else created there)
		want   bool
		unit   Unit
	}{
		{"new lead under 1h", tNew, 59 * time.Minute, false, false, ""},
		{"new lead at exactly 1h", tNew, time.Hour, false, false, ""},
		{"new lead over 1h", tNew, 61 * time.Minute, false, true, UnitHours},
		{"missed call 5d boundary", tMissed, 5 * day, true, false, ""},
		{"missed call over 5d", tMissed, 5*day + time.Minute, true, true, UnitDays},
		{"call back over 2d", tCallBack, 3 * day, true, true, UnitDays},
		{"stage without a limit", tWork, 300 * day, true, false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			snap := baseSnap()
			entered := now.Add(-tt.since)
			l := lead(1, tt.status, created(entered))
			if tt.viaEvt {
				l.CreatedAt = entered.Add(-30 * day)
				snap.Events = []amo.Event{
					moved("a", 1, tNew, tt.status, entered.Add(-20*day)), // an earlier stay
					moved("b", 1, tt.status, tWork, entered.Add(-10*day)),
					moved("c", 1, tWork, tt.status, entered),
				}
			}
			snap.Leads = []amo.Lead{l}
			fs := Evaluate(mustInput(t, snap, DefaultSettings(), now), R4)
			if got := len(fs) == 1; got != tt.want {
				t.Fatalf("findings %+v, want hit=%v", fs, tt.want)
			}
			if tt.want && (fs[0].Unit != tt.unit || !fs[0].Due.Before(now) || fs[0].Value <= fs[0].Limit) {
				t.Errorf("finding %+v", fs[0])
			}
		})
	}
}

func TestFunnel(t *testing.T) {
	now := mskAt(t, 2026, 11, 18, 12, 0)
	h := func(n int) time.Time { return now.Add(time.Duration(-n) * time.Hour) }
	snap := baseSnap()
	snap.Leads = []amo.Lead{lead(1, tWork, created(h(10))), lead(2, tMissed, created(h(10))), lead(3, tNew, created(h(1)))}
	snap.Events = []amo.Event{
		moved("a", 1, tNew, tMissed, h(8)), moved("b", 1, tMissed, tWork, h(4)),
		moved("c", 2, tNew, tMissed, h(6)),
	}
	in := mustInput(t, snap, DefaultSettings(), now)
	fs := Funnel(in, h(24), now)
	stat := map[amo.StatusRef]StageStat{}
	for _, s := range fs.Stages {
		stat[s.Stage] = s
	}
	if s := stat[ref(tNew)]; s.Left != 2 || s.AvgTime != 3*time.Hour || s.Now != 1 {
		t.Errorf("new: %+v", s)
	}
	if s := stat[ref(tMissed)]; s.Entered != 2 || s.Left != 1 || s.AvgTime != 4*time.Hour || s.Now != 1 {
		t.Errorf("missed: %+v", s)
	}
	if len(fs.Transitions) != 2 || fs.Transitions[0] != (Transition{From: ref(tNew), To: ref(tMissed), Count: 2}) {
		t.Errorf("transitions: %+v", fs.Transitions)
	}
	if fs.Stages[0].Stage != ref(tNew) {
		t.Errorf("stages not in pipeline order: %+v", fs.Stages)
	}
	// A window that ends before the moves sees none of them.
	if fs := Funnel(in, h(24), h(9)); len(fs.Transitions) != 0 {
		t.Errorf("transitions outside the window: %+v", fs.Transitions)
	}
}
