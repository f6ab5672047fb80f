package storage

import (
	"testing"

	"salesguard/notify"
)

// TestReleaseMemoryKeepsData drops the mapped pages and reads the data back.
func TestReleaseMemoryKeepsData(t *testing.T) {
	db := mustOpen(t)
	for i := range 200 {
		mustEnqueue(t, db, int64(i), "message", t0)
	}
	if err := db.ReleaseMemory(); err != nil {
		t.Fatal(err)
	}
	due, err := db.Due(t0, 0)
	if err != nil || len(due) != 200 {
		t.Fatalf("after releasing: %d due, %v", len(due), err)
	}
	if _, err := db.Enqueue(notify.Message{ChatID: 1}, t0); err != nil {
		t.Fatal(err)
	}
}

// TestReleaseGrown releases only past its bound and keeps the data readable.
func TestReleaseGrown(t *testing.T) {
	db := mustOpen(t)
	for i := range 200 {
		mustEnqueue(t, db, int64(i), "message", t0)
	}
	if err := db.ReleaseMemory(); err != nil {
		t.Fatal(err)
	}
	base := db.fileBase.Load()
	if _, ok := residentFile(); ok && base <= 0 {
		t.Errorf("file-backed RSS after a release = %d, want > 0 (the binary's own pages)", base)
	}
	if err := db.ReleaseGrown(1 << 40); err != nil || db.fileBase.Load() != base {
		t.Errorf("ReleaseGrown under its bound: err %v, base %d → %d, want untouched", err, base, db.fileBase.Load())
	}
	if err := db.ReleaseGrown(-1); err != nil {
		t.Fatal(err)
	}
	due, err := db.Due(t0, 0)
	if err != nil || len(due) != 200 {
		t.Fatalf("after releasing: %d due, %v", len(due), err)
	}
}
