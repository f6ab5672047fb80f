package app

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"salesguard/amo"
	"salesguard/bot"
	"salesguard/internal/benchacct"
	"salesguard/locales"
	"salesguard/notify"
	"salesguard/storage"
)

// The service benchmarks run on benchacct's account (the large shape: 100k leads, 300k tasks,
// 300k notes, 1M events) with a real bbolt file and the amo client over an in-memory
// transport. The full sync runs once per process, untimed; every sync inside a timed region is
// replayed from answers recorded just before it, so no sandbox work is timed. Goals (issue 9,
// 2 cores): first cycle after the full sync ≤ 2 s, restart to the first cycle ≤ 2 s, idle
// cycle ≤ 20 ms, cycle with 100 changed deals ≤ 50 ms.

// benchEnv is the account synced once, with database files to start from.
type benchEnv struct {
	acc    *benchacct.Account
	client *amo.Client
	dir    string
	synced string // the database after the full sync, before the first evaluation
	cycled string // the database after the first cycle
	cat    *locales.Catalog
}

var (
	benchOnce sync.Once
	benchVal  *benchEnv
	benchDir  string // removed by TestMain
)

// TestMain removes the benchmarks' database files when the package's tests and benchmarks end.
func TestMain(m *testing.M) {
	code := m.Run()
	if benchDir != "" {
		os.RemoveAll(benchDir)
	}
	os.Exit(code)
}

// discard is a notifier that accepts every message.
type discard struct{ sent atomic.Int64 }

func (d *discard) Send(_ context.Context, m notify.Message) (notify.SentRef, error) {
	n := d.sent.Add(1)
	if m.Edit != nil {
		return *m.Edit, nil
	}
	return notify.SentRef{ChatID: m.ChatID, MessageID: int(n)}, nil
}

// newBenchApp opens a copy of the database file from and an app on it.
func (e *benchEnv) newBenchApp(b *testing.B, from string) (*App, *storage.DB) {
	b.Helper()
	path := filepath.Join(b.TempDir(), "db")
	if from != "" {
		copyFile(b, from, path)
	}
	db, err := storage.Open(path, storage.Options{})
	if err != nil {
		b.Fatal(err)
	}
	a, err := New(Options{Accounts: []Account{{Key: "main", BaseURL: benchacct.BaseURL, Client: e.client}}, Store: db,
		Notifier: &discard{}, Renderer: bot.NewRenderer(e.cat), Catalog: e.cat, Clock: e.acc.Clock, Console: true,
		PollInterval: 10 * time.Second})
	if err != nil {
		b.Fatal(err)
	}
	return a, db
}

func copyFile(b *testing.B, from, to string) {
	b.Helper()
	data, err := os.ReadFile(from)
	if err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(to, data, 0o600); err != nil {
		b.Fatal(err)
	}
}

// backup writes a consistent copy of db to path.
func backup(b *testing.B, db *storage.DB, path string) {
	b.Helper()
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := db.Backup(f); err != nil {
		b.Fatal(err)
	}
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
}

// setupBench syncs the account once per process and keeps the database before and after the
// first cycle.
func setupBench(b *testing.B) *benchEnv {
	b.Helper()
	benchOnce.Do(func() {
		cat, err := locales.Load()
		if err != nil {
			b.Fatal(err)
		}
		acc := benchacct.New(b)
		dir, err := os.MkdirTemp("", "salesguard-bench")
		if err != nil {
			b.Fatal(err)
		}
		benchDir = dir
		e := &benchEnv{acc: acc, client: acc.Client(b, nil), dir: dir, cat: cat,
			synced: filepath.Join(dir, "synced.db"), cycled: filepath.Join(dir, "cycled.db")}
		a, db := e.newBenchApp(b, "")
		st := a.accounts[0]
		if err := a.load(st); err != nil {
			b.Fatal(err)
		}
		if err := a.sync(context.Background(), st, &CycleStats{}); err != nil {
			b.Fatal(err)
		}
		backup(b, db, e.synced)
		if err := a.Tick(context.Background()); err != nil {
			b.Fatal(err)
		}
		drain(b, a)
		backup(b, db, e.cycled)
		if err := db.Close(); err != nil {
			b.Fatal(err)
		}
		benchVal = e
	})
	if benchVal == nil {
		b.Fatal("the benchmark account could not be set up (see the first benchmark's error)")
	}
	return benchVal
}

// drain delivers the outbox (the first cycle's alerts), so a measured cycle delivers only its
// own messages.
func drain(b *testing.B, a *App) {
	b.Helper()
	for range 100 {
		if err := a.Deliver(context.Background()); err != nil {
			b.Fatal(err)
		}
		if n, err := a.store.Depth(); err != nil || n == 0 {
			return
		}
	}
}

