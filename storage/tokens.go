package storage

import (
	"context"
	"fmt"

	bolt "go.etcd.io/bbolt"

	"salesguard/amo"
)

// TokenStore returns the amo.TokenStore of one account, backed by this database. It is also
// an amo.GrantStore, so the codes already used, a refused pair and a refresh in flight
// survive restarts, and an amo.BanStore (storage/ban.go).
//
// The account's grant is one record (acct/<account>/token/"token"): the current pair and its
// bookkeeping, written whole in one transaction, so a crash never leaves a new access token
// beside a spent refresh token. Each save overwrites it: no superseded refresh or access
// token is kept in any key, and no history or copy of tokens is written (bbolt's freed pages
// keep old bytes until reused, which Backup copies; those tokens are dead at amoCRM). A
// stored plain amo.Token, from before grants, reads as a grant with no bookkeeping. The
// context is not consulted: both are short local writes, and a pair just obtained from
// amoCRM must be saved even when the caller is shutting down.
func (db *DB) TokenStore(account string) amo.TokenStore {
	return &tokenStore{db: db, account: account}
}

type tokenStore struct {
	db      *DB
	account string
}

var (
	_ amo.TokenStore = (*tokenStore)(nil)
	_ amo.GrantStore = (*tokenStore)(nil)
)

// LoadToken implements amo.TokenStore: the pair of the grant (zero when none).
func (s *tokenStore) LoadToken(ctx context.Context) (amo.Token, error) {
	g, err := s.LoadGrant(ctx)
	return g.Token, err
}

// SaveToken implements amo.TokenStore: it replaces the pair and clears the grant's verdicts
// (refused, in flight); the hashes of the codes already used stay.
func (s *tokenStore) SaveToken(_ context.Context, t amo.Token) error {
	return s.update(func(g *amo.Grant) { *g = amo.Grant{Token: t, Code: g.Code, Spent: g.Spent} })
}

// LoadGrant implements amo.GrantStore.
func (s *tokenStore) LoadGrant(_ context.Context) (amo.Grant, error) {
	var g amo.Grant
	err := s.db.bolt.View(func(tx *bolt.Tx) error {
		b, err := accountBucket(tx, s.account, subToken)
		if err != nil {
			return err
		}
		_, err = getJSON(b, keyToken, &g)
		return err
	})
	if err != nil {
		return amo.Grant{}, fmt.Errorf("load token of account %s: %w", s.account, err)
	}
	return g, nil
}

// SaveGrant implements amo.GrantStore.
func (s *tokenStore) SaveGrant(_ context.Context, g amo.Grant) error {
	return s.update(func(old *amo.Grant) { *old = g })
}

// update changes the stored grant in one transaction.
func (s *tokenStore) update(f func(g *amo.Grant)) error {
	err := s.db.bolt.Update(func(tx *bolt.Tx) error {
		b, err := accountBucket(tx, s.account, subToken)
		if err != nil {
			return err
		}
		var g amo.Grant
		if _, err := getJSON(b, keyToken, &g); err != nil {
			return err
		}
		f(&g)
		return putJSON(b, keyToken, g)
	})
	if err != nil {
		return fmt.Errorf("save token of account %s: %w", s.account, err)
	}
	return nil
}
