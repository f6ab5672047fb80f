package storage

import (
	"testing"
	"time"

	"salesguard/checks"
	"salesguard/notify"
)

// TestQueuedRemindSchedulesAReminder: a message queued with Remind in the reconciliation's
// transaction schedules the entry's reminder; firing it with another Remind schedules the next;
// closing the entry drops it.
func TestQueuedRemindSchedulesAReminder(t *testing.T) {
	db := mustOpen(t)
	f := finding(checks.R1, 1)
	f.Level = checks.LevelEscalation
	first := t0.Add(30 * time.Minute)
	msg := func(d LedgerDelta) []Queued {
		var out []Queued
		for _, o := range d.Opened {
			out = append(out, Queued{Message: notify.Message{Kind: notify.KindAlert, ChatID: 7, Text: "esc", FindingKey: o.Key().String()},
				At: t0, Remind: first})
		}
		return out
	}
	if _, err := db.Reconcile("main", t0, scopes([]int64{1}, f), nil, msg); err != nil {
		t.Fatal(err)
	}
	if due, err := db.DueReminders("main", first.Add(-time.Second)); err != nil || len(due) != 0 {
		t.Fatalf("before its time: %v %v", due, err)
	}
	due, err := db.DueReminders("main", first)
	if err != nil || len(due) != 1 || due[0].Key != f.Key() {
		t.Fatalf("at its time: %v %v, want the escalation", due, err)
	}
	next := first.Add(30 * time.Minute)
	rem := []Queued{{Message: notify.Message{Kind: notify.KindReminder, ChatID: 7, Text: "again", FindingKey: f.Key().String()}, At: first, Remind: next}}
	if err := db.FireReminders("main", due, rem); err != nil {
		t.Fatal(err)
	}
	if due, _ := db.DueReminders("main", next.Add(-time.Second)); len(due) != 0 {
		t.Fatalf("the fired reminder is still due: %v", due)
	}
	if due, _ := db.DueReminders("main", next); len(due) != 1 {
		t.Fatalf("the next reminder was not scheduled: %v", due)
	}
	// Fixed: the entry closes and its reminder goes with it.
	if _, err := db.Reconcile("main", next, scopes([]int64{1}), nil, nil); err != nil {
		t.Fatal(err)
	}
	if due, _ := db.DueReminders("main", next.Add(time.Hour)); len(due) != 0 {
		t.Fatalf("a closed entry is still reminded of: %v", due)
	}
	if n, err := db.Depth(); err != nil || n != 2 {
		t.Errorf("outbox holds %d messages (%v), want the alert and the reminder", n, err)
	}
}

// TestLedgerEntryVersion2Reads: an entry written before Told existed (version 2: the same
// bytes without the Told list) reads as told to nobody.
func TestLedgerEntryVersion2Reads(t *testing.T) {
	f := finding(checks.R1, 1)
	e := LedgerEntry{Key: f.Key(), Finding: f, OpenedAt: t0, AckedBy: 5}
	v3 := encodeEntry(&e)
	v2 := append([]byte{2}, v3[1:len(v3)-1]...) // no Told: its count (one zero byte) gone
	got, err := decodeEntry(e.Key[:], v2)
	if err != nil || got.AckedBy != 5 || len(got.Told) != 0 || !got.OpenedAt.Equal(t0) {
		t.Fatalf("version 2 entry: %+v, %v", got, err)
	}
	e.Told = []int64{7, -100}
	got, err = decodeEntry(e.Key[:], encodeEntry(&e))
	if err != nil || len(got.Told) != 2 || got.Told[1] != -100 {
		t.Fatalf("version 3 round trip: %+v, %v", got.Told, err)
	}
}
