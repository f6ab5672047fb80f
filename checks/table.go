package checks

import (
	"cmp"
	"slices"

	"salesguard/amo"
)

// TableRow is one cell of the daily table of the effective head of sales (RULES.md "The daily
// table"): how many violations of one rule one manager had on one day.
type TableRow struct {
	Day     Date       `json:"day"`
	Manager amo.UserID `json:"manager"`
	Rule    RuleID     `json:"rule"`
	Count   int        `json:"count"`
}

// countsInTable reports whether a finding is a violation for the daily table: warnings count;
// escalations repeat a warning and are left out, as are data-health findings and info findings
// (samples, observations), except R1's "taken late" which is a violation that happened that
// day (counted on the day of its deadline).
func countsInTable(f Finding, day Date) bool {
	switch f.Level {
	case LevelWarning:
		return f.Rule != RuleDataHealth
	case LevelInfo:
		return f.Rule == R1 && f.Kind == KindTakenLate && DateOf(f.Due) == day
	default:
		return false
	}
}

// Table counts the findings of one evaluation per manager and rule, each deal once per rule
// (tasks not on a deal count one each). Rows are sorted by manager, then rule order; zero
// counts are absent.
func Table(fs []Finding, day Date) []TableRow {
	type cell struct {
		m amo.UserID
		r RuleID
	}
	type seenKey struct {
		c       cell
		deal    amo.LeadID
		subject string
	}
	counts := map[cell]int{}
	seen := map[seenKey]bool{}
	for _, f := range fs {
		if !countsInTable(f, day) {
			continue
		}
		c := cell{f.ManagerID, f.Rule}
		k := seenKey{c: c, deal: f.DealID}
		if f.DealID == 0 {
			k.subject = f.Subject()
		}
		if seen[k] {
			continue
		}
		seen[k] = true
		counts[c]++
	}
	rows := make([]TableRow, 0, len(counts))
	for c, n := range counts {
		rows = append(rows, TableRow{Day: day, Manager: c.m, Rule: c.r, Count: n})
	}
	sortRows(rows)
	return rows
}

func sortRows(rows []TableRow) {
	slices.SortFunc(rows, func(a, b TableRow) int {
		return cmp.Or(a.Day.Compare(b.Day), cmp.Compare(a.Manager, b.Manager),
			cmp.Compare(ruleOrder(a.Rule), ruleOrder(b.Rule)))
	})
}

// TableTotals sums table rows over a period.
type TableTotals struct {
	ByManager map[amo.UserID]int `json:"by_manager"`
	ByRule    map[RuleID]int     `json:"by_rule"`
	ByDay     map[Date]int       `json:"by_day"`
	Total     int                `json:"total"`
}

// Totals sums rows per manager, per rule and per day.
func Totals(rows []TableRow) TableTotals {
	t := TableTotals{ByManager: map[amo.UserID]int{}, ByRule: map[RuleID]int{}, ByDay: map[Date]int{}}
	for _, r := range rows {
		t.ByManager[r.Manager] += r.Count
		t.ByRule[r.Rule] += r.Count
		t.ByDay[r.Day] += r.Count
		t.Total += r.Count
	}
	return t
}

// KPIRow is one manager's result for a period: violations and penalty points (violations
// weighted per rule), with the place in the ranking.
type KPIRow struct {
	Manager    amo.UserID `json:"manager"`
	Violations int        `json:"violations"`
	Points     int        `json:"points"`
	// Rank is 1-based; equal points share a place (1, 2, 2, 4).
	Rank int `json:"rank"`
}

