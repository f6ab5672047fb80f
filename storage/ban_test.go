package storage

import (
	"context"
	"path/filepath"
	"testing"
	"time"
)

func TestBanStore(t *testing.T) {
	path := filepath.Join(t.TempDir(), "db")
	db, err := Open(path, Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	bans := db.BanStore("main")
	if until, err := bans.LoadBan(ctx); err != nil || !until.IsZero() {
		t.Fatalf("no ban saved: %v, %v; want the zero time", until, err)
	}
	until := t0.Add(30 * time.Minute).In(time.FixedZone("MSK", 3*3600))
	if err := bans.SaveBan(ctx, until); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	db, err = Open(path, Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if got, err := db.BanStore("main").LoadBan(ctx); err != nil || !got.Equal(until) {
		t.Fatalf("after reopening: %v, %v; want %v", got, err, until)
	}
	if got, _ := db.BanStore("client-a").LoadBan(ctx); !got.IsZero() {
		t.Error("ban leaked to another account")
	}
	if tok, _ := db.TokenStore("main").LoadToken(ctx); tok.AccessToken != "" {
		t.Error("the ban changed the token record")
	}
}
