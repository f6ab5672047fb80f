package storage

import (
	"encoding/json"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"

	"salesguard/notify"
)

// OutboxState is where an outbox item is in its life.
type OutboxState string

// Outbox states.
const (
	OutboxPending OutboxState = "pending" // waiting for (another) delivery attempt
	OutboxSent    OutboxState = "sent"    // delivered
	OutboxParked  OutboxState = "parked"  // the recipient can never get it; not retried
)

// OutboxItem is an outgoing message, written before it is sent so a crash or an outage never
// loses it, and marked sent after.
type OutboxItem struct {
	ID         uint64          `json:"id"`
	Message    notify.Message  `json:"message"`
	EnqueuedAt time.Time       `json:"enqueued_at"`
	NextAt     time.Time       `json:"next_at"` // the earliest next delivery attempt
	Attempts   int             `json:"attempts,omitempty"`
	LastError  string          `json:"last_error,omitempty"`
	SentAt     time.Time       `json:"sent_at,omitzero"`
	Ref        *notify.SentRef `json:"ref,omitempty"` // the delivered message
	ParkedAt   time.Time       `json:"parked_at,omitzero"`
	ParkReason string          `json:"park_reason,omitempty"`
}

// State reports whether the item is pending, sent or parked.
func (it OutboxItem) State() OutboxState {
	switch {
	case !it.SentAt.IsZero():
		return OutboxSent
	case !it.ParkedAt.IsZero():
		return OutboxParked
	}
	return OutboxPending
}

// Enqueue stores a message to be sent from at on and returns its id. Ids increase, and
// delivery to one chat follows id order (see Due).
func (db *DB) Enqueue(m notify.Message, at time.Time) (uint64, error) {
	var id uint64
	err := db.bolt.Update(func(tx *bolt.Tx) error {
		var err error
		id, err = enqueueTx(tx, m, at)
		return err
	})
	if err != nil {
		return 0, err
	}
	return id, nil
}

// enqueueTx stores a message in the outbox within tx.
func enqueueTx(tx *bolt.Tx, m notify.Message, at time.Time) (uint64, error) {
	b := tx.Bucket(bucketOutbox)
	id, err := b.NextSequence()
	if err != nil {
		return 0, fmt.Errorf("enqueue message to chat %d: next outbox id: %w", m.ChatID, err)
	}
	it := OutboxItem{ID: id, Message: m, EnqueuedAt: at, NextAt: at}
	if err := putJSON(b, u64(id), it); err != nil {
		return 0, fmt.Errorf("enqueue message to chat %d: %w", m.ChatID, err)
	}
	if err := tx.Bucket(bucketOutboxPending).Put(u64(id), pendingValue(it)); err != nil {
		return 0, fmt.Errorf("enqueue message to chat %d: %w", m.ChatID, err)
	}
	return id, nil
}

