package app

import (
	"context"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"

	"salesguard/amo"
	"salesguard/amo/sandbox"
	"salesguard/bot"
	"salesguard/locales"
	"salesguard/storage"
)

// BenchmarkPollCycle measures one poll cycle (incremental sync of a few changes, checks over the
// whole account, ledger, outbox) on an account of 100k deals, 300k tasks and 500k events and
// notes, after the first full sync. APP_BENCH_DIV=10 shrinks the account for a quick run.
func BenchmarkPollCycle(b *testing.B) {
	div := 1
	if v, err := strconv.Atoi(os.Getenv("APP_BENCH_DIV")); err == nil && v > 0 {
		div = v
	}
	msk, _ := time.LoadLocation("Europe/Moscow")
	start := time.Date(2026, 11, 24, 11, 0, 0, 0, msk)
	world := sandbox.NewWorld(start)
	sim := sandbox.BuildLarge(world, 100_000/div, 300_000/div, 500_000/div, 1)
	clk := clockwork.NewFakeClockAt(start)
	cfg := sandbox.DefaultConfig("tok")
	cfg.RateLimit, cfg.Clock = 0, clk
	srv := httptest.NewServer(sandbox.NewServer(world, cfg))
	defer srv.Close()
	db, err := storage.Open(filepath.Join(b.TempDir(), "db"), storage.Options{NoSync: true})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	cat, err := locales.Load()
	if err != nil {
		b.Fatal(err)
	}
	client, err := amo.New(amo.Config{BaseURL: srv.URL, Token: "tok", RateLimit: 1e9, Clock: replayClock{clk, clockwork.NewRealClock()}})
	if err != nil {
		b.Fatal(err)
	}
	a, err := New(Options{Accounts: []Account{{Key: "main", BaseURL: srv.URL, Client: client}}, Store: db,
		Notifier: &recorder{}, Renderer: bot.NewRenderer(cat), Catalog: cat, Clock: clk, Console: true})
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	if err := a.Tick(ctx); err != nil { // the first, full sync
		b.Fatal(err)
	}
	managers := sim.Managers()
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		b.StopTimer()
		clk.Advance(time.Minute)
		sim.NewLead(clk.Now(), managers[i%len(managers)]) // some change to sync
		b.StartTimer()
		if err := a.Tick(ctx); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	if st, err := os.Stat(db.Path()); err == nil {
		b.ReportMetric(float64(st.Size())/(1<<20), "db_MB")
	}
}
