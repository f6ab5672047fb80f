package report

import (
	"fmt"
	"testing"

	"salesguard/amo"
	"salesguard/checks"
	"salesguard/locales"
)

// mustPrinter loads the real catalog and returns the printer of lang.
func mustPrinter(t testing.TB, lang string) *locales.Printer {
	t.Helper()
	cat, err := locales.Load()
	if err != nil {
		t.Fatalf("load catalog: %v", err)
	}
	return cat.Printer(lang)
}

func day(d int) checks.Date { return checks.Date{Year: 2026, Month: 11, Day: d} }

// smallTable is a three-day period with two named managers (one Cyrillic, with a comma and
// quotes in the name) and one manager known only by id.
func smallTable() Table {
	return Table{
		From: day(2), To: day(4),
		Rows: []checks.TableRow{
			{Day: day(2), Manager: 10, Rule: checks.R1, Count: 2},
			{Day: day(2), Manager: 10, Rule: checks.R3, Count: 1},
			{Day: day(3), Manager: 20, Rule: checks.R3, Count: 4},
			{Day: day(4), Manager: 30, Rule: checks.R12, Count: 1},
			{Day: day(4), Manager: 10, Rule: checks.R1, Count: 1},
		},
		Managers: map[amo.UserID]string{10: `Иванов, "Ваня"`, 20: "Anna Smith", 40: "Пётр Без Нарушений"},
		Weights:  map[checks.RuleID]int{checks.R3: 3},
	}
}

// bigTable is a period of days × managers × every rule, with deterministic counts.
func bigTable(days, managers int) Table {
	t := Table{From: day(1), To: day(1).AddDays(days - 1), Managers: map[amo.UserID]string{}}
	for m := 1; m <= managers; m++ {
		id := amo.UserID(1000 + m)
		t.Managers[id] = fmt.Sprintf("Менеджер %02d Сидоров", m)
		for d := range days {
			for i, r := range checks.AllRuleIDs {
				if n := (m*7 + d*3 + i*5) % 6; n > 0 {
					t.Rows = append(t.Rows, checks.TableRow{Day: t.From.AddDays(d), Manager: id, Rule: r, Count: n})
				}
			}
		}
	}
	return t
}
