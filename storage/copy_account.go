package storage

import (
	"bytes"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// CopyAccount copies everything the database keeps per account — working-set records, sync
// state, ledger, table, settings, jobs, tokens — from one account key to a new one, in one
// transaction. It is how the fleet benchmark stands up many accounts from one synced account
// without syncing each; an operator can use it to try settings on a copy. The target must not
// exist; the account registry (bucket "accounts") and the people are not copied.
func (db *DB) CopyAccount(from, to string) error {
	if err := checkAccount(from); err != nil {
		return err
	}
	if err := checkAccount(to); err != nil {
		return err
	}
	err := db.bolt.Update(func(tx *bolt.Tx) error {
		root := tx.Bucket(bucketAccountData)
		src := root.Bucket([]byte(from))
		if src == nil {
			return fmt.Errorf("account %s: %w", from, ErrNotFound)
		}
		if root.Bucket([]byte(to)) != nil {
			return fmt.Errorf("account %s exists already", to)
		}
		dst, err := root.CreateBucket([]byte(to))
		if err != nil {
			return err
		}
		return copyBucket(dst, src)
	})
	if err != nil {
		return fmt.Errorf("copy account %s to %s: %w", from, to, err)
	}
	return nil
}

// copyBucket copies src's keys and nested buckets into dst, densely (keys come in order).
func copyBucket(dst, src *bolt.Bucket) error {
	dst.FillPercent = recordFill
	return src.ForEach(func(k, v []byte) error {
		if v != nil {
			// Copied: k and v point into the mapped file, which the commit may remap before it
			// writes them (bbolt wants Put's arguments valid for the whole transaction).
			return dst.Put(bytes.Clone(k), bytes.Clone(v))
		}
		child, err := dst.CreateBucket(bytes.Clone(k))
		if err != nil {
			return err
		}
		return copyBucket(child, src.Bucket(k))
	})
}
