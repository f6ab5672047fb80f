package storage

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"

	"salesguard/amo"
)

// Role is what a person may do in the bot for one account.
type Role string

// Roles.
const (
	RoleAdmin   Role = "admin"   // configures the account, invites people
	RoleHead    Role = "head"    // head of sales: escalations, digests, audit
	RoleManager Role = "manager" // a manager: own alerts and plan
)

// Valid reports whether r is one of the known roles.
func (r Role) Valid() bool { return r == RoleAdmin || r == RoleHead || r == RoleManager }

// Person is a Telegram user known to the bot in one account. One Telegram user may belong to
// several accounts (an agency owner), one Person per account.
type Person struct {
	TelegramID int64      `json:"telegram_id"`
	Account    string     `json:"account"`
	AmoUserID  amo.UserID `json:"amo_user_id,omitempty"` // 0 for people who are not amoCRM users
	Role       Role       `json:"role"`
	Lang       string     `json:"lang,omitempty"`
	Name       string     `json:"name,omitempty"`
	// Team lists the managers a head sees; empty means every manager.
	Team        []amo.UserID `json:"team,omitempty"`
	Unreachable bool         `json:"unreachable,omitempty"` // the bot was blocked; messages are parked
	AddedAt     time.Time    `json:"added_at"`
}

// PutPerson creates or replaces a person's membership of p.Account.
func (db *DB) PutPerson(p Person) error {
	if p.TelegramID == 0 || !p.Role.Valid() {
		return fmt.Errorf("put person %d: telegram id and a valid role are required (role %q)", p.TelegramID, p.Role)
	}
	if err := checkAccount(p.Account); err != nil {
		return fmt.Errorf("put person %d: %w", p.TelegramID, err)
	}
	err := db.bolt.Update(func(tx *bolt.Tx) error {
		if err := putJSON(tx.Bucket(bucketPeople), personKey(p.TelegramID, p.Account), p); err != nil {
			return err
		}
		return tx.Bucket(bucketPeopleByAccount).Put(memberKey(p.Account, p.TelegramID), []byte{})
	})
	if err != nil {
		return fmt.Errorf("put person %d in account %s: %w", p.TelegramID, p.Account, err)
	}
	return nil
}

// Person returns a Telegram user's membership and whether there is one. A user in several
// accounts gets the first by account key; use Memberships to see them all.
func (db *DB) Person(telegramID int64) (Person, bool, error) {
	ps, err := db.Memberships(telegramID)
	if err != nil || len(ps) == 0 {
		return Person{}, false, err
	}
	return ps[0], true, nil
}

// PersonIn returns a Telegram user's membership of one account and whether there is one.
func (db *DB) PersonIn(account string, telegramID int64) (Person, bool, error) {
	var p Person
	var found bool
	err := db.bolt.View(func(tx *bolt.Tx) error {
		var err error
		found, err = getJSON(tx.Bucket(bucketPeople), personKey(telegramID, account), &p)
		return err
	})
	if err != nil {
		return Person{}, false, fmt.Errorf("person %d in account %s: %w", telegramID, account, err)
	}
	return p, found, nil
}

// Memberships returns every account membership of a Telegram user, ordered by account key.
func (db *DB) Memberships(telegramID int64) ([]Person, error) {
	var out []Person
	prefix := u64(uint64(telegramID))
	err := db.bolt.View(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketPeople).Cursor()
		for k, v := c.Seek(prefix); k != nil && len(k) > 8 && string(k[:8]) == string(prefix); k, v = c.Next() {
			var p Person
			if err := json.Unmarshal(v, &p); err != nil {
				return fmt.Errorf("decode person %x: %w", k, err)
			}
			out = append(out, p)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("memberships of person %d: %w", telegramID, err)
	}
	return out, nil
}

