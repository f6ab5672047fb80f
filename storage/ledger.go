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
	// Alerts are the delivered alerts, to be edited when the finding clears. Told are the chats
	// that got the finding summed up in a catch-up message instead (they joined after it
	// opened): with Alerts, what was delivered to whom.
	Alerts       []notify.SentRef
	Told         []int64
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
	// Remind, when set, also schedules a reminder of the open ledger entry the message is
	// about (Message.FindingKey) at that moment, in the same transaction: an escalation is
	// repeated until someone acknowledges it (DueReminders, FireReminders).
	Remind time.Time
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
		n := 0
		for i := range scopes {
			n += len(scopes[i].Findings)
		}
		var gone []LedgerEntry
		fresh := make([]checks.Finding, 0, n) // a first evaluation opens every finding
		c := open.Cursor()                    // one cursor: the scopes come in key order
		for i := range scopes {
			if err := diffScope(c, &scopes[i], evaluated, &fresh, &gone); err != nil {
				return err
			}
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
			return enqueueAll(tx, account, messages(d))
		}
		return nil
	})
	if err != nil {
		return LedgerDelta{}, fmt.Errorf("reconcile ledger of account %s: %w", account, err)
	}
	return d, nil
}

// smallScope is the size up to which diffScope compares keys in slices, not maps: a scope
// holds the findings of one deal or contact, a handful.
const smallScope = 16

// keySet is a set of keys: a slice while small, a map beyond smallScope.
type keySet struct {
	s []checks.Key
	m map[checks.Key]bool
}

func (ks *keySet) has(k checks.Key) bool {
	if ks.m != nil {
		return ks.m[k]
	}
	return slices.Contains(ks.s, k)
}

func (ks *keySet) add(k checks.Key) {
	switch {
	case ks.m != nil:
		ks.m[k] = true
	case len(ks.s) < smallScope:
		ks.s = append(ks.s, k)
	default:
		ks.m = make(map[checks.Key]bool, 2*smallScope)
		for _, x := range ks.s {
			ks.m[x] = true
		}
		ks.m[k] = true
	}
}

// diffScope compares a scope's open entries (read with c) with its findings, appending the
// findings to open to fresh and the entries to close to gone.
func diffScope(c *bolt.Cursor, s *checks.ScopeResult, evaluated func(checks.RuleID) bool,
	fresh *[]checks.Finding, gone *[]LedgerEntry) error {
	prefix := checks.ScopePrefix(s.Scope)
	var buf [2 * smallScope]checks.Key // want, then have: no allocation for a small scope
	want := keySet{s: buf[:0:smallScope]}
	for i := range s.Findings {
		want.add(s.Findings[i].Key())
	}
	have := keySet{s: buf[smallScope:smallScope]}
	for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		key, _ := checks.KeyFromBytes(k)
		have.add(key)
		if want.has(key) || (evaluated != nil && !evaluated(key.Rule())) {
			continue
		}
		e, err := decodeEntry(k, v)
		if err != nil {
			return fmt.Errorf("ledger entry %s: %w", key, err)
		}
		*gone = append(*gone, e)
	}
	for i := range s.Findings {
		k := s.Findings[i].Key()
		if have.has(k) {
			continue
		}
		have.add(k)
		*fresh = append(*fresh, s.Findings[i])
	}
	return nil
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
	// The values share one buffer: bbolt needs them only until the commit.
	puts := make([]kv, 0, len(d.Opened))
	buf := make([]byte, 0, 96*len(d.Opened))
	var e LedgerEntry
	for i := range d.Opened {
		e.Key, e.OpenedAt = d.Opened[i].Key(), now
		e.Finding = d.Opened[i]
		start := len(buf)
		buf = appendEntry(buf, &e) // on growth, earlier values keep the old array alive
		puts = append(puts, kv{e.Key, buf[start:len(buf):len(buf)]})
	}
	if !slices.IsSortedFunc(puts, func(a, b kv) int { return bytes.Compare(a.k[:], b.k[:]) }) {
		slices.SortFunc(puts, func(a, b kv) int { return bytes.Compare(a.k[:], b.k[:]) })
	}
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

// enqueueAll queues messages in tx and schedules the reminders they ask for (Queued.Remind;
// several messages of one entry schedule it once, at the latest time asked).
func enqueueAll(tx *bolt.Tx, account string, msgs []Queued) error {
	for _, q := range msgs {
		if _, err := enqueueTx(tx, q.Message, q.At); err != nil {
			return err
		}
		if q.Remind.IsZero() {
			continue
		}
		key, err := checks.ParseKey(q.Message.FindingKey)
		if err != nil {
			return fmt.Errorf("reminder of %q: %w", q.Message.FindingKey, err)
		}
		if err := remindTx(tx, account, key, q.Remind); err != nil {
			return err
		}
	}
	return nil
}

// remindTx sets an open entry's reminder (its SnoozedUntil and the due index) to at, replacing
// the one it had; an entry no longer open is left alone.
func remindTx(tx *bolt.Tx, account string, key checks.Key, at time.Time) error {
	open, err := accountBucket(tx, account, subLedgerOpen)
	if err != nil {
		return err
	}
	due, err := accountBucket(tx, account, subLedgerDue)
	if err != nil {
		return err
	}
	v := open.Get(key[:])
	if v == nil {
		return nil
	}
	e, err := decodeEntry(key[:], v)
	if err != nil {
		return fmt.Errorf("ledger entry %s: %w", key, err)
	}
	if e.SnoozedUntil.Equal(at) {
		return nil
	}
	if err := setDue(due, key, &e, at); err != nil {
		return err
	}
	return open.Put(key[:], encodeEntry(&e))
}

// setDue moves an entry's reminder to at (zero: none), in the entry and in the due index.
func setDue(due *bolt.Bucket, key checks.Key, e *LedgerEntry, at time.Time) error {
	if !e.SnoozedUntil.IsZero() {
		if err := due.Delete(dueKey(e.SnoozedUntil, key)); err != nil {
			return err
		}
	}
	e.SnoozedUntil = at
	if at.IsZero() {
		return nil
	}
	return due.Put(dueKey(at, key), []byte{})
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
