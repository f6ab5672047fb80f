package storage

import (
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

// LastRun returns when a scheduled job ("digest", "plan", "weekly") last ran for an account;
// the zero time when it never did. The app uses it to send a digest missed while down once.
func (db *DB) LastRun(account, job string) (time.Time, error) {
	var t time.Time
	err := db.bolt.View(func(tx *bolt.Tx) error {
		b, err := accountBucket(tx, account, subJobs)
		if err != nil {
			return err
		}
		_, err = getJSON(b, []byte(job), &t)
		return err
	})
	if err != nil {
		return time.Time{}, fmt.Errorf("last run of job %s of account %s: %w", job, account, err)
	}
	return t, nil
}

// SetLastRun records when a scheduled job ran for an account.
func (db *DB) SetLastRun(account, job string, t time.Time) error {
	if job == "" {
		return fmt.Errorf("set last run of account %s: empty job name", account)
	}
	err := db.bolt.Update(func(tx *bolt.Tx) error {
		b, err := accountBucket(tx, account, subJobs)
		if err != nil {
			return err
		}
		return putJSON(b, []byte(job), t)
	})
	if err != nil {
		return fmt.Errorf("set last run of job %s of account %s: %w", job, account, err)
	}
	return nil
}
