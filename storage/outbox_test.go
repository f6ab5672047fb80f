package storage

import (
	"errors"
	"reflect"
	"testing"
	"time"

	"salesguard/notify"
)

func mustEnqueue(t *testing.T, db *DB, chat int64, text string, at time.Time) uint64 {
	t.Helper()
	id, err := db.Enqueue(notify.Message{ChatID: chat, Kind: notify.KindAlert, Text: text}, at)
	if err != nil {
		t.Fatalf("enqueue: %v", err)
	}
	return id
}

func texts(items []OutboxItem) []string {
	var out []string
	for _, it := range items {
		out = append(out, it.Message.Text)
	}
	return out
}

func mustDue(t *testing.T, db *DB, now time.Time, limit int) []string {
	t.Helper()
	items, err := db.Due(now, limit)
	if err != nil {
		t.Fatalf("due: %v", err)
	}
	return texts(items)
}

func TestOutboxPerChatOrder(t *testing.T) {
	db := mustOpen(t)
	a1 := mustEnqueue(t, db, 1, "a1", t0)
	mustEnqueue(t, db, 2, "b1", t0)
	mustEnqueue(t, db, 1, "a2", t0)
	mustEnqueue(t, db, 3, "c1", t0.Add(time.Hour)) // not due yet
	mustEnqueue(t, db, 2, "b2", t0)

	tests := []struct {
		name  string
		limit int
		want  []string
	}{
		{"first of each due chat", 0, []string{"a1", "b1"}},
		{"limit", 1, []string{"a1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := mustDue(t, db, t0, tt.limit); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("due %v, want %v", got, tt.want)
			}
		})
	}

	// a1 fails and waits: a2 must not overtake it.
	if err := db.MarkFailed(a1, "timeout", t0.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	if got := mustDue(t, db, t0, 0); !reflect.DeepEqual(got, []string{"b1"}) {
		t.Errorf("while a1 waits: due %v, want [b1]", got)
	}
	if got := mustDue(t, db, t0.Add(time.Minute), 0); !reflect.DeepEqual(got, []string{"a1", "b1"}) {
		t.Errorf("after a1's retry time: due %v", got)
	}
	it, _, _ := db.OutboxItem(a1)
	if it.Attempts != 1 || it.LastError != "timeout" || it.State() != OutboxPending {
		t.Errorf("failed item %+v", it)
	}

	ref := notify.SentRef{ChatID: 1, MessageID: 99}
	if err := db.MarkSent(a1, ref, t0.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	if got := mustDue(t, db, t0.Add(2*time.Hour), 0); !reflect.DeepEqual(got, []string{"b1", "a2", "c1"}) {
		t.Errorf("after a1 sent: due %v, want [b1 a2 c1]", got)
	}
	it, _, _ = db.OutboxItem(a1)
	if it.State() != OutboxSent || *it.Ref != ref {
		t.Errorf("sent item %+v", it)
	}
	if n, err := db.Depth(); err != nil || n != 4 {
		t.Errorf("depth %d, %v; want 4", n, err)
	}
	if err := db.MarkFailed(a1, "x", t0); err == nil {
		t.Error("MarkFailed of a sent item: want an error")
	}
	if err := db.MarkSent(12345, ref, t0); !errors.Is(err, ErrNotFound) {
		t.Errorf("MarkSent of a missing item: %v, want ErrNotFound", err)
	}
}

func TestOutboxParkUnparkPrune(t *testing.T) {
	db := mustOpen(t)
	b1 := mustEnqueue(t, db, 2, "b1", t0)
	mustEnqueue(t, db, 2, "b2", t0)
	c1 := mustEnqueue(t, db, 3, "c1", t0)

	if err := db.Park(b1, "bot blocked", t0); err != nil {
		t.Fatal(err)
	}
	if got := mustDue(t, db, t0, 0); !reflect.DeepEqual(got, []string{"b2", "c1"}) {
		t.Errorf("parked item holds its chat back: due %v", got)
	}
	parked, err := db.Parked()
	if err != nil || len(parked) != 1 || parked[0].ParkReason != "bot blocked" || parked[0].State() != OutboxParked {
		t.Errorf("parked %+v, %v", parked, err)
	}
	if err := db.Park(b1, "again", t0); err == nil {
		t.Error("parking a parked item: want an error")
	}
	if err := db.Unpark(b1, t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if parked, _ := db.Parked(); len(parked) != 0 {
		t.Errorf("still parked after unpark: %v", texts(parked))
	}
	if got := mustDue(t, db, t0.Add(time.Hour), 0); !reflect.DeepEqual(got, []string{"b1", "c1"}) {
		t.Errorf("after unpark: due %v", got)
	}

	if err := db.MarkSent(c1, notify.SentRef{ChatID: 3, MessageID: 1}, t0.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	if err := db.Park(b1, "blocked", t0.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	late := mustEnqueue(t, db, 4, "late", t0.Add(48*time.Hour))
	if err := db.MarkSent(late, notify.SentRef{ChatID: 4}, t0.Add(48*time.Hour)); err != nil {
		t.Fatal(err)
	}
	n, err := db.PruneSent(t0.Add(24 * time.Hour))
	if err != nil || n != 2 {
		t.Fatalf("prune: %d, %v; want 2 (sent c1, parked b1)", n, err)
	}
	for id, want := range map[uint64]bool{b1: false, c1: false, late: true} {
		if _, found, _ := db.OutboxItem(id); found != want {
			t.Errorf("item %d present %v, want %v", id, found, want)
		}
	}
	if got := mustDue(t, db, t0.Add(time.Hour), 0); !reflect.DeepEqual(got, []string{"b2"}) {
		t.Errorf("pending item pruned? due %v", got)
	}
}

func TestNextRetry(t *testing.T) {
	tests := []struct {
		attempts int
		want     time.Duration
	}{
		{0, 30 * time.Second},
		{1, 30 * time.Second},
		{2, time.Minute},
		{3, 2 * time.Minute},
		{6, 16 * time.Minute},
		{7, 30 * time.Minute},
		{100, 30 * time.Minute},
	}
	for _, tt := range tests {
		if got := NextRetry(tt.attempts); got != tt.want {
			t.Errorf("NextRetry(%d) = %v, want %v", tt.attempts, got, tt.want)
		}
	}
}
