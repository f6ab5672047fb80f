package storage

import (
	"bytes"
	"fmt"
	"slices"
	"time"

	bolt "go.etcd.io/bbolt"

	"salesguard/checks"
	"salesguard/notify"
)

// Snooze silences reminders about an open entry until the given time (see DueReminders). A
// zero until lifts the snooze. ErrNotFound when the entry is not open.
func (db *DB) Snooze(account string, key checks.Key, until time.Time) error {
	return db.updateEntry(account, key, "snooze", func(tx *bolt.Tx, e *LedgerEntry) error {
		due, err := accountBucket(tx, account, subLedgerDue)
		if err != nil {
			return err
		}
		return setDue(due, key, e, until)
	})
}

// Ack records who acknowledged an open entry (a Telegram user id) and when.
func (db *DB) Ack(account string, key checks.Key, by int64, at time.Time) error {
	return db.updateEntry(account, key, "ack", func(_ *bolt.Tx, e *LedgerEntry) error {
		e.AckedBy, e.AckedAt = by, at
		return nil
	})
}

// SetAlertRef records a delivered alert of an open entry, to edit it when the entry closes.
// An entry alerted to several chats keeps one reference per chat.
func (db *DB) SetAlertRef(account string, key checks.Key, ref notify.SentRef) error {
	return db.updateEntry(account, key, "set alert of", func(_ *bolt.Tx, e *LedgerEntry) error {
		e.Alerts = slices.DeleteFunc(e.Alerts, func(r notify.SentRef) bool { return r.ChatID == ref.ChatID })
		e.Alerts = append(e.Alerts, ref)
		return nil
	})
}

// SetTold records that chat got the open entries keys summed up in a catch-up message, in one
// transaction; entries closed since are skipped.
func (db *DB) SetTold(account string, keys []checks.Key, chat int64) error {
	err := db.bolt.Update(func(tx *bolt.Tx) error {
		open, err := accountBucket(tx, account, subLedgerOpen)
		if err != nil {
			return err
		}
		for _, k := range keys {
			v := open.Get(k[:])
			if v == nil {
				continue
			}
			e, err := decodeEntry(k[:], v)
			if err != nil {
				return fmt.Errorf("ledger entry %s: %w", k, err)
			}
			if slices.Contains(e.Told, chat) {
				continue
			}
			e.Told = append(e.Told, chat)
			if err := open.Put(k[:], encodeEntry(&e)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("record catch-up of chat %d in account %s: %w", chat, account, err)
	}
	return nil
}

// DueReminders returns the open entries whose snooze has passed at now, from the time-ordered
// index, in a read transaction: an idle cycle finds none and writes nothing. FireReminders
// then clears them.
func (db *DB) DueReminders(account string, now time.Time) ([]LedgerEntry, error) {
	var out []LedgerEntry
	err := db.bolt.View(func(tx *bolt.Tx) error {
		due, err := accountBucket(tx, account, subLedgerDue)
		if err != nil || due == nil {
			return err
		}
		open, err := accountBucket(tx, account, subLedgerOpen)
		if err != nil || open == nil {
			return err
		}
		end := u64(uint64(now.UnixNano()))
		c := due.Cursor()
		for k, _ := c.First(); k != nil && bytes.Compare(k[:8], end) <= 0; k, _ = c.Next() {
			v := open.Get(k[8:])
			if v == nil {
				continue // closed since: Reconcile reports it
			}
			e, err := decodeEntry(k[8:], v)
			if err != nil {
				return fmt.Errorf("ledger entry %x: %w", k[8:], err)
			}
			out = append(out, e)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("due reminders of account %s: %w", account, err)
	}
	return out, nil
}

// FireReminders clears the snooze of due entries and queues their reminders, in one
// transaction, so each expired snooze is reminded of exactly once; a message with Remind set
// schedules the entry's next reminder.
func (db *DB) FireReminders(account string, entries []LedgerEntry, msgs []Queued) error {
	err := db.bolt.Update(func(tx *bolt.Tx) error {
		open, err := accountBucket(tx, account, subLedgerOpen)
		if err != nil {
			return err
		}
		due, err := accountBucket(tx, account, subLedgerDue)
		if err != nil {
			return err
		}
		for _, e := range entries {
			if err := due.Delete(dueKey(e.SnoozedUntil, e.Key)); err != nil {
				return err
			}
			v := open.Get(e.Key[:])
			if v == nil {
				continue
			}
			cur, err := decodeEntry(e.Key[:], v)
			if err != nil {
				return err
			}
			cur.SnoozedUntil = time.Time{}
			if err := open.Put(e.Key[:], encodeEntry(&cur)); err != nil {
				return err
			}
		}
		return enqueueAll(tx, account, msgs) // a repeated escalation schedules its next reminder
	})
	if err != nil {
		return fmt.Errorf("fire reminders of account %s: %w", account, err)
	}
	return nil
}

func (db *DB) updateEntry(account string, key checks.Key, what string, fn func(tx *bolt.Tx, e *LedgerEntry) error) error {
	err := db.bolt.Update(func(tx *bolt.Tx) error {
		b, err := accountBucket(tx, account, subLedgerOpen)
		if err != nil {
			return err
		}
		v := b.Get(key[:])
		if v == nil {
			return ErrNotFound
		}
		e, err := decodeEntry(key[:], v)
		if err != nil {
			return err
		}
		if err := fn(tx, &e); err != nil {
			return err
		}
		return b.Put(key[:], encodeEntry(&e))
	})
	if err != nil {
		return fmt.Errorf("%s ledger entry %s of account %s: %w", what, key, account, err)
	}
	return nil
}
