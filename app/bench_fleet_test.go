package app

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"

	"salesguard/amo"
	"salesguard/bot"
	"salesguard/internal/benchacct"
	"salesguard/internal/cputime"
	"salesguard/locales"
	"salesguard/storage"
)

// fleetAccounts is how many accounts BenchmarkFleet runs: SALESGUARD_FLEET_ACCOUNTS, default
// 200 (issue 12).
func fleetAccounts(b *testing.B) int {
	if v := os.Getenv("SALESGUARD_FLEET_ACCOUNTS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			b.Fatalf("SALESGUARD_FLEET_ACCOUNTS=%q: want a positive number", v)
		}
		return n
	}
	return 200
}

// BenchmarkFleet runs many medium accounts (10k leads each, the sandbox's medium shape) in one
// process on one database, each with its own amoCRM client and rate limit (7 requests a
// second, waited in real time), and times an idle poll of all of them. Untimed setup: one
// account is synced and evaluated once, copied to the others in the database
// (storage.CopyAccount) and loaded as a restart loads it; the idle poll's answers are recorded
// once and replayed, so no sandbox work is timed. It reports the live heap and the RSS per
// account after loading, and the CPU of one account's idle cycle. Goal: 200 accounts in 2 GB
// on 2 cores, every account polled within its poll interval (60 s).
func BenchmarkFleet(b *testing.B) {
	n := fleetAccounts(b)
	acc := benchacct.NewShape(b, "medium")
	cat, err := locales.Load()
	if err != nil {
		b.Fatal(err)
	}
	path := filepath.Join(b.TempDir(), "fleet.db")
	db, err := storage.Open(path, storage.Options{NoSync: true})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	opts := func(accounts []Account) Options {
		return Options{Accounts: accounts, Store: db, Notifier: &discard{}, Renderer: bot.NewRenderer(cat), Catalog: cat,
			Clock: acc.Clock, Console: true, PollInterval: time.Minute}
	}
	fast := acc.Client(b, nil)
	first, err := New(opts([]Account{{Key: fleetKey(0), BaseURL: benchacct.BaseURL, Client: fast}}))
	if err != nil {
		b.Fatal(err)
	}
	if err := first.Tick(context.Background()); err != nil { // load, full sync, first evaluation
		b.Fatal(err)
	}
	drain(b, first)
	state := first.accounts[0].state
	for i := 1; i < n; i++ {
		if err := db.CopyAccount(fleetKey(0), fleetKey(i)); err != nil {
			b.Fatal(err)
		}
	}
	acc.Transport.Record() // the idle poll every account makes next (they share the sync state)
	if _, err := fast.SyncPages(context.Background(), state, func(context.Context, *amo.Changes) error { return nil }); err != nil {
		b.Fatal(err)
	}
	acc.Transport.Replay()
	defer acc.Transport.Live()

	heap0, rss0 := liveHeap(), rssBytes()
	accounts := make([]Account, n)
	for i := range accounts {
		c := acc.Client(b, func(c *amo.Config) {
			c.RateLimit = amo.DefaultRateLimit
			c.LimiterClock = clockwork.NewRealClock() // the limiter waits in real time, the data stays at its moment
		})
		accounts[i] = Account{Key: fleetKey(i), BaseURL: benchacct.BaseURL, Client: c}
	}
	a, err := New(opts(accounts))
	if err != nil {
		b.Fatal(err)
	}
	loadStart := time.Now()
	for _, st := range a.accounts {
		if err := a.load(st); err != nil {
			b.Fatal(err)
		}
	}
	loaded := time.Since(loadStart)
	if err := a.Tick(context.Background()); err != nil { // each account's first cycle after its restart
		b.Fatal(err)
	}
	drain(b, a)
	heap1, rss1 := liveHeap(), rssBytes() // what the fleet holds between polls
	misses := acc.Transport.Misses()      // the first cycles' filter probes are not recorded
	b.ResetTimer()
	var cpu time.Duration
	var wall time.Duration
	for b.Loop() {
		c0, w0 := cputime.Process(), time.Now()
		if err := a.Tick(context.Background()); err != nil {
			b.Fatal(err)
		}
		cpu += cputime.Process() - c0
		wall += time.Since(w0)
	}
	b.StopTimer()
	if m := acc.Transport.Misses() - misses; m > 0 {
		b.Errorf("%d requests were not replayed: sandbox work was timed", m)
	}
	ops := float64(b.N)
	b.ReportMetric(float64(n), "accounts")
	b.ReportMetric(float64(heap1-heap0)/float64(n)/(1<<20), "heap_MB/account")
	b.ReportMetric(float64(rss1-rss0)/float64(n)/(1<<20), "rss_MB/account")
	b.ReportMetric(float64(cpu.Microseconds())/1000/ops/float64(n), "cpu_ms/account-cycle")
	b.ReportMetric(wall.Seconds()/ops, "s/fleet-poll")
	b.ReportMetric(loaded.Seconds(), "s/load-all")
}

func fleetKey(i int) string { return fmt.Sprintf("a%03d", i) }

// liveHeap returns the bytes of live heap after a full collection.
func liveHeap() uint64 {
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

// rssBytes returns the process's resident set (VmRSS), 0 where /proc is not there.
func rssBytes() uint64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, _ := strconv.ParseUint(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return kb << 10
		}
	}
	return 0
}
