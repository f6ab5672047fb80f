package amo_test

import (
	"context"
	"errors"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"

	"salesguard/amo"
	"salesguard/amo/sandbox"
)

// stepClock is a fake clock whose After advances it at once, so the client's limiter and
// back-offs never block; the sandbox server shares it, so its rate window sees client time.
type stepClock struct {
	*clockwork.FakeClock
	mu sync.Mutex
}

func (c *stepClock) After(d time.Duration) <-chan time.Time {
	c.mu.Lock()
	c.Advance(d)
	c.mu.Unlock()
	ch := make(chan time.Time, 1)
	ch <- c.Now()
	return ch
}

// env is a simulated account served over loopback.
type env struct {
	w      *sandbox.World
	sim    *sandbox.Sim
	srv    *sandbox.Server
	clock  *stepClock
	client *amo.Client
}

func newEnv(t *testing.T, cfg sandbox.Config, mod func(*amo.Config)) *env {
	t.Helper()
	start := time.Date(2026, 3, 2, 7, 0, 0, 0, time.UTC)
	w := sandbox.NewWorld(start)
	sim := sandbox.NewSim(w, sandbox.SimConfig{Seed: 7, Managers: 4, LeadsPerDay: 30, Days: 5, Start: start})
	sim.Populate()
	clk := &stepClock{FakeClock: clockwork.NewFakeClockAt(w.Now())}
	cfg.Clock = clk
	srv := sandbox.NewServer(w, cfg)
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	ac := amo.Config{BaseURL: hs.URL, Token: cfg.Token, Clock: clk}
	if mod != nil {
		mod(&ac)
	}
	c, err := amo.New(ac)
	if err != nil {
		t.Fatal(err)
	}
	return &env{w: w, sim: sim, srv: srv, clock: clk, client: c}
}

// advance simulates the team up to d later and moves the client's clock along.
func (e *env) advance(d time.Duration) {
	t := e.w.Now().Add(d)
	e.sim.AdvanceTo(t)
	if now := e.clock.Now(); t.After(now) {
		e.clock.Advance(t.Sub(now))
	}
}

// assertMatchesWorld checks that the snapshot holds exactly the world's entities, each in
// its latest version.
func assertMatchesWorld(t *testing.T, e *env, s *amo.Snapshot) {
	t.Helper()
	e.w.Read(func(d *sandbox.Data) {
		if len(s.Leads) != len(d.Leads) {
			t.Errorf("leads: snapshot %d, world %d", len(s.Leads), len(d.Leads))
		}
		for _, l := range s.Leads {
			wl, ok := d.Leads[l.ID]
			if !ok {
				t.Errorf("lead %d is not in the world (deleted?)", l.ID)
				continue
			}
			if !wl.UpdatedAt.Equal(l.UpdatedAt) || wl.StatusID != l.StatusID {
				t.Errorf("lead %d stale: snapshot %v/%d, world %v/%d", l.ID, l.UpdatedAt, l.StatusID, wl.UpdatedAt, wl.StatusID)
			}
		}
		if len(s.Tasks) != len(d.Tasks) {
			t.Errorf("tasks: snapshot %d, world %d", len(s.Tasks), len(d.Tasks))
		}
		for _, tk := range s.Tasks {
			if wt, ok := d.Tasks[tk.ID]; !ok || wt.IsCompleted != tk.IsCompleted || wt.Result != tk.Result {
				t.Errorf("task %d differs from the world", tk.ID)
			}
		}
		if len(s.Contacts) != len(d.Contacts) || len(s.Notes) != len(d.Notes) {
			t.Errorf("contacts %d/%d notes %d/%d (snapshot/world)", len(s.Contacts), len(d.Contacts), len(s.Notes), len(d.Notes))
		}
	})
}

