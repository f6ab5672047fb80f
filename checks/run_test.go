package checks

import (
	"errors"
	"reflect"
	"testing"
	"time"

	"salesguard/amo"
)

func TestRunValidatesSettings(t *testing.T) {
	s := DefaultSettings()
	s.R11.Days = 0
	var se *SettingsError
	if _, err := Run(baseSnap(), s, time.Date(2026, 11, 18, 12, 0, 0, 0, time.UTC)); !errors.As(err, &se) {
		t.Errorf("Run = %v, want a settings error", err)
	}
	snap := baseSnap()
	snap.Account.TimeZone = "Bad/Zone"
	if _, err := Run(snap, DefaultSettings(), time.Date(2026, 11, 18, 12, 0, 0, 0, time.UTC)); err == nil {
		t.Error("bad account zone accepted")
	}
	if _, err := Run(nil, DefaultSettings(), time.Date(2026, 11, 18, 12, 0, 0, 0, time.UTC)); err == nil {
		t.Error("nil snapshot accepted")
	}
}

func TestRunDeterministicAndDisabled(t *testing.T) {
	now := mskAt(t, 2026, 11, 18, 12, 0)
	snap := baseSnap()
	for i := range 50 {
		snap.Leads = append(snap.Leads, lead(amo.LeadID(100-i), []amo.StatusID{tNew, tWork, tMissed}[i%3],
			created(now.Add(time.Duration(-i*7)*time.Hour)), owner(amo.UserID(1+i%2))))
	}
	a, err := Run(snap, DefaultSettings(), now)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := Run(snap, DefaultSettings(), now)
	if len(a) == 0 || !reflect.DeepEqual(a, b) {
		t.Fatalf("not deterministic or empty: %d findings", len(a))
	}
	for i := 1; i < len(a); i++ {
		if ruleOrder(a[i-1].Rule) > ruleOrder(a[i].Rule) {
			t.Fatal("not sorted by rule")
		}
	}
	s := DefaultSettings()
	s.Disabled = []RuleID{R2, R12}
	c, _ := Run(snap, s, now)
	for _, f := range c {
		if f.Rule == R2 || f.Rule == R12 {
			t.Fatalf("disabled rule ran: %+v", f)
		}
	}
	in := mustInput(t, snap, DefaultSettings(), now)
	for _, f := range Evaluate(in, R4) {
		if f.Rule != R4 || f.AccountID != 7 {
			t.Fatalf("Evaluate(R4) returned %+v", f)
		}
	}
}
