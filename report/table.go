package report

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"salesguard/amo"
	"salesguard/checks"
	"salesguard/locales"
)

// MaxPeriodDays bounds the period of a Table (three years), so a wrong date cannot make a
// report with millions of rows.
const MaxPeriodDays = 3 * 366

// Table is the input of every export: the rows of the daily table for a period, with the
// managers' display names and the KPI weights.
type Table struct {
	// From and To bound the period, both days included. A zero From or To is taken from the
	// earliest or latest row. Rows outside the period are left out.
	From, To checks.Date
	// Rows are the daily table cells (checks.Table, storage's stored table). Rows with a count
	// of zero or less are ignored; repeated (day, manager, rule) rows are added up.
	Rows []checks.TableRow
	// Managers names the managers. A manager named here with no rows still appears (with
	// zeros) on the "by manager" and "by day" views; a manager with rows but no name is shown
	// as "Manager #<id>".
	Managers map[amo.UserID]string
	// Weights are the KPI penalty points per violation of a rule (checks.KPI): a rule missing
	// here weighs 1, a weight of 0 ignores the rule. Nil weighs every rule 1.
	Weights map[checks.RuleID]int
	// Findings are the violations behind Rows, one row each on the "findings" sheet: per day
	// the findings Counted from what the table was counted from (storage.TableFindings, a live
	// evaluation), plus anything else the rows count (audit verdicts). Findings outside the
	// period are left out.
	Findings []FindingRow
}

// cellKey addresses one manager × rule total.
type cellKey struct {
	m amo.UserID
	r checks.RuleID
}

// dayKey addresses one day × manager total.
type dayKey struct {
	d checks.Date
	m amo.UserID
}

// view is a Table prepared for rendering: sorted, merged, totalled and named.
type view struct {
	from, to checks.Date
	days     []checks.Date   // every day of the period, in order
	rules    []checks.RuleID // checks.AllRuleIDs, then any other rule found in rows
	managers []amo.UserID    // in display-name order
	names    map[amo.UserID]string
	rows     []checks.TableRow // merged; by day, manager (name order), rule order
	byCell   map[cellKey]int
	byDay    map[dayKey]int
	totals   checks.TableTotals
	kpi      []checks.KPIRow       // checks.KPI order, including managers with no rows
	findings []FindingRow          // in the period; by day, manager, rule order and deal
	known    map[amo.UserID]string // Table.Managers, to name the managers of findings
}

func (v *view) empty() bool { return len(v.rows) == 0 }

// newView validates and prepares t; p names unnamed managers.
func newView(t Table, p *locales.Printer) (*view, error) {
	from, to := period(t)
	if !from.IsZero() && to.Before(from) {
		return nil, fmt.Errorf("period %s – %s: end is before start", from, to)
	}
	if !from.IsZero() && from.Before(to.AddDays(-MaxPeriodDays+1)) {
		return nil, fmt.Errorf("period %s – %s: longer than %d days", from, to, MaxPeriodDays)
	}
	v := &view{from: from, to: to, names: map[amo.UserID]string{}, byCell: map[cellKey]int{}, byDay: map[dayKey]int{},
		known: t.Managers}
	for d := from; !from.IsZero() && !to.Before(d); d = d.AddDays(1) {
		v.days = append(v.days, d)
	}
	merged := map[checks.TableRow]int{} // keyed with Count 0
	for _, r := range t.Rows {
		if r.Count <= 0 || r.Day.Before(from) || to.Before(r.Day) {
			continue
		}
		merged[checks.TableRow{Day: r.Day, Manager: r.Manager, Rule: r.Rule}] += r.Count
	}
	for k, n := range merged {
		k.Count = n
		v.rows = append(v.rows, k)
		v.names[k.Manager] = ""
		v.byCell[cellKey{k.Manager, k.Rule}] += n
		v.byDay[dayKey{k.Day, k.Manager}] += n
	}
	for m := range t.Managers {
		v.names[m] = ""
	}
	for _, f := range t.Findings {
		if !f.Day.Before(from) && !to.Before(f.Day) {
			v.findings = append(v.findings, f)
		}
	}
	for m := range v.names {
		v.names[m] = managerName(t.Managers, m, p)
		v.managers = append(v.managers, m)
	}
	slices.SortFunc(v.managers, v.compareManagers)
	v.rules = rulesOf(v.rows)
	v.sortRows()
	v.totals = checks.Totals(v.rows)
	v.kpi = kpi(v.rows, v.managers, t.Weights)
	v.sortFindingRows(v.findings)
	return v, nil
}

