package checks

import (
	"salesguard/workset"
	"testing"

	"salesguard/amo"
)

func TestBuildDigest(t *testing.T) {
	day := Date{2026, 3, 10}
	row := func(d Date, m amo.UserID, r RuleID, n int) TableRow {
		return TableRow{Day: d, Manager: m, Rule: r, Count: n}
	}
	snap := &amo.Snapshot{
		Users: []amo.User{
			{ID: 1, Name: "Olga", IsActive: true},
			{ID: 2, Name: "boris", IsActive: true},
			{ID: 3, Name: "Anna", IsActive: true},
			{ID: 4, Name: "Zed", IsActive: false},
		},
		Leads: []amo.Lead{
			{ID: 10, ResponsibleUserID: 3, StatusID: 1},   // Anna: open deal, no violations
			{ID: 11, ResponsibleUserID: 4, StatusID: 1},   // inactive: not listed
			{ID: 12, ResponsibleUserID: 3, StatusID: 142}, // closed
		},
	}
	today := []TableRow{
		row(day, 1, R3, 2), row(day, 1, R2, 1), row(day, 2, R3, 1), row(day, 2, R1, 2),
		row(day, 1, RuleDataHealth, 5),
	}
	yesterday := []TableRow{row(day.AddDays(-1), 1, R3, 5), row(day.AddDays(-1), 2, R3, 1)}
	week := []TableRow{
		row(day.AddDays(-2), 1, R3, 4), row(day.AddDays(-3), 1, R3, 2), row(day.AddDays(-3), 2, R2, 3),
	}
	fs := []Finding{
		{Rule: R3, Level: LevelWarning, DealID: 5, ManagerID: 1, Value: 10, Limit: 1},
		{Rule: R1, Level: LevelEscalation, DealID: 6, ManagerID: 2, Value: 40, Limit: 15},
		{Rule: R1, Level: LevelWarning, DealID: 6, ManagerID: 2, Value: 20, Limit: 15},
		{Rule: R2, Level: LevelWarning, DealID: 7, ManagerID: 1},
		{Rule: R7, Level: LevelInfo, DealID: 8, ManagerID: 1},
		{Rule: RuleDataHealth, Level: LevelDataHealth},
	}
	d := BuildDigest(day, today, yesterday, week, fs, workset.FromSnapshot(snap))

	if d.Total != 6 || d.Yesterday != 6 || !d.HasWeek || d.WeekAvg != 4.5 {
		t.Errorf("team totals = %d/%d/%v/%v, want 6/6/true/4.5", d.Total, d.Yesterday, d.HasWeek, d.WeekAvg)
	}
	wantOrder := []struct {
		id        amo.UserID
		rank      int
		total     int
		yesterday int
		week      float64
	}{
		{3, 1, 0, 0, 0},   // Anna: clean day, first
		{2, 2, 3, 1, 1.5}, // boris and Olga tie on 3; names sort case-insensitively
		{1, 2, 3, 5, 3},
	}
	if len(d.Managers) != len(wantOrder) {
		t.Fatalf("managers = %+v, want %d", d.Managers, len(wantOrder))
	}
	for i, w := range wantOrder {
		m := d.Managers[i]
		if m.Manager != w.id || m.Rank != w.rank || m.Total != w.total || m.Yesterday != w.yesterday || m.WeekAvg != w.week {
			t.Errorf("managers[%d] = %+v, want %+v", i, m, w)
		}
	}
	if got := d.Managers[2].ByRule; len(got) != 2 || got[0] != (RuleCount{R2, 1}) || got[1] != (RuleCount{R3, 2}) {
		t.Errorf("Olga by rule = %+v, want R2:1 R3:2 in rule order", got)
	}
	if got := d.Managers[2].DeltaYesterday(); got != -2 {
		t.Errorf("delta yesterday = %d, want -2", got)
	}
	if got := d.Managers[1].DeltaWeek(); got != 1.5 {
		t.Errorf("delta week = %v, want 1.5", got)
	}
	if len(d.Totals) != 3 || d.Totals[0] != (RuleCount{R1, 2}) {
		t.Errorf("totals = %+v", d.Totals)
	}
	var deals []amo.LeadID
	for _, f := range d.Deals {
		deals = append(deals, f.DealID)
	}
	if len(deals) != 3 || deals[0] != 6 || deals[1] != 5 || deals[2] != 7 {
		t.Errorf("deals = %v, want [6 5 7] (escalation, its warning dropped, then most over the limit)", deals)
	}
}

