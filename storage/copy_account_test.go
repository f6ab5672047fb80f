package storage

import (
	"errors"
	"testing"
	"time"

	"salesguard/checks"
)

func TestCopyAccount(t *testing.T) {
	db := mustOpen(t)
	s := checks.DefaultSettings()
	s.R1.EscalateFactor = 3
	if err := db.SaveSettings("main", s, "test", t0); err != nil {
		t.Fatal(err)
	}
	f := finding(checks.R2, 1)
	mustReconcile(t, db, t0, scopes([]int64{1}, f), checks.R2)
	if err := db.CopyAccount("main", "copy"); err != nil {
		t.Fatal(err)
	}
	got, ok, err := db.LoadSettings("copy")
	if err != nil || !ok || got.R1.EscalateFactor != 3 {
		t.Fatalf("copied settings: %+v %v %v", got.R1, ok, err)
	}
	keys, err := db.OpenKeys("copy")
	if err != nil || len(keys) != 1 || keys[0] != f.Key() {
		t.Fatalf("copied ledger: %v %v", keys, err)
	}
	// The copy is independent: closing the finding in one leaves the other.
	mustReconcile(t, db, t0.Add(time.Hour), scopes([]int64{1}), checks.R2)
	if keys, _ := db.OpenKeys("copy"); len(keys) != 1 {
		t.Errorf("the copy changed with the original: %v", keys)
	}
	if err := db.CopyAccount("main", "copy"); err == nil {
		t.Error("copying onto an existing account succeeded")
	}
	if err := db.CopyAccount("nobody", "x"); !errors.Is(err, ErrNotFound) {
		t.Errorf("copying a missing account: %v, want ErrNotFound", err)
	}
}
