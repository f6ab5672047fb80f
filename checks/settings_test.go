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
		if p.Allowed == "" {
			t.Errorf("%s: no allowed values", p.Setting)
		}
	}
	want := []string{"disabled[1]", "calendar.time_zone", "calendar.week.tuesday", "calendar.production",
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
