package checks

import (
	"encoding/json"
	"fmt"
	"time"

	"salesguard/amo"
)

// Settings are the rule thresholds and the working calendar of one account. They are kept in
// storage, edited by the admin in the bot, and validated by Validate before use. Every list of
// ids left empty is auto-detected from the account's stage and reason names (autodetect.go).
type Settings struct {
	// Disabled lists the rules that are switched off; all rules are on by default.
	Disabled []RuleID `json:"disabled,omitempty"`
	// Pipelines lists the watched pipelines; empty means every pipeline that is not archived.
	Pipelines []amo.PipelineID `json:"pipelines,omitempty"`
	// Stages says which stages have a special meaning; empty lists are auto-detected.
	Stages StageSettings `json:"stages"`
	// LossReasons says which loss reasons have a special meaning; empty lists are auto-detected.
	LossReasons ReasonSettings `json:"loss_reasons"`
	// Calendar is the working calendar every time-based rule uses.
	Calendar CalendarSettings `json:"calendar"`

	R1 FirstResponseSettings `json:"r1"`
	// Escalation is the ladder above R1's escalation: a director chat and reminders.
	Escalation EscalationSettings `json:"escalation"`
	R4         StageTimeSettings  `json:"r4"`
	R5         LossReasonSettings `json:"r5"`
	R6         AttemptSettings    `json:"r6"`
	R7         TouchSettings      `json:"r7"`
	R8         ResultSettings     `json:"r8"`
	R9         CommentSettings    `json:"r9"`
	R10        FieldSettings      `json:"r10"`
	R11        ForgottenSettings  `json:"r11"`
	R13        AuditSettings      `json:"r13"`
	// Plan configures the morning plan.
	Plan PlanSettings `json:"plan"`
	// Schedule says when the plan, nudge, digest and weekly report go out.
	Schedule ScheduleSettings `json:"schedule"`
}

// StageSettings names stages by (pipeline, status).
type StageSettings struct {
	First      []amo.StatusRef `json:"first,omitempty"`       // incoming / "new lead"
	MissedCall []amo.StatusRef `json:"missed_call,omitempty"` // "Недозвон", "No contesta"
}

// ReasonSettings names loss reasons by id.
type ReasonSettings struct {
	CantReach []amo.LossReasonID `json:"cant_reach,omitempty"` // "Недозвон", "No contesta", "Can't reach"
	Other     []amo.LossReasonID `json:"other,omitempty"`      // "Другое", "Otro", "Other"
}

// CalendarSettings describe working time. Hours are per weekday (time.Sunday = 0); a weekday
// with no hours is a day off.
type CalendarSettings struct {
	TimeZone string `json:"time_zone,omitempty"` // IANA; empty = the account's time zone
	// Week holds the working hours of each weekday, index time.Weekday.
	Week [7]DayHours `json:"week"`
	// Production enables a built-in national production calendar ("RU") on top of Week.
	Production string `json:"production,omitempty"`
	// Holidays are extra days off; Workdays are extra working days (a moved weekend).
	Holidays []Date `json:"holidays,omitempty"`
	Workdays []Date `json:"workdays,omitempty"`
	// Absences are per-manager days off and vacations (inclusive ranges).
	Absences []Absence `json:"absences,omitempty"`
}

// DayHours is a working interval of a day in "HH:MM" local time; zero values mean a day off.
type DayHours struct {
	Start Clock `json:"start,omitzero"`
	End   Clock `json:"end,omitzero"`
}

// UnmarshalJSON replaces the day as a whole: {} is a day off, whatever the day held before
// (decoding onto the defaults would otherwise keep their hours, and an exported day off would
// come back as a working day).
func (d *DayHours) UnmarshalJSON(b []byte) error {
	type plain DayHours
	var v plain
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*d = DayHours(v)
	return nil
}

// Absence is a manager's day off or vacation, both ends inclusive.
type Absence struct {
	Manager amo.UserID `json:"manager"`
	From    Date       `json:"from"`
	To      Date       `json:"to"`
	Note    string     `json:"note,omitempty"`
}

