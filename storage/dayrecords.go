package storage

import (
	"encoding/json"
	"fmt"

	bolt "go.etcd.io/bbolt"

	"salesguard/checks"
)

// Records kept by day and id (the heads' verdicts on audit samples and on sampled calls) live
// in an account's sub-bucket under day + 0x00 + u64 id: a range of days is one cursor walk.

// putByDay stores v under day and id in the account's bucket sub, replacing what was there.
func putByDay[T ~int64](db *DB, account, sub string, day checks.Date, id T, v any) error {
	return db.bolt.Update(func(tx *bolt.Tx) error {
		b, err := accountBucket(tx, account, sub)
		if err != nil {
			return err
		}
		return putJSON(b, joinKey([]byte(day.String()), idKey(id)), v)
	})
}

// byDays returns the records of the days from..to (both inclusive) in the account's bucket
// sub, ordered by day and id; what names a record in errors.
func byDays[R any](db *DB, account, sub string, from, to checks.Date, what string) ([]R, error) {
	var out []R
	err := db.bolt.View(func(tx *bolt.Tx) error {
		b, err := accountBucket(tx, account, sub)
		if err != nil || b == nil {
			return err
		}
		end := []byte(to.AddDays(1).String())
		c := b.Cursor()
		for k, v := c.Seek([]byte(from.String())); k != nil && string(k) < string(end); k, v = c.Next() {
			var r R
			if err := json.Unmarshal(v, &r); err != nil {
				return fmt.Errorf("decode %s %q: %w", what, k, err)
			}
			out = append(out, r)
		}
		return nil
	})
	return out, err
}
