package storage

import (
	"reflect"
	"slices"
	"testing"
	"time"

	"salesguard/amo"
	"salesguard/checks"
)

// byManager sets a finding's manager.
func byManager(f checks.Finding, m amo.UserID) checks.Finding { f.ManagerID = m; return f }

func dealsOf(fs []checks.Finding) []amo.LeadID {
	var out []amo.LeadID
	for _, f := range fs {
		out = append(out, f.DealID)
	}
	slices.Sort(out)
	return out
}

// TestTableFindingsAreTheLedgerAtTheCount: the findings of a day are the entries open at the
// moment its table was counted, whatever happened to them later; counting them again gives
// the stored rows.
func TestTableFindingsAreTheLedgerAtTheCount(t *testing.T) {
	db := mustOpen(t)
	day := checks.DateOf(t0)
	deals := []int64{1, 2, 3, 4, 5, 6}
	all := []checks.RuleID{checks.R2, checks.R3, checks.R4, checks.R11}
	a, b := finding(checks.R2, 1), finding(checks.R3, 2)
	c, d := byManager(finding(checks.R3, 3), 20), byManager(finding(checks.R4, 4), 20)
	e, stale := finding(checks.R2, 5), finding(checks.R11, 6)

	mustReconcile(t, db, t0, scopes(deals, a, b, c, stale), all...)
	// The digest's cycle: c is fixed, d appears, R11 is switched off (its entry stays open).
	at := t0.Add(8 * time.Hour)
	mustReconcile(t, db, at, scopes(deals, a, b, d, stale), checks.R2, checks.R3, checks.R4)
	counted := []checks.Finding{a, b, d} // what the digest's evaluation of the enabled rules found
	rows := checks.Table(counted, day)
	if err := db.PutTableAt("main", day, at, rows); err != nil {
		t.Fatal(err)
	}
	// Later: a is fixed, e appears. Neither changes what the day's count was made of.
	mustReconcile(t, db, at.Add(time.Hour), scopes(deals, b, d, e, stale), all...)

	got, err := db.TableFindings("main", day.AddDays(-3), day.AddDays(3), nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || !reflect.DeepEqual(dealsOf(got[day]), []amo.LeadID{1, 2, 4}) {
		t.Fatalf("findings = %v, want deals 1, 2, 4 on %s", got, day)
	}
	if again := checks.Table(got[day], day); !reflect.DeepEqual(again, rows) {
		t.Errorf("counting the findings gives %v, the stored table is %v", again, rows)
	}
	stored, err := db.Table("main", day, day)
	if err != nil || !reflect.DeepEqual(stored, rows) {
		t.Errorf("PutTableAt stored %v (%v), want %v", stored, err, rows)
	}

	only20, err := db.TableFindings("main", day, day, func(f *checks.Finding) bool { return f.ManagerID == 20 })
	if err != nil || !reflect.DeepEqual(dealsOf(only20[day]), []amo.LeadID{4}) {
		t.Errorf("kept manager 20: %v (%v), want deal 4", only20, err)
	}
}

// TestTableFindingsOfSeveralDays: an entry open across several counts belongs to each of those
// days; a day stored without its moment has none.
func TestTableFindingsOfSeveralDays(t *testing.T) {
	db := mustOpen(t)
	d1 := checks.DateOf(t0)
	a, b := finding(checks.R2, 1), finding(checks.R3, 2)
	mustReconcile(t, db, t0, scopes([]int64{1, 2}, a, b), checks.R2, checks.R3)
	at1 := t0.Add(9 * time.Hour)
	if err := db.PutTableAt("main", d1, at1, checks.Table([]checks.Finding{a, b}, d1)); err != nil {
		t.Fatal(err)
	}
	mustReconcile(t, db, at1.Add(time.Hour), scopes([]int64{1, 2}, a), checks.R2, checks.R3) // b fixed
	d2 := d1.AddDays(1)
	at2 := at1.Add(24 * time.Hour)
	if err := db.PutTableAt("main", d2, at2, checks.Table([]checks.Finding{a}, d2)); err != nil {
		t.Fatal(err)
	}
	d3 := d2.AddDays(1)
	if err := db.PutTable("main", d3, checks.Table([]checks.Finding{a}, d3)); err != nil {
		t.Fatal(err)
	}
	got, err := db.TableFindings("main", d1, d3, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(dealsOf(got[d1]), []amo.LeadID{1, 2}) || !reflect.DeepEqual(dealsOf(got[d2]), []amo.LeadID{1}) {
		t.Errorf("findings = %v, want deals 1, 2 on %s and 1 on %s", got, d1, d2)
	}
	if _, ok := got[d3]; ok || len(got) != 2 {
		t.Errorf("a day stored without its moment has findings: %v", got)
	}
	if none, err := db.TableFindings("other", d1, d3, nil); err != nil || len(none) != 0 {
		t.Errorf("an account with nothing stored: %v, %v", none, err)
	}
}

func TestPutTableAtRejectsAnotherDay(t *testing.T) {
	db := mustOpen(t)
	d := checks.DateOf(t0)
	if err := db.PutTableAt("main", d, t0, []checks.TableRow{{Day: d.AddDays(1), Manager: 1, Rule: checks.R2, Count: 1}}); err == nil {
		t.Fatal("a row of another day: want an error")
	}
}
