package storage

import (
	"encoding/binary"
	"errors"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"

	"salesguard/amo"
)

// entityFill packs entity pages densely: ids and event times mostly grow, so inserts append.
const entityFill = 0.9

// SaveChanges applies one sync's changes to the stored snapshot of an account, together with
// the new sync state, in ONE transaction: the cursors are never ahead of the data they
// describe, and a crash leaves either all of it or none.
//
// Leads, contacts, tasks, notes and events are upserted by id (events by created_at and id);
// the Deleted* ids are removed afterwards. With ch.Full the stored lists are replaced: whatever
// is not in the change set is deleted. Entities whose JSON did not change are not rewritten.
// Dictionaries (users, pipelines, loss reasons, custom fields) are replaced when ch.Dictionaries
// is set or the list is non-nil; the account record when ch.Account is non-nil.
func (db *DB) SaveChanges(account string, ch *amo.Changes) error {
	if ch == nil {
		return fmt.Errorf("save changes of account %s: nil changes", account)
	}
	batches, err := prepareBatches(ch)
	if err != nil {
		return fmt.Errorf("save changes of account %s: %w", account, err)
	}
	deleted := map[string][][]byte{
		subLeads: idKeys(ch.DeletedLeads), subContacts: idKeys(ch.DeletedContacts), subTasks: idKeys(ch.DeletedTasks),
	}
	err = db.bolt.Update(func(tx *bolt.Tx) error {
		if err := saveDictionaries(tx, account, ch); err != nil {
			return err
		}
		for _, bt := range batches {
			b, err := accountBucket(tx, account, bt.name)
			if err != nil {
				return err
			}
			if err := bt.write(b, ch.Full, deleted[bt.name]); err != nil {
				return err
			}
		}
		snap, err := accountBucket(tx, account, subSnap)
		if err != nil {
			return err
		}
		if err := putJSON(snap, keyTakenAt, ch.TakenAt); err != nil {
			return err
		}
		return putJSON(snap, keySyncState, ch.State)
	})
	if err != nil {
		return fmt.Errorf("save changes of account %s: %w", account, err)
	}
	return nil
}

// prepareBatches encodes the entity lists of ch, one batch per bucket, outside any transaction.
func prepareBatches(ch *amo.Changes) ([]*batch, error) {
	steps := []func() (*batch, error){
		func() (*batch, error) {
			return prepareBatch(subLeads, ch.Leads, func(k []byte, l *amo.Lead) []byte { return appendIDKey(k, l.ID) })
		},
		func() (*batch, error) {
			return prepareBatch(subContacts, ch.Contacts, func(k []byte, c *amo.Contact) []byte { return appendIDKey(k, c.ID) })
		},
		func() (*batch, error) {
			return prepareBatch(subTasks, ch.Tasks, func(k []byte, t *amo.Task) []byte { return appendIDKey(k, t.ID) })
		},
		func() (*batch, error) {
			return prepareBatch(subNotes, ch.Notes, func(k []byte, n *amo.Note) []byte { return appendIDKey(k, n.ID) })
		},
		func() (*batch, error) { return prepareBatch(subEvents, ch.Events, appendEventKey) },
	}
	out := make([]*batch, 0, len(steps))
	for _, step := range steps {
		bt, err := step()
		if err != nil {
			return nil, err
		}
		out = append(out, bt)
	}
	return out, nil
}

func saveDictionaries(tx *bolt.Tx, account string, ch *amo.Changes) error {
	snap, err := accountBucket(tx, account, subSnap)
	if err != nil {
		return err
	}
	if ch.Account != nil {
		if err := putJSON(snap, keyAccount, ch.Account); err != nil {
			return err
		}
	}
	dicts := []struct {
		key []byte
		set bool
		v   any
	}{
		{keyUsers, ch.Users != nil, ch.Users},
		{keyPipelines, ch.Pipelines != nil, ch.Pipelines},
		{keyLossReasons, ch.LossReasons != nil, ch.LossReasons},
		{keyCustomFields, ch.CustomFields != nil, ch.CustomFields},
	}
	for _, d := range dicts {
		if !d.set && !ch.Dictionaries {
			continue
		}
		if err := putJSON(snap, d.key, d.v); err != nil {
			return err
		}
	}
	return nil
}

