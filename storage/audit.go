package storage

import (
	"encoding/json"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"

	"salesguard/amo"
	"salesguard/checks"
)

// Verdict is the head's judgement of one deal of the daily audit sample.
// R13: the daily audit sample (shared/RULES.md).
type Verdict struct {
	Account string      `json:"account"`
	Day     checks.Date `json:"day"` // the day of the sample
	DealID  amo.LeadID  `json:"deal_id"`
	Manager amo.UserID  `json:"manager"`
	OK      bool        `json:"ok"`
	Comment string      `json:"comment,omitempty"`
	By      int64       `json:"by"` // Telegram user id of the reviewer
	At      time.Time   `json:"at"`
}

// PutVerdict stores a verdict, replacing an earlier one on the same deal and day.
func (db *DB) PutVerdict(v Verdict) error {
	if v.Day.IsZero() || v.DealID == 0 {
		return fmt.Errorf("put verdict of account %s: day and deal are required", v.Account)
	}
	err := db.bolt.Update(func(tx *bolt.Tx) error {
		b, err := accountBucket(tx, v.Account, subAudit)
		if err != nil {
			return err
		}
		return putJSON(b, joinKey([]byte(v.Day.String()), idKey(v.DealID)), v)
	})
	if err != nil {
		return fmt.Errorf("put verdict of account %s on deal %d: %w", v.Account, v.DealID, err)
	}
	return nil
}

// Verdicts returns the verdicts on samples of the days from..to (both inclusive), ordered by
// day and deal.
func (db *DB) Verdicts(account string, from, to checks.Date) ([]Verdict, error) {
	var out []Verdict
	err := db.bolt.View(func(tx *bolt.Tx) error {
		b, err := accountBucket(tx, account, subAudit)
		if err != nil || b == nil {
			return err
		}
		end := []byte(to.AddDays(1).String())
		c := b.Cursor()
		for k, v := c.Seek([]byte(from.String())); k != nil && string(k) < string(end); k, v = c.Next() {
			var vd Verdict
			if err := json.Unmarshal(v, &vd); err != nil {
				return fmt.Errorf("decode verdict %q: %w", k, err)
			}
			out = append(out, vd)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("verdicts of account %s from %s to %s: %w", account, from, to, err)
	}
	return out, nil
}
