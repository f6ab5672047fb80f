package report

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"salesguard/amo"
	"salesguard/checks"
)

// randomFindings makes findings of every level and rule over a few managers and deals, with
// repeated deals (several R3 tasks, R6 criteria), tasks on no deal and R1's late takings.
func randomFindings(r *rand.Rand, n int, d checks.Date) []checks.Finding {
	levels := []checks.Level{checks.LevelWarning, checks.LevelWarning, checks.LevelEscalation, checks.LevelInfo, checks.LevelDataHealth}
	rules := append(slices.Clone(checks.AllRuleIDs), checks.RuleDataHealth)
	var out []checks.Finding
	for range n {
		f := checks.Finding{Rule: rules[r.IntN(len(rules))], Level: levels[r.IntN(len(levels))],
			ManagerID: amo.UserID(1 + r.IntN(3)), DealID: amo.LeadID(r.IntN(6)), Task: amo.TaskID(r.IntN(4)),
			Due: d.In(time.UTC).Add(time.Duration(r.IntN(72)-24) * time.Hour)}
		if f.DealID == 0 {
			f.Scope = checks.Scope{Kind: checks.ScopeTask, ID: int64(f.Task)}
		}
		if f.Rule == checks.R1 && r.IntN(2) == 0 {
			f.Kind = checks.KindTakenLate
		}
		out = append(out, f)
	}
	return out
}

// TestCountedIsWhatTableCounts: for every manager and rule, Counted lists exactly as many
// findings as checks.Table counts, and nothing checks.Table leaves out.
func TestCountedIsWhatTableCounts(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	d := day(10)
	for round := range 300 {
		fs := randomFindings(r, r.IntN(40), d)
		counted := Counted(fs, d)
		got := map[cellKey]int{}
		for _, f := range counted {
			got[cellKey{f.ManagerID, f.Rule}]++
		}
		want := map[cellKey]int{}
		for _, row := range checks.Table(fs, d) {
			want[cellKey{row.Manager, row.Rule}] = row.Count
		}
		if len(got) != len(want) {
			t.Fatalf("round %d: counted cells %v, table %v", round, got, want)
		}
		for c, n := range want {
			if got[c] != n {
				t.Fatalf("round %d: cell %v: %d counted, table says %d", round, c, got[c], n)
			}
		}
		if again := checks.Table(counted, d); !slices.Equal(again, checks.Table(fs, d)) {
			t.Fatalf("round %d: the table of the counted findings differs", round)
		}
	}
}

func TestDetailInEveryLanguage(t *testing.T) {
	fs := map[string]checks.Finding{
		"r1":  {Rule: checks.R1, Level: checks.LevelWarning, Kind: checks.KindNotTaken, Value: 25, Limit: 15, Unit: checks.UnitMinutes},
		"r1l": {Rule: checks.R1, Level: checks.LevelInfo, Kind: checks.KindTakenLate, Value: 90, Limit: 15, Unit: checks.UnitMinutes},
		"r3":  {Rule: checks.R3, Value: 3, Unit: checks.UnitCount},
		"r4":  {Rule: checks.R4, Value: 7.5, Limit: 5, Unit: checks.UnitDays},
		"r6":  {Rule: checks.R6, Kind: checks.KindUnjustifiedClosure, Value: 4, Limit: 15, Unit: checks.UnitCount},
		"r9":  {Rule: checks.R9, Kind: checks.KindNoComment, Value: 95, Limit: 30, Unit: checks.UnitSeconds},
		"r2":  {Rule: checks.R2},
		"new": {Rule: "R99", Value: 2, Limit: 1, Unit: checks.UnitHours},
	}
	want := map[string]map[string]string{
		"en": {"r1": "waiting 25 min, limit 15 min", "r1l": "taken after 1 h 30 min, limit 15 min", "r3": "3 overdue tasks",
			"r4": "in the stage for 7 days 12 h, limit 5 days", "r6": "4 call attempts, at least 15 required",
			"r9": "no note after a 2 min call", "r2": "no open task", "new": "2 h, limit 1 h"},
		"ru": {"r1": "ждёт 25 мин, норма 15 мин", "r3": "3 просроченные задачи", "r6": "4 попытки дозвона, нужно не меньше 15"},
		"es": {"r1": "esperando 25 min, límite 15 min", "r3": "3 tareas vencidas", "r2": "sin tarea abierta"},
	}
	for lang, cases := range want {
		p := mustPrinter(t, lang)
		for name, w := range cases {
			if got := Detail(fs[name], p); got != w {
				t.Errorf("%s %s: Detail = %q, want %q", lang, name, got, w)
			}
		}
	}
}

// findingsTable is smallTable with the findings behind its rows of day 2, and one row whose
// findings are no longer known.
func findingsTable() Table {
	t := smallTable()
	t.Findings = []FindingRow{
		{Day: day(2), URL: "https://acme.amocrm.ru/leads/detail/7", Finding: checks.Finding{Rule: checks.R3, Level: checks.LevelWarning,
			ManagerID: 10, DealID: 7, DealName: `<Acme> & "Co"`, Value: 2, Unit: checks.UnitCount}},
		{Day: day(2), URL: "https://acme.amocrm.ru/leads/detail/5", Finding: checks.Finding{Rule: checks.R1, Level: checks.LevelWarning,
			ManagerID: 10, DealID: 5, Value: 40, Limit: 15, Unit: checks.UnitMinutes}},
		{Day: day(2), Finding: checks.Finding{Rule: checks.R1, Level: checks.LevelWarning, ManagerID: 10, DealID: 6, DealName: "Beta",
			Value: 20, Limit: 15, Unit: checks.UnitMinutes}},
		{Day: day(3), Note: "no greeting", Finding: checks.Finding{Rule: checks.R13, ManagerID: 20, DealID: 9, DealName: "Audit"}},
		{Day: day(9), Finding: checks.Finding{Rule: checks.R2, ManagerID: 20, DealID: 1}}, // outside the period
	}
	return t
}