// FirstResponseSettings configure R1.
type FirstResponseSettings struct {
	Limit          Duration `json:"limit"`           // working time; default 15m
	EscalateFactor float64  `json:"escalate_factor"` // escalation at this multiple of Limit; default 2
}

// EscalationSettings configure the escalation ladder (RULES.md R1): the manager is alerted
// at the limit, the heads at R1.EscalateFactor × the limit, and, when DirectorChat is set, that
// chat at DirectorFactor × the limit (all in working time). An escalation nobody acknowledged
// is repeated to the heads every RemindEvery of working time until someone acknowledges it or
// the lead is taken; 0 switches the reminders off.
type EscalationSettings struct {
	// DirectorChat is a Telegram chat id: a group (negative), or the private chat of someone
	// who joined the bot (a director joins as head or admin); 0 = no director step.
	DirectorChat   int64    `json:"director_chat"`
	DirectorFactor float64  `json:"director_factor"` // default 4; more than R1.EscalateFactor
	RemindEvery    Duration `json:"remind_every"`    // working time; default 30m; 0 = none
}

// StageTimeSettings configure R4: explicit limits by stage; stages not listed get a default
// by name (new request 1h, missed call 5d, call back 2d, trial lesson 14d, decision 20d) when
// ByName is on.
type StageTimeSettings struct {
	Limits []StageLimit `json:"limits,omitempty"`
	ByName bool         `json:"by_name"`
}

// StageLimit is the longest a deal may stay in one stage, counted as Time says.
type StageLimit struct {
	Stage amo.StatusRef `json:"stage"`
	Limit Duration      `json:"limit"`
	// Time says whether the limit counts working time or calendar time; empty chooses by the
	// limit (StageTimeAuto).
	Time StageTime `json:"time,omitempty"`
}

// StageTime says how an R4 stage limit counts the time a deal spends in the stage.
type StageTime string

// The ways to count a stage's time. With StageTimeAuto a limit of up to WorkingTimeUpTo counts
// working time (a lead that came at 23:00 is not stale at 09:10 with a 1h limit and a day that
// starts at 09:00) and a longer one calendar time (a 5-day limit means five days).
const (
	StageTimeAuto     StageTime = ""
	StageTimeWorking  StageTime = "working"
	StageTimeCalendar StageTime = "calendar"
)

// UnmarshalJSON accepts the known ways only, so an imported or stored setting cannot hold
// another (Validate has nothing left to check).
func (t *StageTime) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	switch v := StageTime(s); v {
	case StageTimeAuto, StageTimeWorking, StageTimeCalendar:
		*t = v
		return nil
	}
	return fmt.Errorf("stage time %q: want %q, %q or empty (working time for limits up to an hour)", s, StageTimeWorking, StageTimeCalendar)
}

// WorkingTimeUpTo is the longest stage limit that counts working time under StageTimeAuto.
const WorkingTimeUpTo = time.Hour

// Working reports whether a limit counted this way counts working time.
func (t StageTime) Working(limit time.Duration) bool {
	switch t {
	case StageTimeWorking:
		return true
	case StageTimeCalendar:
		return false
	}
	return limit <= WorkingTimeUpTo
}

// LossReasonSettings configure R5.
type LossReasonSettings struct {
	// OtherNoteWithin is how long after closing a note explaining "other" may come; default 24h.
	OtherNoteWithin Duration `json:"other_note_within"`
	// LongCall is a call long enough to contradict "can't reach"; default 60s.
	LongCall Duration `json:"long_call"`
}

// AttemptSettings configure R6 (seed 004, seed 000 rule 7).
type AttemptSettings struct {
	PerDay           int      `json:"per_day"`            // attempts on each of the first days; default 3
	FirstDays        int      `json:"first_days"`         // how many first days PerDay applies to; default 2
	Total            int      `json:"total"`              // attempts within Window; default 15
	Window           Duration `json:"window"`             // default 5 days (120h)
	DistinctHours    int      `json:"distinct_hours"`     // attempts at this many different hours; default 2
	MessageAfterMiss bool     `json:"message_after_miss"` // a chat/e-mail/SMS after the first missed call; default true
}

