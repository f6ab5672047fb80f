package storage

import (
	"errors"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Account is an amoCRM account the service watches, named by a short key ("main",
// "client-a") that keys all of its data.
type Account struct {
	Key     string    `json:"key"`
	BaseURL string    `json:"base_url"` // https://example.amocrm.ru
	Name    string    `json:"name,omitempty"`
	AddedAt time.Time `json:"added_at"`
}

// PutAccount creates or replaces an account record.
func (db *DB) PutAccount(a Account) error {
	if err := checkAccount(a.Key); err != nil {
		return fmt.Errorf("put account: %w", err)
	}
	if a.BaseURL == "" {
		return fmt.Errorf("put account %s: %w", a.Key, errors.New("empty base URL"))
	}
	err := db.bolt.Update(func(tx *bolt.Tx) error {
		return putJSON(tx.Bucket(bucketAccounts), []byte(a.Key), a)
	})
	if err != nil {
		return fmt.Errorf("put account %s: %w", a.Key, err)
	}
	return nil
}

// Accounts returns every account record, ordered by key.
func (db *DB) Accounts() ([]Account, error) {
	var out []Account
	err := db.bolt.View(func(tx *bolt.Tx) error {
		return eachJSON(tx.Bucket(bucketAccounts), func(_ []byte, a Account) error {
			out = append(out, a)
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("list accounts: %w", err)
	}
	return out, nil
}

// Account returns the account record with the given key and whether it exists.
func (db *DB) Account(key string) (Account, bool, error) {
	var a Account
	var found bool
	err := db.bolt.View(func(tx *bolt.Tx) error {
		var err error
		found, err = getJSON(tx.Bucket(bucketAccounts), []byte(key), &a)
		return err
	})
	if err != nil {
		return Account{}, false, fmt.Errorf("account %s: %w", key, err)
	}
	return a, found, nil
}
