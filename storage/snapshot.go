package storage

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
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
	err := db.bolt.Update(func(tx *bolt.Tx) error {
		if err := saveDictionaries(tx, account, ch); err != nil {
			return err
		}
		steps := []func() error{
			func() error {
				return saveKind(tx, account, subLeads, ch.Full, ch.Leads, func(l *amo.Lead) []byte { return idKey(l.ID) }, idKeys(ch.DeletedLeads))
			},
			func() error {
				return saveKind(tx, account, subContacts, ch.Full, ch.Contacts, func(c *amo.Contact) []byte { return idKey(c.ID) }, idKeys(ch.DeletedContacts))
			},
			func() error {
				return saveKind(tx, account, subTasks, ch.Full, ch.Tasks, func(t *amo.Task) []byte { return idKey(t.ID) }, idKeys(ch.DeletedTasks))
			},
			func() error {
				return saveKind(tx, account, subNotes, ch.Full, ch.Notes, func(n *amo.Note) []byte { return idKey(n.ID) }, nil)
			},
			func() error { return saveKind(tx, account, subEvents, ch.Full, ch.Events, eventKey, nil) },
		}
		for _, step := range steps {
			if err := step(); err != nil {
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

// saveKind upserts items into one entity bucket, removes deleted keys, and with full removes
// every key not among items.
func saveKind[T any](tx *bolt.Tx, account, name string, full bool, items []T, key func(*T) []byte, deleted [][]byte) error {
	b, err := accountBucket(tx, account, name)
	if err != nil {
		return err
	}
	b.FillPercent = entityFill
	if full {
		keep := make(map[string]struct{}, len(items))
		for i := range items {
			keep[string(key(&items[i]))] = struct{}{}
		}
		var drop [][]byte
		c := b.Cursor()
		for k, _ := c.First(); k != nil; k, _ = c.Next() {
			if _, ok := keep[string(k)]; !ok {
				drop = append(drop, clone(k))
			}
		}
		deleted = append(deleted, drop...)
	}
	// Insert in key order: bbolt splits nodes only at commit, so unsorted inserts into one
	// large transaction shift ever-growing nodes (quadratic); sorted ones append.
	order := make([]keyed, len(items))
	for i := range items {
		order[i] = keyed{key: key(&items[i]), i: i}
	}
	slices.SortFunc(order, func(a, b keyed) int { return bytes.Compare(a.key, b.key) })
	for _, o := range order {
		data, err := json.Marshal(&items[o.i])
		if err != nil {
			return fmt.Errorf("encode %s: %w", name, err)
		}
		if _, err := putIfChanged(b, o.key, data); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
	}
	for _, k := range deleted {
		if err := b.Delete(k); err != nil {
			return fmt.Errorf("delete from %s: %w", name, err)
		}
	}
	return nil
}

type keyed struct {
	key []byte
	i   int
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
	if err != nil || b == nil {
		return err
	}
	*out = make([]T, 0, b.Stats().KeyN)
	return eachJSON(b, func(_ []byte, v T) error {
		*out = append(*out, v)
		return nil
	})
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

func eventKey(e *amo.Event) []byte { return joinKey(timeKey(e.CreatedAt), []byte(e.ID)) }

func idKeys[T ~int64](ids []T) [][]byte {
	out := make([][]byte, len(ids))
	for i, id := range ids {
		out[i] = idKey(id)
	}
	return out
}
