package storage

import (
	"encoding/json"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"

	"salesguard/amo"
	"salesguard/checks"
)

// Per-account buckets of the weekly call review (R7: "3 calls of each manager a week",
// shared/RULES.md), nested under acct/<account key>/ like those in keys.go.
const (
	subReviewSample  = "review_sample"  // week start → []checks.ReviewCall, as the weekly report sent it
	subReviewVerdict = "review_verdict" // call day + 0x00 + u64 note → CallVerdict
)

// CallVerdict is the head's verdict on one call of a weekly review sample (R7). A call judged
// not OK counts in the table as an R7 violation of its manager on the day of the call.
type CallVerdict struct {
	Account string      `json:"account"`
	Week    checks.Date `json:"week"` // the first day of the sample's week
	Day     checks.Date `json:"day"`  // the local day of the call
	NoteID  amo.NoteID  `json:"note_id"`
	DealID  amo.LeadID  `json:"deal_id,omitempty"`
	Manager amo.UserID  `json:"manager"`
	OK      bool        `json:"ok"`
	By      int64       `json:"by"`                // Telegram user id of the reviewer
	ByName  string      `json:"by_name,omitempty"` // the reviewer's name when they judged
	At      time.Time   `json:"at"`
}

// SaveReviewSample stores the call review sample of the week starting on week, unless one is
// stored already, and returns the stored one: a weekly report sent again (after a crash) shows
// the calls the head may already have judged, never a new pick.
func (db *DB) SaveReviewSample(account string, week checks.Date, calls []checks.ReviewCall) ([]checks.ReviewCall, error) {
	if week.IsZero() {
		return nil, fmt.Errorf("save review sample of account %s: the week is required", account)
	}
	out := calls
	err := db.bolt.Update(func(tx *bolt.Tx) error {
		b, err := accountBucket(tx, account, subReviewSample)
		if err != nil {
			return err
		}
		key := []byte(week.String())
		if v := b.Get(key); v != nil {
			out = nil
			return json.Unmarshal(v, &out)
		}
		if out == nil {
			out = []checks.ReviewCall{}
		}
		return putJSON(b, key, out)
	})
	if err != nil {
		return nil, fmt.Errorf("save review sample of account %s for %s: %w", account, week, err)
	}
	return out, nil
}

// ReviewSample returns the stored call review sample of the week starting on week; ok is false
// when none was stored (no weekly report covered that week).
func (db *DB) ReviewSample(account string, week checks.Date) (calls []checks.ReviewCall, ok bool, err error) {
	err = db.bolt.View(func(tx *bolt.Tx) error {
		b, err := accountBucket(tx, account, subReviewSample)
		if err != nil || b == nil {
			return err
		}
		v := b.Get([]byte(week.String()))
		if v == nil {
			return nil
		}
		ok = true
		return json.Unmarshal(v, &calls)
	})
	if err != nil {
		return nil, false, fmt.Errorf("review sample of account %s for %s: %w", account, week, err)
	}
	return calls, ok, nil
}

// PutCallVerdict stores a verdict on a sampled call, replacing an earlier one on the same call.
func (db *DB) PutCallVerdict(v CallVerdict) error {
	if v.Day.IsZero() || v.Week.IsZero() || v.NoteID <= 0 {
		return fmt.Errorf("put call verdict of account %s: week, day and call are required", v.Account)
	}
	err := putByDay(db, v.Account, subReviewVerdict, v.Day, v.NoteID, v)
	if err != nil {
		return fmt.Errorf("put call verdict of account %s on note %d: %w", v.Account, v.NoteID, err)
	}
	return nil
}

// CallVerdicts returns the verdicts on the calls made on the days from..to (both inclusive),
// ordered by day and note.
func (db *DB) CallVerdicts(account string, from, to checks.Date) ([]CallVerdict, error) {
	out, err := byDays[CallVerdict](db, account, subReviewVerdict, from, to, "call verdict")
	if err != nil {
		return nil, fmt.Errorf("call verdicts of account %s from %s to %s: %w", account, from, to, err)
	}
	return out, nil
}
