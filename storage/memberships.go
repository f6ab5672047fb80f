package storage

import (
	"encoding/binary"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// People ↔ accounts. A person is one record per account they belong to (bucketPeople, keyed
// by Telegram id then account key, so a person's memberships are adjacent). Schema version 4
// adds two small buckets beside it:
//   - people_by_account lists each account's members, so an account's people are read
//     without decoding everyone the bot knows (an agency serves many accounts);
//   - people_current remembers which of their accounts a person in several works in (the
//     bot's account picker).
var (
	bucketPeopleByAccount = []byte("people_by_account") // len(account) (1) + account + u64 telegram id → nothing
	bucketPeopleCurrent   = []byte("people_current")    // u64 telegram id → account key
)

// memberPrefix is the index prefix of an account: its length byte, then the key (at most
// maxAccountKey bytes), so no account's prefix is a prefix of another's.
func memberPrefix(account string) []byte {
	k := make([]byte, 0, 1+len(account)+8)
	k = append(k, byte(len(account)))
	return append(k, account...)
}

// memberKey is an account's index entry for a Telegram user.
func memberKey(account string, telegramID int64) []byte {
	return binary.BigEndian.AppendUint64(memberPrefix(account), uint64(telegramID))
}

// CurrentAccount returns the account a Telegram user chose to work in, "" when they never
// chose one. The choice is not checked against their memberships: the caller does that, since
// accounts come and go with the configuration.
func (db *DB) CurrentAccount(telegramID int64) (string, error) {
	var account string
	err := db.bolt.View(func(tx *bolt.Tx) error {
		account = string(tx.Bucket(bucketPeopleCurrent).Get(u64(uint64(telegramID))))
		return nil
	})
	if err != nil {
		return "", fmt.Errorf("current account of person %d: %w", telegramID, err)
	}
	return account, nil
}

// SetCurrentAccount remembers the account a Telegram user works in. They must belong to it:
// ErrNotFound otherwise.
func (db *DB) SetCurrentAccount(telegramID int64, account string) error {
	if err := checkAccount(account); err != nil {
		return fmt.Errorf("set current account of person %d: %w", telegramID, err)
	}
	err := db.bolt.Update(func(tx *bolt.Tx) error {
		if tx.Bucket(bucketPeople).Get(personKey(telegramID, account)) == nil {
			return ErrNotFound
		}
		return tx.Bucket(bucketPeopleCurrent).Put(u64(uint64(telegramID)), []byte(account))
	})
	if err != nil {
		return fmt.Errorf("set current account of person %d to %s: %w", telegramID, account, err)
	}
	return nil
}

// indexPeople is schema version 4: it creates the people index and the current-account
// bucket, and indexes every membership already stored (files up to version 3 kept people per
// account in bucketPeople only). A key too short to name an account is an error: the file is
// not what this program wrote.
func indexPeople(tx *bolt.Tx) error {
	index, err := tx.CreateBucketIfNotExists(bucketPeopleByAccount)
	if err != nil {
		return fmt.Errorf("create bucket %s: %w", bucketPeopleByAccount, err)
	}
	if _, err := tx.CreateBucketIfNotExists(bucketPeopleCurrent); err != nil {
		return fmt.Errorf("create bucket %s: %w", bucketPeopleCurrent, err)
	}
	return tx.Bucket(bucketPeople).ForEach(func(k, _ []byte) error {
		if len(k) <= 8 || len(k) > 8+maxAccountKey {
			return fmt.Errorf("person key %x: want a telegram id and an account key", k)
		}
		tg := int64(binary.BigEndian.Uint64(k[:8]))
		return index.Put(memberKey(string(k[8:]), tg), []byte{})
	})
}
