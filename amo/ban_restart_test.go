package amo_test

import (
	"context"
	"errors"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"

	"salesguard/amo"
	"salesguard/amo/sandbox"
	"salesguard/storage"
)

func TestBanCooldownSurvivesRestart(t *testing.T) {
	start := time.Date(2026, 3, 2, 7, 0, 0, 0, time.UTC)
	clk := &stepClock{FakeClock: clockwork.NewFakeClockAt(start)}
	// One request per second and a ban after the first 429, so a second request at once bans.
	srv := sandbox.NewServer(sandbox.NewWorld(start), sandbox.Config{Token: "tok", RateLimit: 1, BanAfter: 1,
		BanWindow: time.Minute, BanDuration: 10 * time.Minute, Clock: clk})
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	path := filepath.Join(t.TempDir(), "db")
	open := func() (*storage.DB, *amo.Client) {
		db, err := storage.Open(path, storage.Options{NoSync: true})
		if err != nil {
			t.Fatal(err)
		}
		c, err := amo.New(amo.Config{BaseURL: hs.URL, Token: "tok", RateLimit: amo.Unlimited, Clock: clk,
			Bans: db.BanStore("main"), BanCooldown: 30 * time.Minute, MaxRetries: 1})
		if err != nil {
			t.Fatal(err)
		}
		return db, c
	}
	ctx := context.Background()
	db, c := open()
	mustAccount(t, c)
	if _, err := c.Account(ctx); !errors.Is(err, amo.ErrBanned) {
		t.Fatalf("err = %v, want ErrBanned", err)
	}
	until := c.BannedUntil()
	if until.IsZero() {
		t.Fatal("no cool-down after the ban")
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}

	// Restarted during the cool-down: nothing is sent until it ends.
	db, c = open()
	t.Cleanup(func() { _ = db.Close() })
	sent := srv.Stats().Total
	if got := c.BannedUntil(); !got.Equal(until) {
		t.Fatalf("restarted client banned until %v, want %v", got, until)
	}
	for _, at := range []time.Time{clk.Now(), until.Add(-time.Second)} {
		clk.Advance(at.Sub(clk.Now()))
		if _, err := c.Account(ctx); !errors.Is(err, amo.ErrBanned) {
			t.Fatalf("at %v: err = %v, want ErrBanned", at, err)
		}
	}
	if got := srv.Stats().Total; got != sent {
		t.Fatalf("the restarted client sent %d requests during the cool-down, want 0", got-sent)
	}
	clk.Advance(until.Sub(clk.Now()))
	mustAccount(t, c)
	if got := srv.Stats().Total; got != sent+1 {
		t.Fatalf("requests after the cool-down = %d, want 1", got-sent)
	}
}
