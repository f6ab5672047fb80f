package checks

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"salesguard/amo"
)

// Problem is one invalid setting: its path ("r1.limit"), the value found and what is allowed.
type Problem struct {
	Setting string `json:"setting"`
	Value   string `json:"value"`
	Allowed string `json:"allowed"`
}

// SettingsError lists every problem Validate found.
type SettingsError struct {
	Problems []Problem
}

// Error joins the problems, one per line.
func (e *SettingsError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "invalid settings (%d problems):", len(e.Problems))
	for _, p := range e.Problems {
		fmt.Fprintf(&b, "\n  %s = %q: want %s", p.Setting, p.Value, p.Allowed)
	}
	return b.String()
}

type validator struct{ ps []Problem }

func (v *validator) add(setting string, value any, allowed string) {
	v.ps = append(v.ps, Problem{Setting: setting, Value: fmt.Sprint(value), Allowed: allowed})
}

func (v *validator) positive(setting string, d Duration) {
	if d <= 0 {
		v.add(setting, d, "a positive duration like 30s, 15m or 5d")
	}
}

func (v *validator) atLeast(setting string, n, lowest int) {
	if n < lowest {
		v.add(setting, n, fmt.Sprintf("a whole number ≥ %d", lowest))
	}
}

func (v *validator) between(setting string, n, lowest, highest int) {
	if n < lowest || n > highest {
		v.add(setting, n, fmt.Sprintf("a whole number from %d to %d", lowest, highest))
	}
}

// Validate checks every setting and reports all problems at once as a *SettingsError, or nil.
func (s Settings) Validate() error {
	v := &validator{}
	for i, r := range s.Disabled {
		if !slices.Contains(AllRuleIDs, r) && r != RuleDataHealth {
			v.add(fmt.Sprintf("disabled[%d]", i), r, "a rule id R1…R13 or DATA")
		}
	}
	for i, p := range s.Pipelines {
		if p <= 0 {
			v.add(fmt.Sprintf("pipelines[%d]", i), p, "a pipeline id")
		}
	}
	for i, r := range s.Stages.First {
		checkRef(v, fmt.Sprintf("stages.first[%d]", i), r)
	}
	for i, r := range s.Stages.MissedCall {
		checkRef(v, fmt.Sprintf("stages.missed_call[%d]", i), r)
	}
	for i, r := range s.Plan.Priority {
		checkRef(v, fmt.Sprintf("plan.priority[%d]", i), r)
	}
	s.Calendar.validate(v)
	v.positive("r1.limit", s.R1.Limit)
	if s.R1.Limit.D() > 7*24*time.Hour {
		v.add("r1.limit", s.R1.Limit, "at most 7d of working time")
	}
	if s.R1.EscalateFactor < 1 || s.R1.EscalateFactor > 100 {
		v.add("r1.escalate_factor", s.R1.EscalateFactor, "a number from 1 to 100")
	}
	for i, l := range s.R4.Limits {
		v.positive(fmt.Sprintf("r4.limits[%d].limit", i), l.Limit)
		checkRef(v, fmt.Sprintf("r4.limits[%d].stage", i), l.Stage)
	}
	v.positive("r5.other_note_within", s.R5.OtherNoteWithin)
	v.positive("r5.long_call", s.R5.LongCall)
	s.R6.validate(v)
	s.R7.validate(v)
	v.atLeast("r8.min_length", s.R8.MinLength, 0)
	v.positive("r9.min_call", s.R9.MinCall)
	v.positive("r9.within", s.R9.Within)
	for i, f := range s.R10.Required {
		if f.Entity != amo.EntityLeads && f.Entity != amo.EntityContacts {
			v.add(fmt.Sprintf("r10.required[%d].entity", i), f.Entity, `"leads" or "contacts"`)
		}
		if f.Field <= 0 {
			v.add(fmt.Sprintf("r10.required[%d].field", i), f.Field, "a custom field id")
		}
	}
	v.between("r11.days", s.R11.Days, 1, 3650)
	v.between("r13.per_manager", s.R13.PerManager, 1, 100)
	v.between("plan.minutes_per_task", s.Plan.MinutesPerTask, 1, 480)
	s.Schedule.validate(v)
	if len(v.ps) == 0 {
		return nil
	}
	return &SettingsError{Problems: v.ps}
}

func checkRef(v *validator, setting string, r amo.StatusRef) {
	if r.StatusID <= 0 || (r.PipelineID <= 0 && r.StatusID != amo.StatusWon && r.StatusID != amo.StatusLost) {
		v.add(setting, fmt.Sprintf("%d/%d", r.PipelineID, r.StatusID), "a stage as pipeline id and status id")
	}
}

func (cs CalendarSettings) validate(v *validator) {
	if cs.TimeZone != "" {
		if _, err := time.LoadLocation(cs.TimeZone); err != nil {
			v.add("calendar.time_zone", cs.TimeZone, "an IANA time zone like Europe/Moscow, or empty for the account's")
		}
	}
	working := 0
	for wd, h := range cs.Week {
		name := "calendar.week." + strings.ToLower(time.Weekday(wd).String())
		switch {
		case h.Start == 0 && h.End == 0:
		case h.Start < 0 || h.End > 24*60 || h.Start >= h.End:
			v.add(name, fmt.Sprintf("%s-%s", h.Start, h.End), "start before end within 00:00–24:00, or both empty for a day off")
		default:
			working++
		}
	}
	if working == 0 {
		v.add("calendar.week", "no working day", "working hours on at least one weekday")
	}
	if cs.Production != "" {
		if _, ok := productionCalendars[cs.Production]; !ok {
			v.add("calendar.production", cs.Production, fmt.Sprintf("empty or one of %v", productionNames()))
		}
	}
	for i, d := range cs.Workdays {
		if slices.Contains(cs.Holidays, d) {
			v.add(fmt.Sprintf("calendar.workdays[%d]", i), d, "a day that is not also listed in calendar.holidays")
		}
	}
	for i, a := range cs.Absences {
		if a.Manager <= 0 {
			v.add(fmt.Sprintf("calendar.absences[%d].manager", i), a.Manager, "a user id")
		}
		if a.From.IsZero() || a.To.IsZero() || a.To.Before(a.From) {
			v.add(fmt.Sprintf("calendar.absences[%d]", i), fmt.Sprintf("%s..%s", a.From, a.To), "from ≤ to, both set")
		}
	}
}

func (a AttemptSettings) validate(v *validator) {
	v.atLeast("r6.per_day", a.PerDay, 1)
	v.atLeast("r6.first_days", a.FirstDays, 1)
	v.atLeast("r6.total", a.Total, 1)
	v.positive("r6.window", a.Window)
	if a.DistinctHours < 1 || a.DistinctHours > 24 {
		v.add("r6.distinct_hours", a.DistinctHours, "a whole number from 1 to 24")
	}
}

func (t TouchSettings) validate(v *validator) {
	v.positive("r7.real_touch", t.RealTouch)
	v.positive("r7.trouble_min", t.TroubleMin)
	v.positive("r7.trouble_max", t.TroubleMax)
	if t.TroubleMin > 0 && t.TroubleMax > 0 && t.TroubleMin >= t.TroubleMax {
		v.add("r7.trouble_max", t.TroubleMax, fmt.Sprintf("longer than r7.trouble_min (%s)", t.TroubleMin))
	}
	v.positive("r7.short_call", t.ShortCall)
	v.atLeast("r7.short_run", t.ShortRun, 2)
	v.positive("r7.review_min", t.ReviewMin)
	v.atLeast("r7.review_sample", t.ReviewSample, 1)
}
