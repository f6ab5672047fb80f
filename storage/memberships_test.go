package storage

import (
	"encoding/json"
	"errors"
	"path/filepath"
	"testing"

	bolt "go.etcd.io/bbolt"
)

// TestMigratePeopleFromV3 writes people the way a version-3 file holds them (one record per
// account under the people bucket, no index, no current account) and checks that Open
// indexes them: each account lists its own people, a person in two accounts is in both, and
// choosing an account works from then on, across a reopen.
func TestMigratePeopleFromV3(t *testing.T) {
	path := filepath.Join(t.TempDir(), "db")
	bdb, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := migrate(bdb, migrations()[:3]); err != nil {
		t.Fatalf("migrate to v3: %v", err)
	}
	old := []Person{
		{TelegramID: 100, Account: "main", Role: RoleAdmin, AddedAt: t0},
		{TelegramID: 100, Account: "client-a", Role: RoleHead, AddedAt: t0},
		{TelegramID: 7, Account: "main", AmoUserID: 10, Role: RoleManager, Lang: "ru", AddedAt: t0},
		{TelegramID: 8, Account: "client-a", AmoUserID: 10, Role: RoleManager, AddedAt: t0},
	}
	err = bdb.Update(func(tx *bolt.Tx) error {
		for _, p := range old {
			data, _ := json.Marshal(p)
			if err := tx.Bucket(bucketPeople).Put(personKey(p.TelegramID, p.Account), data); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	_ = bdb.Close()

	db, err := Open(path, Options{})
	if err != nil {
		t.Fatalf("open v3 file: %v", err)
	}
	if v, _ := db.SchemaVersion(); v != CurrentSchema() {
		t.Errorf("schema version %d, want %d", v, CurrentSchema())
	}
	wantPeople(t, db, "main", 7, 100)
	wantPeople(t, db, "client-a", 8, 100)
	if ms, err := db.Memberships(100); err != nil || len(ms) != 2 || ms[0].Account != "client-a" || ms[1].Role != RoleAdmin {
		t.Errorf("memberships of 100 = %+v, %v", ms, err)
	}
	if cur, err := db.CurrentAccount(100); err != nil || cur != "" {
		t.Errorf("current account after the upgrade = %q, %v; want none", cur, err)
	}
	if err := db.SetCurrentAccount(100, "main"); err != nil {
		t.Fatal(err)
	}
	_ = db.Close()

	db = mustReopen(t, path)
	if cur, _ := db.CurrentAccount(100); cur != "main" {
		t.Errorf("current account after a reopen = %q, want main", cur)
	}
	wantPeople(t, db, "main", 7, 100)
}

func TestCurrentAccount(t *testing.T) {
	db := mustOpen(t)
	for _, p := range []Person{
		{TelegramID: 100, Account: "main", Role: RoleAdmin, AddedAt: t0},
		{TelegramID: 100, Account: "client-a", Role: RoleHead, AddedAt: t0},
	} {
		if err := db.PutPerson(p); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.SetCurrentAccount(100, "client-b"); !errors.Is(err, ErrNotFound) {
		t.Errorf("choose an account they are not in: %v, want ErrNotFound", err)
	}
	if err := db.SetCurrentAccount(5, "main"); !errors.Is(err, ErrNotFound) {
		t.Errorf("a stranger chooses an account: %v, want ErrNotFound", err)
	}
	if err := db.SetCurrentAccount(100, ""); err == nil {
		t.Error("empty account key: want an error")
	}
	if err := db.SetCurrentAccount(100, "client-a"); err != nil {
		t.Fatal(err)
	}
	if cur, _ := db.CurrentAccount(100); cur != "client-a" {
		t.Errorf("current = %q, want client-a", cur)
	}
	// Leaving another account keeps the choice; leaving the chosen one forgets it.
	if err := db.DeletePerson("main", 100); err != nil {
		t.Fatal(err)
	}
	if cur, _ := db.CurrentAccount(100); cur != "client-a" {
		t.Errorf("current after leaving main = %q, want client-a", cur)
	}
	wantPeople(t, db, "main")
	if err := db.DeletePerson("client-a", 100); err != nil {
		t.Fatal(err)
	}
	if cur, _ := db.CurrentAccount(100); cur != "" {
		t.Errorf("current after leaving client-a = %q, want none", cur)
	}
	wantPeople(t, db, "client-a")
}

// TestPeopleIndexKeepsAccountsApart: an account whose key is a prefix of another's lists only
// its own people.
func TestPeopleIndexKeepsAccountsApart(t *testing.T) {
	db := mustOpen(t)
	for _, p := range []Person{
		{TelegramID: 1, Account: "a", Role: RoleHead, AddedAt: t0},
		{TelegramID: 2, Account: "ab", Role: RoleHead, AddedAt: t0},
		{TelegramID: 3, Account: "a", Role: RoleManager, AddedAt: t0},
	} {
		if err := db.PutPerson(p); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.PutPerson(Person{TelegramID: 1, Account: "a", Role: RoleAdmin, AddedAt: t0}); err != nil { // replaced, not doubled
		t.Fatal(err)
	}
	wantPeople(t, db, "a", 1, 3)
	wantPeople(t, db, "ab", 2)
	if ps, _ := db.People("a"); ps[0].Role != RoleAdmin {
		t.Errorf("person 1 in a = %+v, want the replaced record", ps[0])
	}
}

func wantPeople(t *testing.T, db *DB, account string, ids ...int64) {
	t.Helper()
	ps, err := db.People(account)
	if err != nil {
		t.Fatalf("people of %s: %v", account, err)
	}
	var got []int64
	for _, p := range ps {
		if p.Account != account {
			t.Errorf("people of %s holds %+v", account, p)
		}
		got = append(got, p.TelegramID)
	}
	if len(got) != len(ids) {
		t.Fatalf("people of %s = %v, want %v", account, got, ids)
	}
	for i := range ids {
		if got[i] != ids[i] {
			t.Fatalf("people of %s = %v, want %v", account, got, ids)
		}
	}
}

func mustReopen(t *testing.T, path string) *DB {
	t.Helper()
	db, err := Open(path, Options{})
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	t.Cleanup(func() { _ = db.Close() })
	return db
}
