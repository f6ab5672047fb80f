package storage

import (
	"bytes"
	"context"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"salesguard/amo"
)

func TestGrantStoreKeepsOnlyTheCurrentPair(t *testing.T) {
	db := mustOpen(t)
	ctx := context.Background()
	gs := db.TokenStore("main").(amo.GrantStore)
	for i, refresh := range []string{"refresh-old-1", "refresh-old-2", "refresh-new"} {
		g := amo.Grant{Token: amo.Token{AccessToken: "access-" + refresh, RefreshToken: refresh, ExpiresAt: t0},
			Code: "c0de", Spent: []string{"c0de"}, RefreshSent: t0.Add(time.Duration(i) * time.Minute)}
		if err := gs.SaveGrant(ctx, g); err != nil {
			t.Fatal(err)
		}
	}
	got, err := gs.LoadGrant(ctx)
	if err != nil || got.RefreshToken != "refresh-new" || got.Code != "c0de" || len(got.Spent) != 1 ||
		!got.RefreshSent.Equal(t0.Add(2*time.Minute)) {
		t.Fatalf("grant %+v, %v", got, err)
	}
	for _, old := range []string{"refresh-old-1", "refresh-old-2"} {
		if k := findValue(t, db, []byte(old)); k != "" {
			t.Errorf("superseded token %s is still stored under %s", old, k)
		}
	}
	// SaveToken (a pair from outside the client) keeps the spent codes, clears the verdicts.
	if err := db.TokenStore("main").SaveToken(ctx, amo.Token{AccessToken: "a", RefreshToken: "r"}); err != nil {
		t.Fatal(err)
	}
	if got, _ := gs.LoadGrant(ctx); got.RefreshToken != "r" || got.Code != "c0de" || !got.RefreshSent.IsZero() {
		t.Fatalf("after SaveToken: %+v", got)
	}
}

func TestGrantStoreReadsAPlainToken(t *testing.T) {
	db := mustOpen(t)
	ctx := context.Background()
	// A record written before grants: an amo.Token alone.
	err := db.bolt.Update(func(tx *bolt.Tx) error {
		b, err := accountBucket(tx, "main", subToken)
		if err != nil {
			return err
		}
		return putJSON(b, keyToken, amo.Token{AccessToken: "a", RefreshToken: "r", ExpiresAt: t0})
	})
	if err != nil {
		t.Fatal(err)
	}
	g, err := db.TokenStore("main").(amo.GrantStore).LoadGrant(ctx)
	if err != nil || g.AccessToken != "a" || g.RefreshToken != "r" || !g.ExpiresAt.Equal(t0) || g.Code != "" || len(g.Spent) != 0 {
		t.Fatalf("legacy record read as %+v, %v", g, err)
	}
}

// findValue returns the path of a key whose value contains b, searching every bucket.
func findValue(t *testing.T, db *DB, b []byte) string {
	t.Helper()
	var found string
	var walk func(path string, bk *bolt.Bucket) error
	walk = func(path string, bk *bolt.Bucket) error {
		return bk.ForEach(func(k, v []byte) error {
			if v == nil {
				return walk(path+"/"+string(k), bk.Bucket(k))
			}
			if bytes.Contains(v, b) || bytes.Contains(k, b) {
				found = path + "/" + string(k)
			}
			return nil
		})
	}
	err := db.bolt.View(func(tx *bolt.Tx) error {
		return tx.ForEach(func(name []byte, bk *bolt.Bucket) error { return walk(string(name), bk) })
	})
	if err != nil {
		t.Fatal(err)
	}
	return found
}
