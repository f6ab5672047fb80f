package report

import (
	"bytes"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"salesguard/locales"
)

// mustOpenXLSX renders t and opens the result with excelize.
func mustOpenXLSX(t *testing.T, tb Table, p *locales.Printer) *excelize.File {
	t.Helper()
	b, err := XLSX(tb, p)
	if err != nil {
		t.Fatalf("XLSX: %v", err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("open xlsx: %v", err)
	}
	t.Cleanup(func() { _ = f.Close() })
	return f
}

func mustRows(t *testing.T, f *excelize.File, sheet string) [][]string {
	t.Helper()
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatalf("rows of %q: %v", sheet, err)
	}
	return rows
}

func TestXLSXHeadersAreLocalised(t *testing.T) {
	tests := []struct {
		lang, sheet0, manager string
	}{
		{"en", "By manager", "Manager"},
		{"ru", "По менеджерам", "Менеджер"},
		{"es", "Por gerente", "Gerente"},
	}
	for _, tt := range tests {
		t.Run(tt.lang, func(t *testing.T) {
			p := mustPrinter(t, tt.lang)
			f := mustOpenXLSX(t, smallTable(), p)
			names := SheetNames(p)
			if got := f.GetSheetList(); !slices.Equal(got, names) || got[0] != tt.sheet0 {
				t.Fatalf("sheets = %q, want %q starting with %q", got, names, tt.sheet0)
			}
			byManager := mustRows(t, f, names[0])[0]
			if byManager[1] != tt.manager || byManager[2] != p.T("report.col.rule_column", "R1", p.T("rule.R1.name")) {
				t.Errorf("by-manager header = %q", byManager)
			}
			if got, want := byManager[len(byManager)-1], p.T("report.col.points"); got != want {
				t.Errorf("last by-manager header = %q, want %q", got, want)
			}
			detail := mustRows(t, f, names[2])[0]
			want := []string{p.T("report.col.date"), tt.manager, p.T("report.col.rule"), p.T("report.col.rule_name"), p.T("report.col.count")}
			if !slices.Equal(detail, want) {
				t.Errorf("detail header = %q, want %q", detail, want)
			}
			if props, err := f.GetDocProps(); err != nil || !strings.Contains(props.Title, p.Date(day(2).In(time.UTC))) {
				t.Errorf("doc title = %q (%v), want the localised period", props.Title, err)
			}
		})
	}
}

func TestXLSXCellsAreTypedAndFrozen(t *testing.T) {
	p := mustPrinter(t, "ru")
	f := mustOpenXLSX(t, smallTable(), p)
	names := SheetNames(p)
	for _, s := range names {
		panes, err := f.GetPanes(s)
		if err != nil || !panes.Freeze || panes.YSplit != 1 {
			t.Errorf("sheet %q panes = %+v (%v), want the header row frozen", s, panes, err)
		}
	}
	// By manager, KPI order: Пётр (0), Manager #30 (1 point), Иванов (1×R3 weighs 3 + 3×R1 = 6), Anna (4×R3 = 12).
	wantNumbers := map[string]map[string]int{
		names[0]: {"A2": 1, "C2": 0, "C4": 3, "E5": 4, "P4": 4, "Q4": 6, "Q5": 12, "P6": 9, "Q6": 19},
		names[1]: {"C2": 3, "B3": 4, "F4": 2, "F5": 9},
		names[2]: {"E2": 2, "E6": 1},
	}
	for sheet, cells := range wantNumbers {
		for cell, want := range cells {
			typ, err := f.GetCellType(sheet, cell)
			if err != nil || (typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset) {
				t.Errorf("%s!%s type = %v (%v), want a number", sheet, cell, typ, err)
			}
			raw, _ := f.GetCellValue(sheet, cell, excelize.Options{RawCellValue: true})
			if got, err := strconv.Atoi(raw); err != nil || got != want {
				t.Errorf("%s!%s = %q, want %d", sheet, cell, raw, want)
			}
		}
	}
	if got, _ := f.GetCellValue(names[0], "B4"); got != `Иванов, "Ваня"` {
		t.Errorf("manager name = %q", got)
	}
	for _, sheet := range names[1:3] { // the findings sheet: TestXLSXFindingsSheet
		raw, _ := f.GetCellValue(sheet, "A2", excelize.Options{RawCellValue: true})
		shown, _ := f.GetCellValue(sheet, "A2")
		if raw != "46328" || shown != "02.11.2026" { // Excel serial of 2026-11-02, shown in ru layout
			t.Errorf("%s!A2 = raw %q shown %q, want a date 46328 shown 02.11.2026", sheet, raw, shown)
		}
	}
}

func TestXLSXEmptyHasNoDataNote(t *testing.T) {
	for _, tb := range []Table{{}, {From: day(1), To: day(3)}} {
		for _, lang := range []string{"en", "ru", "es"} {
			p := mustPrinter(t, lang)
			f := mustOpenXLSX(t, tb, p)
			for _, s := range SheetNames(p) {
				rows := mustRows(t, f, s)
				if len(rows) < 2 || rows[len(rows)-1][0] != p.T("report.no_data") {
					t.Errorf("%s %s – %s sheet %q = %q, want the no-data note last", lang, tb.From, tb.To, s, rows)
				}
			}
		}
	}
}

func TestXLSXRejectsReversedPeriod(t *testing.T) {
	if _, err := XLSX(Table{From: day(3), To: day(1)}, mustPrinter(t, "en")); err == nil {
		t.Fatal("XLSX of a reversed period: want an error")
	}
}

func TestXLSXBigTableShape(t *testing.T) {
	p := mustPrinter(t, "en")
	f := mustOpenXLSX(t, bigTable(10, 20), p)
	names := SheetNames(p)
	if got := len(mustRows(t, f, names[0])); got != 1+20+1 {
		t.Errorf("by manager rows = %d, want header + 20 + total", got)
	}
	if got := len(mustRows(t, f, names[1])); got != 1+10+1 {
		t.Errorf("by day rows = %d, want header + 10 + total", got)
	}
	want := 1
	for _, r := range bigTable(10, 20).Rows {
		if r.Count > 0 {
			want++
		}
	}
	if got := len(mustRows(t, f, names[2])); got != want {
		t.Errorf("detail rows = %d, want %d", got, want)
	}
}

func TestXLSXAndCSVAreDeterministic(t *testing.T) {
	p := mustPrinter(t, "es")
	for name, render := range map[string]func(Table, *locales.Printer) ([]byte, error){"xlsx": XLSX, "csv": CSV} {
		a, errA := render(smallTable(), p)
		b, errB := render(smallTable(), p)
		if errA != nil || errB != nil || !bytes.Equal(a, b) {
			t.Errorf("%s: two renders of one table differ (errors %v, %v)", name, errA, errB)
		}
	}
}
