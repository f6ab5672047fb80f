package storage

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"

	"salesguard/checks"
	"salesguard/notify"
)

// LedgerEntry is the life of one finding: opened when first seen (the caller alerts it once),
// closed when a later evaluation of its rule no longer finds it.
type LedgerEntry struct {
	Key string `json:"key"` // checks.Finding.Key()
	// Finding is the finding as it was when the entry opened, i.e. what was alerted.
	Finding  checks.Finding `json:"finding"`
	OpenedAt time.Time      `json:"opened_at"`
	ClosedAt time.Time      `json:"closed_at,omitzero"`
	// Alert is the delivered alert, to be edited when the finding clears.
	Alert        *notify.SentRef `json:"alert,omitempty"`
	SnoozedUntil time.Time       `json:"snoozed_until,omitzero"`
	AckedBy      int64           `json:"acked_by,omitempty"` // Telegram user id
	AckedAt      time.Time       `json:"acked_at,omitzero"`
}

// IsOpen reports whether the finding was still present at the last evaluation of its rule.
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

// Reconcile brings an account's ledger in line with one evaluation of the rules.
//
//   - A finding of current with no open entry opens one at now and is returned in opened, in
//     the order of current: the caller alerts each of them once. Duplicate keys count once.
//   - A finding with an open entry leaves the entry untouched (it keeps the alerted Finding).
//   - An open entry whose finding is absent from current is closed at now and returned in
//     closed (with its Alert ref, to edit the message) — but only if its rule is listed in
//     evaluated: rules that did not run in this call (scheduled ones, disabled ones, rules that
//     failed) cannot clear anything. An empty evaluated closes nothing.
//   - Closed entries move to the history (see Closed); if the same finding appears again later,
//     a new entry opens and it is alerted again.
func (db *DB) Reconcile(account string, now time.Time, current []checks.Finding, evaluated []checks.RuleID) (opened []checks.Finding, closed []LedgerEntry, err error) {
	ran := make(map[checks.RuleID]bool, len(evaluated))
	for _, r := range evaluated {
		ran[r] = true
	}
	err = db.bolt.Update(func(tx *bolt.Tx) error {
		open, err := accountBucket(tx, account, subLedgerOpen)
		if err != nil {
			return err
		}
		hist, err := accountBucket(tx, account, subLedgerClosed)
		if err != nil {
			return err
		}
		present := make(map[string]bool, len(current))
		for _, f := range current {
			k := f.Key()
			if present[k] {
				continue
			}
			present[k] = true
			if open.Get([]byte(k)) != nil {
				continue
			}
			if err := putJSON(open, []byte(k), LedgerEntry{Key: k, Finding: f, OpenedAt: now}); err != nil {
				return err
			}
			opened = append(opened, f)
		}
		closed, err = closeAbsent(open, hist, present, ran, now)
		return err
	})
	if err != nil {
		return nil, nil, fmt.Errorf("reconcile ledger of account %s: %w", account, err)
	}
	return opened, closed, nil
}

func closeAbsent(open, hist *bolt.Bucket, present map[string]bool, ran map[checks.RuleID]bool, now time.Time) ([]LedgerEntry, error) {
	var closed []LedgerEntry
	// Most open entries are still present: skip them by key, decoding only those that close.
	c := open.Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		if present[string(k)] || !ran[ruleOfKey(k)] {
			continue
		}
		var e LedgerEntry
		if err := json.Unmarshal(v, &e); err != nil {
			return nil, fmt.Errorf("decode ledger entry %s: %w", k, err)
		}
		if !ran[e.Finding.Rule] {
			continue
		}
		e.ClosedAt = now
		closed = append(closed, e)
	}
	for _, e := range closed {
		if err := open.Delete([]byte(e.Key)); err != nil {
			return nil, fmt.Errorf("delete open entry %s: %w", e.Key, err)
		}
		if err := putJSON(hist, joinKey(timeKey(now), []byte(e.Key)), e); err != nil {
			return nil, err
		}
	}
	return closed, nil
}

// ruleOfKey reads the rule out of a finding key ("account/rule/deal/level[/…]", see
// checks.Finding.Key) without decoding the entry.
func ruleOfKey(k []byte) checks.RuleID {
	_, rest, ok := bytes.Cut(k, []byte("/"))
	if !ok {
		return ""
	}
	rule, _, _ := bytes.Cut(rest, []byte("/"))
	return checks.RuleID(rule)
}

// Entry returns the open entry of a finding key and whether there is one.
func (db *DB) Entry(account, key string) (LedgerEntry, bool, error) {
	var e LedgerEntry
	var found bool
	err := db.bolt.View(func(tx *bolt.Tx) error {
		b, err := accountBucket(tx, account, subLedgerOpen)
		if err != nil {
			return err
		}
		found, err = getJSON(b, []byte(key), &e)
		return err
	})
	if err != nil {
		return LedgerEntry{}, false, fmt.Errorf("ledger entry %s of account %s: %w", key, account, err)
	}
	return e, found, nil
}

// Open returns an account's open entries ordered by key.
func (db *DB) Open(account string) ([]LedgerEntry, error) {
	var out []LedgerEntry
	err := db.bolt.View(func(tx *bolt.Tx) error {
		b, err := accountBucket(tx, account, subLedgerOpen)
		if err != nil {
			return err
		}
		return eachJSON(b, func(_ []byte, e LedgerEntry) error {
			out = append(out, e)
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
		end := string(timeKey(to))
		c := b.Cursor()
		for k, v := c.Seek(timeKey(from)); k != nil && string(k) < end; k, v = c.Next() {
			var e LedgerEntry
			if err := json.Unmarshal(v, &e); err != nil {
				return fmt.Errorf("decode closed entry %q: %w", k, err)
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
		n, err = deleteBefore(b, timeKey(before))
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("prune closed ledger entries of account %s: %w", account, err)
	}
	return n, nil
}
