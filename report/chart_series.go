package report

import (
	"cmp"
	"slices"

	"salesguard/amo"
	"salesguard/checks"
	"salesguard/locales"
)

// ChartBy says what one line of the chart stands for.
type ChartBy int

const (
	// ByManager draws one line per manager: that manager's violations each day.
	ByManager ChartBy = iota
	// ByRule draws one line per rule: the violations of that rule each day, all managers.
	ByRule
)

// String returns "manager" or "rule".
func (b ChartBy) String() string {
	if b == ByRule {
		return "rule"
	}
	return "manager"
}

// ChartTopN is how many managers (or rules) get a line of their own; the rest are added up
// into one "others" line, so the chart stays readable for a large team.
const ChartTopN = 8

// series is one line of the chart: a name and a value per day of the period.
type series struct {
	name   string
	values []float64
	total  int
	others bool
}

// chartSeries returns the lines to draw, biggest total first, then "others" if any: the
// average of the rest per day, so it stays on the scale of one person (or rule) instead of
// dwarfing the named lines. Managers or rules with no violations get no line.
func chartSeries(v *view, p *locales.Printer, by ChartBy) []series {
	dayIndex := make(map[checks.Date]int, len(v.days))
	for i, d := range v.days {
		dayIndex[d] = i
	}
	var all []series
	if by == ByRule {
		all = ruleSeries(v, p, dayIndex)
	} else {
		all = managerSeries(v, dayIndex)
	}
	all = slices.DeleteFunc(all, func(s series) bool { return s.total == 0 })
	// Stable: equal totals keep the view's order (manager name, rule order).
	slices.SortStableFunc(all, func(a, b series) int { return cmp.Compare(b.total, a.total) })
	if len(all) <= ChartTopN+1 {
		return all
	}
	rest := all[ChartTopN:]
	others := series{name: p.T("report.chart.others", p.Number(len(rest))), values: make([]float64, len(v.days)), others: true}
	for _, s := range rest {
		for i, x := range s.values {
			others.values[i] += x
		}
		others.total += s.total
	}
	for i := range others.values {
		others.values[i] /= float64(len(rest))
	}
	return append(all[:ChartTopN:ChartTopN], others)
}

func managerSeries(v *view, dayIndex map[checks.Date]int) []series {
	pos := make(map[amo.UserID]int, len(v.managers))
	out := make([]series, len(v.managers))
	for i, m := range v.managers {
		pos[m] = i
		out[i] = series{name: v.names[m], values: make([]float64, len(v.days))}
	}
	for _, r := range v.rows {
		s := &out[pos[r.Manager]]
		s.values[dayIndex[r.Day]] += float64(r.Count)
		s.total += r.Count
	}
	return out
}

func ruleSeries(v *view, p *locales.Printer, dayIndex map[checks.Date]int) []series {
	pos := make(map[checks.RuleID]int, len(v.rules))
	out := make([]series, len(v.rules))
	for i, r := range v.rules {
		pos[r] = i
		out[i] = series{name: p.T("report.col.rule_column", string(r), ruleName(r, p)), values: make([]float64, len(v.days))}
	}
	for _, r := range v.rows {
		s := &out[pos[r.Rule]]
		s.values[dayIndex[r.Day]] += float64(r.Count)
		s.total += r.Count
	}
	return out
}
