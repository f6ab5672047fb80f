package storage

import (
	"errors"
	"reflect"
	"testing"
	"time"

	"salesguard/amo"
	"salesguard/checks"
	"salesguard/notify"
)

func finding(rule checks.RuleID, deal int64) checks.Finding {
	return checks.Finding{Rule: rule, Level: checks.LevelWarning, AccountID: 5, DealID: amoLead(deal), ManagerID: 10}
}

func keys(fs []checks.Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.Key())
	}
	return out
}

func entryKeys(es []LedgerEntry) []string {
	var out []string
	for _, e := range es {
		out = append(out, e.Key)
	}
	return out
}

func mustReconcile(t *testing.T, db *DB, now time.Time, cur []checks.Finding, evaluated ...checks.RuleID) ([]checks.Finding, []LedgerEntry) {
	t.Helper()
	opened, closed, err := db.Reconcile("main", now, cur, evaluated)
	if err != nil {
		t.Fatalf("reconcile: %v", err)
	}
	return opened, closed
}

func TestReconcileOpenCloseReopen(t *testing.T) {
	db := mustOpen(t)
	a, b, c := finding(checks.R2, 1), finding(checks.R3, 2), finding(checks.R13, 3)
	all := []checks.RuleID{checks.R2, checks.R3}

	opened, closed := mustReconcile(t, db, t0, []checks.Finding{a, b, a}, all...)
	if !reflect.DeepEqual(keys(opened), keys([]checks.Finding{a, b})) || len(closed) != 0 {
		t.Fatalf("first: opened %v closed %v", keys(opened), entryKeys(closed))
	}
	if err := db.SetAlertRef("main", a.Key(), notify.SentRef{ChatID: 7, MessageID: 70}); err != nil {
		t.Fatal(err)
	}

	// Same findings again: nothing new, nothing closed.
	opened, closed = mustReconcile(t, db, t0.Add(time.Minute), []checks.Finding{a, b}, all...)
	if len(opened) != 0 || len(closed) != 0 {
		t.Fatalf("repeat: opened %v closed %v", keys(opened), entryKeys(closed))
	}

	// a is fixed; c appears from a rule run only now.
	fixedAt := t0.Add(time.Hour)
	opened, closed = mustReconcile(t, db, fixedAt, []checks.Finding{b, c}, checks.R2, checks.R3, checks.R13)
	if !reflect.DeepEqual(keys(opened), []string{c.Key()}) || !reflect.DeepEqual(entryKeys(closed), []string{a.Key()}) {
		t.Fatalf("fix: opened %v closed %v", keys(opened), entryKeys(closed))
	}
	got := closed[0]
	if got.TimeToFix() != time.Hour || got.Alert == nil || got.Alert.MessageID != 70 || got.IsOpen() {
		t.Errorf("closed entry %+v", got)
	}
	if _, found, _ := db.Entry("main", a.Key()); found {
		t.Error("closed entry is still open")
	}

	// R13 did not run: its finding c stays open although absent; b's rule ran and b is gone.
	_, closed = mustReconcile(t, db, fixedAt.Add(time.Minute), nil, all...)
	if !reflect.DeepEqual(entryKeys(closed), []string{b.Key()}) {
		t.Errorf("scoped close: closed %v, want only %s", entryKeys(closed), b.Key())
	}
	open, err := db.Open("main")
	if err != nil || !reflect.DeepEqual(entryKeys(open), []string{c.Key()}) {
		t.Errorf("open %v, %v; want %s", entryKeys(open), err, c.Key())
	}

	// No evaluated rules: nothing closes.
	if _, closed = mustReconcile(t, db, fixedAt.Add(2*time.Minute), nil); len(closed) != 0 {
		t.Errorf("empty evaluated closed %v", entryKeys(closed))
	}

	// a reappears: a new entry, alerted again.
	reopenAt := t0.Add(3 * time.Hour)
	opened, _ = mustReconcile(t, db, reopenAt, []checks.Finding{a, c}, all...)
	if !reflect.DeepEqual(keys(opened), []string{a.Key()}) {
		t.Fatalf("reopen: opened %v", keys(opened))
	}
	e, found, err := db.Entry("main", a.Key())
	if err != nil || !found || !e.OpenedAt.Equal(reopenAt) || e.Alert != nil {
		t.Errorf("reopened entry %+v, %v, %v", e, found, err)
	}

	hist, err := db.Closed("main", t0, reopenAt)
	if err != nil || !reflect.DeepEqual(entryKeys(hist), []string{a.Key(), b.Key()}) {
		t.Errorf("closed history %v, %v", entryKeys(hist), err)
	}
	n, err := db.PruneClosed("main", fixedAt.Add(time.Second))
	if err != nil || n != 1 {
		t.Errorf("prune closed: %d, %v; want 1", n, err)
	}
}

func TestLedgerSnoozeAckReminders(t *testing.T) {
	db := mustOpen(t)
	a, b := finding(checks.R3, 1), finding(checks.R3, 2)
	mustReconcile(t, db, t0, []checks.Finding{a, b}, checks.R3)

	if err := db.Snooze("main", a.Key(), t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if err := db.Ack("main", b.Key(), 42, t0.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	e, _, _ := db.Entry("main", a.Key())
	if !e.IsSnoozed(t0.Add(59*time.Minute)) || e.IsSnoozed(t0.Add(time.Hour)) {
		t.Errorf("snooze window wrong: %+v", e)
	}
	e, _, _ = db.Entry("main", b.Key())
	if e.AckedBy != 42 || !e.AckedAt.Equal(t0.Add(time.Minute)) {
		t.Errorf("ack not recorded: %+v", e)
	}

	tests := []struct {
		name string
		now  time.Time
		want []string
	}{
		{"before the snooze ends", t0.Add(59 * time.Minute), nil},
		{"at the end", t0.Add(time.Hour), []string{a.Key()}},
		{"only once", t0.Add(2 * time.Hour), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			due, err := db.DueReminders("main", tt.now)
			if err != nil || !reflect.DeepEqual(entryKeys(due), tt.want) {
				t.Errorf("due %v, %v; want %v", entryKeys(due), err, tt.want)
			}
		})
	}

	// A snoozed entry that closes is not reminded of.
	if err := db.Snooze("main", b.Key(), t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	mustReconcile(t, db, t0.Add(30*time.Minute), []checks.Finding{a}, checks.R3)
	if due, _ := db.DueReminders("main", t0.Add(2*time.Hour)); len(due) != 0 {
		t.Errorf("closed entry reminded: %v", entryKeys(due))
	}

	for name, err := range map[string]error{
		"snooze": db.Snooze("main", "nope", t0),
		"ack":    db.Ack("main", "nope", 1, t0),
		"alert":  db.SetAlertRef("other", a.Key(), notify.SentRef{}),
	} {
		if !errors.Is(err, ErrNotFound) {
			t.Errorf("%s of a missing entry: %v, want ErrNotFound", name, err)
		}
	}
}

func amoLead(id int64) amo.LeadID { return amo.LeadID(id) }
