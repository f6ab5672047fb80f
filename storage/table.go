package storage

import (
	"encoding/json"
	"fmt"

	bolt "go.etcd.io/bbolt"

	"salesguard/checks"
)

// PutTable stores the daily table of one day (manager × rule counts), replacing what was
// stored for that day. Rows with a zero Day get day; a row of another day is an error.
func (db *DB) PutTable(account string, day checks.Date, rows []checks.TableRow) error {
	stored := make([]checks.TableRow, len(rows))
	for i, r := range rows {
		if r.Day.IsZero() {
			r.Day = day
		}
		if r.Day != day {
			return fmt.Errorf("put table of account %s for %s: row %d is for %s", account, day, i, r.Day)
		}
		stored[i] = r
	}
	err := db.bolt.Update(func(tx *bolt.Tx) error {
		b, err := accountBucket(tx, account, subTable)
		if err != nil {
			return err
		}
		return putJSON(b, []byte(day.String()), stored)
	})
	if err != nil {
		return fmt.Errorf("put table of account %s for %s: %w", account, day, err)
	}
	return nil
}

// Table returns the stored rows of the days from..to (both inclusive), ordered by day and, within
// a day, as they were put.
func (db *DB) Table(account string, from, to checks.Date) ([]checks.TableRow, error) {
	var out []checks.TableRow
	err := db.bolt.View(func(tx *bolt.Tx) error {
		b, err := accountBucket(tx, account, subTable)
		if err != nil || b == nil {
			return err
		}
		end := to.String()
		c := b.Cursor()
		for k, v := c.Seek([]byte(from.String())); k != nil && string(k) <= end; k, v = c.Next() {
			var rows []checks.TableRow
			if err := json.Unmarshal(v, &rows); err != nil {
				return fmt.Errorf("decode table of %s: %w", k, err)
			}
			out = append(out, rows...)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("table of account %s from %s to %s: %w", account, from, to, err)
	}
	return out, nil
}
