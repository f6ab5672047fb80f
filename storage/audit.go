package storage

import (
	"fmt"
	"time"

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
	err := putByDay(db, v.Account, subAudit, v.Day, v.DealID, v)
	if err != nil {
		return fmt.Errorf("put verdict of account %s on deal %d: %w", v.Account, v.DealID, err)
	}
	return nil
}

// Verdicts returns the verdicts on samples of the days from..to (both inclusive), ordered by
// day and deal.
func (db *DB) Verdicts(account string, from, to checks.Date) ([]Verdict, error) {
	out, err := byDays[Verdict](db, account, subAudit, from, to, "verdict")
	if err != nil {
		return nil, fmt.Errorf("verdicts of account %s from %s to %s: %w", account, from, to, err)
	}
	return out, nil
}
