package checks

import (
	"slices"
	"testing"
	"time"
)

func TestTable(t *testing.T) {
	day := Date{2026, 11, 18}
	due := time.Date(2026, 11, 18, 10, 15, 0, 0, time.UTC)
	fs := []Finding{
		{Rule: R3, Level: LevelWarning, ManagerID: 1, DealID: 10},
		{Rule: R3, Level: LevelWarning, ManagerID: 1, DealID: 10, Task: 9},                           // same deal: once
		{Rule: R3, Level: LevelWarning, ManagerID: 1, Task: 1, Scope: Scope{Kind: ScopeTask, ID: 1}}, // no deal: each task
		{Rule: R3, Level: LevelWarning, ManagerID: 1, Task: 2, Scope: Scope{Kind: ScopeTask, ID: 2}},
		{Rule: R1, Level: LevelWarning, ManagerID: 1, DealID: 11},
		{Rule: R1, Level: LevelEscalation, ManagerID: 1, DealID: 11},                          // escalations not counted
		{Rule: R1, Level: LevelInfo, Kind: KindTakenLate, ManagerID: 2, DealID: 12, Due: due}, // taken late today
		{Rule: R1, Level: LevelInfo, Kind: KindTakenLate, ManagerID: 2, DealID: 13, Due: due.AddDate(0, 0, -1)},
		{Rule: R13, Level: LevelInfo, ManagerID: 2, DealID: 14}, // samples are not violations
		{Rule: RuleDataHealth, Level: LevelWarning, ManagerID: 2},
		{Rule: R2, Level: LevelWarning, ManagerID: 2, DealID: 15},
	}
	got := Table(fs, day)
	want := []TableRow{
		{day, 1, R1, 1}, {day, 1, R3, 3},
		{day, 2, R1, 1}, {day, 2, R2, 1},
	}
	if !slices.Equal(got, want) {
		t.Errorf("Table = %v\nwant    %v", got, want)
	}
	tot := Totals(got)
	if tot.Total != 6 || tot.ByManager[1] != 4 || tot.ByRule[R1] != 2 || tot.ByDay[day] != 6 {
		t.Errorf("Totals = %+v", tot)
	}
}

func TestKPI(t *testing.T) {
	d1, d2 := Date{2026, 11, 17}, Date{2026, 11, 18}
	rows := []TableRow{
		{d1, 1, R1, 2}, {d2, 1, R3, 1}, // 1: 3 violations, 2*5+1 = 11 points
		{d1, 2, R3, 4},             // 2: 4 violations, 4 points
		{d2, 3, R2, 4},             // 3: 4 violations, 4 points (tie with 2)
		{d2, 4, R12, 9},            // 4: weight 0
		{d2, 5, RuleDataHealth, 3}, // ignored
	}
	got := KPI(rows, map[RuleID]int{R1: 5, R12: 0})
	want := []KPIRow{
		{Manager: 4, Violations: 9, Points: 0, Rank: 1},
		{Manager: 2, Violations: 4, Points: 4, Rank: 2},
		{Manager: 3, Violations: 4, Points: 4, Rank: 2},
		{Manager: 1, Violations: 3, Points: 11, Rank: 4},
	}
	if !slices.Equal(got, want) {
		t.Errorf("KPI = %+v\nwant  %+v", got, want)
	}
}
