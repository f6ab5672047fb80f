package report

import (
	"bytes"
	"encoding/csv"
	"slices"
	"strings"
	"testing"

	"salesguard/amo"
	"salesguard/checks"
	"salesguard/locales"
)

// mustParseCSV renders t, checks the BOM and parses the rest with the language's separator.
func mustParseCSV(t *testing.T, tb Table, p *locales.Printer) ([]byte, [][]string) {
	t.Helper()
	b, err := CSV(tb, p)
	if err != nil {
		t.Fatalf("CSV: %v", err)
	}
	body, ok := bytes.CutPrefix(b, []byte("\xef\xbb\xbf"))
	if !ok {
		t.Fatalf("CSV starts with % x, want the UTF-8 BOM", b[:min(3, len(b))])
	}
	r := csv.NewReader(bytes.NewReader(body))
	r.Comma = CSVSeparator(p)
	records, err := r.ReadAll()
	if err != nil {
		t.Fatalf("parse csv: %v", err)
	}
	return b, records
}

func TestCSVDetail(t *testing.T) {
	tests := []struct {
		lang      string
		sep       rune
		quotedRaw string // how the manager's name must appear in the file
	}{
		{"en", ',', `"Иванов, ""Ваня"""`},
		{"ru", ';', `"Иванов, ""Ваня"""`},
		{"es", ';', `"Иванов, ""Ваня"""`},
	}
	for _, tt := range tests {
		t.Run(tt.lang, func(t *testing.T) {
			p := mustPrinter(t, tt.lang)
			if got := CSVSeparator(p); got != tt.sep {
				t.Fatalf("separator = %q, want %q", got, tt.sep)
			}
			raw, recs := mustParseCSV(t, smallTable(), p)
			header := []string{p.T("report.col.date"), p.T("report.col.manager"), p.T("report.col.rule"),
				p.T("report.col.rule_name"), p.T("report.col.count")}
			if !slices.Equal(recs[0], header) {
				t.Errorf("header = %q, want %q", recs[0], header)
			}
			want := []string{"2026-11-02", `Иванов, "Ваня"`, "R1", p.T("rule.R1.name"), "2"}
			if len(recs) != 6 || !slices.Equal(recs[1], want) {
				t.Fatalf("records = %q, want 5 rows starting with %q", recs, want)
			}
			if !bytes.Contains(raw, []byte(tt.quotedRaw)) {
				t.Errorf("raw CSV lacks %s", tt.quotedRaw)
			}
			if !bytes.Contains(raw, []byte("\r\n")) {
				t.Error("CSV lines should end in CRLF")
			}
		})
	}
}

func TestCSVKeepsCyrillic(t *testing.T) {
	p := mustPrinter(t, "ru")
	_, recs := mustParseCSV(t, smallTable(), p)
	if recs[0][1] != "Менеджер" || recs[1][3] != p.T("rule.R1.name") || !strings.ContainsRune(recs[1][3], 'к') {
		t.Errorf("Cyrillic lost: %q", recs[:2])
	}
}

func TestCSVEmptyHasNoDataRow(t *testing.T) {
	for _, lang := range []string{"en", "ru", "es"} {
		p := mustPrinter(t, lang)
		_, recs := mustParseCSV(t, Table{From: day(1), To: day(7)}, p)
		if len(recs) != 2 || recs[1][0] != p.T("report.no_data") || len(recs[1]) != 5 {
			t.Errorf("%s: records = %q, want header and the no-data note", lang, recs)
		}
	}
}

func TestCSVDefusesFormulas(t *testing.T) {
	tb := Table{
		Rows:     []checks.TableRow{{Day: day(1), Manager: 1, Rule: checks.R2, Count: 1}},
		Managers: map[amo.UserID]string{1: `=HYPERLINK("http://x","y")`},
	}
	_, recs := mustParseCSV(t, tb, mustPrinter(t, "en"))
	if got := recs[1][1]; got != `'=HYPERLINK("http://x","y")` {
		t.Errorf("manager = %q, want it prefixed with an apostrophe", got)
	}
	for in, want := range map[string]string{"-1": "'-1", "@x": "'@x", "Анна": "Анна", "": "", "a=b": "a=b"} {
		if got := csvText(in); got != want {
			t.Errorf("csvText(%q) = %q, want %q", in, got, want)
		}
	}
}
