package checks

import (
	"cmp"
	"fmt"
	"slices"
	"time"

	"salesguard/amo"
)

// RuleID names a rule of shared/RULES.md.
type RuleID string

// The rules, in the order of shared/RULES.md. RuleDataHealth is not a discipline rule: it reports
// that the CRM data needed by other rules is missing (e.g. no call notes at all).
const (
	R1             RuleID = "R1"  // new leads taken within 15 working minutes
	R2             RuleID = "R2"  // no open deal without a task
	R3             RuleID = "R3"  // no overdue tasks
	R4             RuleID = "R4"  // not too long in a stage
	R5             RuleID = "R5"  // lost deals carry a concrete loss reason
	R6             RuleID = "R6"  // enough attempts before closing as unreachable
	R7             RuleID = "R7"  // real touches, call review
	R8             RuleID = "R8"  // tasks closed with a result
	R9             RuleID = "R9"  // a comment after every conversation
	R10            RuleID = "R10" // key fields are filled
	R11            RuleID = "R11" // no forgotten clients
	R12            RuleID = "R12" // zero unsorted leads at the end of the day
	R13            RuleID = "R13" // the daily audit sample
	RuleDataHealth RuleID = "DATA"
)

// AllRuleIDs lists the discipline rules in order.
var AllRuleIDs = []RuleID{R1, R2, R3, R4, R5, R6, R7, R8, R9, R10, R11, R12, R13}

// Level says who a finding is for.
type Level string

// Levels: a warning goes to the responsible manager, an escalation to the head, info is
// reported (tables, digests, samples) but is not an alert, and data-health goes to the admin.
const (
	LevelWarning    Level = "warning"
	LevelEscalation Level = "escalation"
	LevelInfo       Level = "info"
	LevelDataHealth Level = "data_health"
)

// Unit says how to read a finding's Value and Limit.
type Unit string

// Units of Value and Limit.
const (
	UnitNone    Unit = ""
	UnitMinutes Unit = "minutes" // working minutes
	UnitSeconds Unit = "seconds"
	UnitHours   Unit = "hours"
	UnitDays    Unit = "days"
	UnitCount   Unit = "count"
)

// Finding is one violation (or observation) found by a rule. It carries data, not text:
// rendering belongs to the bot and the locales.
type Finding struct {
	Rule      RuleID        `json:"rule"`
	Level     Level         `json:"level"`
	AccountID amo.AccountID `json:"account_id"`
	DealID    amo.LeadID    `json:"deal_id"`
	ManagerID amo.UserID    `json:"manager_id"`
	// Due is when the finding became due (e.g. the R1 deadline, the task's complete_till).
	Due time.Time `json:"due"`
	// Value is what was measured and Limit what was allowed, both in Unit.
	Value float64 `json:"value"`
	Limit float64 `json:"limit"`
	Unit  Unit    `json:"unit,omitempty"`
	// Subject distinguishes several findings of one rule on one deal (a task id, a note id);
	// empty when the rule yields at most one finding per deal and level.
	Subject string `json:"subject,omitempty"`
	// Kind refines the rule (e.g. R5 "no_reason" / "other_without_note" / "cant_reach_with_long_call").
	Kind string `json:"kind,omitempty"`
	// Args are extra values a message needs (deal name, stage name, task text, recording link).
	Args map[string]string `json:"args,omitempty"`
}

// Key identifies a finding for de-duplication: an alert is sent once per key.
func (f Finding) Key() string {
	k := fmt.Sprintf("%d/%s/%d/%s", f.AccountID, f.Rule, f.DealID, f.Level)
	if f.Kind != "" {
		k += "/" + f.Kind
	}
	if f.Subject != "" {
		k += "/" + f.Subject
	}
	return k
}

// SortFindings orders findings deterministically: by rule (in rulebook order), manager, deal,
// level, kind and subject.
func SortFindings(fs []Finding) {
	slices.SortFunc(fs, func(a, b Finding) int {
		if a.Rule != b.Rule {
			return cmp.Compare(ruleOrder(a.Rule), ruleOrder(b.Rule))
		}
		return compareWithinRule(&a, &b) // the rest of the key, compared lazily
	})
}

// addFinding appends f to fs, doubling the capacity when full: append grows big slices by a
// quarter, which for a rule's many findings means several times the copying and garbage.
func addFinding(fs []Finding, f Finding) []Finding {
	if len(fs) == cap(fs) {
		fs = slices.Grow(fs, max(len(fs), 16))
	}
	return append(fs, f)
}

func ruleOrder(r RuleID) int {
	if i := slices.Index(AllRuleIDs, r); i >= 0 {
		return i
	}
	return len(AllRuleIDs)
}
