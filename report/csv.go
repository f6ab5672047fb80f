package report

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"salesguard/locales"
)

// utf8BOM starts the CSV so Excel reads it as UTF-8 (Cyrillic names) instead of the system
// code page.
const utf8BOM = "\ufeff"

// CSV renders the detail view (date, manager, rule, rule name, count) as UTF-8 CSV with a
// byte order mark and a localised header. Dates are ISO (YYYY-MM-DD) so any spreadsheet
// parses them. The separator is the catalog's "report.csv.separator": a comma in English, a
// semicolon where the decimal separator is a comma (Russian, Spanish), as Excel expects in
// those locales. An empty period gives the header and a row with the "no data" note.
func CSV(t Table, p *locales.Printer) ([]byte, error) {
	v, err := newView(t, p)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	buf.WriteString(utf8BOM)
	w := csv.NewWriter(&buf)
	w.Comma = CSVSeparator(p)
	w.UseCRLF = true // RFC 4180, and what Excel writes
	records := [][]string{{p.T("report.col.date"), p.T("report.col.manager"), p.T("report.col.rule"),
		p.T("report.col.rule_name"), p.T("report.col.count")}}
	for _, r := range v.rows {
		records = append(records, []string{r.Day.String(), csvText(v.names[r.Manager]), string(r.Rule),
			ruleName(r.Rule, p), strconv.Itoa(r.Count)})
	}
	if v.empty() {
		records = append(records, []string{p.T("report.no_data"), "", "", "", ""})
	}
	if err := w.WriteAll(records); err != nil {
		return nil, fmt.Errorf("write csv: %w", err)
	}
	return buf.Bytes(), nil
}

// CSVSeparator returns the field separator CSV uses for the printer's language: the single
// character of "report.csv.separator", or a comma if the catalog gives anything else.
func CSVSeparator(p *locales.Printer) rune {
	s := p.T("report.csv.separator")
	r, size := utf8.DecodeRuneInString(s)
	if size != len(s) || r == utf8.RuneError || r == '"' || r == '\r' || r == '\n' {
		return ','
	}
	return r
}

// csvText defuses a CRM-supplied text that a spreadsheet would run as a formula (OWASP "CSV
// injection"): a leading =, +, -, @, tab or carriage return gets an apostrophe in front.
func csvText(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
