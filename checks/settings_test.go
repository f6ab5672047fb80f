package checks

import (
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"salesguard/amo"
)

func TestDefaultSettingsValid(t *testing.T) {
	s := DefaultSettings()
	if err := s.Validate(); err != nil {
		t.Fatalf("defaults invalid: %v", err)
	}
	for _, r := range AllRuleIDs {
		if !s.Enabled(r) {
			t.Errorf("%s disabled by default", r)
		}
	}
	if s.Schedule != DefaultSchedule() {
		t.Errorf("schedule defaults not set: %+v", s.Schedule)
	}
	if s.R1.Limit.D() != 15*time.Minute || s.R6.Window.D() != 120*time.Hour || len(s.R8.Trivial) != 15 {
		t.Errorf("unexpected defaults: %+v", s)
	}
	// The defaults survive a JSON round trip (settings are stored as JSON).
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	var back Settings
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatalf("unmarshal %s: %v", b, err)
	}
	if err := back.Validate(); err != nil || back.R1 != s.R1 || back.Calendar.Week != s.Calendar.Week {
		t.Errorf("round trip changed settings: %v\n%s", err, b)
	}
}

func TestValidateReportsEveryProblem(t *testing.T) {
	s := DefaultSettings()
	s.Disabled = []RuleID{R2, "R99"}
	s.Calendar.TimeZone = "Nowhere/Town"
	s.Calendar.Week[time.Tuesday] = DayHours{Start: 18 * 60, End: 9 * 60}
	s.Calendar.Production = "XX"
	s.Calendar.Holidays = []Date{{2026, 1, 1}, {2026, 1, 1}} // duplicates are fine
	s.Calendar.Absences = []Absence{{Manager: 1, From: Date{2026, 5, 2}, To: Date{2026, 5, 1}}}
	s.R1.Limit = 0
	s.R1.EscalateFactor = 0.5
	s.R6.PerDay = 0
	s.R7.TroubleMin, s.R7.TroubleMax = Duration(50*time.Second), Duration(40*time.Second)
	s.R11.Days = 0
	s.Plan.MinutesPerTask = -1
	err := s.Validate()
	var se *SettingsError
	if !errors.As(err, &se) {
		t.Fatalf("Validate = %v, want *SettingsError", err)
	}
	var got []string
	for _, p := range se.Problems {
		got = append(got, p.Setting)
		if p.Allowed == "" || strings.Contains(p.Allowed, "%!") {
			t.Errorf("%s: allowed values %q", p.Setting, p.Allowed)
		}
		if !slices.Contains(ProblemKeys(), p.Key) {
			t.Errorf("%s: key %q is not one of ProblemKeys", p.Setting, p.Key)
		}
	}
	want := []string{"disabled[1]", "calendar.time_zone", "calendar.week.2", "calendar.production",
		"calendar.absences[0]", "r1.limit", "r1.escalate_factor", "r6.per_day", "r7.trouble_max",
		"r11.days", "plan.minutes_per_task"}
	if !slices.Equal(got, want) {
		t.Errorf("problems = %v\nwant       %v", got, want)
	}
	if msg := err.Error(); !strings.Contains(msg, `r1.limit = "0s"`) || !strings.Contains(msg, "11 problems") {
		t.Errorf("message: %s", msg)
	}
}

func TestValidateBoundaries(t *testing.T) {
	tests := []struct {
		name string
		edit func(*Settings)
		ok   bool
	}{
		{"factor exactly 1", func(s *Settings) { s.R1.EscalateFactor = 1 }, true},
		{"one working day", func(s *Settings) {
			s.Calendar.Week = [7]DayHours{}
			s.Calendar.Week[time.Monday] = DayHours{Start: 0, End: 24 * 60}
		}, true},
		{"no working day", func(s *Settings) { s.Calendar.Week = [7]DayHours{} }, false},
		{"same day absence", func(s *Settings) {
			s.Calendar.Absences = []Absence{{Manager: 1, From: Date{2026, 5, 1}, To: Date{2026, 5, 1}}}
		}, true},
		{"workday also a holiday", func(s *Settings) {
			s.Calendar.Holidays = []Date{{2026, 5, 1}}
			s.Calendar.Workdays = []Date{{2026, 5, 1}}
		}, false},
		{"DATA can be disabled", func(s *Settings) { s.Disabled = []RuleID{RuleDataHealth} }, true},
		{"RU production", func(s *Settings) { s.Calendar.Production = "RU" }, true},
		{"first stage without pipeline", func(s *Settings) { s.Stages.First = []amo.StatusRef{{StatusID: 5}} }, false},
		{"r1 limit of 7 days", func(s *Settings) { s.R1.Limit = Duration(7 * 24 * time.Hour) }, true},
		{"r1 limit over 7 days", func(s *Settings) { s.R1.Limit = Duration(8 * 24 * time.Hour) }, false},
		{"r11 ten years", func(s *Settings) { s.R11.Days = 3650 }, true},
		{"schedule checked", func(s *Settings) { s.Schedule.NudgeBeforeEnd = Duration(13 * time.Hour) }, false},
		{"r11 over ten years", func(s *Settings) { s.R11.Days = 3651 }, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := DefaultSettings()
			tt.edit(&s)
			if err := s.Validate(); (err == nil) != tt.ok {
				t.Errorf("Validate = %v, want ok=%v", err, tt.ok)
			}
		})
	}
}

