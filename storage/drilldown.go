package storage

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"

	"salesguard/amo"
	"salesguard/checks"
)

// subTableAt holds, per day, the moment its daily table was counted (PutTableAt): day →
// RFC 3339 UTC time. With it the ledger tells which findings the counts were made of.
const subTableAt = "table_at"

// PutTableAt stores the daily table of one day like PutTable, together with the moment its rows
// were counted, in one transaction. The moment must be the now of the evaluation the rows come
// from (the digest job's cycle): the ledger entries open at that moment are the findings behind
// the counts (TableFindings).
func (db *DB) PutTableAt(account string, day checks.Date, at time.Time, rows []checks.TableRow) error {
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
		if err := putJSON(b, []byte(day.String()), stored); err != nil {
			return err
		}
		moments, err := accountBucket(tx, account, subTableAt)
		if err != nil {
			return err
		}
		return moments.Put([]byte(day.String()), timeKey(at))
	})
	if err != nil {
		return fmt.Errorf("put table of account %s for %s at %s: %w", account, day, at.Format(time.RFC3339), err)
	}
	return nil
}

// tableDay is one stored day: the moment of its count and the cells it counted.
type tableDay struct {
	day   checks.Date
	at    time.Time
	cells map[tableCell]bool
}

// tableCell is one manager × rule cell of a daily table.
type tableCell struct {
	m amo.UserID
	r checks.RuleID
}

// TableFindings returns, for each day of from..to (inclusive) stored with PutTableAt, the
// findings of the ledger entries that were open at the moment its table was counted
// (opened at or before it, closed after it or still open), limited to the manager × rule cells
// with a count that day and to the findings keep accepts (nil keeps all). checks.Table over a
// day's findings gives that day's stored rows back, so a count and the list of its deals come
// from one set; the caller picks the counted ones per day (report.Counted).
//
// They can differ from the stored counts where the ledger no longer says the same:
//   - entries closed before the retention of the history (PruneClosed) are gone, so an old
//     day lists fewer;
//   - an entry keeps the finding as it was opened (its alert): a deal given to another manager
//     since, without a new key, is listed under the manager of the alert, and values measured
//     at the evaluation (R1's waiting time, R4's time in stage) are those of the alert;
//   - a day stored with PutTable (before this was recorded, or by a tool) has no moment and is
//     absent from the map.
func (db *DB) TableFindings(account string, from, to checks.Date, keep func(*checks.Finding) bool) (map[checks.Date][]checks.Finding, error) {
	out := map[checks.Date][]checks.Finding{}
	err := db.bolt.View(func(tx *bolt.Tx) error {
		days, err := tableDays(tx, account, from, to)
		if err != nil || len(days) == 0 {
			return err
		}
		first := days[0].at
		for _, d := range days[1:] {
			if d.at.Before(first) {
				first = d.at
			}
		}
		add := func(e *LedgerEntry) {
			if keep != nil && !keep(&e.Finding) {
				return
			}
			c := tableCell{e.Finding.ManagerID, e.Finding.Rule}
			for _, d := range days {
				if d.cells[c] && !e.OpenedAt.After(d.at) && (e.IsOpen() || e.ClosedAt.After(d.at)) {
					out[d.day] = append(out[d.day], e.Finding)
				}
			}
		}
		if err := eachOpen(tx, account, add); err != nil {
			return err
		}
		return eachClosedAfter(tx, account, first, add)
	})
	if err != nil {
		return nil, fmt.Errorf("table findings of account %s from %s to %s: %w", account, from, to, err)
	}
	return out, nil
}

// tableDays reads the stored days of from..to that have a moment, with their cells.
func tableDays(tx *bolt.Tx, account string, from, to checks.Date) ([]tableDay, error) {
	moments, err := accountBucket(tx, account, subTableAt)
	if err != nil || moments == nil {
		return nil, err
	}
	tables, err := accountBucket(tx, account, subTable)
	if err != nil || tables == nil {
		return nil, err
	}
	var out []tableDay
	end := []byte(to.String())
	c := moments.Cursor()
	for k, v := c.Seek([]byte(from.String())); k != nil && bytes.Compare(k, end) <= 0; k, v = c.Next() {
		day, err := checks.ParseDate(string(k))
		if err != nil {
			return nil, fmt.Errorf("table moment %q: %w", k, err)
		}
		at, err := time.Parse(timeKeyLayout, string(v))
		if err != nil {
			return nil, fmt.Errorf("table moment of %s: %w", day, err)
		}
		var rows []checks.TableRow
		if data := tables.Get(k); data != nil {
			if err := json.Unmarshal(data, &rows); err != nil {
				return nil, fmt.Errorf("decode table of %s: %w", day, err)
			}
		}
		d := tableDay{day: day, at: at, cells: map[tableCell]bool{}}
		for _, r := range rows {
			if r.Count > 0 {
				d.cells[tableCell{r.Manager, r.Rule}] = true
			}
		}
		out = append(out, d)
	}
	return out, nil
}

// eachOpen calls f with every open entry of an account, in key order.
func eachOpen(tx *bolt.Tx, account string, f func(*LedgerEntry)) error {
	b, err := accountBucket(tx, account, subLedgerOpen)
	if err != nil || b == nil {
		return err
	}
	return b.ForEach(func(k, v []byte) error {
		e, err := decodeEntry(k, v)
		if err != nil {
			return fmt.Errorf("ledger entry %x: %w", k, err)
		}
		f(&e)
		return nil
	})
}

// eachClosedAfter calls f with every entry of an account closed after at, oldest first.
func eachClosedAfter(tx *bolt.Tx, account string, at time.Time, f func(*LedgerEntry)) error {
	b, err := accountBucket(tx, account, subLedgerClosed)
	if err != nil || b == nil {
		return err
	}
	c := b.Cursor()
	for k, v := c.Seek(u64(uint64(at.UnixNano()) + 1)); k != nil; k, v = c.Next() {
		if len(k) != 8+checks.KeySize {
			return fmt.Errorf("closed entry key %x: %w", k, errBadEntry)
		}
		e, err := decodeEntry(k[8:], v)
		if err != nil {
			return fmt.Errorf("closed entry %x: %w", k, err)
		}
		f(&e)
	}
	return nil
}
