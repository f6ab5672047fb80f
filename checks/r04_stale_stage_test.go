package checks

import (
	"encoding/json"
	"math"
	"reflect"
	"strings"
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
		{"new lead over 1h (working time)", tNew, 61 * time.Minute, false, true, UnitMinutes},
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

// r4At evaluates R4 alone on deal 1 at now: its findings and the moment the deadline queue
// would wake it.
func r4At(t *testing.T, snap *amo.Snapshot, s Settings, now time.Time) ([]Finding, time.Time) {
	t.Helper()
	in := mustInput(t, snap, s, now)
	o := &out{now: now}
	evalDeal(in, in.WS.Deal(1), maskOf(R4), o)
	return o.fs, o.wake
}

// TestR4WorkingTime covers limits that count working time (Monday–Friday 09:00–18:00 in
// Moscow; 2026-11-18 is a Wednesday): the rulebook's lead at 23:00, limits reached at the end
// of a day, weekends, holidays and the per-stage choice.
func TestR4WorkingTime(t *testing.T) {
	working, calendar := StageTimeWorking, StageTimeCalendar
	tests := []struct {
		name    string
		status  amo.StatusID
		limits  []StageLimit
		holiday []Date
		since   time.Time // entered the stage (created there)
		now     time.Time
		stale   bool
		due     time.Time // the finding's Due, or where the queue wakes the deal (+1ns)
		unit    Unit
		value   float64
	}{
		{name: "lead at 23:00 is not stale at 09:10", status: tNew, since: at(17, 23, 0), now: at(18, 9, 10),
			due: at(18, 10, 0)},
		{name: "lead at 23:00 is not stale at 10:00", status: tNew, since: at(17, 23, 0), now: at(18, 10, 0),
			due: at(18, 10, 0)},
		{name: "lead at 23:00 is stale at 10:01", status: tNew, since: at(17, 23, 0), now: at(18, 10, 1),
			stale: true, due: at(18, 10, 0), unit: UnitMinutes, value: 61},
		{name: "limit reached at the day's end waits for the morning", status: tNew, since: at(18, 17, 0), now: at(18, 23, 0),
			due: at(19, 9, 0)},
		{name: "and is passed just after the day starts", status: tNew, since: at(18, 17, 0), now: at(19, 9, 1),
			stale: true, due: at(19, 9, 0), unit: UnitMinutes, value: 61},
		{name: "Friday evening lead over the weekend", status: tNew, since: at(20, 17, 30), now: at(22, 12, 0),
			due: at(23, 9, 30)},
		{name: "a holiday does not count", status: tNew, holiday: []Date{{2026, 11, 19}}, since: at(18, 17, 30), now: at(19, 12, 0),
			due: at(20, 9, 30)},
		{name: "the stage chooses calendar time", status: tNew, limits: []StageLimit{{Stage: ref(tNew), Limit: Duration(time.Hour), Time: calendar}},
			since: at(17, 23, 0), now: at(18, 9, 10), stale: true, due: at(18, 0, 0), unit: UnitHours, value: 10 + 1.0/6},
		{name: "a longer limit counts calendar time by default", status: tHot, limits: []StageLimit{{Stage: ref(tHot), Limit: Duration(90 * time.Minute)}},
			since: at(17, 23, 0), now: at(18, 9, 10), stale: true, due: at(18, 0, 30), unit: UnitHours},
		{name: "the stage chooses working time for a day's limit", status: tCallBack, limits: []StageLimit{{Stage: ref(tCallBack), Limit: Duration(9 * time.Hour), Time: working}},
			since: at(18, 12, 0), now: at(19, 12, 0), due: at(19, 12, 0)},
		{name: "and is stale after nine working hours", status: tCallBack, limits: []StageLimit{{Stage: ref(tCallBack), Limit: Duration(9 * time.Hour), Time: working}},
			since: at(18, 12, 0), now: at(19, 12, 30), stale: true, due: at(19, 12, 0), unit: UnitMinutes, value: 9*60 + 30},
		{name: "calendar time would have been stale the same evening", status: tCallBack, limits: []StageLimit{{Stage: ref(tCallBack), Limit: Duration(9 * time.Hour)}},
			since: at(18, 12, 0), now: at(18, 21, 30), stale: true, due: at(18, 21, 0), unit: UnitHours},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			snap := baseSnap()
			snap.Leads = []amo.Lead{lead(1, tt.status, created(tt.since))}
			s := DefaultSettings()
			s.R4.Limits, s.Calendar.Holidays = tt.limits, tt.holiday
			fs, wake := r4At(t, snap, s, tt.now)
			if got := len(fs) == 1; got != tt.stale {
				t.Fatalf("findings %+v, want stale=%v", fs, tt.stale)
			}
			if !tt.stale {
				if want := tt.due.Add(time.Nanosecond); !wake.Equal(want) {
					t.Errorf("wakes at %v, want %v", wake, want)
				}
				return
			}
			f := fs[0]
			if !f.Due.Equal(tt.due) || f.Unit != tt.unit || !wake.IsZero() {
				t.Errorf("due %v unit %s wake %v, want due %v unit %s", f.Due, f.Unit, wake, tt.due, tt.unit)
			}
			if tt.value != 0 && math.Abs(f.Value-tt.value) > 1e-9 {
				t.Errorf("value %v, want %v", f.Value, tt.value)
			}
		})
	}
}

// TestStageTimeJSON: the per-stage choice survives an export and an import, and an unknown
// one is refused.
func TestStageTimeJSON(t *testing.T) {
	s := DefaultSettings()
	s.R4.Limits = []StageLimit{{Stage: ref(tNew), Limit: Duration(time.Hour), Time: StageTimeCalendar},
		{Stage: ref(tHot), Limit: Duration(48 * time.Hour), Time: StageTimeWorking}, {Stage: ref(tMissed), Limit: Duration(time.Hour)}}
	data, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	var back Settings
	if err := json.Unmarshal(data, &back); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back.R4, s.R4) {
		t.Errorf("round trip: %+v, want %+v", back.R4, s.R4)
	}
	if !strings.Contains(string(data), `"time":"calendar"`) || strings.Count(string(data), `"time"`) != 2 {
		t.Errorf("JSON %s", data)
	}
	if err := json.Unmarshal([]byte(`{"r4":{"limits":[{"stage":{"pipeline_id":10,"status_id":101},"limit":"1h","time":"sometimes"}]}}`), &back); err == nil {
		t.Error("an unknown stage time was accepted")
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
	// All three were created within the day in "new": it came in 3 (creation is the entry).
	if s := stat[ref(tNew)]; s.Entered != 3 || s.Left != 2 || s.AvgTime != 3*time.Hour || s.Now != 1 {
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
	// A window after the creations counts no entry into "new".
	for _, s := range Funnel(in, h(5), now).Stages {
		if s.Stage == ref(tNew) && s.Entered != 1 {
			t.Errorf("new within the last 5 hours: entered %d, want 1 (lead 3)", s.Entered)
		}
	}
}
