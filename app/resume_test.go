package app

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"reflect"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"

	"salesguard/amo"
	"salesguard/amo/sandbox"
	"salesguard/checks"
	"salesguard/storage"
)

// resumeEnv is an account large enough for several pages per list, and its database.
type resumeEnv struct {
	t      *testing.T
	clk    *clockwork.FakeClock
	server *sandbox.Server
	base   string
	dbPath string
	min    int
}

func newResumeEnv(t *testing.T, start time.Time) *resumeEnv {
	t.Helper()
	w := sandbox.NewWorld(start)
	sandbox.NewSim(w, sandbox.SimConfig{Seed: 11, Managers: 4, LeadsPerDay: 60, Days: 8, Start: start,
		TimeZone: "Europe/Moscow", Lang: "en"}).Populate()
	clk := clockwork.NewFakeClockAt(start)
	cfg := sandbox.DefaultConfig("tok")
	cfg.RateLimit, cfg.Clock = 0, clk
	srv := sandbox.NewServer(w, cfg)
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	return &resumeEnv{t: t, clk: clk, server: srv, base: hs.URL, dbPath: filepath.Join(t.TempDir(), "sg.db"),
		min: sandbox.MinFullSyncRequests(w, amo.DefaultEventHistory)}
}

// process runs one "process" on the database: a cycle that dies (its context is cancelled)
// after killAfter requests, or completes when killAfter is 0.
func (r *resumeEnv) process(cat *testEnv, killAfter int64) error {
	return r.processWatched(cat, killAfter, nil)
}

// processWatched is process with watch called after each request, with the database.
func (r *resumeEnv) processWatched(cat *testEnv, killAfter int64, watch func(db *storage.DB)) error {
	r.t.Helper()
	db, err := storage.Open(r.dbPath, storage.Options{NoSync: true})
	if err != nil {
		r.t.Fatal(err)
	}
	defer db.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var n atomic.Int64
	client, err := amo.New(amo.Config{BaseURL: r.base, Token: "tok", RateLimit: amo.Unlimited,
		Clock: replayClock{r.clk, clockwork.NewRealClock()},
		OnRequest: func(string, int, time.Duration) {
			if watch != nil {
				watch(db)
			}
			if n.Add(1) == killAfter {
				cancel() // the process dies here: nothing after this request is saved
			}
		}})
	if err != nil {
		r.t.Fatal(err)
	}
	a := cat.newApp(db, []Account{{Key: "main", BaseURL: r.base, Client: client}})
	return a.Tick(ctx)
}

// openKeys returns the ledger's open keys.
func (r *resumeEnv) openKeys() []checks.Key {
	r.t.Helper()
	db, err := storage.Open(r.dbPath, storage.Options{NoSync: true})
	if err != nil {
		r.t.Fatal(err)
	}
	defer db.Close()
	keys, err := db.OpenKeys("main")
	if err != nil {
		r.t.Fatal(err)
	}
	return keys
}

// TestFullSyncResumesAfterKill kills the first full sync at several moments and restarts it:
// every restart goes on from the last saved page, the whole sync costs at most one page more
// per interruption than an uninterrupted one, and the findings are the same.
func TestFullSyncResumesAfterKill(t *testing.T) {
	start := time.Date(2026, 11, 24, 11, 0, 0, 0, msk)
	cat := newTestEnv(t, start) // for the catalog, renderer and notifier only

	ref := newResumeEnv(t, start)
	if err := ref.process(cat, 0); err != nil {
		t.Fatal(err)
	}
	refTotal := ref.server.Stats().Total
	wantKeys := ref.openKeys()
	if len(wantKeys) == 0 || refTotal != ref.min {
		t.Fatalf("uninterrupted sync: %d requests (minimum %d), %d findings", refTotal, ref.min, len(wantKeys))
	}
	for _, kills := range [][]int64{{3}, {9, 4}, {2, 2, 2, 2}, {int64(ref.min) - 1}} {
		t.Run(fmt.Sprint(kills), func(t *testing.T) {
			r := newResumeEnv(t, start)
			for _, k := range kills {
				if err := r.process(cat, k); err == nil {
					t.Fatalf("the cycle killed after %d requests returned no error", k)
				}
			}
			if err := r.process(cat, 0); err != nil {
				t.Fatalf("the cycle after the restarts: %v", err)
			}
			// Beyond the uninterrupted sync, a kill costs the page in flight (offset lists resume
			// one page back) and, when it comes before the first page was saved, the six
			// dictionary reads; the run that finishes also polls the lists done before the kill
			// (one request each, as the next poll would).
			got, want := r.server.Stats().ByEndpoint, ref.server.Stats().ByEndpoint
			dicts, pages := 0, 0
			for ep, n := range got {
				switch extra := n - want[ep]; {
				case extra < 0:
					t.Errorf("%s: %d requests, fewer than the uninterrupted %d", ep, n, want[ep])
				case isDictionary(ep):
					dicts += extra
				default:
					pages += extra
				}
			}
			if dicts > 6*len(kills) || pages > 2*len(kills)+7 {
				t.Errorf("%d kills cost %d dictionary and %d list requests more than the uninterrupted %d: %v vs %v",
					len(kills), dicts, pages, refTotal, got, want)
			}
			if keys := r.openKeys(); !slices.Equal(keys, wantKeys) {
				t.Errorf("after the interruptions %d open findings, uninterrupted %d", len(keys), len(wantKeys))
			}
		})
	}
}

