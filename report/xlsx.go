package report

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"salesguard/locales"
)

// XLSX renders the table as a workbook with four sheets, each a view of the same period:
// "by manager" (manager × rule totals, total and KPI points, in KPI rank order), "by day"
// (day × manager totals), "detail" (one row per day, manager and rule) and "findings" (one
// row per violation behind the counts, Table.Findings, with a link to its deal). Headers are
// frozen and localised, counts are numbers and days are dates formatted in the printer's
// layout.
func XLSX(t Table, p *locales.Printer) ([]byte, error) {
	v, err := newView(t, p)
	if err != nil {
		return nil, err
	}
	f := excelize.NewFile()
	defer func() { _ = f.Close() }() // in-memory file: Close only drops temp state
	st, err := newStyles(f, p)
	if err != nil {
		return nil, err
	}
	names := SheetNames(p)
	if err := f.SetSheetName(f.GetSheetName(0), names[0]); err != nil {
		return nil, fmt.Errorf("name sheet %q: %w", names[0], err)
	}
	for _, n := range names[1:] {
		if _, err := f.NewSheet(n); err != nil {
			return nil, fmt.Errorf("add sheet %q: %w", n, err)
		}
	}
	writers := []func(*sheet, *view){writeByManager, writeByDay, writeDetail, writeFindings}
	for i, write := range writers {
		s := &sheet{f: f, name: names[i], st: st, p: p}
		write(s, v)
		if s.err != nil {
			return nil, fmt.Errorf("sheet %q: %w", names[i], s.err)
		}
	}
	from, to := v.periodText(p)
	props := &excelize.DocProperties{Title: p.T("report.title", from, to), Creator: "SalesGuard", Language: p.Lang()}
	if err := f.SetDocProps(props); err != nil {
		return nil, fmt.Errorf("set document properties: %w", err)
	}
	f.SetActiveSheet(0)
	buf, err := f.WriteToBuffer()
	if err != nil {
		return nil, fmt.Errorf("write workbook: %w", err)
	}
	return buf.Bytes(), nil
}

// SheetNames returns the localised names of the workbook's sheets, in order (by manager, by
// day, detail, findings), made valid for Excel: no []:*?/\, no leading or trailing apostrophe, at most
// 31 characters, unique regardless of case.
func SheetNames(p *locales.Printer) []string {
	keys := []string{"report.sheet.by_manager", "report.sheet.by_day", "report.sheet.detail", "report.sheet.findings"}
	out := make([]string, 0, len(keys))
	seen := map[string]bool{}
	for i, k := range keys {
		n := sheetName(p.T(k))
		if n == "" {
			n = fmt.Sprintf("Sheet%d", i+1)
		}
		for j := 2; seen[strings.ToLower(n)]; j++ {
			suffix := fmt.Sprintf(" (%d)", j)
			n = truncateRunes(sheetName(p.T(k)), maxSheetName-len(suffix)) + suffix
		}
		seen[strings.ToLower(n)] = true
		out = append(out, n)
	}
	return out
}

const maxSheetName = 31