// TouchSettings configure R7.
type TouchSettings struct {
	RealTouch    Duration `json:"real_touch"`    // a call this long is a real touch; default 30s
	TroubleMin   Duration `json:"trouble_min"`   // telephony-trouble band; default 20s
	TroubleMax   Duration `json:"trouble_max"`   // default 40s
	ShortCall    Duration `json:"short_call"`    // a "very short" call; default 10s
	ShortRun     int      `json:"short_run"`     // this many very short calls in a row to one client = faked activity; default 5
	ReviewMin    Duration `json:"review_min"`    // calls for review are at least this long; default 60s
	ReviewSample int      `json:"review_sample"` // calls per manager per week; default 3
}

// ResultSettings configure R8.
type ResultSettings struct {
	MinLength int      `json:"min_length"` // a result shorter than this (in letters) is trivial; default 5
	Trivial   []string `json:"trivial"`    // results that say nothing ("ок", ".", "+", "позвонил", "done", "listo")
}

// CommentSettings configure R9.
type CommentSettings struct {
	MinCall Duration `json:"min_call"` // default 30s
	Within  Duration `json:"within"`   // default 30m
}

// FieldSettings configure R10. A required field is filled by any non-empty value of any type
// (amo.FieldValue.State); a checkbox as Checkbox says.
type FieldSettings struct {
	Required []RequiredField `json:"required,omitempty"`
	// FromAmo also requires the fields amoCRM marks required for a stage (required_statuses).
	FromAmo bool `json:"from_amo"`
	// Checkbox says when a required checkbox is filled: when checked (CheckboxChecked, also
	// when empty) or when set at all, unchecked included (CheckboxSet). A required field may
	// say otherwise for itself.
	Checkbox CheckboxRule `json:"checkbox,omitempty"`
}

// CheckboxRule says when a required checkbox counts as filled.
type CheckboxRule string

// The checkbox rules: CheckboxDefault defers to the account-wide rule (FieldSettings.Checkbox),
// which is CheckboxChecked when it is empty itself.
const (
	CheckboxDefault CheckboxRule = ""
	CheckboxChecked CheckboxRule = "checked"
	CheckboxSet     CheckboxRule = "set"
)

// UnmarshalJSON accepts the known rules only, so an imported or stored setting cannot hold
// another.
func (r *CheckboxRule) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	switch v := CheckboxRule(s); v {
	case CheckboxDefault, CheckboxChecked, CheckboxSet:
		*r = v
		return nil
	}
	return fmt.Errorf("checkbox rule %q: want %q, %q or empty", s, CheckboxChecked, CheckboxSet)
}

// countsSet reports whether a checkbox under this rule (its field's, else fallback, the
// account-wide one) is filled by any value, unchecked included.
func (r CheckboxRule) countsSet(fallback CheckboxRule) bool {
	if r == CheckboxDefault {
		r = fallback
	}
	return r == CheckboxSet
}

// RequiredField is a deal or contact field required from a stage on (that stage and the later
// ones of its pipeline, by sort order).
type RequiredField struct {
	Entity string        `json:"entity"` // amo.EntityLeads or amo.EntityContacts
	Field  amo.FieldID   `json:"field"`
	From   amo.StatusRef `json:"from"`
	// Checkbox overrides FieldSettings.Checkbox for this field when it is a checkbox.
	Checkbox CheckboxRule `json:"checkbox,omitempty"`
}

// ForgottenSettings configure R11.
type ForgottenSettings struct {
	Days int `json:"days"` // default 30
}

// AuditSettings configure R13.
type AuditSettings struct {
	PerManager int `json:"per_manager"` // default 3
}

// PlanSettings configure the morning plan.
type PlanSettings struct {
	Priority       []amo.StatusRef `json:"priority,omitempty"` // stages first to last; empty = by name
	MinutesPerTask int             `json:"minutes_per_task"`   // default 3
}
