package report

import (
	"slices"
	"strings"
	"testing"

	"salesguard/amo"
	"salesguard/checks"
)

func TestNewViewMergesFiltersAndNames(t *testing.T) {
	tb := Table{
		From: day(2), To: day(3),
		Rows: []checks.TableRow{
			{Day: day(2), Manager: 1, Rule: checks.R2, Count: 1},
			{Day: day(2), Manager: 1, Rule: checks.R2, Count: 2}, // repeated cell: added up
			{Day: day(1), Manager: 1, Rule: checks.R2, Count: 5}, // before the period
			{Day: day(4), Manager: 1, Rule: checks.R2, Count: 5}, // after the period
			{Day: day(3), Manager: 2, Rule: checks.R5, Count: 0}, // zero: ignored
			{Day: day(3), Manager: 3, Rule: checks.RuleDataHealth, Count: 1},
		},
		Managers: map[amo.UserID]string{1: " Вера ", 4: "Антон"},
	}
	v, err := newView(tb, mustPrinter(t, "en"))
	if err != nil {
		t.Fatalf("newView: %v", err)
	}
	wantRows := []checks.TableRow{
		{Day: day(2), Manager: 1, Rule: checks.R2, Count: 3},
		{Day: day(3), Manager: 3, Rule: checks.RuleDataHealth, Count: 1},
	}
	if !slices.Equal(v.rows, wantRows) {
		t.Errorf("rows = %v, want %v", v.rows, wantRows)
	}
	if want := []checks.Date{day(2), day(3)}; !slices.Equal(v.days, want) {
		t.Errorf("days = %v, want %v", v.days, want)
	}
	if got, want := managerNames(v), []string{"Manager #3", "Антон", "Вера"}; !slices.Equal(got, want) {
		t.Errorf("managers = %q, want %q", got, want)
	}
	if last := v.rules[len(v.rules)-1]; last != checks.RuleDataHealth || len(v.rules) != len(checks.AllRuleIDs)+1 {
		t.Errorf("rules = %v, want AllRuleIDs then DATA", v.rules)
	}
	// checks.KPI ignores data health; managers with nothing share first place.
	for _, k := range v.kpi {
		if want := map[amo.UserID]int{1: 3, 3: 1, 4: 1}[k.Manager]; k.Rank != want || (k.Manager == 1) != (k.Points == 3) {
			t.Errorf("kpi %+v: want rank %d, points 3 only for manager 1", k, want)
		}
	}
}

func TestNewViewPeriod(t *testing.T) {
	rows := []checks.TableRow{{Day: day(5), Manager: 1, Rule: checks.R1, Count: 1}, {Day: day(3), Manager: 1, Rule: checks.R1, Count: 1}}
	tests := []struct {
		name       string
		tb         Table
		from, to   checks.Date
		days       int
		wantErrSub string
	}{
		{name: "from rows", tb: Table{Rows: rows}, from: day(3), to: day(5), days: 3},
		{name: "open end", tb: Table{From: day(1), Rows: rows}, from: day(1), to: day(5), days: 5},
		{name: "empty", tb: Table{}, days: 0},
		{name: "single day", tb: Table{From: day(7), To: day(7)}, from: day(7), to: day(7), days: 1},
		{name: "reversed", tb: Table{From: day(5), To: day(1)}, wantErrSub: "end is before start"},
		{name: "too long", tb: Table{From: day(1), To: day(1).AddDays(MaxPeriodDays)}, wantErrSub: "longer than"},
		{name: "longest", tb: Table{From: day(1), To: day(1).AddDays(MaxPeriodDays - 1)}, from: day(1), to: day(1).AddDays(MaxPeriodDays - 1), days: MaxPeriodDays},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := newView(tt.tb, mustPrinter(t, "en"))
			if tt.wantErrSub != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErrSub) {
					t.Fatalf("err = %v, want it to contain %q", err, tt.wantErrSub)
				}
				return
			}
			if err != nil {
				t.Fatalf("newView: %v", err)
			}
			if v.from != tt.from || v.to != tt.to || len(v.days) != tt.days {
				t.Errorf("period %s – %s with %d days, want %s – %s with %d", v.from, v.to, len(v.days), tt.from, tt.to, tt.days)
			}
		})
	}
}

func TestSheetName(t *testing.T) {
	tests := []struct{ in, want string }{
		{"По менеджерам", "По менеджерам"},
		{`a[b]c:d*e?f/g\h`, "abcdefgh"},
		{"'quoted'", "quoted"},
		{strings.Repeat("Детализация", 4), string([]rune(strings.Repeat("Детализация", 4))[:31])},
		{" \t ", ""},
	}
	for _, tt := range tests {
		if got := sheetName(tt.in); got != tt.want {
			t.Errorf("sheetName(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestSheetNamesValidInEveryLanguage(t *testing.T) {
	for _, lang := range []string{"en", "ru", "es"} {
		names := SheetNames(mustPrinter(t, lang))
		if len(names) != 4 {
			t.Fatalf("%s: %d sheet names, want 4", lang, len(names))
		}
		for _, n := range names {
			if n == "" || len([]rune(n)) > 31 || strings.ContainsAny(n, `[]:*?/\`) {
				t.Errorf("%s: invalid sheet name %q", lang, n)
			}
		}
	}
}

func TestExcelDateFormat(t *testing.T) {
	tests := []struct{ layout, want string }{
		{"02.01.2006", `dd\.mm\.yyyy`},
		{"02/01/2006", `dd\/mm\/yyyy`},
		{"Jan 2, 2006", `mmm d\, yyyy`},
		{"January _2 2006", `mmmm d yyyy`},
		{"2006-01-02", `yyyy\-mm\-dd`},
		{"Mon 02.01", `yyyy\-mm\-dd`}, // weekday: not supported, ISO fallback
	}
	for _, tt := range tests {
		if got := excelDateFormat(tt.layout); got != tt.want {
			t.Errorf("excelDateFormat(%q) = %q, want %q", tt.layout, got, tt.want)
		}
	}
}
