package storage

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"slices"
	"time"

	bolt "go.etcd.io/bbolt"

	"salesguard/checks"
	"salesguard/notify"
)

// LedgerEntry is the life of one finding: opened when first seen (the caller alerts it once),
// closed when a later evaluation of its scope no longer finds it.
type LedgerEntry struct {
	Key checks.Key
	// Finding is the finding as it was when the entry opened, i.e. what was alerted.
	Finding  checks.Finding
	OpenedAt time.Time
	ClosedAt time.Time
	// Alerts are the delivered alerts, to be edited when the finding clears.
	Alerts       []notify.SentRef
	SnoozedUntil time.Time
	AckedBy      int64 // Telegram user id
	AckedAt      time.Time
}

// IsOpen reports whether the finding was still present at the last evaluation of its scope.
func (e LedgerEntry) IsOpen() bool { return e.ClosedAt.IsZero() }

// TimeToFix is how long the entry was open; 0 while it is open.
func (e LedgerEntry) TimeToFix() time.Duration {
	if e.IsOpen() {
		return 0
	}
	return e.ClosedAt.Sub(e.OpenedAt)
}

// IsSnoozed reports whether reminders about the entry are snoozed at now.
func (e LedgerEntry) IsSnoozed(now time.Time) bool { return now.Before(e.SnoozedUntil) }

// Queued is a message to put in the outbox, to be sent from At on.
type Queued struct {
	Message notify.Message
	At      time.Time
}

// LedgerDelta is what a reconciliation changed.
type LedgerDelta struct {
	Opened []checks.Finding
	Closed []LedgerEntry
}