// People returns the people of an account, ordered by Telegram id. It reads the account's
// index of members, so its cost follows the account's people, not everyone the bot knows.
func (db *DB) People(account string) ([]Person, error) {
	var out []Person
	err := db.bolt.View(func(tx *bolt.Tx) error {
		people := tx.Bucket(bucketPeople)
		prefix := memberPrefix(account)
		c := tx.Bucket(bucketPeopleByAccount).Cursor()
		for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
			if len(k) != len(prefix)+8 {
				continue
			}
			tg := int64(binary.BigEndian.Uint64(k[len(prefix):]))
			var p Person
			found, err := getJSON(people, personKey(tg, account), &p)
			if err != nil {
				return err
			}
			if found {
				out = append(out, p)
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("people of account %s: %w", account, err)
	}
	return out, nil
}

// DeletePerson removes a Telegram user from an account; ErrNotFound when not a member. A
// choice of that account as the person's current one is forgotten with it.
func (db *DB) DeletePerson(account string, telegramID int64) error {
	err := db.bolt.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketPeople)
		k := personKey(telegramID, account)
		if b.Get(k) == nil {
			return ErrNotFound
		}
		if err := b.Delete(k); err != nil {
			return err
		}
		if err := tx.Bucket(bucketPeopleByAccount).Delete(memberKey(account, telegramID)); err != nil {
			return err
		}
		cur := tx.Bucket(bucketPeopleCurrent)
		if string(cur.Get(u64(uint64(telegramID)))) == account {
			return cur.Delete(u64(uint64(telegramID)))
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("delete person %d from account %s: %w", telegramID, account, err)
	}
	return nil
}

// personKey is the Telegram id big-endian followed by the account key, so a user's memberships
// are adjacent. Telegram ids are positive for users.
func personKey(telegramID int64, account string) []byte {
	k := make([]byte, 8, 8+len(account))
	binary.BigEndian.PutUint64(k, uint64(telegramID))
	return append(k, account...)
}

// Invite lets a Telegram user join an account in a role by sending the code to the bot.
type Invite struct {
	Code      string     `json:"code"`
	Account   string     `json:"account"`
	Role      Role       `json:"role"`
	AmoUserID amo.UserID `json:"amo_user_id,omitempty"` // the amoCRM user the invitee is
	CreatedBy int64      `json:"created_by"`            // Telegram user id of the inviter
	ExpiresAt time.Time  `json:"expires_at"`
}

// PutInvite stores a new invite. A code already in use is an error.
func (db *DB) PutInvite(inv Invite) error {
	if inv.Code == "" || !inv.Role.Valid() {
		return fmt.Errorf("put invite: a code and a valid role are required (role %q)", inv.Role)
	}
	if err := checkAccount(inv.Account); err != nil {
		return fmt.Errorf("put invite: %w", err)
	}
	err := db.bolt.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketInvites)
		if b.Get([]byte(inv.Code)) != nil {
			return errors.New("code already in use")
		}
		return putJSON(b, []byte(inv.Code), inv)
	})
	if err != nil {
		return fmt.Errorf("put invite to account %s: %w", inv.Account, err)
	}
	return nil
}

// TakeInvite uses an invite once: it is deleted and returned. An unknown (or already used)
// code gives ErrNotFound; an expired one (now at or after ExpiresAt; a zero ExpiresAt never
// expires) is deleted too and gives ErrInviteExpired.
func (db *DB) TakeInvite(code string, now time.Time) (Invite, error) {
	var inv Invite
	var found bool
	err := db.bolt.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketInvites)
		var err error
		if found, err = getJSON(b, []byte(code), &inv); err != nil || !found {
			return err
		}
		return b.Delete([]byte(code))
	})
	switch {
	case err != nil:
		return Invite{}, fmt.Errorf("take invite: %w", err)
	case !found:
		return Invite{}, fmt.Errorf("take invite: %w", ErrNotFound)
	case !inv.ExpiresAt.IsZero() && !now.Before(inv.ExpiresAt):
		return Invite{}, fmt.Errorf("take invite to account %s (expired %s): %w", inv.Account, inv.ExpiresAt.UTC().Format(time.RFC3339), ErrInviteExpired)
	}
	return inv, nil
}

// PruneInvites deletes the invites expired at now and returns how many.
func (db *DB) PruneInvites(now time.Time) (int, error) {
	var n int
	err := db.bolt.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketInvites)
		var drop [][]byte
		err := eachJSON(b, func(k []byte, inv Invite) error {
			if !inv.ExpiresAt.IsZero() && !now.Before(inv.ExpiresAt) {
				drop = append(drop, clone(k))
			}
			return nil
		})
		if err != nil {
			return err
		}
		for _, k := range drop {
			if err := b.Delete(k); err != nil {
				return err
			}
		}
		n = len(drop)
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("prune invites: %w", err)
	}
	return n, nil
}

// Invites lists the account's invites still usable at now (not used, not expired), in code
// order, so the bot can show whom an invite is pending for.
func (db *DB) Invites(account string, now time.Time) ([]Invite, error) {
	var out []Invite
	err := db.bolt.View(func(tx *bolt.Tx) error {
		return eachJSON(tx.Bucket(bucketInvites), func(_ []byte, inv Invite) error {
			if inv.Account == account && (inv.ExpiresAt.IsZero() || now.Before(inv.ExpiresAt)) {
				out = append(out, inv)
			}
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("list invites of account %s: %w", account, err)
	}
	return out, nil
}
