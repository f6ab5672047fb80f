package report

import (
	"cmp"
	"math"
	"slices"
	"strconv"
	"time"

	"salesguard/amo"
	"salesguard/checks"
)

// FindingRow is one finding behind the daily table: one violation counted on a day, with the
// link to its deal's card. The "findings" sheet has one row per FindingRow.
type FindingRow struct {
	Day     checks.Date
	Finding checks.Finding
	// URL is the deal's card in amoCRM ("" when unknown: the cell is then plain text).
	URL string
	// Note is free text shown after the detail, e.g. the comment of an audit verdict.
	Note string
}

// Counted returns the findings checks.Table counts on a day, one per counted violation (a
// deal once per manager and rule, a task on no deal once), in checks.SortFindings order: for
// each manager and rule, as many findings as checks.Table(fs, day) counts in that cell. Of
// several findings of one deal and rule (R3's tasks, R6's criteria) the first in that order
// stands for them.
func Counted(fs []checks.Finding, day checks.Date) []checks.Finding {
	type unit struct {
		m       amo.UserID
		r       checks.RuleID
		deal    amo.LeadID
		subject string
	}
	sorted := slices.Clone(fs)
	checks.SortFindings(sorted)
	seen := map[unit]bool{}
	out := sorted[:0]
	for i := range sorted {
		f := &sorted[i]
		// Which findings count is checks' rule (countsInTable, unexported): asking Table about
		// the finding alone keeps it in one place.
		if len(checks.Table(sorted[i:i+1], day)) == 0 {
			continue
		}
		u := unit{m: f.ManagerID, r: f.Rule, deal: f.DealID}
		if f.DealID == 0 {
			u.subject = f.Subject()
		}
		if seen[u] {
			continue
		}
		seen[u] = true
		out = append(out, *f)
	}
	return out
}

// DetailPrinter is what Detail needs of a printer: *locales.Printer has it, and so does the
// bot's printer.
type DetailPrinter interface {
	Has(key string) bool
	N(key string, n int, args ...any) string
	Duration(d time.Duration) string
	Number(n int) string
}

// Detail says in a few words what a finding measured against its limit, in the printer's
// language ("waiting 25 min, limit 15 min", "4 call attempts, at least 15 required"), from the
// catalog entries "drill.detail.<rule>.<kind>", else "drill.detail.<rule>", else a generic
// "value, limit". Each entry gets the value as a whole number (argument 1, for plurals), the
// value with its unit (2) and the limit with its unit (3). The text is plain: escape it for
// HTML.
func Detail(f checks.Finding, p DetailPrinter) string {
	val, lim := quantity(p, f.Value, f.Unit), quantity(p, f.Limit, f.Unit)
	n := int(math.Round(f.Value))
	keys := []string{"drill.detail." + string(f.Rule)}
	if f.Kind != "" {
		keys = []string{keys[0] + "." + f.Kind, keys[0]}
	}
	for _, key := range keys {
		if p.Has(key) {
			return p.N(key, n, val, lim)
		}
	}
	switch {
	case f.Unit == checks.UnitNone:
		return ""
	case f.Limit > 0:
		return p.N("drill.detail.value_limit", n, val, lim)
	}
	return p.N("drill.detail.value", n, val, lim)
}

// quantity writes a finding's Value or Limit in its unit: a span for the time units ("1 h 5
// min", "45 s"), a whole number otherwise.
func quantity(p DetailPrinter, v float64, u checks.Unit) string {
	per := map[checks.Unit]time.Duration{checks.UnitSeconds: time.Second, checks.UnitMinutes: time.Minute,
		checks.UnitHours: time.Hour, checks.UnitDays: 24 * time.Hour}[u]
	switch {
	case per > 0:
		return p.Duration(time.Duration(v * float64(per)))
	case v == math.Trunc(v) && math.Abs(v) < 1e15:
		return p.Number(int(v))
	}
	return strconv.FormatFloat(v, 'f', 1, 64)
}

// sortFindingRows orders the rows of the findings sheet: by day, manager (the view's order),
// rule order and deal.
func (v *view) sortFindingRows(rows []FindingRow) {
	mpos := make(map[amo.UserID]int, len(v.managers))
	for i, m := range v.managers {
		mpos[m] = i
	}
	slices.SortStableFunc(rows, func(a, b FindingRow) int {
		return cmp.Or(a.Day.Compare(b.Day), cmp.Compare(mpos[a.Finding.ManagerID], mpos[b.Finding.ManagerID]),
			compareRules(a.Finding.Rule, b.Finding.Rule), cmp.Compare(a.Finding.DealID, b.Finding.DealID))
	})
}
