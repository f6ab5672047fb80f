package app

import (
	"context"
	"errors"
	"net/http/httptest"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"

	"salesguard/amo"
	"salesguard/amo/sandbox"
	"salesguard/bot"
	"salesguard/locales"
	"salesguard/notify"
	"salesguard/storage"
)

// recorder is a notify.Notifier that records what it delivers; fail, when set, decides
// whether a delivery fails and how.
type recorder struct {
	mu   sync.Mutex
	sent []notify.Message
	next int
	fail func(m notify.Message) error
}

func (r *recorder) Send(_ context.Context, m notify.Message) (notify.SentRef, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.fail != nil {
		if err := r.fail(m); err != nil {
			return notify.SentRef{}, err
		}
	}
	r.sent = append(r.sent, m)
	r.next++
	if m.Edit != nil {
		return *m.Edit, nil
	}
	return notify.SentRef{ChatID: m.ChatID, MessageID: r.next}, nil
}

func (r *recorder) messages(kind notify.Kind) []notify.Message {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []notify.Message
	for _, m := range r.sent {
		if m.Kind == kind {
			out = append(out, m)
		}
	}
	return out
}

// env is one test world: a quiet simulated account served over loopback HTTP, a real bbolt
// file, a fake clock and the app under test with a recording notifier.
type testEnv struct {
	t      *testing.T
	clk    *clockwork.FakeClock
	sim    *sandbox.Sim
	world  *sandbox.World
	server *sandbox.Server
	db     *storage.DB
	dbPath string
	note   *recorder
	app    *App
	base   string
	cat    *locales.Catalog
}

var msk = func() *time.Location { l, _ := time.LoadLocation("Europe/Moscow"); return l }()

// newTestEnv starts at start with a quiet team of three managers.
func newTestEnv(t *testing.T, start time.Time) *testEnv {
	t.Helper()
	cfg := sandbox.DefaultConfig("tok")
	cfg.RateLimit = 0
	return newTestEnvWith(t, start, cfg, nil)
}

// newTestEnvWith starts at start with a quiet team of three managers on a sandbox configured
// by cfg (its token and clock are set here); setup, when given, shapes the world before the
// server starts.
func newTestEnvWith(t *testing.T, start time.Time, cfg sandbox.Config, setup func(e *testEnv)) *testEnv {
	t.Helper()
	e := &testEnv{t: t, clk: clockwork.NewFakeClockAt(start), note: &recorder{}}
	e.world = sandbox.NewWorld(start)
	e.sim = sandbox.NewSim(e.world, sandbox.SimConfig{Seed: 7, Managers: 3, Start: start, TimeZone: "Europe/Moscow", Lang: "en", Quiet: true})
	e.sim.Populate()
	if setup != nil {
		setup(e)
	}
	cfg.Token, cfg.Clock = "tok", e.clk
	e.server = sandbox.NewServer(e.world, cfg)
	srv := httptest.NewServer(e.server)
	t.Cleanup(srv.Close)
	e.base = srv.URL
	e.dbPath = filepath.Join(t.TempDir(), "sg.db")
	cat, err := locales.Load()
	if err != nil {
		t.Fatal(err)
	}
	e.cat = cat
	e.open()
	return e
}

// open (re)starts the app on the same database, as after a restart.
func (e *testEnv) open() {
	e.t.Helper()
	db, err := storage.Open(e.dbPath, storage.Options{NoSync: true})
	if err != nil {
		e.t.Fatal(err)
	}
	e.t.Cleanup(func() { db.Close() })
	e.db = db
	e.app = e.newApp(db, []Account{{Key: "main", BaseURL: e.base, Client: e.client()}})
}

func (e *testEnv) client() *amo.Client {
	c, err := amo.New(amo.Config{BaseURL: e.base, Token: "tok", RateLimit: 1e9, Clock: replayClock{e.clk, clockwork.NewRealClock()}})
	if err != nil {
		e.t.Fatal(err)
	}
	return c
}

func (e *testEnv) newApp(db *storage.DB, accounts []Account) *App {
	a, err := New(Options{Accounts: accounts, Store: db, Notifier: e.note, Renderer: bot.NewRenderer(e.cat),
		Catalog: e.cat, Clock: e.clk, PollInterval: time.Minute, Lang: "en", Console: true})
	if err != nil {
		e.t.Fatal(err)
	}
	return a
}

// runUntil ticks every minute up to and including t, letting the team act first.
func (e *testEnv) runUntil(t time.Time) {
	e.t.Helper()
	for e.clk.Now().Before(t) {
		e.clk.Advance(time.Minute)
		e.sim.AdvanceTo(e.clk.Now())
		if err := e.app.Tick(context.Background()); err != nil && !errors.Is(err, context.Canceled) {
			e.t.Logf("tick at %s: %v", e.clk.Now().In(msk).Format("15:04"), err)
		}
	}
}

// alertsFor returns the R1 alerts delivered to a chat, with the times they were delivered.
func (e *testEnv) alerts(chat int64) []notify.Message {
	var out []notify.Message
	for _, m := range e.note.messages(notify.KindAlert) {
		if m.ChatID == chat {
			out = append(out, m)
		}
	}
	return out
}
