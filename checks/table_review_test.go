package checks

import (
	"slices"
	"testing"
)

func TestCallVerdictTable(t *testing.T) {
	mon, tue := Date{2026, 3, 2}, Date{2026, 3, 3}
	vs := []CallVerdict{
		{Day: mon, Manager: 1, NoteID: 5, OK: true},
		{Day: mon, Manager: 1, NoteID: 6, OK: false},
		{Day: mon, Manager: 1, NoteID: 7, OK: false},
		{Day: tue, Manager: 1, NoteID: 8, OK: false},
		{Day: tue, Manager: 2, NoteID: 9, OK: false},
		{Day: tue, Manager: 2, NoteID: 9, OK: true}, // judged again: the last verdict counts
		{Day: tue, Manager: 3, NoteID: 10, OK: true},
	}
	rows := CallVerdictRows(vs)
	want := []TableRow{{mon, 1, R7, 2}, {tue, 1, R7, 1}}
	if !slices.Equal(rows, want) {
		t.Errorf("CallVerdictRows = %v\nwant            %v", rows, want)
	}
	tallies := ReviewTallies(vs)
	wantT := []ReviewTally{{Manager: 1, Reviewed: 4, NotOK: 3}, {Manager: 2, Reviewed: 1}, {Manager: 3, Reviewed: 1}}
	if !slices.Equal(tallies, wantT) {
		t.Errorf("ReviewTallies = %+v\nwant          %+v", tallies, wantT)
	}
	if len(CallVerdictRows(nil)) != 0 || len(ReviewTallies(nil)) != 0 {
		t.Error("no verdicts give rows")
	}
	// The rows count in the KPI like any other violation.
	if k := KPI(rows, nil); len(k) != 1 || k[0].Violations != 3 {
		t.Errorf("KPI of the verdict rows = %+v", k)
	}
}
