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

// finding returns a finding of a rule on a deal, in the deal's scope.
func finding(rule checks.RuleID, deal int64) checks.Finding {
	return checks.Finding{Rule: rule, Level: checks.LevelWarning, AccountID: 5, DealID: amo.LeadID(deal), ManagerID: 10,
		Scope: checks.Scope{Kind: checks.ScopeDeal, ID: deal}, DealName: "Deal", Due: t0}
}

// scopes groups findings into the scopes of the given deals (a deal with none is listed empty).
func scopes(deals []int64, fs ...checks.Finding) []checks.ScopeResult {
	var out []checks.ScopeResult
	for _, d := range deals {
		s := checks.ScopeResult{Scope: checks.Scope{Kind: checks.ScopeDeal, ID: d}}
		for _, f := range fs {
			if f.Scope == s.Scope {
				s.Findings = append(s.Findings, f)
			}
		}
		out = append(out, s)
	}
	return out
}

func keys(fs []checks.Finding) []checks.Key {
	var out []checks.Key
	for _, f := range fs {
		out = append(out, f.Key())
	}
	return out
}

func entryKeys(es []LedgerEntry) []checks.Key {
	var out []checks.Key
	for _, e := range es {
		out = append(out, e.Key)
	}
	return out
}

func mustReconcile(t *testing.T, db *DB, now time.Time, ss []checks.ScopeResult, evaluated ...checks.RuleID) LedgerDelta {
	t.Helper()
	ran := func(r checks.RuleID) bool {
		for _, e := range evaluated {
			if e == r {
				return true
			}
		}
		return false
	}
	d, err := db.Reconcile("main", now, ss, ran, nil)
	if err != nil {
		t.Fatalf("reconcile: %v", err)
	}
	return d
}

func TestReconcileOpenCloseReopen(t *testing.T) {
	db := mustOpen(t)
	a, b, c := finding(checks.R2, 1), finding(checks.R3, 2), finding(checks.R13, 2)
	deals := []int64{1, 2}
	all := []checks.RuleID{checks.R2, checks.R3}

	d := mustReconcile(t, db, t0, scopes(deals, a, b, a), all...)
	if !reflect.DeepEqual(keys(d.Opened), keys([]checks.Finding{a, b})) || len(d.Closed) != 0 {
		t.Fatalf("first: opened %v closed %v", keys(d.Opened), entryKeys(d.Closed))
	}
	if err := db.SetAlertRef("main", a.Key(), notify.SentRef{ChatID: 7, MessageID: 70}); err != nil {
		t.Fatal(err)
	}
	if err := db.SetAlertRef("main", a.Key(), notify.SentRef{ChatID: 8, MessageID: 80}); err != nil {
		t.Fatal(err)
	}

	// Same findings again: nothing new, nothing closed.
	if d = mustReconcile(t, db, t0.Add(time.Minute), scopes(deals, a, b), all...); len(d.Opened) != 0 || len(d.Closed) != 0 {
		t.Fatalf("repeat: opened %v closed %v", keys(d.Opened), entryKeys(d.Closed))
	}

	// a is fixed; c appears (R13 runs now).
	fixedAt := t0.Add(time.Hour)
	d = mustReconcile(t, db, fixedAt, scopes(deals, b, c), checks.R2, checks.R3, checks.R13)
	if !reflect.DeepEqual(keys(d.Opened), keys([]checks.Finding{c})) || !reflect.DeepEqual(entryKeys(d.Closed), keys([]checks.Finding{a})) {
		t.Fatalf("fix: opened %v closed %v", keys(d.Opened), entryKeys(d.Closed))
	}
	got := d.Closed[0]
	if got.TimeToFix() != time.Hour || len(got.Alerts) != 2 || got.Alerts[0].MessageID != 70 || got.IsOpen() ||
		got.Finding.DealName != "Deal" || !got.Finding.Due.Equal(t0) {
		t.Errorf("closed entry %+v", got)
	}
	if _, found, _ := db.Entry("main", a.Key()); found {
		t.Error("closed entry is still open")
	}

	// R13 did not run: c stays open although absent; b's rule ran and b is gone.
	d = mustReconcile(t, db, fixedAt.Add(time.Minute), scopes(deals), all...)
	if !reflect.DeepEqual(entryKeys(d.Closed), keys([]checks.Finding{b})) {
		t.Errorf("scoped close: closed %v, want only %s", entryKeys(d.Closed), b.Key())
	}
	// A scope not listed is not looked at.
	if d = mustReconcile(t, db, fixedAt.Add(time.Minute), nil, checks.R13); len(d.Closed) != 0 {
		t.Errorf("unlisted scope closed %v", entryKeys(d.Closed))
	}
	open, err := db.Open("main")
	if err != nil || !reflect.DeepEqual(entryKeys(open), keys([]checks.Finding{c})) {
		t.Errorf("open %v, %v; want %s", entryKeys(open), err, c.Key())
	}
	if ks, err := db.OpenKeys("main"); err != nil || !reflect.DeepEqual(ks, keys([]checks.Finding{c})) {
		t.Errorf("open keys %v, %v", ks, err)
	}

	// a reappears: a new entry, alerted again.
	reopenAt := t0.Add(3 * time.Hour)
	d = mustReconcile(t, db, reopenAt, scopes(deals, a, c), all...)
	if !reflect.DeepEqual(keys(d.Opened), keys([]checks.Finding{a})) {
		t.Fatalf("reopen: opened %v", keys(d.Opened))
	}
	e, found, err := db.Entry("main", a.Key())
	if err != nil || !found || !e.OpenedAt.Equal(reopenAt) || len(e.Alerts) != 0 {
		t.Errorf("reopened entry %+v, %v, %v", e, found, err)
	}

	hist, err := db.Closed("main", t0, reopenAt)
	if err != nil || !reflect.DeepEqual(entryKeys(hist), keys([]checks.Finding{a, b})) {
		t.Errorf("closed history %v, %v", entryKeys(hist), err)
	}
	n, err := db.PruneClosed("main", fixedAt.Add(time.Second))
	if err != nil || n != 1 {
		t.Errorf("prune closed: %d, %v; want 1", n, err)
	}
}