// KPI ranks managers over the rows of a period (RULES.md "KPI … for the bonus"; the "hall of
// fame" of the morning meeting): fewest points first, ties by fewer violations, then manager
// id. A rule missing from weights weighs 1; a weight of 0 ignores the rule. Data-health rows
// are ignored.
func KPI(rows []TableRow, weights map[RuleID]int) []KPIRow {
	by := map[amo.UserID]*KPIRow{}
	for _, r := range rows {
		if r.Rule == RuleDataHealth {
			continue
		}
		w, ok := weights[r.Rule]
		if !ok {
			w = 1
		}
		k := by[r.Manager]
		if k == nil {
			k = &KPIRow{Manager: r.Manager}
			by[r.Manager] = k
		}
		k.Violations += r.Count
		k.Points += r.Count * w
	}
	out := make([]KPIRow, 0, len(by))
	for _, k := range by {
		out = append(out, *k)
	}
	slices.SortFunc(out, func(a, b KPIRow) int {
		return cmp.Or(cmp.Compare(a.Points, b.Points), cmp.Compare(a.Violations, b.Violations),
			cmp.Compare(a.Manager, b.Manager))
	})
	for i := range out {
		if i > 0 && out[i].Points == out[i-1].Points {
			out[i].Rank = out[i-1].Rank
		} else {
			out[i].Rank = i + 1
		}
	}
	return out
}

// CallVerdict is a head's verdict on one call of the weekly review sample (R7, shared/RULES.md:
// "3 calls of each manager a week, listened to against the script"), as the table counts it.
// The bot records verdicts; checks only counts them.
type CallVerdict struct {
	Day     Date       `json:"day"` // the local day the call was made
	Manager amo.UserID `json:"manager"`
	NoteID  amo.NoteID `json:"note_id"`
	OK      bool       `json:"ok"`
}

// ReviewTally is one manager's call review over a set of verdicts: the calls the head judged
// and how many of them were not OK.
type ReviewTally struct {
	Manager  amo.UserID `json:"manager"`
	Reviewed int        `json:"reviewed"`
	NotOK    int        `json:"not_ok"`
}

// CallVerdictRows turns call verdicts into table rows: each call judged not OK is one R7
// violation of its manager on the day of the call (as an R13 audit verdict counts on the day
// of its sample). A call judged twice counts once, by its last verdict in vs. Rows are sorted
// like Table's; OK verdicts give none.
func CallVerdictRows(vs []CallVerdict) []TableRow {
	type cell struct {
		day Date
		m   amo.UserID
	}
	counts := map[cell]int{}
	for _, v := range lastVerdicts(vs) {
		if !v.OK {
			counts[cell{v.Day, v.Manager}]++
		}
	}
	rows := make([]TableRow, 0, len(counts))
	for c, n := range counts {
		rows = append(rows, TableRow{Day: c.day, Manager: c.m, Rule: R7, Count: n})
	}
	sortRows(rows)
	return rows
}

// ReviewTallies counts the calls judged and judged not OK per manager, ordered by manager id;
// a call judged twice counts once, by its last verdict in vs.
func ReviewTallies(vs []CallVerdict) []ReviewTally {
	by := map[amo.UserID]*ReviewTally{}
	for _, v := range lastVerdicts(vs) {
		t := by[v.Manager]
		if t == nil {
			t = &ReviewTally{Manager: v.Manager}
			by[v.Manager] = t
		}
		t.Reviewed++
		if !v.OK {
			t.NotOK++
		}
	}
	out := make([]ReviewTally, 0, len(by))
	for _, t := range by {
		out = append(out, *t)
	}
	slices.SortFunc(out, func(a, b ReviewTally) int { return cmp.Compare(a.Manager, b.Manager) })
	return out
}

// lastVerdicts keeps the last verdict on each call (by note id), in the order of vs.
func lastVerdicts(vs []CallVerdict) []CallVerdict {
	return LastByNote(vs, func(v *CallVerdict) amo.NoteID { return v.NoteID })
}

// LastByNote keeps the last of vs on each call, by the note id note reads, in the order of vs:
// a call judged again counts by its last verdict.
func LastByNote[V any](vs []V, note func(*V) amo.NoteID) []V {
	last := make(map[amo.NoteID]int, len(vs))
	for i := range vs {
		last[note(&vs[i])] = i
	}
	out := make([]V, 0, len(last))
	for i := range vs {
		if last[note(&vs[i])] == i {
			out = append(out, vs[i])
		}
	}
	return out
}