// sheetName strips the characters Excel forbids in a sheet name and cuts it to 31 runes.
func sheetName(s string) string {
	s = strings.Map(func(r rune) rune {
		if strings.ContainsRune(`[]:*?/\`, r) || r < ' ' {
			return -1
		}
		return r
	}, s)
	s = strings.TrimSpace(strings.Trim(truncateRunes(strings.TrimSpace(s), maxSheetName), "'"))
	return s
}

// truncateRunes cuts s to at most n runes.
func truncateRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n])
}

// styles are the workbook's cell style ids.
type styles struct {
	header, date, count, total, totalLabel, note, link int
}

func newStyles(f *excelize.File, p *locales.Printer) (styles, error) {
	var st styles
	border := []excelize.Border{{Type: "bottom", Color: "808080", Style: 1}}
	dateFmt := excelDateFormat(p.T("fmt.layout.date"))
	defs := []struct {
		id *int
		s  excelize.Style
	}{
		{&st.header, excelize.Style{Font: &excelize.Font{Bold: true}, Border: border,
			Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"E7E6E6"}},
			Alignment: &excelize.Alignment{WrapText: true, Vertical: "center", Horizontal: "center"}}},
		{&st.date, excelize.Style{CustomNumFmt: &dateFmt, Alignment: &excelize.Alignment{Horizontal: "left"}}},
		{&st.count, excelize.Style{NumFmt: 1}},
		{&st.total, excelize.Style{NumFmt: 1, Font: &excelize.Font{Bold: true}}},
		{&st.totalLabel, excelize.Style{Font: &excelize.Font{Bold: true}}},
		{&st.note, excelize.Style{Font: &excelize.Font{Italic: true, Color: "606060"}}},
		{&st.link, excelize.Style{Font: &excelize.Font{Underline: "single", Color: "0563C1"}}},
	}
	for _, d := range defs {
		id, err := f.NewStyle(&d.s)
		if err != nil {
			return st, fmt.Errorf("add style: %w", err)
		}
		*d.id = id
	}
	return st, nil
}

// excelDateFormat converts a Go date layout ("02.01.2006", "Jan 2, 2006") to an Excel number
// format ("dd\.mm\.yyyy", "mmm d\, yyyy"); literal characters are escaped so Excel does not
// swap in the viewer's own separators. A layout with anything else gives ISO "yyyy-mm-dd".
func excelDateFormat(layout string) string {
	tokens := []struct{ goTok, xl string }{
		{"2006", "yyyy"}, {"January", "mmmm"}, {"Jan", "mmm"}, {"01", "mm"}, {"02", "dd"}, {"_2", "d"}, {"1", "m"}, {"2", "d"},
	}
	var b strings.Builder
next:
	for rest := layout; rest != ""; {
		for _, t := range tokens {
			if strings.HasPrefix(rest, t.goTok) {
				b.WriteString(t.xl)
				rest = rest[len(t.goTok):]
				continue next
			}
		}
		r, size := utf8.DecodeRuneInString(rest)
		switch {
		case r == ' ':
			b.WriteRune(r)
		case strings.ContainsRune(".,/-", r):
			b.WriteString(`\` + string(r))
		default:
			return `yyyy\-mm\-dd`
		}
		rest = rest[size:]
	}
	return b.String()
}

// sheet writes cells to one worksheet and keeps the first error, so the view writers read
// as a list of rows.
type sheet struct {
	f    *excelize.File
	name string
	st   styles
	p    *locales.Printer
	err  error
}

// row writes values from column 1 of a row (1-based).
func (s *sheet) row(n int, values []any) {
	s.do(func() error { return s.f.SetSheetRow(s.name, cellName(1, n), &values) })
}

// style applies a style to the rectangle from (col1, row1) to (col2, row2), 1-based.
func (s *sheet) style(col1, row1, col2, row2, id int) {
	s.do(func() error { return s.f.SetCellStyle(s.name, cellName(col1, row1), cellName(col2, row2), id) })
}

// width sets the width of columns col1..col2 (1-based), in characters.
func (s *sheet) width(col1, col2 int, w float64) {
	s.do(func() error { return s.f.SetColWidth(s.name, colName(col1), colName(col2), w) })
}

// header writes the header row, styles it, sets its height and freezes it together with the
// first cols columns.
func (s *sheet) header(titles []string, height float64, cols int) {
	s.row(1, strings2any(titles))
	s.style(1, 1, len(titles), 1, s.st.header)
	s.do(func() error { return s.f.SetRowHeight(s.name, 1, height) })
	pane := "bottomLeft"
	if cols > 0 {
		pane = "bottomRight"
	}
	s.do(func() error {
		return s.f.SetPanes(s.name, &excelize.Panes{Freeze: true, XSplit: cols, YSplit: 1,
			TopLeftCell: cellName(cols+1, 2), ActivePane: pane})
	})
}

// note writes the "no data" note in column 1 of a row.
func (s *sheet) note(n int) { s.noteText(n, s.p.T("report.no_data")) }

// noteText writes a note in column 1 of a row.
func (s *sheet) noteText(n int, text string) {
	s.row(n, []any{text})
	s.style(1, n, 1, n, s.st.note)
}

func (s *sheet) do(fn func() error) {
	if s.err == nil {
		s.err = fn()
	}
}

func cellName(col, row int) string {
	name, _ := excelize.CoordinatesToCellName(col, row) // valid for every col, row ≥ 1 we pass
	return name
}

func colName(col int) string {
	name, _ := excelize.ColumnNumberToName(col) // valid for every col ≥ 1 we pass
	return name
}

func strings2any(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

// textWidth is a column width that fits the longest text, within [lo, hi] characters.
func textWidth(texts []string, lo, hi float64) float64 {
	w := lo
	for _, t := range texts {
		w = max(w, float64(utf8.RuneCountInString(t))+2)
	}
	return min(w, hi)
}
