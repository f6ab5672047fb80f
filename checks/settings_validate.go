package checks

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"salesguard/amo"
)

// Problem is one invalid setting. Setting is its path ("r1.limit", "calendar.week.2",
// "disabled[1]"), Value the value found as text and Allowed what is allowed, in English, for
// logs and the command line. A renderer that speaks the person's language uses Key (one of
// ProblemKeys: what is allowed), Args (its limits: Duration, int, float64, SettingRef or
// []string values) and Found (the value itself, nil when there is none) instead.
type Problem struct {
	Setting string `json:"setting"`
	Value   string `json:"value"`
	Allowed string `json:"allowed"`
	Key     string `json:"key"`
	Args    []any  `json:"args,omitempty"`
	Found   any    `json:"-"`
}

// SettingRef is a Problem argument that names another setting by its path ("r7.trouble_min").
type SettingRef string

// allowed holds the English text of each problem key; arguments are numbered (%[1]v).
var allowed = map[string]string{
	"rule_id":                "a rule id R1…R13 or DATA",
	"pipeline_id":            "a pipeline id",
	"stage_ref":              "a stage as pipeline id and status id",
	"positive_duration":      "a positive duration like 30s, 15m or 5d",
	"working_time_at_most":   "at most %[1]v of working time",
	"duration_range":         "a duration from %[1]v to %[2]v",
	"longer_than":            "longer than %[1]v (%[2]v)",
	"number_range":           "a number from %[1]v to %[2]v",
	"int_at_least":           "a whole number ≥ %[1]v",
	"int_range":              "a whole number from %[1]v to %[2]v",
	"entity":                 `"leads" or "contacts"`,
	"field_id":               "a custom field id",
	"user_id":                "a user id",
	"time_zone":              "an IANA time zone like Europe/Moscow, or empty for the account's",
	"day_hours":              "start before end within 00:00–24:00, or both empty for a day off",
	"working_day":            "working hours on at least one weekday",
	"production":             "empty or one of %[1]v",
	"not_holiday":            "a day that is not also listed in calendar.holidays",
	"date_range":             "from ≤ to, both set",
	"weekday":                "a weekday 0 (Sunday) to 6 (Saturday)",
	"number_range_above":     "a number above %[1]v (%[2]v), at most %[3]v",
	"duration_range_or_zero": "a duration from %[1]v to %[2]v, or 0 for none",
}

// ProblemKeys lists every Problem.Key, sorted, so a renderer can keep a text for each.
func ProblemKeys() []string { return slices.Sorted(maps.Keys(allowed)) }

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

// add records a problem: the setting, the value found (nil: none) and what is allowed, as a
// key of allowed and its arguments.
func (v *validator) add(setting string, found any, key string, args ...any) {
	value := ""
	if found != nil {
		value = fmt.Sprint(found)
	}
	v.ps = append(v.ps, Problem{Setting: setting, Value: value, Allowed: fmt.Sprintf(allowed[key], args...),
		Key: key, Args: args, Found: found})
}

func (v *validator) positive(setting string, d Duration) {
	if d <= 0 {
		v.add(setting, d, "positive_duration")
	}
}

func (v *validator) atLeast(setting string, n, lowest int) {
	if n < lowest {
		v.add(setting, n, "int_at_least", lowest)
	}
}

func (v *validator) between(setting string, n, lowest, highest int) {
	if n < lowest || n > highest {
		v.add(setting, n, "int_range", lowest, highest)
	}
}

