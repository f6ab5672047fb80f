// Package storage keeps SalesGuard's state in one bbolt file: accounts, OAuth tokens, settings
// and their history, the synced CRM entities and sync cursors, the findings ledger, the outbox
// of outgoing messages, the daily table history, audit verdicts, people and invites, and the
// last run of scheduled jobs.
//
// Everything that belongs to an amoCRM account is keyed by the account key ("main",
// "client-a"): an agency watches several accounts in one process. Values are JSON of the
// package's own structs; every method runs in one bbolt transaction, so a method either applies
// fully or not at all. Times are taken as arguments, never read from a clock.
package storage

import (
	"errors"
	"fmt"
	"os"
	"sync/atomic"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// DefaultTimeout is how long Open waits for the file lock held by another process.
const DefaultTimeout = time.Second

// fileMode is the mode of the database and its backups: they hold OAuth tokens.
const fileMode os.FileMode = 0o600

// Sentinel errors. Callers test them with errors.Is.
var (
	// ErrInUse means another process holds the database open.
	ErrInUse = errors.New("storage: database in use")
	// ErrNotFound means the record a method needs to change does not exist.
	ErrNotFound = errors.New("storage: not found")
	// ErrInviteExpired means an invite code was used after its expiry (it is deleted).
	ErrInviteExpired = errors.New("storage: invite expired")
	// ErrNewerSchema means the file was written by a newer version of the program.
	ErrNewerSchema = errors.New("storage: database schema is newer than this program")
)

// Options tune Open. The zero value is ready to use.
type Options struct {
	// Timeout is how long to wait for the lock of a database another process holds;
	// DefaultTimeout when zero.
	Timeout time.Duration
	// NoSync skips fsync after each commit. Only for tests and benchmarks: a crash can corrupt
	// the file.
	NoSync bool
}

// DB is the SalesGuard database. It is safe for concurrent use.
type DB struct {
	bolt *bolt.DB
	path string
	// fileBase is the process's file-backed resident memory after the last release
	// (ReleaseGrown), in bytes.
	fileBase atomic.Int64
}

// initialMmapSize is the address space mapped for the file up front (1 GiB).
const initialMmapSize = 1 << 30

// Open opens (creating if needed) the database at path with mode 0600, waits at most
// opts.Timeout for another process to release it, and brings the schema up to date.
// An existing file readable by group or others is narrowed to 0600: it holds OAuth tokens.
func Open(path string, opts Options) (*DB, error) {
	timeout := opts.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	// A large initial mapping (address space, not memory) spares bbolt from re-mapping, which
	// copies every open node, each time the file grows past the mapping.
	bdb, err := bolt.Open(path, fileMode, &bolt.Options{Timeout: timeout, NoSync: opts.NoSync, InitialMmapSize: initialMmapSize,
		FreelistType: bolt.FreelistMapType})
	if errors.Is(err, berrors.ErrTimeout) {
		return nil, fmt.Errorf("database %s is in use by another process (waited %s): %w", path, timeout, ErrInUse)
	}
	if err != nil {
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	if err := narrowMode(path); err != nil {
		_ = bdb.Close()
		return nil, err
	}
	if err := migrate(bdb, migrations()); err != nil {
		_ = bdb.Close()
		return nil, fmt.Errorf("database %s: %w", path, err)
	}
	return &DB{bolt: bdb, path: path}, nil
}

func narrowMode(path string) error {
	fi, err := os.Stat(path)
	if err != nil {
		return fmt.Errorf("stat database %s: %w", path, err)
	}
	if fi.Mode().Perm()&0o077 == 0 {
		return nil
	}
	if err := os.Chmod(path, fileMode); err != nil {
		return fmt.Errorf("restrict mode of database %s: %w", path, err)
	}
	return nil
}

// Close releases the database file. It waits for running transactions to finish.
func (db *DB) Close() error {
	if err := db.bolt.Close(); err != nil {
		return fmt.Errorf("close database %s: %w", db.path, err)
	}
	return nil
}

// Path returns the file the database lives in.
func (db *DB) Path() string { return db.path }

// SchemaVersion returns the schema version recorded in the file.
func (db *DB) SchemaVersion() (int, error) {
	var v int
	err := db.bolt.View(func(tx *bolt.Tx) error {
		var err error
		v, err = schemaVersion(tx)
		return err
	})
	return v, err
}

// PagesWritten reports how many pages the database wrote since it was opened (for the
// benchmarks and the tests: what a cycle costs the disk).
func (db *DB) PagesWritten() int64 {
	s := db.bolt.Stats()
	return s.TxStats.GetWrite()
}
