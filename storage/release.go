package storage

import (
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// ReleaseMemory drops the database file's pages from this process's resident memory. bbolt
// reads the file through a shared read-only mapping, so a bulk read (loading the working set,
// a first sync) leaves every page it touched counted in the process's RSS although the kernel
// keeps them in its page cache anyway. The pages come back on the next access; nothing is
// lost. It runs inside a read transaction, during which bbolt never remaps the file.
func (db *DB) ReleaseMemory() error {
	if err := db.bolt.View(db.releaseIn); err != nil {
		return err
	}
	if after, ok := residentFile(); ok {
		db.fileBase.Store(after)
	}
	return nil
}

// ReleaseGrown is ReleaseMemory once the process's file-backed resident memory has grown by
// more than limit bytes since the last release, so what the database's pages add to the RSS
// stays under limit whatever touched them (writes, reads, a restore). Releasing after every
// page a poll wrote made each page fault the trees' upper levels in again: a tenth of a busy
// cycle's CPU. Where that memory cannot be read, it releases every time.
func (db *DB) ReleaseGrown(limit int64) error {
	if now, ok := residentFile(); ok && now-db.fileBase.Load() <= limit {
		return nil
	}
	return db.ReleaseMemory()
}

// releaseIn is ReleaseMemory inside a transaction the caller holds (a long read drops the
// pages behind it as it goes).
func (db *DB) releaseIn(tx *bolt.Tx) error {
	if err := dontNeed(db.bolt.Info().Data, int(tx.Size())); err != nil {
		return fmt.Errorf("release database pages: %w", err)
	}
	return nil
}

// releaseEvery is how many records a long read goes through between two releases.
const releaseEvery = 4096
