package report

import (
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"
)

// maxFindingRows bounds the findings sheet below Excel's row limit (header and notes aside).
const maxFindingRows = excelize.TotalRows - 4

// writeFindings writes one row per finding behind the table: date, manager, rule and its name,
// the deal (a link to its card) and what was measured against the limit, with an autofilter.
// Links stop at Excel's limit of hyperlinks per sheet (the deal's name stays). When the
// findings do not add up to the table's total (the history no longer holds some), a note says
// so under them.
func writeFindings(s *sheet, v *view) {
	p := s.p
	titles := []string{p.T("report.col.date"), p.T("report.col.manager"), p.T("report.col.rule"),
		p.T("report.col.rule_name"), p.T("report.col.deal"), p.T("report.col.detail")}
	s.header(titles, 30, 0)
	rows := v.findings[:min(len(v.findings), maxFindingRows)]
	deals, details := writeFindingRows(s, v, rows)
	n := 2 + len(rows)
	switch {
	case v.empty() && len(rows) == 0:
		s.note(n)
	case len(rows) == 0:
		s.noteText(n, p.T("report.findings.none"))
	default:
		s.style(1, 2, 1, n-1, s.st.date)
		s.do(func() error { return s.f.AutoFilter(s.name, cellName(1, 1)+":"+cellName(len(titles), n-1), nil) })
		if len(v.findings) != v.totals.Total {
			s.noteText(n+1, p.T("report.findings.mismatch", p.Number(v.totals.Total), p.Number(len(v.findings))))
		}
	}
	s.width(1, 1, 12)
	s.width(2, 2, textWidth(managerNames(v), 16, 40))
	s.width(3, 3, 9)
	s.width(4, 4, 28)
	s.width(5, 5, textWidth(deals, 16, 50))
	s.width(6, 6, textWidth(details, 24, 70))
}

// writeFindingRows writes the findings from row 2 on and returns the deals' names and the
// details written, for the columns' widths.
func writeFindingRows(s *sheet, v *view, rows []FindingRow) (deals, details []string) {
	p := s.p
	for i, fr := range rows {
		n, f := i+2, fr.Finding
		deal := strings.TrimSpace(f.DealName)
		if deal == "" && f.DealID != 0 {
			deal = "#" + strconv.FormatInt(int64(f.DealID), 10)
		}
		detail := Detail(f, p)
		if note := strings.TrimSpace(fr.Note); note != "" {
			detail = strings.TrimSpace(detail + " — " + note)
		}
		s.row(n, []any{fr.Day.In(time.UTC), managerName(v.known, f.ManagerID, p), string(f.Rule), ruleName(f.Rule, p), deal, detail})
		if fr.URL != "" && i < excelize.TotalSheetHyperlinks {
			cell := cellName(5, n)
			s.do(func() error { return s.f.SetCellHyperLink(s.name, cell, fr.URL, "External") })
			s.style(5, n, 5, n, s.st.link)
		}
		deals, details = append(deals, deal), append(details, detail)
	}
	return deals, details
}