// TestReconcileQueuesInTheSameTransaction checks that the messages of a delta land in the
// outbox with the entries, and that an idle reconcile neither writes nor calls back.
func TestReconcileQueuesInTheSameTransaction(t *testing.T) {
	db := mustOpen(t)
	a := finding(checks.R1, 1)
	calls := 0
	msgs := func(d LedgerDelta) []Queued {
		calls++
		var out []Queued
		for _, f := range d.Opened {
			out = append(out, Queued{Message: notify.Message{ChatID: 7, Text: "alert", FindingKey: f.Key().String()}, At: t0})
		}
		return out
	}
	ran := func(checks.RuleID) bool { return true }
	if _, err := db.Reconcile("main", t0, scopes([]int64{1}, a), ran, msgs); err != nil {
		t.Fatal(err)
	}
	due, err := db.Due(t0, 0)
	if err != nil || len(due) != 1 || due[0].Message.FindingKey != a.Key().String() {
		t.Fatalf("outbox after reconcile: %+v, %v", due, err)
	}
	if _, err := db.Reconcile("main", t0.Add(time.Minute), scopes([]int64{1}, a), ran, msgs); err != nil {
		t.Fatal(err)
	}
	if calls != 1 {
		t.Errorf("messages called %d times, want once (the second reconcile changed nothing)", calls)
	}
}

func TestLedgerSnoozeAckReminders(t *testing.T) {
	db := mustOpen(t)
	a, b := finding(checks.R3, 1), finding(checks.R3, 2)
	mustReconcile(t, db, t0, scopes([]int64{1, 2}, a, b), checks.R3)

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
		want []checks.Key
	}{
		{"before the snooze ends", t0.Add(59 * time.Minute), nil},
		{"at the end", t0.Add(time.Hour), keys([]checks.Finding{a})},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			due, err := db.DueReminders("main", tt.now)
			if err != nil || !reflect.DeepEqual(entryKeys(due), tt.want) {
				t.Errorf("due %v, %v; want %v", entryKeys(due), err, tt.want)
			}
		})
	}
	due, _ := db.DueReminders("main", t0.Add(time.Hour))
	if err := db.FireReminders("main", due, []Queued{{Message: notify.Message{ChatID: 7, Text: "again"}, At: t0}}); err != nil {
		t.Fatal(err)
	}
	if again, _ := db.DueReminders("main", t0.Add(2*time.Hour)); len(again) != 0 {
		t.Errorf("reminded twice: %v", entryKeys(again))
	}
	if e, _, _ := db.Entry("main", a.Key()); !e.SnoozedUntil.IsZero() {
		t.Errorf("snooze not cleared: %+v", e)
	}

	// A snoozed entry that closes is not reminded of.
	if err := db.Snooze("main", b.Key(), t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	mustReconcile(t, db, t0.Add(30*time.Minute), scopes([]int64{1, 2}, a), checks.R3)
	if due, _ := db.DueReminders("main", t0.Add(2*time.Hour)); len(due) != 0 {
		t.Errorf("closed entry reminded: %v", entryKeys(due))
	}

	var nope checks.Key
	for name, err := range map[string]error{
		"snooze": db.Snooze("main", nope, t0),
		"ack":    db.Ack("main", nope, 1, t0),
		"alert":  db.SetAlertRef("other", a.Key(), notify.SentRef{}),
	} {
		if !errors.Is(err, ErrNotFound) {
			t.Errorf("%s of a missing entry: %v, want ErrNotFound", name, err)
		}
	}
}

// TestLedgerEntryRoundTrip encodes an entry with every field set and decodes it back.
func TestLedgerEntryRoundTrip(t *testing.T) {
	f := checks.Finding{Rule: checks.R10, Level: checks.LevelEscalation, Kind: checks.KindMissingFields, Unit: checks.UnitCount,
		AccountID: 9, Scope: checks.Scope{Kind: checks.ScopeTask, ID: 77}, DealID: 3, ManagerID: 4, Due: t0, Value: 2.5, Limit: 15,
		DealName: "Ёлка «A&B»", Stage: amo.StatusRef{PipelineID: 1, StatusID: 2}, Task: 5, TaskText: "call", Result: "ok",
		TaskBy: 6, Note: 7, CallAt: t0.Add(time.Minute), Incoming: true, Link: "https://rec/1", Day: checks.Date{Year: 2026, Month: 11, Day: 18},
		Count: 8, Extra: 9, Failed: 3, Reason: "cant_reach", Fields: []amo.FieldID{10, 11}}
	e := LedgerEntry{Key: f.Key(), Finding: f, OpenedAt: t0, ClosedAt: t0.Add(time.Hour),
		Alerts: []notify.SentRef{{ChatID: 1, MessageID: 2}}, SnoozedUntil: t0.Add(2 * time.Hour), AckedBy: 42, AckedAt: t0.Add(3 * time.Hour)}
	got, err := decodeEntry(e.Key[:], encodeEntry(&e))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, e) {
		t.Errorf("round trip:\n got  %+v\n want %+v", got, e)
	}
	for n := range len(encodeEntry(&e)) {
		if _, err := decodeEntry(e.Key[:], encodeEntry(&e)[:n]); err == nil {
			t.Fatalf("a truncated entry (%d bytes) decoded", n)
		}
	}
}
