package main

import (
	"path/filepath"
	"testing"
	"time"

	"salesguard/checks"
	"salesguard/storage"
)

// TestReportCountsTheVerdicts: the CLI report's table holds the heads' verdicts as /report
// does — an audit verdict of "violation" as R13, the last verdict of a call judged not OK as R7.
func TestReportCountsTheVerdicts(t *testing.T) {
	db, err := storage.Open(filepath.Join(t.TempDir(), "db"), storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	day := checks.Date{Year: 2026, Month: 11, Day: 24}
	at := time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)
	for _, v := range []storage.Verdict{
		{Account: "main", Day: day, DealID: 1, Manager: 7, OK: false, At: at},
		{Account: "main", Day: day, DealID: 2, Manager: 7, OK: true, At: at},
	} {
		if err := db.PutVerdict(v); err != nil {
			t.Fatal(err)
		}
	}
	for _, v := range []storage.CallVerdict{
		{Account: "main", Week: day, Day: day, NoteID: 10, Manager: 8, OK: true, At: at},
		{Account: "main", Week: day, Day: day, NoteID: 10, Manager: 8, OK: false, At: at.Add(time.Minute)}, // judged again
		{Account: "main", Week: day, Day: day, NoteID: 11, Manager: 8, OK: true, At: at},
	} {
		if err := db.PutCallVerdict(v); err != nil {
			t.Fatal(err)
		}
	}
	rows, err := verdictRows(db, "main", day, day)
	if err != nil {
		t.Fatal(err)
	}
	got := map[checks.RuleID]int{}
	for _, r := range rows {
		got[r.Rule] += r.Count
	}
	if got[checks.R13] != 1 || got[checks.R7] != 1 || len(got) != 2 {
		t.Errorf("verdict rows %+v, want one R13 (manager 7) and one R7 (manager 8)", rows)
	}
}
