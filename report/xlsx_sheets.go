package report

import (
	"time"
)

// writeByManager writes manager × rule totals for the period, the manager's total and KPI
// points, one manager a row in KPI rank order (checks.KPI), then a total row.
func writeByManager(s *sheet, v *view) {
	p := s.p
	titles := []string{p.T("report.col.rank"), p.T("report.col.manager")}
	for _, r := range v.rules {
		titles = append(titles, p.T("report.col.rule_column", string(r), ruleName(r, p)))
	}
	titles = append(titles, p.T("report.col.total"), p.T("report.col.points"))
	last := len(titles)
	s.header(titles, 60, 2)
	n, points := 2, 0
	for _, k := range v.kpi {
		vals := []any{k.Rank, v.names[k.Manager]}
		for _, r := range v.rules {
			vals = append(vals, v.byCell[cellKey{k.Manager, r}])
		}
		s.row(n, append(vals, v.totals.ByManager[k.Manager], k.Points))
		points += k.Points
		n++
	}
	s.style(3, 2, last, n-1, s.st.count)
	totals := []any{nil, p.T("report.col.total")}
	for _, r := range v.rules {
		totals = append(totals, v.totals.ByRule[r])
	}
	s.row(n, append(totals, v.totals.Total, points))
	s.style(2, n, 2, n, s.st.totalLabel)
	s.style(3, n, last, n, s.st.total)
	if v.empty() {
		s.note(n + 2)
	}
	s.width(1, 1, 8)
	s.width(2, 2, textWidth(managerNames(v), 16, 40))
	s.width(3, last-2, 14)
	s.width(last-1, last, 10)
}

// writeByDay writes one row per day of the period with each manager's violations that day
// and the day's total, then a total row.
func writeByDay(s *sheet, v *view) {
	p := s.p
	titles := []string{p.T("report.col.date")}
	titles = append(titles, managerNames(v)...)
	titles = append(titles, p.T("report.col.total"))
	last := len(titles)
	s.header(titles, 45, 1)
	n := 2
	for _, d := range v.days {
		vals := []any{d.In(time.UTC)}
		for _, m := range v.managers {
			vals = append(vals, v.byDay[dayKey{d, m}])
		}
		s.row(n, append(vals, v.totals.ByDay[d]))
		n++
	}
	if n > 2 {
		s.style(1, 2, 1, n-1, s.st.date)
		s.style(2, 2, last, n-1, s.st.count)
	}
	totals := []any{p.T("report.col.total")}
	for _, m := range v.managers {
		totals = append(totals, v.totals.ByManager[m])
	}
	s.row(n, append(totals, v.totals.Total))
	s.style(1, n, 1, n, s.st.totalLabel)
	s.style(2, n, last, n, s.st.total)
	if v.empty() {
		s.note(n + 2)
	}
	s.width(1, 1, textWidth([]string{p.Date(time.Date(2026, 12, 30, 0, 0, 0, 0, time.UTC))}, 12, 20))
	s.width(2, last, 14)
}

// writeDetail writes one row per day, manager and rule with a count, with an autofilter.
func writeDetail(s *sheet, v *view) {
	p := s.p
	titles := []string{p.T("report.col.date"), p.T("report.col.manager"), p.T("report.col.rule"),
		p.T("report.col.rule_name"), p.T("report.col.count")}
	s.header(titles, 30, 0)
	ruleNames := make([]string, 0, len(v.rules))
	for _, r := range v.rules {
		ruleNames = append(ruleNames, ruleName(r, p))
	}
	n := 2
	for _, r := range v.rows {
		s.row(n, []any{r.Day.In(time.UTC), v.names[r.Manager], string(r.Rule), ruleName(r.Rule, p), r.Count})
		n++
	}
	if v.empty() {
		s.note(n)
	} else {
		s.style(1, 2, 1, n-1, s.st.date)
		s.style(5, 2, 5, n-1, s.st.count)
		s.do(func() error { return s.f.AutoFilter(s.name, cellName(1, 1)+":"+cellName(5, n-1), nil) })
	}
	s.width(1, 1, 12)
	s.width(2, 2, textWidth(managerNames(v), 16, 40))
	s.width(3, 3, 9)
	s.width(4, 4, textWidth(ruleNames, 20, 60))
	s.width(5, 5, 14)
}

// managerNames lists the managers' display names in the view's manager order.
func managerNames(v *view) []string {
	out := make([]string, 0, len(v.managers))
	for _, m := range v.managers {
		out = append(out, v.names[m])
	}
	return out
}