// isDictionary reports whether an endpoint is one of the dictionaries a sync reads first.
func isDictionary(ep string) bool {
	switch ep {
	case "/api/v4/account", "/api/v4/users", "/api/v4/leads/pipelines", "/api/v4/leads/loss_reasons",
		"/api/v4/leads/custom_fields", "/api/v4/contacts/custom_fields":
		return true
	}
	return false
}

// TestIncrementalPollIsSavedWhole runs an incremental poll with changed deals: while its pages
// are read, the stored cursor stays the one before the poll (the pages are saved together, at
// its end); a poll interrupted in the middle and run again gives the cursor and the findings
// of one that was not.
func TestIncrementalPollIsSavedWhole(t *testing.T) {
	start := time.Date(2026, 11, 24, 11, 0, 0, 0, msk)
	cat := newTestEnv(t, start)
	touch := func(r *resumeEnv) {
		t.Helper()
		r.clk.Advance(time.Minute)
		resp, err := http.Post(r.base+"/_sandbox/touch?deals=30", "", nil)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("touch: %s", resp.Status)
		}
	}
	syncState := func(db *storage.DB) amo.SyncState {
		t.Helper()
		st, err := db.SyncState("main")
		if err != nil {
			t.Fatal(err)
		}
		return st
	}
	stored := func(r *resumeEnv) amo.SyncState {
		t.Helper()
		db, err := storage.Open(r.dbPath, storage.Options{NoSync: true})
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		return syncState(db)
	}

	ref, r := newResumeEnv(t, start), newResumeEnv(t, start)
	for _, e := range []*resumeEnv{ref, r} {
		if err := e.process(cat, 0); err != nil {
			t.Fatal(err)
		}
		touch(e)
	}
	was, before := stored(ref), ref.server.Stats().Total
	moved := 0
	err := ref.processWatched(cat, 0, func(db *storage.DB) {
		if !reflect.DeepEqual(syncState(db), was) {
			moved++
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	pollRequests := int64(ref.server.Stats().Total - before)
	if pollRequests < 3 {
		t.Fatalf("the poll made %d requests: too few to interrupt it in the middle", pollRequests)
	}
	if moved != 0 {
		t.Errorf("the stored cursor moved during the poll, at %d of its %d requests", moved, pollRequests)
	}
	if reflect.DeepEqual(stored(ref), was) {
		t.Error("the poll saved no cursor")
	}
	wantKeys := ref.openKeys()

	if err := r.process(cat, pollRequests/2); err == nil {
		t.Fatal("the interrupted poll returned no error")
	}
	if err := r.process(cat, 0); err != nil {
		t.Fatal(err)
	}
	if keys := r.openKeys(); !slices.Equal(keys, wantKeys) {
		t.Errorf("after the interrupted poll %d open findings, uninterrupted %d", len(keys), len(wantKeys))
	}
	if got, want := stored(r), stored(ref); !reflect.DeepEqual(got.Lists, want.Lists) {
		t.Errorf("cursors after the interrupted poll and its retry:\n%+v\nuninterrupted:\n%+v", got.Lists, want.Lists)
	}
}
