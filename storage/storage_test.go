package storage

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"salesguard/notify"
)

var t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

func mustOpen(t testing.TB) *DB {
	t.Helper()
	db, err := Open(filepath.Join(t.TempDir(), "db"), Options{NoSync: true})
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	t.Cleanup(func() { _ = db.Close() })
	return db
}

func TestOpenTwiceIsAClearError(t *testing.T) {
	path := filepath.Join(t.TempDir(), "db")
	db, err := Open(path, Options{})
	if err != nil {
		t.Fatalf("first open: %v", err)
	}
	defer db.Close()

	_, err = Open(path, Options{Timeout: 50 * time.Millisecond})
	if !errors.Is(err, ErrInUse) {
		t.Fatalf("second open: got %v, want ErrInUse", err)
	}
	if want := "database " + path + " is in use by another process"; len(err.Error()) < len(want) || err.Error()[:len(want)] != want {
		t.Errorf("message %q does not start with %q", err, want)
	}
}

func TestOpenModes(t *testing.T) {
	tests := []struct {
		name     string
		existing os.FileMode // 0: no file before Open
	}{
		{name: "new file", existing: 0},
		{name: "existing world-readable file is narrowed", existing: 0o644},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "db")
			if tt.existing != 0 {
				bdb, err := bolt.Open(path, tt.existing, nil)
				if err != nil {
					t.Fatal(err)
				}
				_ = bdb.Close()
				if err := os.Chmod(path, tt.existing); err != nil {
					t.Fatal(err)
				}
			}
			db, err := Open(path, Options{})
			if err != nil {
				t.Fatalf("open: %v", err)
			}
			defer db.Close()
			fi, err := os.Stat(path)
			if err != nil {
				t.Fatal(err)
			}
			if got := fi.Mode().Perm(); got != 0o600 {
				t.Errorf("mode %v, want 0600", got)
			}
			v, err := db.SchemaVersion()
			if err != nil || v != CurrentSchema() {
				t.Errorf("schema version %d, %v; want %d", v, err, CurrentSchema())
			}
		})
	}
}

// TestMigrateFromV1 builds a version-1 file (no outbox indexes) with a pending and a parked
// item, and checks Open upgrades it so both are found through the new indexes.
func TestMigrateFromV1(t *testing.T) {
	path := filepath.Join(t.TempDir(), "db")
	bdb, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := migrate(bdb, migrations()[:1]); err != nil {
		t.Fatalf("migrate to v1: %v", err)
	}
	items := []OutboxItem{
		{ID: 1, Message: notify.Message{ChatID: 7, Text: "pending"}, EnqueuedAt: t0, NextAt: t0},
		{ID: 2, Message: notify.Message{ChatID: 8, Text: "parked"}, EnqueuedAt: t0, ParkedAt: t0, ParkReason: "blocked"},
		{ID: 3, Message: notify.Message{ChatID: 9, Text: "sent"}, EnqueuedAt: t0, SentAt: t0},
	}
	err = bdb.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketOutbox)
		for _, it := range items {
			data, _ := json.Marshal(it)
			if err := b.Put(u64(it.ID), data); err != nil {
				return err
			}
		}
		return b.SetSequence(3)
	})
	if err != nil {
		t.Fatal(err)
	}
	_ = bdb.Close()

	db, err := Open(path, Options{})
	if err != nil {
		t.Fatalf("open v1 file: %v", err)
	}
	defer db.Close()
	if v, _ := db.SchemaVersion(); v != CurrentSchema() {
		t.Errorf("schema version %d, want %d", v, CurrentSchema())
	}
	due, err := db.Due(t0, 0)
	if err != nil || len(due) != 1 || due[0].Message.Text != "pending" {
		t.Errorf("due after migration = %+v, %v; want the pending item", due, err)
	}
	parked, err := db.Parked()
	if err != nil || len(parked) != 1 || parked[0].ID != 2 {
		t.Errorf("parked after migration = %+v, %v; want item 2", parked, err)
	}
	if id, err := db.Enqueue(notify.Message{ChatID: 7}, t0); err != nil || id != 4 {
		t.Errorf("enqueue after migration: id %d, %v; want 4", id, err)
	}
}

func TestOpenNewerSchemaFails(t *testing.T) {
	path := filepath.Join(t.TempDir(), "db")
	db, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	err = db.bolt.Update(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketMeta).Put(keySchemaVersion, []byte("99"))
	})
	if err != nil {
		t.Fatal(err)
	}
	_ = db.Close()
	if _, err := Open(path, Options{}); !errors.Is(err, ErrNewerSchema) {
		t.Fatalf("open: got %v, want ErrNewerSchema", err)
	}
}

func TestTimeKeysSortInTimeOrder(t *testing.T) {
	times := []time.Time{
		t0,
		t0.Add(500 * time.Millisecond),
		t0.Add(time.Second),
		t0.Add(time.Second + time.Nanosecond),
		t0.In(time.FixedZone("x", 3*3600)).Add(2 * time.Second),
	}
	for i := 1; i < len(times); i++ {
		if a, b := string(timeKey(times[i-1])), string(timeKey(times[i])); a >= b {
			t.Errorf("timeKey(%v)=%s does not sort before timeKey(%v)=%s", times[i-1], a, times[i], b)
		}
	}
}

func TestJobsByPrefix(t *testing.T) {
	db := mustOpen(t)
	at := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	for _, job := range []string{"audience:1:head", "audience:2:manager:7", "digest", "audiencex"} {
		if err := db.SetLastRun("main", job, at); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.SetLastRun("main", "audience:2:manager:7", time.Time{}); err != nil { // reset
		t.Fatal(err)
	}
	got, err := db.Jobs("main", "audience:")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || !got["audience:1:head"].Equal(at) {
		t.Errorf("Jobs = %v; want only audience:1:head", got)
	}
	if got, err := db.Jobs("other", "audience:"); err != nil || len(got) != 0 {
		t.Errorf("Jobs of an unknown account = %v, %v", got, err)
	}
}
