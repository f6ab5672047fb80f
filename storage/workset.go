package storage

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"

	bolt "go.etcd.io/bbolt"

	"salesguard/amo"
	"salesguard/workset"
)

// Record is one working-set record to persist (see workset.Set.TakeChanged and Encode).
type Record struct {
	Kind workset.RecordKind
	ID   int64
	Op   workset.Op
	// Data is the encoded record; empty for OpDelete.
	Data []byte
}

// recordFill packs record pages densely: a first sync writes deals, contacts and tasks in id
// order (appends), later changes rewrite records in place.
const recordFill = 0.9

// hotBucket and coldBucket name where records of a kind live.
func hotBucket(k workset.RecordKind) (string, bool) {
	switch k {
	case workset.RecDeal:
		return subWSDeals, true
	case workset.RecContact:
		return subWSContacts, true
	case workset.RecTask:
		return subWSTasks, true
	case workset.RecPendingDeal, workset.RecPendingContact:
		return subWSPending, true
	}
	return "", false
}

func coldBucket(k workset.RecordKind) (string, bool) {
	switch k {
	case workset.RecDeal:
		return subWSDealsCold, true
	case workset.RecContact:
		return subWSContactsCold, true
	}
	return "", false
}

// recordKey is a record's key in its bucket: the id, with the kind first for pending records.
func recordKey(k workset.RecordKind, id int64) []byte {
	if k == workset.RecPendingDeal || k == workset.RecPendingContact {
		return append([]byte{byte(k)}, u64(uint64(id))...)
	}
	return u64(uint64(id))
}