// TestXLSXFindingsSheet reads the findings sheet back: localised headers, one row per finding
// of the period in order, a real date, the deal as a hyperlink to its card, the detail, and a
// note because the findings do not add up to the table's total.
func TestXLSXFindingsSheet(t *testing.T) {
	for _, lang := range []string{"en", "ru", "es"} {
		t.Run(lang, func(t *testing.T) {
			p := mustPrinter(t, lang)
			f := mustOpenXLSX(t, findingsTable(), p)
			sheet := SheetNames(p)[3]
			rows := mustRows(t, f, sheet)
			header := []string{p.T("report.col.date"), p.T("report.col.manager"), p.T("report.col.rule"), p.T("report.col.rule_name"),
				p.T("report.col.deal"), p.T("report.col.detail")}
			if !slices.Equal(rows[0], header) {
				t.Fatalf("header = %q, want %q", rows[0], header)
			}
			if len(rows) != 1+4+2 { // header, 4 findings, a blank row, the note
				t.Fatalf("rows = %q", rows)
			}
			// Day 2, manager 10: R1 (deals 5, 6), then R3; day 3: R13.
			if rows[1][3] != p.T("rule.R1.name") || rows[1][4] != "#5" || rows[2][4] != "Beta" || rows[3][2] != "R3" || rows[4][2] != "R13" {
				t.Errorf("rows out of order: %q", rows[1:5])
			}
			if rows[3][4] != `<Acme> & "Co"` || rows[3][5] != Detail(findingsTable().Findings[0].Finding, p) {
				t.Errorf("R3 row = %q", rows[3])
			}
			if !strings.HasSuffix(rows[4][5], " — no greeting") || rows[1][1] != `Иванов, "Ваня"` {
				t.Errorf("R13 row = %q, first manager %q", rows[4], rows[1][1])
			}
			if ok, link, err := f.GetCellHyperLink(sheet, "E2"); err != nil || !ok || link != "https://acme.amocrm.ru/leads/detail/5" {
				t.Errorf("E2 link = %v %q (%v), want the deal's card", ok, link, err)
			}
			if ok, _, _ := f.GetCellHyperLink(sheet, "E3"); ok {
				t.Error("a deal with no URL got a link")
			}
			if raw, _ := f.GetCellValue(sheet, "A2", excelize.Options{RawCellValue: true}); raw != "46328" {
				t.Errorf("A2 = %q, want the date 2026-11-02 as a number", raw)
			}
			if want := p.T("report.findings.mismatch", p.Number(9), p.Number(4)); rows[6][0] != want {
				t.Errorf("note = %q, want %q", rows[6][0], want)
			}
		})
	}
}

func TestXLSXFindingsSheetWithoutFindings(t *testing.T) {
	p := mustPrinter(t, "en")
	f := mustOpenXLSX(t, smallTable(), p)
	rows := mustRows(t, f, SheetNames(p)[3])
	if len(rows) != 2 || rows[1][0] != p.T("report.findings.none") {
		t.Errorf("rows = %q, want the header and the note that the deals were not recorded", rows)
	}
}

// TestDetailOfEveryCountedKind: every kind of finding the table counts has its own words in
// every language, not the generic fallback.
func TestDetailOfEveryCountedKind(t *testing.T) {
	kinds := map[checks.RuleID][]string{
		checks.R1: {checks.KindNotTaken, checks.KindTakenLate}, checks.R2: {""}, checks.R3: {""}, checks.R4: {""},
		checks.R5: {checks.KindNoReason, checks.KindOtherWithoutNote, checks.KindCantReachContradicted},
		checks.R6: {checks.KindUnjustifiedClosure, checks.KindNoAttemptToday}, checks.R7: {checks.KindFakedActivity, "call_review"},
		checks.R8: {checks.KindEmptyResult, checks.KindTrivialResult}, checks.R9: {checks.KindNoComment},
		checks.R10: {checks.KindMissingFields}, checks.R11: {""}, checks.R12: {""}, checks.R13: {checks.KindAudit},
	}
	for _, lang := range []string{"en", "ru", "es"} {
		p := mustPrinter(t, lang)
		for rule, ks := range kinds {
			for _, k := range ks {
				key := "drill.detail." + string(rule)
				if !p.Has(key+"."+k) && !p.Has(key) {
					t.Errorf("%s: no detail for %s %q", lang, rule, k)
				}
				f := checks.Finding{Rule: rule, Kind: k, Value: 2, Limit: 3, Unit: checks.UnitCount}
				if d := Detail(f, p); d == "" || strings.Contains(d, "%!") || strings.Contains(d, "drill.") {
					t.Errorf("%s: Detail(%s %q) = %q", lang, rule, k, d)
				}
			}
		}
	}
}
