package storage

import (
	"context"
	"fmt"

	bolt "go.etcd.io/bbolt"

	"salesguard/amo"
)

// TokenStore returns the amo.TokenStore of one account, backed by this database.
//
// LoadToken of an account with no stored token returns a zero amo.Token and no error; the
// client then falls back to its configured token or authorization code. SaveToken writes the
// whole pair (access, refresh, expiry) in one transaction, so a crash never leaves a new access
// token beside a spent refresh token. The context is not consulted: both are short local writes,
// and a pair just obtained from amoCRM must be saved even when the caller is shutting down.
func (db *DB) TokenStore(account string) amo.TokenStore {
	return &tokenStore{db: db, account: account}
}

type tokenStore struct {
	db      *DB
	account string
}

var _ amo.TokenStore = (*tokenStore)(nil)

// LoadToken implements amo.TokenStore.
func (s *tokenStore) LoadToken(_ context.Context) (amo.Token, error) {
	var t amo.Token
	err := s.db.bolt.View(func(tx *bolt.Tx) error {
		b, err := accountBucket(tx, s.account, subToken)
		if err != nil {
			return err
		}
		_, err = getJSON(b, keyToken, &t)
		return err
	})
	if err != nil {
		return amo.Token{}, fmt.Errorf("load token of account %s: %w", s.account, err)
	}
	return t, nil
}

// SaveToken implements amo.TokenStore.
func (s *tokenStore) SaveToken(_ context.Context, t amo.Token) error {
	err := s.db.bolt.Update(func(tx *bolt.Tx) error {
		b, err := accountBucket(tx, s.account, subToken)
		if err != nil {
			return err
		}
		return putJSON(b, keyToken, t)
	})
	if err != nil {
		return fmt.Errorf("save token of account %s: %w", s.account, err)
	}
	return nil
}
