package storage

import (
	"encoding/json"
	"fmt"
	"strings"
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

// Jobs returns an account's jobs whose names start with prefix, with when each last ran
// (jobs reset to the zero time are left out).
func (db *DB) Jobs(account, prefix string) (map[string]time.Time, error) {
	out := map[string]time.Time{}
	err := db.bolt.View(func(tx *bolt.Tx) error {
		b, err := accountBucket(tx, account, subJobs)
		if err != nil || b == nil {
			return err
		}
		c := b.Cursor()
		for k, v := c.Seek([]byte(prefix)); k != nil && strings.HasPrefix(string(k), prefix); k, v = c.Next() {
			var t time.Time
			if err := json.Unmarshal(v, &t); err != nil {
				return fmt.Errorf("job %s: %w", k, err)
			}
			if !t.IsZero() {
				out[string(k)] = t
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("jobs %s* of account %s: %w", prefix, account, err)
	}
	return out, nil
}