func TestSandboxFullAndIncrementalSync(t *testing.T) {
	cfg := sandbox.DefaultConfig("tok")
	e := newEnv(t, cfg, nil)
	ctx := context.Background()
	var snap amo.Snapshot
	ch, err := e.client.Sync(ctx, amo.SyncState{})
	if err != nil {
		t.Fatal(err)
	}
	snap.Apply(ch)
	t.Logf("full sync: %d requests, %d leads, %d tasks, %d notes, %d events", ch.Requests, len(ch.Leads), len(ch.Tasks), len(ch.Notes), len(ch.Events))
	assertMatchesWorld(t, e, &snap)
	if snap.Account.TimeZone == "" || len(snap.Users) == 0 || len(snap.Pipelines) == 0 {
		t.Errorf("dictionaries missing: %+v", snap.Account)
	}
	st := ch.State
	for range 6 {
		e.advance(37 * time.Minute)
		ch, err = e.client.Sync(ctx, st)
		if err != nil {
			t.Fatal(err)
		}
		snap.Apply(ch)
		st = ch.State
	}
	assertMatchesWorld(t, e, &snap)
	if s := e.srv.Stats(); s.RateLimited != 0 || s.Banned != 0 {
		t.Errorf("sandbox saw %d 429s and %d bans", s.RateLimited, s.Banned)
	}
}

func TestSandboxSyncSurvivesFaults(t *testing.T) {
	cfg := sandbox.DefaultConfig("tok")
	cfg.Faults = sandbox.Faults{Seed: 3, Rate5xx: 0.15, Rate429: 0.1, RateMalformed: 0.05}
	e := newEnv(t, cfg, func(c *amo.Config) { c.MaxRetries = 2 })
	ctx := context.Background()
	var snap amo.Snapshot
	st := amo.SyncState{}
	failures := 0
	for round := 0; round < 40; round++ {
		if round == 5 {
			e.advance(time.Hour)
		}
		ch, err := e.client.Sync(ctx, st)
		if ch != nil {
			snap.Apply(ch)
			st = ch.State
		}
		if err != nil {
			failures++
			continue
		}
		if round >= 5 {
			break
		}
	}
	if !st.FullDone || unfinished(st) {
		t.Fatalf("sync never completed: %+v", st)
	}
	t.Logf("%d syncs failed and resumed", failures)
	if failures == 0 {
		t.Log("no sync failed; the faults did not interrupt a scan")
	}
	assertMatchesWorld(t, e, &snap)
}

func TestSandboxOAuthRevoked(t *testing.T) {
	cfg := sandbox.DefaultConfig("")
	cfg.OAuth = sandbox.OAuthClient{ClientID: "id", ClientSecret: "secret", RedirectURI: "https://r.example", Codes: []string{"code-1"}}
	e := newEnv(t, cfg, func(c *amo.Config) {
		c.Token = ""
		c.OAuth = amo.OAuthConfig{ClientID: "id", ClientSecret: "secret", RedirectURI: "https://r.example", AuthCode: "code-1"}
	})
	ctx := context.Background()
	if _, err := e.client.Account(ctx); err != nil {
		t.Fatal(err)
	}
	e.clock.Advance(25 * time.Hour) // the access token expired: refreshed before use
	if _, err := e.client.Account(ctx); err != nil {
		t.Fatalf("after expiry: %v", err)
	}
	e.srv.RevokeTokens(false)
	if _, err := e.client.Account(ctx); !errors.Is(err, amo.ErrReauthorize) {
		t.Fatalf("err = %v, want ErrReauthorize", err)
	}
}

func TestSandboxIdlePollIsOneRequestPerList(t *testing.T) {
	e := newEnv(t, sandbox.DefaultConfig("tok"), nil)
	ctx := context.Background()
	ch, err := e.client.Sync(ctx, amo.SyncState{})
	if err != nil {
		t.Fatal(err)
	}
	e.sim.SetQuiet(true)
	e.advance(time.Minute)
	ch, err = e.client.Sync(ctx, ch.State)
	if err != nil {
		t.Fatal(err)
	}
	if ch.Requests != 7 {
		t.Errorf("idle poll made %d requests, want 7 (one per list)", ch.Requests)
	}
}

// unfinished reports whether a list of the state has a scan in progress.
func unfinished(st amo.SyncState) bool {
	for _, ls := range st.Lists {
		if ls.Scan != nil {
			return true
		}
	}
	return false
}
