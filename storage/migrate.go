package storage

import (
	"encoding/json"
	"fmt"
	"strconv"

	bolt "go.etcd.io/bbolt"
)

// migration brings the schema from version N-1 to N, where N is its position in migrations()
// counting from 1. A new file runs them all, so a fresh database and an upgraded one follow the
// same path.
type migration struct {
	name string
	up   func(tx *bolt.Tx) error
}

// migrations lists the schema changes in order. Append only: never edit or reorder a released
// step, since files in the field record how many of them they have applied.
func migrations() []migration {
	return []migration{
		{name: "create the root buckets", up: createRootBuckets},
		{name: "index pending and parked outbox items", up: indexOutbox},
		{name: "working set records and a binary ledger instead of the snapshot", up: dropSnapshot},
		{name: "index people by account; remember the account each person works in", up: indexPeople},
	}
}

// CurrentSchema is the schema version this program writes.
func CurrentSchema() int { return len(migrations()) }

// migrate applies the missing steps of ms in one transaction: a failed step leaves the file as
// it was.
func migrate(bdb *bolt.DB, ms []migration) error {
	return bdb.Update(func(tx *bolt.Tx) error {
		meta, err := tx.CreateBucketIfNotExists(bucketMeta)
		if err != nil {
			return fmt.Errorf("create meta bucket: %w", err)
		}
		v, err := schemaVersion(tx)
		if err != nil {
			return err
		}
		if v > len(ms) {
			return fmt.Errorf("schema version %d, this program knows up to %d: %w", v, len(ms), ErrNewerSchema)
		}
		for i := v; i < len(ms); i++ {
			if err := ms[i].up(tx); err != nil {
				return fmt.Errorf("migrate schema to version %d (%s): %w", i+1, ms[i].name, err)
			}
		}
		if err := meta.Put(keySchemaVersion, []byte(strconv.Itoa(len(ms)))); err != nil {
			return fmt.Errorf("record schema version: %w", err)
		}
		return nil
	})
}

// schemaVersion reads meta/schema_version; 0 for a new file.
func schemaVersion(tx *bolt.Tx) (int, error) {
	meta := tx.Bucket(bucketMeta)
	if meta == nil {
		return 0, nil
	}
	raw := meta.Get(keySchemaVersion)
	if raw == nil {
		return 0, nil
	}
	v, err := strconv.Atoi(string(raw))
	if err != nil || v < 0 {
		return 0, fmt.Errorf("bad schema version %q", raw)
	}
	return v, nil
}

// createRootBuckets is schema version 1.
func createRootBuckets(tx *bolt.Tx) error {
	for _, name := range [][]byte{bucketAccounts, bucketAccountData, bucketOutbox, bucketPeople, bucketInvites} {
		if _, err := tx.CreateBucketIfNotExists(name); err != nil {
			return fmt.Errorf("create bucket %s: %w", name, err)
		}
	}
	return nil
}

// indexOutbox is schema version 2: Due and Parked read small index buckets instead of decoding
// every outbox item. It (re)builds both indexes from the items.
func indexOutbox(tx *bolt.Tx) error {
	pending, err := tx.CreateBucketIfNotExists(bucketOutboxPending)
	if err != nil {
		return fmt.Errorf("create bucket %s: %w", bucketOutboxPending, err)
	}
	parked, err := tx.CreateBucketIfNotExists(bucketOutboxParked)
	if err != nil {
		return fmt.Errorf("create bucket %s: %w", bucketOutboxParked, err)
	}
	return tx.Bucket(bucketOutbox).ForEach(func(k, data []byte) error {
		var it OutboxItem
		if err := json.Unmarshal(data, &it); err != nil {
			return fmt.Errorf("decode outbox item %x: %w", k, err)
		}
		switch it.State() {
		case OutboxPending:
			return pending.Put(clone(k), pendingValue(it))
		case OutboxParked:
			return parked.Put(clone(k), []byte{})
		}
		return nil
	})
}

// dropSnapshot is schema version 3: the snapshot of whole entities and the text-keyed ledger
// give way to the working set's records and a ledger with binary keys. Both are rebuilt by the
// next sync (a full one); the ledger is marked unseeded so that sync's findings are recorded
// without alerting again what was alerted before the upgrade.
func dropSnapshot(tx *bolt.Tx) error {
	root := tx.Bucket(bucketAccountData)
	if root == nil {
		return nil
	}
	var accounts [][]byte
	if err := root.ForEach(func(k, v []byte) error {
		if v == nil {
			accounts = append(accounts, clone(k))
		}
		return nil
	}); err != nil {
		return err
	}
	for _, a := range accounts {
		acct := root.Bucket(a)
		for _, name := range legacyAccountBuckets {
			if acct.Bucket([]byte(name)) == nil {
				continue
			}
			if err := acct.DeleteBucket([]byte(name)); err != nil {
				return fmt.Errorf("account %s: drop bucket %s: %w", a, name, err)
			}
		}
		if jobs := acct.Bucket([]byte(subJobs)); jobs != nil {
			if err := jobs.Delete([]byte("ledger-seeded")); err != nil {
				return fmt.Errorf("account %s: unseed the ledger: %w", a, err)
			}
		}
	}
	return nil
}