// LoadSnapshot rebuilds an account's snapshot and returns the sync state stored with it. An
// account never synced yields an empty snapshot and a zero state (FullDone false), which asks
// the client for a full sync. Lists come in key order: entities by id, events by created_at.
// BaseURL comes from the account record (PutAccount).
func (db *DB) LoadSnapshot(account string) (*amo.Snapshot, amo.SyncState, error) {
	s := &amo.Snapshot{}
	var st amo.SyncState
	err := db.bolt.View(func(tx *bolt.Tx) error {
		var acct Account
		if _, err := getJSON(tx.Bucket(bucketAccounts), []byte(account), &acct); err != nil {
			return err
		}
		s.BaseURL = acct.BaseURL
		snap, err := accountBucket(tx, account, subSnap)
		if err != nil {
			return err
		}
		singles := []struct {
			key []byte
			v   any
		}{
			{keySyncState, &st}, {keyTakenAt, &s.TakenAt}, {keyAccount, &s.Account}, {keyUsers, &s.Users},
			{keyPipelines, &s.Pipelines}, {keyLossReasons, &s.LossReasons}, {keyCustomFields, &s.CustomFields},
		}
		for _, one := range singles {
			if _, err := getJSON(snap, one.key, one.v); err != nil {
				return err
			}
		}
		return errors.Join(
			loadKind(tx, account, subLeads, &s.Leads),
			loadKind(tx, account, subContacts, &s.Contacts),
			loadKind(tx, account, subTasks, &s.Tasks),
			loadKind(tx, account, subNotes, &s.Notes),
			loadKind(tx, account, subEvents, &s.Events),
		)
	})
	if err != nil {
		return nil, amo.SyncState{}, fmt.Errorf("load snapshot of account %s: %w", account, err)
	}
	return s, st, nil
}

func loadKind[T any](tx *bolt.Tx, account, name string, out *[]T) error {
	b, err := accountBucket(tx, account, name)
	if err != nil {
		return err
	}
	return loadBucket(b, name, out)
}

// SyncState returns the stored sync state of an account (zero when never synced) without
// loading the entities.
func (db *DB) SyncState(account string) (amo.SyncState, error) {
	var st amo.SyncState
	err := db.bolt.View(func(tx *bolt.Tx) error {
		snap, err := accountBucket(tx, account, subSnap)
		if err != nil {
			return err
		}
		_, err = getJSON(snap, keySyncState, &st)
		return err
	})
	if err != nil {
		return amo.SyncState{}, fmt.Errorf("sync state of account %s: %w", account, err)
	}
	return st, nil
}

// PruneEvents deletes an account's events created before the given time and returns how many.
func (db *DB) PruneEvents(account string, before time.Time) (int, error) {
	var n int
	err := db.bolt.Update(func(tx *bolt.Tx) error {
		b, err := accountBucket(tx, account, subEvents)
		if err != nil {
			return err
		}
		n, err = deleteBefore(b, timeKey(before))
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("prune events of account %s: %w", account, err)
	}
	return n, nil
}

// deleteBefore deletes the keys of b that sort before bound. Keys are collected first: deleting
// under a bbolt cursor can skip the next key.
func deleteBefore(b *bolt.Bucket, bound []byte) (int, error) {
	var drop [][]byte
	c := b.Cursor()
	for k, _ := c.First(); k != nil && string(k) < string(bound); k, _ = c.Next() {
		drop = append(drop, clone(k))
	}
	for _, k := range drop {
		if err := b.Delete(k); err != nil {
			return 0, fmt.Errorf("delete %q: %w", k, err)
		}
	}
	return len(drop), nil
}

// appendEventKey appends the key of an event: time(created_at) + 0x00 + id, as
// joinKey(timeKey(e.CreatedAt), []byte(e.ID)) builds it.
func appendEventKey(dst []byte, e *amo.Event) []byte {
	dst = e.CreatedAt.UTC().AppendFormat(dst, timeKeyLayout)
	return append(append(dst, 0), e.ID...)
}

// appendIDKey appends the big-endian key of an amoCRM id, as idKey builds it.
func appendIDKey[T ~int64](dst []byte, id T) []byte {
	return binary.BigEndian.AppendUint64(dst, uint64(id))
}

func idKeys[T ~int64](ids []T) [][]byte {
	out := make([][]byte, len(ids))
	for i, id := range ids {
		out[i] = idKey(id)
	}
	return out
}