func TestBuildDigestEmpty(t *testing.T) {
	d := BuildDigest(Date{2026, 3, 10}, nil, nil, nil, nil, nil)
	if len(d.Managers) != 0 || d.HasWeek || d.Total != 0 || len(d.Deals) != 0 {
		t.Errorf("empty digest = %+v", d)
	}
}

func TestBuildDigestTopN(t *testing.T) {
	var fs []Finding
	for i := range DigestTopDeals + 5 {
		fs = append(fs, Finding{Rule: R3, Level: LevelWarning, DealID: amo.LeadID(i + 1), ManagerID: 1, Value: float64(i), Limit: 1})
	}
	d := BuildDigest(Date{2026, 3, 10}, nil, nil, nil, fs, nil)
	if len(d.Deals) != DigestTopDeals || d.Deals[0].DealID != amo.LeadID(DigestTopDeals+5) {
		t.Errorf("deals = %d first %d, want %d first %d", len(d.Deals), d.Deals[0].DealID, DigestTopDeals, DigestTopDeals+5)
	}
}

// TestBuildDigestSecondDay: on the second day of an install the week's rows are only
// yesterday's, so there is a day to compare with and no week.
func TestBuildDigestSecondDay(t *testing.T) {
	day := Date{2026, 3, 10}
	y := []TableRow{{Day: day.AddDays(-1), Manager: 1, Rule: R3, Count: 4}}
	today := []TableRow{{Day: day, Manager: 1, Rule: R3, Count: 6}}
	ws := workset.FromSnapshot(&amo.Snapshot{Users: []amo.User{{ID: 1, Name: "Olga", IsActive: true}}})
	d := BuildDigest(day, today, y, y, nil, ws)
	if !d.HasYesterday || d.HasWeek || d.Yesterday != 4 {
		t.Errorf("second day: HasYesterday=%v HasWeek=%v Yesterday=%d, want true false 4", d.HasYesterday, d.HasWeek, d.Yesterday)
	}
	d = BuildDigest(day, today, nil, nil, nil, ws)
	if d.HasYesterday || d.HasWeek {
		t.Errorf("first day: HasYesterday=%v HasWeek=%v, want false false", d.HasYesterday, d.HasWeek)
	}
}

// TestDigestUnsorted: the digest lists the deals R12 found left at the end of the day, each
// once, by manager, and counts them all.
func TestDigestUnsorted(t *testing.T) {
	day := Date{2026, 11, 18}
	var fs []Finding
	for i := range DigestTopDeals + 2 {
		fs = append(fs, Finding{Rule: R12, Level: LevelWarning, DealID: amo.LeadID(100 - i), ManagerID: amo.UserID(1 + i%2), Due: at(18, 18, 0)})
	}
	fs = append(fs, fs[0], Finding{Rule: R2, Level: LevelWarning, DealID: 5, ManagerID: 1})
	d := BuildDigest(day, Table(fs, day), nil, nil, fs, workset.FromSnapshot(&amo.Snapshot{}))
	if d.UnsortedCount != DigestTopDeals+2 || len(d.Unsorted) != DigestTopDeals {
		t.Fatalf("unsorted %d listed of %d", len(d.Unsorted), d.UnsortedCount)
	}
	for i, f := range d.Unsorted {
		if f.Rule != R12 || (i > 0 && compareFindings(&d.Unsorted[i-1], &f) >= 0) {
			t.Errorf("unsorted[%d] = %+v", i, f)
		}
	}
	if got := BuildDigest(day, nil, nil, nil, fs[len(fs)-1:], nil); got.UnsortedCount != 0 || got.Unsorted != nil {
		t.Errorf("no R12 finding: %+v", got.Unsorted)
	}
}