// sortRows orders rows by day, manager (display-name order) and rule order. Positions are
// looked up once: comparing names inside the sort made a month's table take 100 ms.
func (v *view) sortRows() {
	mpos := make(map[amo.UserID]int, len(v.managers))
	for i, m := range v.managers {
		mpos[m] = i
	}
	rpos := make(map[checks.RuleID]int, len(v.rules))
	for i, r := range v.rules {
		rpos[r] = i
	}
	slices.SortFunc(v.rows, func(a, b checks.TableRow) int {
		return cmp.Or(cmp.Compare(a.Day.Year, b.Day.Year), cmp.Compare(a.Day.Month, b.Day.Month),
			cmp.Compare(a.Day.Day, b.Day.Day), cmp.Compare(mpos[a.Manager], mpos[b.Manager]),
			cmp.Compare(rpos[a.Rule], rpos[b.Rule]))
	})
}

// period returns the effective bounds: the Table's, or the rows' extremes where unset.
func period(t Table) (from, to checks.Date) {
	from, to = t.From, t.To
	for _, r := range t.Rows {
		if r.Count <= 0 {
			continue
		}
		if t.From.IsZero() && (from.IsZero() || r.Day.Before(from)) {
			from = r.Day
		}
		if t.To.IsZero() && (to.IsZero() || to.Before(r.Day)) {
			to = r.Day
		}
	}
	if from.IsZero() {
		from = to
	}
	if to.IsZero() {
		to = from
	}
	return from, to
}

// kpi ranks every manager of the view with checks.KPI; a manager with no rows is fed as one
// zero row so it is ranked (with zero points) by the same rule.
func kpi(rows []checks.TableRow, managers []amo.UserID, weights map[checks.RuleID]int) []checks.KPIRow {
	all := slices.Clone(rows)
	for _, m := range managers {
		all = append(all, checks.TableRow{Manager: m, Rule: checks.AllRuleIDs[0]})
	}
	return checks.KPI(all, weights)
}

// compareManagers orders managers by display name (case-insensitively), then id.
func (v *view) compareManagers(a, b amo.UserID) int {
	return cmp.Or(cmp.Compare(strings.ToLower(v.names[a]), strings.ToLower(v.names[b])),
		cmp.Compare(v.names[a], v.names[b]), cmp.Compare(a, b))
}

// rulesOf returns checks.AllRuleIDs followed by any other rule present in rows, sorted.
func rulesOf(rows []checks.TableRow) []checks.RuleID {
	rules := slices.Clone(checks.AllRuleIDs)
	for _, r := range rows {
		if !slices.Contains(rules, r.Rule) {
			rules = append(rules, r.Rule)
		}
	}
	slices.SortFunc(rules, compareRules)
	return rules
}

// compareRules orders the discipline rules as checks.AllRuleIDs, then anything else by id.
func compareRules(a, b checks.RuleID) int {
	ia, ib := slices.Index(checks.AllRuleIDs, a), slices.Index(checks.AllRuleIDs, b)
	if ia < 0 {
		ia = len(checks.AllRuleIDs)
	}
	if ib < 0 {
		ib = len(checks.AllRuleIDs)
	}
	return cmp.Or(cmp.Compare(ia, ib), cmp.Compare(a, b))
}

// managerName returns the manager's display name, or "Manager #<id>" when it has none.
func managerName(names map[amo.UserID]string, m amo.UserID, p *locales.Printer) string {
	if n := strings.TrimSpace(names[m]); n != "" {
		return n
	}
	return p.T("report.manager.unknown", strconv.FormatInt(int64(m), 10))
}

// ruleName returns the catalog name of a rule, or its id when the catalog has none.
func ruleName(r checks.RuleID, p *locales.Printer) string {
	if key := "rule." + string(r) + ".name"; p.Has(key) {
		return p.T(key)
	}
	return string(r)
}

// periodText formats the period for titles with the locale's date layout.
func (v *view) periodText(p *locales.Printer) (string, string) {
	if v.from.IsZero() {
		return "—", "—"
	}
	return p.Date(v.from.In(time.UTC)), p.Date(v.to.In(time.UTC))
}
