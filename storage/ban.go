package storage

import (
	"context"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"

	"salesguard/amo"
)

var _ amo.BanStore = (*tokenStore)(nil)

// BanStore returns the amo.BanStore of one account: the end of the ban cool-down amoCRM
// imposed (an HTML 403), kept so a restart during it sends no request. The account's
// TokenStore is the same store.
func (db *DB) BanStore(account string) amo.BanStore {
	return &tokenStore{db: db, account: account}
}

// LoadBan implements amo.BanStore: the zero time when no cool-down was saved.
func (s *tokenStore) LoadBan(_ context.Context) (time.Time, error) {
	var until time.Time
	err := s.db.bolt.View(func(tx *bolt.Tx) error {
		b, err := accountBucket(tx, s.account, subBan)
		if err != nil {
			return err
		}
		_, err = getJSON(b, keyBanUntil, &until)
		return err
	})
	if err != nil {
		return time.Time{}, fmt.Errorf("load ban of account %s: %w", s.account, err)
	}
	return until, nil
}

// SaveBan implements amo.BanStore.
func (s *tokenStore) SaveBan(_ context.Context, until time.Time) error {
	err := s.db.bolt.Update(func(tx *bolt.Tx) error {
		b, err := accountBucket(tx, s.account, subBan)
		if err != nil {
			return err
		}
		return putJSON(b, keyBanUntil, until.UTC())
	})
	if err != nil {
		return fmt.Errorf("save ban of account %s: %w", s.account, err)
	}
	return nil
}