// recordPoll records the answers of the poll the app's next cycle makes, by making it once
// with a copy of the sync state (nothing is applied), and switches the transport to replay.
func (e *benchEnv) recordPoll(b *testing.B, a *App) {
	b.Helper()
	st := a.accounts[0]
	e.acc.Transport.Record()
	if _, err := e.client.SyncPages(context.Background(), st.state, func(context.Context, *amo.Changes) error { return nil }); err != nil {
		b.Fatal(err)
	}
	e.acc.Transport.Replay()
}

// reportMisses fails the benchmark when a timed sync asked the sandbox after all.
func (e *benchEnv) reportMisses(b *testing.B) {
	if n := e.acc.Transport.Misses(); n > 0 {
		b.Errorf("%d requests were not replayed: sandbox work was timed", n)
	}
	e.acc.Transport.Live()
}

// BenchmarkFirstCycle times the first cycle after the full sync: the evaluation of the whole
// account and the ledger and outbox writes of every finding. Goal ≤ 2 s.
func BenchmarkFirstCycle(b *testing.B) {
	e := setupBench(b)
	var st CycleStats
	for b.Loop() {
		b.StopTimer()
		a, db := e.newBenchApp(b, e.synced)
		acc := a.accounts[0]
		if err := a.load(acc); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		if err := a.cycle(context.Background(), acc, false); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		st = acc.lastCycle
		db.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(st.Opened), "findings") // the app's clock is fake here: its stage durations would read 0
}

// BenchmarkRestart times a restart: opening the database, loading the working set and the
// ledger's keys, and the first cycle (an incremental poll, replayed). Goal ≤ 2 s.
func BenchmarkRestart(b *testing.B) {
	e := setupBench(b)
	for b.Loop() {
		b.StopTimer()
		path := filepath.Join(b.TempDir(), "db")
		copyFile(b, e.cycled, path)
		probe, pdb := e.newBenchApp(b, e.cycled)
		if err := probe.load(probe.accounts[0]); err != nil {
			b.Fatal(err)
		}
		e.recordPoll(b, probe)
		pdb.Close()
		b.StartTimer()
		db, err := storage.Open(path, storage.Options{})
		if err != nil {
			b.Fatal(err)
		}
		a, err := New(Options{Accounts: []Account{{Key: "main", BaseURL: benchacct.BaseURL, Client: e.client}}, Store: db,
			Notifier: &discard{}, Renderer: bot.NewRenderer(e.cat), Catalog: e.cat, Clock: e.acc.Clock, Console: true})
		if err != nil {
			b.Fatal(err)
		}
		if err := a.Tick(context.Background()); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		e.reportMisses(b)
		db.Close()
		b.StartTimer()
	}
}

// benchCycles runs timed poll cycles on a running app; prepare makes each cycle's change
// (untimed) before its poll is recorded.
func benchCycles(b *testing.B, prepare func(e *benchEnv)) {
	e := setupBench(b)
	a, db := e.newBenchApp(b, e.cycled)
	defer db.Close()
	if err := a.Tick(context.Background()); err != nil { // the restart's cycle, untimed
		b.Fatal(err)
	}
	drain(b, a)
	var cpu time.Duration
	var st CycleStats
	p0 := db.PagesWritten()
	for b.Loop() {
		b.StopTimer()
		e.acc.Advance(b, 10*time.Second) // one poll interval
		prepare(e)
		e.recordPoll(b, a)
		b.StartTimer()
		if err := a.Tick(context.Background()); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		e.reportMisses(b)
		st = a.accounts[0].lastCycle
		cpu += st.CPU
		b.StartTimer()
	}
	p1 := db.PagesWritten()
	b.ReportMetric(float64(p1-p0)/float64(b.N), "pages/op")
	b.ReportMetric(float64(cpu.Microseconds())/1000/float64(b.N), "cpu_ms/op")
	b.ReportMetric(float64(st.Items), "items")
	b.ReportMetric(float64(st.Scopes), "scopes")
}

// BenchmarkIdleCycle times a poll cycle when nothing changed in amoCRM: the incremental
// requests' answers are decoded, the deadlines that passed in the interval are evaluated,
// nothing is written. Goal ≤ 20 ms.
func BenchmarkIdleCycle(b *testing.B) {
	benchCycles(b, func(*benchEnv) {})
}

// BenchmarkCycle100Deals times a poll cycle after 100 deals changed (moved to the next stage
// or commented): the changed pages are read and folded in, the deals and their neighbours
// re-evaluated, the ledger and outbox updated. Goal ≤ 50 ms.
func BenchmarkCycle100Deals(b *testing.B) {
	benchCycles(b, func(e *benchEnv) { e.acc.Touch(b, 100) })
}
