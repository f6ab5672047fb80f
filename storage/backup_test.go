package storage

import (
	"bytes"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"salesguard/notify"
)

// TestBackupWhileWriting copies the database while another goroutine keeps enqueueing, then
// opens the copy and checks it is a consistent prefix of the writes.
func TestBackupWhileWriting(t *testing.T) {
	db := mustOpen(t)
	if err := db.PutAccount(Account{Key: "main", BaseURL: "https://x.amocrm.ru", AddedAt: t0}); err != nil {
		t.Fatal(err)
	}
	stop, started := make(chan struct{}), make(chan struct{})
	var wg sync.WaitGroup
	var once sync.Once
	signal := func() { once.Do(func() { close(started) }) }
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			if _, err := db.Enqueue(notify.Message{ChatID: int64(i % 5), Text: "x"}, t0); err != nil {
				t.Error(err)
				signal()
				return
			}
			if i == 20 {
				signal() // the copy starts while writes go on
			}
		}
	}()
	<-started

	dir := t.TempDir()
	path := filepath.Join(dir, "backup.db")
	var buf bytes.Buffer
	n, err := db.Backup(&buf)
	if err != nil || n != int64(buf.Len()) || n == 0 {
		t.Errorf("backup to writer: %d bytes, %v", n, err)
	}
	if err := db.BackupFile(path); err != nil {
		t.Fatalf("backup file: %v", err)
	}
	close(stop)
	wg.Wait()

	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("backup mode %v, want 0600", fi.Mode().Perm())
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".backup.db.tmp-*")); len(left) != 0 {
		t.Errorf("temporary files left: %v", left)
	}

	cp, err := Open(path, Options{})
	if err != nil {
		t.Fatalf("open backup: %v", err)
	}
	defer cp.Close()
	if _, found, err := cp.Account("main"); err != nil || !found {
		t.Errorf("account missing from backup: %v", err)
	}
	depth, err := cp.Depth()
	if err != nil {
		t.Fatal(err)
	}
	// Consistency: the pending index and the items agree, and ids are 1..depth with no gap.
	items, err := cp.Due(t0, 0)
	if err != nil || len(items) == 0 {
		t.Fatalf("due in backup: %d items, %v", len(items), err)
	}
	for id := uint64(1); id <= uint64(depth); id++ {
		if _, found, err := cp.OutboxItem(id); err != nil || !found {
			t.Fatalf("item %d of %d missing from backup: %v", id, depth, err)
		}
	}
	if _, found, _ := cp.OutboxItem(uint64(depth) + 1); found {
		t.Errorf("item beyond the indexed depth %d in backup", depth)
	}
}