// Due returns the pending items whose NextAt is not after now, in id order, at most limit of
// them (limit ≤ 0: no limit). Only the first pending item of each chat is considered: while it
// waits for a retry, later messages to that chat wait too, so a chat always receives its
// messages in the order they were enqueued. Parked items do not hold a chat back.
func (db *DB) Due(now time.Time, limit int) ([]OutboxItem, error) {
	var out []OutboxItem
	err := db.bolt.View(func(tx *bolt.Tx) error {
		items := tx.Bucket(bucketOutbox)
		seen := map[int64]bool{}
		c := tx.Bucket(bucketOutboxPending).Cursor()
		for k, v := c.First(); k != nil; k, v = c.Next() {
			chat, next := decodePending(v)
			if seen[chat] {
				continue
			}
			seen[chat] = true
			if next > nanos(now) {
				continue
			}
			var it OutboxItem
			if _, err := getJSON(items, k, &it); err != nil {
				return err
			}
			out = append(out, it)
			if limit > 0 && len(out) == limit {
				return nil
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("due outbox items: %w", err)
	}
	return out, nil
}

// MarkSent records the delivery of item id as ref.
func (db *DB) MarkSent(id uint64, ref notify.SentRef, at time.Time) error {
	return db.updateItem(id, "mark outbox item sent", func(tx *bolt.Tx, it *OutboxItem) error {
		it.SentAt, it.Ref = at, &ref
		if err := tx.Bucket(bucketOutboxPending).Delete(u64(id)); err != nil {
			return err
		}
		return tx.Bucket(bucketOutboxParked).Delete(u64(id))
	})
}

// MarkFailed records a failed attempt of a pending item (Attempts+1) and when to retry it.
func (db *DB) MarkFailed(id uint64, reason string, retryAt time.Time) error {
	return db.updateItem(id, "mark outbox item failed", func(tx *bolt.Tx, it *OutboxItem) error {
		if st := it.State(); st != OutboxPending {
			return fmt.Errorf("item is %s", st)
		}
		it.Attempts++
		it.LastError, it.NextAt = reason, retryAt
		return tx.Bucket(bucketOutboxPending).Put(u64(id), pendingValue(*it))
	})
}

// Park takes a pending item out of delivery for good: its recipient can never get it (the bot
// was blocked). Parked items are listed by Parked and no longer hold their chat back.
func (db *DB) Park(id uint64, reason string, at time.Time) error {
	return db.updateItem(id, "park outbox item", func(tx *bolt.Tx, it *OutboxItem) error {
		if st := it.State(); st != OutboxPending {
			return fmt.Errorf("item is %s", st)
		}
		it.ParkedAt, it.ParkReason = at, reason
		if err := tx.Bucket(bucketOutboxPending).Delete(u64(id)); err != nil {
			return err
		}
		return tx.Bucket(bucketOutboxParked).Put(u64(id), []byte{})
	})
}

// Unpark puts a parked item back in delivery from at on (the person unblocked the bot).
func (db *DB) Unpark(id uint64, at time.Time) error {
	return db.updateItem(id, "unpark outbox item", func(tx *bolt.Tx, it *OutboxItem) error {
		if st := it.State(); st != OutboxParked {
			return fmt.Errorf("item is %s", st)
		}
		it.ParkedAt, it.ParkReason, it.NextAt = time.Time{}, "", at
		if err := tx.Bucket(bucketOutboxParked).Delete(u64(id)); err != nil {
			return err
		}
		return tx.Bucket(bucketOutboxPending).Put(u64(id), pendingValue(*it))
	})
}

// OutboxItem returns item id and whether it exists.
func (db *DB) OutboxItem(id uint64) (OutboxItem, bool, error) {
	var it OutboxItem
	var found bool
	err := db.bolt.View(func(tx *bolt.Tx) error {
		var err error
		found, err = getJSON(tx.Bucket(bucketOutbox), u64(id), &it)
		return err
	})
	if err != nil {
		return OutboxItem{}, false, fmt.Errorf("outbox item %d: %w", id, err)
	}
	return it, found, nil
}

// Parked returns the parked items in id order.
func (db *DB) Parked() ([]OutboxItem, error) {
	var out []OutboxItem
	err := db.bolt.View(func(tx *bolt.Tx) error {
		items := tx.Bucket(bucketOutbox)
		return tx.Bucket(bucketOutboxParked).ForEach(func(k, _ []byte) error {
			var it OutboxItem
			if _, err := getJSON(items, k, &it); err != nil {
				return err
			}
			out = append(out, it)
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("parked outbox items: %w", err)
	}
	return out, nil
}

// Depth returns how many items wait for delivery (for metrics).
func (db *DB) Depth() (int, error) {
	n := 0
	err := db.bolt.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketOutboxPending).ForEach(func(_, _ []byte) error { n++; return nil })
	})
	if err != nil {
		return 0, fmt.Errorf("outbox depth: %w", err)
	}
	return n, nil
}

// PruneSent deletes items sent or parked before the given time and returns how many. Pending
// items are never pruned.
func (db *DB) PruneSent(before time.Time) (int, error) {
	var n int
	err := db.bolt.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketOutbox)
		var drop [][]byte
		c := b.Cursor()
		for k, v := c.First(); k != nil; k, v = c.Next() {
			var h struct { // the times only: the message, maybe with an attachment, is skipped
				EnqueuedAt time.Time `json:"enqueued_at"`
				SentAt     time.Time `json:"sent_at"`
				ParkedAt   time.Time `json:"parked_at"`
			}
			if err := json.Unmarshal(v, &h); err != nil {
				return fmt.Errorf("decode outbox item %x: %w", k, err)
			}
			if !h.EnqueuedAt.Before(before) {
				break // items are in enqueue order; nothing later can be done before `before`
			}
			if (!h.SentAt.IsZero() && h.SentAt.Before(before)) || (!h.ParkedAt.IsZero() && h.ParkedAt.Before(before)) {
				drop = append(drop, clone(k))
			}
		}
		for _, k := range drop {
			if err := b.Delete(k); err != nil {
				return err
			}
			if err := tx.Bucket(bucketOutboxParked).Delete(k); err != nil {
				return err
			}
		}
		n = len(drop)
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("prune sent outbox items: %w", err)
	}
	return n, nil
}

// updateItem loads item id, lets fn change it (and the indexes) and stores it back.
func (db *DB) updateItem(id uint64, what string, fn func(tx *bolt.Tx, it *OutboxItem) error) error {
	err := db.bolt.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketOutbox)
		var it OutboxItem
		found, err := getJSON(b, u64(id), &it)
		if err != nil {
			return err
		}
		if !found {
			return ErrNotFound
		}
		if err := fn(tx, &it); err != nil {
			return err
		}
		return putJSON(b, u64(id), it)
	})
	if err != nil {
		return fmt.Errorf("%s %d: %w", what, id, err)
	}
	return nil
}