// TestValidateProblemKeys: every key a renderer must have a text for is produced by some
// setting, with the arguments its English text uses and the value found.
func TestValidateProblemKeys(t *testing.T) {
	s := DefaultSettings()
	s.Disabled = []RuleID{"R99"}
	s.Pipelines = []amo.PipelineID{0}
	s.Stages.First = []amo.StatusRef{{StatusID: 5}}
	s.R1.Limit = Duration(8 * 24 * time.Hour)
	s.R1.EscalateFactor = 0
	s.Escalation.DirectorFactor, s.Escalation.RemindEvery = 200, Duration(time.Minute)
	s.R5.LongCall = 0
	s.R6.PerDay = 0
	s.R7.TroubleMin, s.R7.TroubleMax = Duration(50*time.Second), Duration(40*time.Second)
	s.R10.Required = []RequiredField{{Entity: "deals", Field: 0}}
	s.R11.Days = 0
	s.Calendar.TimeZone = "Nowhere/Town"
	s.Calendar.Week = [7]DayHours{1: {Start: 18 * 60, End: 9 * 60}}
	s.Calendar.Production = "XX"
	s.Calendar.Holidays = []Date{{2026, 5, 1}}
	s.Calendar.Workdays = []Date{{2026, 5, 1}}
	s.Calendar.Absences = []Absence{{Manager: 0, From: Date{2026, 5, 2}, To: Date{2026, 5, 1}}}
	s.Schedule.NudgeBeforeEnd = Duration(13 * time.Hour)
	s.Schedule.WeeklyOn = 9
	var se *SettingsError
	if !errors.As(s.Validate(), &se) {
		t.Fatal("no problems")
	}
	seen := map[string]Problem{}
	for _, p := range se.Problems {
		seen[p.Key] = p
	}
	for _, k := range ProblemKeys() {
		p, ok := seen[k]
		if !ok {
			t.Errorf("key %s never produced", k)
			continue
		}
		if strings.Contains(p.Allowed, "%!") {
			t.Errorf("%s: %q", k, p.Allowed)
		}
	}
	if p := seen["longer_than"]; len(p.Args) != 2 || p.Args[0] != SettingRef("r7.trouble_min") || p.Found != Duration(40*time.Second) {
		t.Errorf("longer_than = %+v", p)
	}
	if p := seen["working_day"]; p.Found != nil || p.Value != "" {
		t.Errorf("working_day carries a value: %+v", p)
	}
	if p := seen["working_time_at_most"]; p.Allowed != "at most 7d of working time" {
		t.Errorf("English text %q", p.Allowed)
	}
}

func TestParseErrors(t *testing.T) {
	for _, tc := range []struct {
		err  error
		kind string
	}{
		{func() error { _, err := ParseDuration("soon"); return err }(), KindDuration},
		{func() error { _, err := ParseDuration("-5d"); return err }(), KindDuration},
		{func() error { _, err := ParseDate("2026-02-30"); return err }(), KindDate},
		{func() error { _, err := ParseClock("25:00"); return err }(), KindClock},
	} {
		var pe *ParseError
		if !errors.As(tc.err, &pe) || pe.Kind != tc.kind || pe.Text == "" || !strings.Contains(pe.Error(), pe.Text) {
			t.Errorf("%v: want a *ParseError of kind %s", tc.err, tc.kind)
		}
	}
}