// Reconcile brings an account's ledger in line with evaluated scopes, and queues the messages
// about what changed, in ONE transaction: a crash leaves either the new entries with their
// messages or neither, so an alert is never lost between the ledger and the outbox.
//
//   - A finding of a scope with no open entry opens one at now (duplicate keys count once).
//   - A finding with an open entry leaves it untouched (it keeps the alerted Finding).
//   - An open entry of an evaluated scope whose finding is absent is closed at now and moved to
//     the history — only if evaluated(rule) says its rule ran: a disabled rule clears nothing.
//
// messages gets the delta and returns what to enqueue (it must not touch the database). Keys
// are written in key order: scopes must come in key order, as the engine emits them.
func (db *DB) Reconcile(account string, now time.Time, scopes []checks.ScopeResult, evaluated func(checks.RuleID) bool,
	messages func(LedgerDelta) []Queued) (LedgerDelta, error) {
	var d LedgerDelta
	err := db.bolt.Update(func(tx *bolt.Tx) error {
		open, err := accountBucket(tx, account, subLedgerOpen)
		if err != nil {
			return err
		}
		var gone []LedgerEntry
		var fresh []checks.Finding
		for _, s := range scopes {
			o, g, err := diffScope(open, s, evaluated)
			if err != nil {
				return err
			}
			fresh, gone = append(fresh, o...), append(gone, g...)
		}
		if len(fresh) == 0 && len(gone) == 0 {
			return nil
		}
		for i := range gone {
			gone[i].ClosedAt = now
		}
		d = LedgerDelta{Opened: fresh, Closed: gone}
		if err := writeDelta(tx, account, now, d); err != nil {
			return err
		}
		if messages != nil {
			for _, q := range messages(d) {
				if _, err := enqueueTx(tx, q.Message, q.At); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return LedgerDelta{}, fmt.Errorf("reconcile ledger of account %s: %w", account, err)
	}
	return d, nil
}

// diffScope compares a scope's open entries with its findings.
func diffScope(open *bolt.Bucket, s checks.ScopeResult, evaluated func(checks.RuleID) bool) ([]checks.Finding, []LedgerEntry, error) {
	prefix := checks.ScopePrefix(s.Scope)
	want := make(map[checks.Key]bool, len(s.Findings))
	for i := range s.Findings {
		want[s.Findings[i].Key()] = true
	}
	var gone []LedgerEntry
	have := map[checks.Key]bool{}
	c := open.Cursor()
	for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		key, _ := checks.KeyFromBytes(k)
		have[key] = true
		if want[key] || (evaluated != nil && !evaluated(key.Rule())) {
			continue
		}
		e, err := decodeEntry(k, v)
		if err != nil {
			return nil, nil, fmt.Errorf("ledger entry %s: %w", key, err)
		}
		gone = append(gone, e)
	}
	var fresh []checks.Finding
	for _, f := range s.Findings {
		k := f.Key()
		if have[k] {
			continue
		}
		have[k] = true
		fresh = append(fresh, f)
	}
	return fresh, gone, nil
}

// writeDelta opens and closes entries in tx, in key order.
func writeDelta(tx *bolt.Tx, account string, now time.Time, d LedgerDelta) error {
	open, err := accountBucket(tx, account, subLedgerOpen)
	if err != nil {
		return err
	}
	hist, err := accountBucket(tx, account, subLedgerClosed)
	if err != nil {
		return err
	}
	due, err := accountBucket(tx, account, subLedgerDue)
	if err != nil {
		return err
	}
	type kv struct {
		k checks.Key
		v []byte
	}
	puts := make([]kv, 0, len(d.Opened))
	for i := range d.Opened {
		e := LedgerEntry{Key: d.Opened[i].Key(), Finding: d.Opened[i], OpenedAt: now}
		puts = append(puts, kv{e.Key, encodeEntry(&e)})
	}
	slices.SortFunc(puts, func(a, b kv) int { return bytes.Compare(a.k[:], b.k[:]) })
	open.FillPercent = recordFill
	for _, p := range puts {
		if err := open.Put(p.k[:], p.v); err != nil {
			return fmt.Errorf("open entry %s: %w", p.k, err)
		}
	}
	for i := range d.Closed {
		e := &d.Closed[i]
		if err := open.Delete(e.Key[:]); err != nil {
			return fmt.Errorf("delete open entry %s: %w", e.Key, err)
		}
		if !e.SnoozedUntil.IsZero() {
			if err := due.Delete(dueKey(e.SnoozedUntil, e.Key)); err != nil {
				return fmt.Errorf("delete reminder of %s: %w", e.Key, err)
			}
		}
		if err := hist.Put(historyKey(now, e.Key), encodeEntry(e)); err != nil {
			return fmt.Errorf("move %s to the history: %w", e.Key, err)
		}
	}
	return nil
}

// historyKey and dueKey put a time first (big-endian Unix nanoseconds), then the key.
func historyKey(at time.Time, k checks.Key) []byte { return timedKey(at, k) }
func dueKey(at time.Time, k checks.Key) []byte     { return timedKey(at, k) }

func timedKey(at time.Time, k checks.Key) []byte {
	b := make([]byte, 8, 8+checks.KeySize)
	binary.BigEndian.PutUint64(b, uint64(at.UnixNano()))
	return append(b, k[:]...)
}

// OpenKeys returns the keys of an account's open entries, in key order: what the engine is
// seeded with after a restart.
func (db *DB) OpenKeys(account string) ([]checks.Key, error) {
	var out []checks.Key
	err := db.bolt.View(func(tx *bolt.Tx) error {
		b, err := accountBucket(tx, account, subLedgerOpen)
		if err != nil || b == nil {
			return err
		}
		c, n := b.Cursor(), 0
		for k, _ := c.First(); k != nil; k, _ = c.Next() {
			if key, ok := checks.KeyFromBytes(k); ok {
				out = append(out, key)
			}
			if n++; n%releaseEvery == 0 {
				if err := db.releaseIn(tx); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("open ledger keys of account %s: %w", account, err)
	}
	return out, nil
}

// Entry returns the open entry of a finding key and whether there is one.
func (db *DB) Entry(account string, key checks.Key) (LedgerEntry, bool, error) {
	var e LedgerEntry
	var found bool
	err := db.bolt.View(func(tx *bolt.Tx) error {
		b, err := accountBucket(tx, account, subLedgerOpen)
		if err != nil || b == nil {
			return err
		}
		v := b.Get(key[:])
		if v == nil {
			return nil
		}
		found = true
		e, err = decodeEntry(key[:], v)
		return err
	})
	if err != nil {
		return LedgerEntry{}, false, fmt.Errorf("ledger entry %s of account %s: %w", key, account, err)
	}
	return e, found, nil
}

// Open returns an account's open entries ordered by key.
func (db *DB) Open(account string) ([]LedgerEntry, error) {
	return db.OpenMatching(account, func(*LedgerEntry) bool { return true })
}

// OpenMatching returns the open entries keep accepts, ordered by key. It decodes one entry at
// a time, so memory follows what is kept, not the size of the ledger.
func (db *DB) OpenMatching(account string, keep func(*LedgerEntry) bool) ([]LedgerEntry, error) {
	var out []LedgerEntry
	err := db.bolt.View(func(tx *bolt.Tx) error {
		b, err := accountBucket(tx, account, subLedgerOpen)
		if err != nil || b == nil {
			return err
		}
		return b.ForEach(func(k, v []byte) error {
			e, err := decodeEntry(k, v)
			if err != nil {
				return fmt.Errorf("ledger entry %x: %w", k, err)
			}
			if keep(&e) {
				out = append(out, e)
			}
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("open ledger entries of account %s: %w", account, err)
	}
	return out, nil
}

// Closed returns an account's entries closed in [from, to), oldest first.
func (db *DB) Closed(account string, from, to time.Time) ([]LedgerEntry, error) {
	var out []LedgerEntry
	err := db.bolt.View(func(tx *bolt.Tx) error {
		b, err := accountBucket(tx, account, subLedgerClosed)
		if err != nil || b == nil {
			return err
		}
		end := u64(uint64(to.UnixNano()))
		c := b.Cursor()
		for k, v := c.Seek(u64(uint64(from.UnixNano()))); k != nil && bytes.Compare(k[:8], end) < 0; k, v = c.Next() {
			e, err := decodeEntry(k[8:], v)
			if err != nil {
				return fmt.Errorf("closed entry %x: %w", k, err)
			}
			out = append(out, e)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("closed ledger entries of account %s: %w", account, err)
	}
	return out, nil
}

// PruneClosed deletes an account's entries closed before the given time and returns how many.
func (db *DB) PruneClosed(account string, before time.Time) (int, error) {
	var n int
	err := db.bolt.Update(func(tx *bolt.Tx) error {
		b, err := accountBucket(tx, account, subLedgerClosed)
		if err != nil {
			return err
		}
		n, err = deleteBefore(b, u64(uint64(before.UnixNano())))
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("prune closed ledger entries of account %s: %w", account, err)
	}
	return n, nil
}

// deleteBefore deletes the keys of b that sort before bound. Keys are collected first: deleting
// under a bbolt cursor can skip the next key.
func deleteBefore(b *bolt.Bucket, bound []byte) (int, error) {
	var drop [][]byte
	c := b.Cursor()
	for k, _ := c.First(); k != nil && bytes.Compare(k, bound) < 0; k, _ = c.Next() {
		drop = append(drop, clone(k))
	}
	for _, k := range drop {
		if err := b.Delete(k); err != nil {
			return 0, fmt.Errorf("delete %q: %w", k, err)
		}
	}
	return len(drop), nil
}