// SavePage persists one sync page's effect on an account's working set in ONE transaction: the
// changed records (put, moved cold or deleted), the sync state that resumes after the page and,
// when not nil, the set's meta (dictionaries) and sizes (how many records it holds, so a load
// sizes its arrays once). A crash leaves either all of it or none, so the state is never ahead
// of the records it describes.
func (db *DB) SavePage(account string, recs []Record, st *amo.SyncState, meta, sizes []byte) error {
	var state []byte
	if st != nil {
		var err error
		if state, err = json.Marshal(st); err != nil {
			return fmt.Errorf("save page of account %s: encode sync state: %w", account, err)
		}
	}
	err := db.bolt.Update(func(tx *bolt.Tx) error {
		for _, r := range recs {
			if err := putRecord(tx, account, r); err != nil {
				return err
			}
		}
		if state == nil && meta == nil && sizes == nil {
			return nil
		}
		b, err := accountBucket(tx, account, subWSMeta)
		if err != nil {
			return err
		}
		if state != nil {
			if err := b.Put(keySyncState, state); err != nil {
				return fmt.Errorf("put sync state: %w", err)
			}
		}
		if meta != nil {
			if err := b.Put(keyWSMeta, meta); err != nil {
				return fmt.Errorf("put working-set meta: %w", err)
			}
		}
		if sizes != nil {
			if err := b.Put(keyWSSizes, sizes); err != nil {
				return fmt.Errorf("put working-set sizes: %w", err)
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("save page of account %s: %w", account, err)
	}
	return nil
}

// putRecord applies one record change in tx.
func putRecord(tx *bolt.Tx, account string, r Record) error {
	hotName, ok := hotBucket(r.Kind)
	if !ok {
		return fmt.Errorf("record kind %d: unknown", r.Kind)
	}
	hot, err := accountBucket(tx, account, hotName)
	if err != nil {
		return err
	}
	hot.FillPercent = recordFill
	key := recordKey(r.Kind, r.ID)
	var cold *bolt.Bucket
	if name, ok := coldBucket(r.Kind); ok {
		if cold, err = accountBucket(tx, account, name); err != nil {
			return err
		}
	}
	switch r.Op {
	case workset.OpPut:
		if cold != nil {
			if err := cold.Delete(key); err != nil {
				return fmt.Errorf("delete cold record %d: %w", r.ID, err)
			}
		}
		if _, err := putIfChanged(hot, key, r.Data); err != nil {
			return err
		}
	case workset.OpCold:
		if cold == nil {
			return fmt.Errorf("record kind %d has no cold storage", r.Kind)
		}
		if err := hot.Delete(key); err != nil {
			return fmt.Errorf("delete hot record %d: %w", r.ID, err)
		}
		if len(r.Data) > 0 {
			cold.FillPercent = recordFill
			if err := cold.Put(key, r.Data); err != nil {
				return fmt.Errorf("put cold record %d: %w", r.ID, err)
			}
		}
	case workset.OpDelete:
		if err := hot.Delete(key); err != nil {
			return fmt.Errorf("delete record %d: %w", r.ID, err)
		}
		if cold != nil {
			if err := cold.Delete(key); err != nil {
				return fmt.Errorf("delete cold record %d: %w", r.ID, err)
			}
		}
	default:
		return fmt.Errorf("record %d: unknown op %d", r.ID, r.Op)
	}
	return nil
}

// WorksetLoader receives the persisted working set of an account (see LoadWorkset).
type WorksetLoader interface {
	UnmarshalMeta(b []byte) error
	Reserve(sizes []byte)
	Load(kind workset.RecordKind, data []byte) error
	LoadPending(kind workset.RecordKind, id int64, data []byte) error
	// Loaded is called once every record was fed.
	Loaded()
}

// LoadWorkset feeds an account's kept (hot) records to ws — the meta, then deals, contacts,
// tasks and pending items — and returns the sync state stored with them. Evicted (cold) records
// are not read. An account never synced yields a zero state (FullDone false): a full sync. A
// record that does not decode is an error naming it.
func (db *DB) LoadWorkset(account string, ws WorksetLoader) (amo.SyncState, error) {
	var st amo.SyncState
	err := db.bolt.View(func(tx *bolt.Tx) error {
		meta, err := accountBucket(tx, account, subWSMeta)
		if err != nil {
			return err
		}
		if meta != nil {
			if raw := meta.Get(keySyncState); raw != nil {
				if err := json.Unmarshal(raw, &st); err != nil {
					return fmt.Errorf("decode sync state: %w", err)
				}
			}
			if raw := meta.Get(keyWSMeta); raw != nil {
				if err := ws.UnmarshalMeta(raw); err != nil {
					return err
				}
			}
			if raw := meta.Get(keyWSSizes); raw != nil {
				ws.Reserve(raw)
			}
		}
		for _, k := range []workset.RecordKind{workset.RecDeal, workset.RecContact, workset.RecTask} {
			name, _ := hotBucket(k)
			b, err := accountBucket(tx, account, name)
			if err != nil || b == nil {
				if err != nil {
					return err
				}
				continue
			}
			n := 0
			if err := b.ForEach(func(key, v []byte) error {
				if err := ws.Load(k, v); err != nil {
					return fmt.Errorf("%s record %d: %w", name, binary.BigEndian.Uint64(key), err)
				}
				if n++; n%releaseEvery == 0 {
					return db.releaseIn(tx)
				}
				return nil
			}); err != nil {
				return err
			}
		}
		pend, err := accountBucket(tx, account, subWSPending)
		if err != nil || pend == nil {
			return err
		}
		return pend.ForEach(func(key, v []byte) error {
			if len(key) != 9 {
				return fmt.Errorf("pending record key %x: wrong length", key)
			}
			k, id := workset.RecordKind(key[0]), int64(binary.BigEndian.Uint64(key[1:]))
			if err := ws.LoadPending(k, id, v); err != nil {
				return fmt.Errorf("pending record %x: %w", key, err)
			}
			return nil
		})
	})
	if err != nil {
		return amo.SyncState{}, fmt.Errorf("load working set of account %s: %w", account, err)
	}
	ws.Loaded()
	return st, nil
}

// ColdRecords returns the evicted records of the given ids of one kind (deals or contacts),
// copied, by id; ids with none are absent.
func (db *DB) ColdRecords(account string, kind workset.RecordKind, ids []int64) (map[int64][]byte, error) {
	name, ok := coldBucket(kind)
	if !ok || len(ids) == 0 {
		return nil, nil
	}
	out := map[int64][]byte{}
	err := db.bolt.View(func(tx *bolt.Tx) error {
		b, err := accountBucket(tx, account, name)
		if err != nil || b == nil {
			return err
		}
		for _, id := range ids {
			if v := b.Get(u64(uint64(id))); v != nil {
				out[id] = clone(v)
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("cold records of account %s: %w", account, err)
	}
	return out, nil
}

// SyncState returns the stored sync state of an account (zero when never synced).
func (db *DB) SyncState(account string) (amo.SyncState, error) {
	var st amo.SyncState
	err := db.bolt.View(func(tx *bolt.Tx) error {
		b, err := accountBucket(tx, account, subWSMeta)
		if err != nil || b == nil {
			return err
		}
		if raw := b.Get(keySyncState); raw != nil {
			return json.Unmarshal(raw, &st)
		}
		return nil
	})
	if err != nil {
		return amo.SyncState{}, fmt.Errorf("sync state of account %s: %w", account, err)
	}
	return st, nil
}

// SameSyncState reports whether st is what is stored already (then a page with no record to
// write needs no transaction: an idle poll writes nothing).
func (db *DB) SameSyncState(account string, st amo.SyncState) (bool, error) {
	want, err := json.Marshal(st)
	if err != nil {
		return false, err
	}
	same := false
	err = db.bolt.View(func(tx *bolt.Tx) error {
		b, err := accountBucket(tx, account, subWSMeta)
		if err != nil || b == nil {
			return err
		}
		same = bytes.Equal(b.Get(keySyncState), want)
		return nil
	})
	return same, err
}

// ResetWorkset deletes an account's working set and sync state, so the next sync is a full
// one. Settings, the ledger, people and history are kept.
func (db *DB) ResetWorkset(account string) error {
	err := db.bolt.Update(func(tx *bolt.Tx) error {
		if err := checkAccount(account); err != nil {
			return err
		}
		acct := tx.Bucket(bucketAccountData).Bucket([]byte(account))
		if acct == nil {
			return nil
		}
		for _, name := range []string{subWSMeta, subWSDeals, subWSDealsCold, subWSContacts, subWSContactsCold, subWSTasks, subWSPending} {
			if acct.Bucket([]byte(name)) == nil {
				continue
			}
			if err := acct.DeleteBucket([]byte(name)); err != nil {
				return fmt.Errorf("drop %s: %w", name, err)
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("reset working set of account %s: %w", account, err)
	}
	return nil
}

// WorksetMeta returns an account's stored working-set meta (the dictionaries), nil when none.
func (db *DB) WorksetMeta(account string) ([]byte, error) {
	var out []byte
	err := db.bolt.View(func(tx *bolt.Tx) error {
		b, err := accountBucket(tx, account, subWSMeta)
		if err != nil || b == nil {
			return err
		}
		if v := b.Get(keyWSMeta); v != nil {
			out = clone(v)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("working-set meta of account %s: %w", account, err)
	}
	return out, nil
}
