package storage

import (
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"

	"salesguard/notify"
)

// Snooze silences reminders about an open entry until the given time (see DueReminders). A
// zero until lifts the snooze. ErrNotFound when the entry is not open.
func (db *DB) Snooze(account, key string, until time.Time) error {
	return db.updateEntry(account, key, "snooze", func(e *LedgerEntry) { e.SnoozedUntil = until })
}

// Ack records who acknowledged an open entry (a Telegram user id) and when.
func (db *DB) Ack(account, key string, by int64, at time.Time) error {
	return db.updateEntry(account, key, "ack", func(e *LedgerEntry) { e.AckedBy, e.AckedAt = by, at })
}

// SetAlertRef records the delivered alert of an open entry, to edit it when the entry closes.
func (db *DB) SetAlertRef(account, key string, ref notify.SentRef) error {
	return db.updateEntry(account, key, "set alert of", func(e *LedgerEntry) { e.Alert = &ref })
}

// DueReminders returns the open entries whose snooze has passed at now (SnoozedUntil set and
// not after now) and clears their snooze in the same transaction, so each expired snooze is
// returned exactly once: the caller alerts them again. Entries that closed while snoozed are
// not reminded of — they are reported as closed by Reconcile.
func (db *DB) DueReminders(account string, now time.Time) ([]LedgerEntry, error) {
	var due []LedgerEntry
	err := db.bolt.Update(func(tx *bolt.Tx) error {
		b, err := accountBucket(tx, account, subLedgerOpen)
		if err != nil {
			return err
		}
		err = eachJSON(b, func(_ []byte, e LedgerEntry) error {
			if !e.SnoozedUntil.IsZero() && !e.SnoozedUntil.After(now) {
				e.SnoozedUntil = time.Time{}
				due = append(due, e)
			}
			return nil
		})
		if err != nil {
			return err
		}
		for _, e := range due {
			if err := putJSON(b, []byte(e.Key), e); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("due reminders of account %s: %w", account, err)
	}
	return due, nil
}

func (db *DB) updateEntry(account, key, what string, fn func(e *LedgerEntry)) error {
	err := db.bolt.Update(func(tx *bolt.Tx) error {
		b, err := accountBucket(tx, account, subLedgerOpen)
		if err != nil {
			return err
		}
		var e LedgerEntry
		found, err := getJSON(b, []byte(key), &e)
		if err != nil {
			return err
		}
		if !found {
			return ErrNotFound
		}
		fn(&e)
		return putJSON(b, []byte(key), e)
	})
	if err != nil {
		return fmt.Errorf("%s ledger entry %s of account %s: %w", what, key, account, err)
	}
	return nil
}