// Validate checks every setting and reports all problems at once as a *SettingsError, or nil.
func (s Settings) Validate() error {
	v := &validator{}
	for i, r := range s.Disabled {
		if !slices.Contains(AllRuleIDs, r) && r != RuleDataHealth {
			v.add(fmt.Sprintf("disabled[%d]", i), r, "rule_id")
		}
	}
	for i, p := range s.Pipelines {
		if p <= 0 {
			v.add(fmt.Sprintf("pipelines[%d]", i), p, "pipeline_id")
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
		v.add("r1.limit", s.R1.Limit, "working_time_at_most", Duration(7*24*time.Hour))
	}
	if s.R1.EscalateFactor < 1 || s.R1.EscalateFactor > 100 {
		v.add("r1.escalate_factor", s.R1.EscalateFactor, "number_range", 1.0, 100.0)
	}
	if f := s.Escalation.DirectorFactor; f <= s.R1.EscalateFactor || f > 100 {
		v.add("escalation.director_factor", f, "number_range_above", SettingRef("r1.escalate_factor"), s.R1.EscalateFactor, 100.0)
	}
	if d := s.Escalation.RemindEvery.D(); d != 0 && (d < 5*time.Minute || d > 24*time.Hour) {
		v.add("escalation.remind_every", s.Escalation.RemindEvery, "duration_range_or_zero", Duration(5*time.Minute), Duration(24*time.Hour))
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
			v.add(fmt.Sprintf("r10.required[%d].entity", i), f.Entity, "entity")
		}
		if f.Field <= 0 {
			v.add(fmt.Sprintf("r10.required[%d].field", i), f.Field, "field_id")
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
		v.add(setting, fmt.Sprintf("%d/%d", r.PipelineID, r.StatusID), "stage_ref")
	}
}

func (cs CalendarSettings) validate(v *validator) {
	if cs.TimeZone != "" {
		if _, err := time.LoadLocation(cs.TimeZone); err != nil {
			v.add("calendar.time_zone", cs.TimeZone, "time_zone")
		}
	}
	working := 0
	for wd, h := range cs.Week {
		name := fmt.Sprintf("calendar.week.%d", wd) // the JSON path: week is a list by weekday
		switch {
		case h.Start == 0 && h.End == 0:
		case h.Start < 0 || h.End > 24*60 || h.Start >= h.End:
			v.add(name, fmt.Sprintf("%s-%s", h.Start, h.End), "day_hours")
		default:
			working++
		}
	}
	if working == 0 {
		v.add("calendar.week", nil, "working_day")
	}
	if cs.Production != "" {
		if _, ok := productionCalendars[cs.Production]; !ok {
			v.add("calendar.production", cs.Production, "production", productionNames())
		}
	}
	for i, d := range cs.Workdays {
		if slices.Contains(cs.Holidays, d) {
			v.add(fmt.Sprintf("calendar.workdays[%d]", i), d, "not_holiday")
		}
	}
	for i, a := range cs.Absences {
		if a.Manager <= 0 {
			v.add(fmt.Sprintf("calendar.absences[%d].manager", i), a.Manager, "user_id")
		}
		if a.From.IsZero() || a.To.IsZero() || a.To.Before(a.From) {
			v.add(fmt.Sprintf("calendar.absences[%d]", i), fmt.Sprintf("%s..%s", a.From, a.To), "date_range")
		}
	}
}

func (a AttemptSettings) validate(v *validator) {
	v.atLeast("r6.per_day", a.PerDay, 1)
	v.atLeast("r6.first_days", a.FirstDays, 1)
	v.atLeast("r6.total", a.Total, 1)
	v.positive("r6.window", a.Window)
	v.between("r6.distinct_hours", a.DistinctHours, 1, 24)
}

func (t TouchSettings) validate(v *validator) {
	v.positive("r7.real_touch", t.RealTouch)
	v.positive("r7.trouble_min", t.TroubleMin)
	v.positive("r7.trouble_max", t.TroubleMax)
	if t.TroubleMin > 0 && t.TroubleMax > 0 && t.TroubleMin >= t.TroubleMax {
		v.add("r7.trouble_max", t.TroubleMax, "longer_than", SettingRef("r7.trouble_min"), t.TroubleMin)
	}
	v.positive("r7.short_call", t.ShortCall)
	v.atLeast("r7.short_run", t.ShortRun, 2)
	v.positive("r7.review_min", t.ReviewMin)
	v.atLeast("r7.review_sample", t.ReviewSample, 1)
}
