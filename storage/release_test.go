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
