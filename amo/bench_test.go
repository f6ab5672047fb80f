package amo_test

import (
	"context"
	"net/http/httptest"
	"os"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"

	"salesguard/amo"
	"salesguard/amo/sandbox"
)

// large is the benchmark account: 100k leads, 300k tasks, 500k events and notes.
var large struct {
	once sync.Once
	w    *sandbox.World
	min  int // sum of ceil(n/limit) over the lists plus the dictionary requests
}

func largeWorld(b *testing.B) (*sandbox.World, int) {
	b.Helper()
	large.once.Do(func() {
		w := sandbox.NewWorld(time.Date(2026, 3, 2, 7, 0, 0, 0, time.UTC))
		div := 1 // AMO_BENCH_DIV shrinks the account for a quick run
		if v, err := strconv.Atoi(os.Getenv("AMO_BENCH_DIV")); err == nil && v > 0 {
			div = v
		}
		sandbox.BuildLarge(w, 100_000/div, 300_000/div, 500_000/div, 1)
		large.w, large.min = w, minRequests(w, 30*24*time.Hour)
	})
	return large.w, large.min
}

// minRequests is the least number of requests a full sync can make: ceil(n/limit) per list
// (an empty list still costs one request) plus the six dictionary reads.
func minRequests(w *sandbox.World, history time.Duration) int {
	pages := func(n, limit int) int { return max(1, (n+limit-1)/limit) }
	n := 6
	w.Read(func(d *sandbox.Data) {
		leadNotes, contactNotes, events := 0, 0, 0
		for _, nt := range d.Notes {
			if nt.EntityType == amo.EntityLeads {
				leadNotes++
			} else {
				contactNotes++
			}
		}
		from := d.Now.Add(-history)
		for _, e := range d.Events {
			if !e.CreatedAt.Before(from) && !e.CreatedAt.After(d.Now) {
				events++
			}
		}
		n += pages(len(d.Leads), 250) + pages(len(d.Contacts), 250) + pages(len(d.Tasks), 250) +
			pages(leadNotes, 250) + pages(contactNotes, 250) + pages(events, 100)
	})
	return n
}

// peakHeap samples the heap in use until stop is closed and returns the peak.
func peakHeap(stop <-chan struct{}) <-chan uint64 {
	out := make(chan uint64, 1)
	go func() {
		var peak uint64
		var ms runtime.MemStats
		t := time.NewTicker(20 * time.Millisecond)
		defer t.Stop()
		for {
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapInuse)
			select {
			case <-stop:
				out <- peak
				return
			case <-t.C:
			}
		}
	}()
	return out
}

// BenchmarkFullSyncLarge: requests of a full sync against the minimum, decode throughput
// with the rate limit off, peak heap, and the idle incremental poll.
func BenchmarkFullSyncLarge(b *testing.B) {
	w, minReq := largeWorld(b)
	srv := sandbox.NewServer(w, sandbox.Config{Token: "tok"})
	hs := httptest.NewServer(srv)
	defer hs.Close()
	clk := &stepClock{FakeClock: clockwork.NewFakeClockAt(w.Now())}
	var idlePhase atomic.Bool
	c, err := amo.New(amo.Config{BaseURL: hs.URL, Token: "tok", RateLimit: 1e9, Clock: clk,
		OnRequest: func(ep string, st int, _ time.Duration) {
			if idlePhase.Load() && os.Getenv("AMO_BENCH_DEBUG") != "" {
				b.Logf("idle request %s -> %d", ep, st)
			}
		}})
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	var ch *amo.Changes
	var items int
	runtime.GC()
	var base runtime.MemStats
	runtime.ReadMemStats(&base)
	stop := make(chan struct{})
	peak := peakHeap(stop)
	start := time.Now()
	b.ResetTimer()
	for range b.N {
		ch, err = c.Sync(ctx, amo.SyncState{})
		if err != nil {
			b.Fatal(err)
		}
		items += len(ch.Leads) + len(ch.Contacts) + len(ch.Tasks) + len(ch.Notes) + len(ch.Events)
	}
	elapsed := time.Since(start)
	b.StopTimer()
	close(stop)
	b.ReportMetric(float64(ch.Requests), "requests/sync")
	b.ReportMetric(float64(minReq), "min_requests")
	b.ReportMetric(float64(ch.Requests)/float64(minReq), "ratio")
	b.ReportMetric(float64(items)/elapsed.Seconds(), "items/s")
	p := <-peak
	b.ReportMetric(float64(p)/(1<<20), "peak_heap_MB")
	b.ReportMetric(float64(p-min(p, base.HeapInuse))/(1<<20), "sync_heap_MB")
	b.ReportMetric(float64(minReq)/7/60, "min@7rps_min")

	// The first poll re-reads the overlap (items stamped at the full sync's second); the
	// second one is the steady idle state.
	clk.Advance(5 * time.Minute)
	first, err := c.Sync(ctx, ch.State)
	if err != nil {
		b.Fatal(err)
	}
	clk.Advance(5 * time.Minute)
	idlePhase.Store(true)
	idle, err := c.Sync(ctx, first.State)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(first.Requests), "first_poll_requests")
	b.ReportMetric(float64(idle.Requests), "idle_requests")
}

// BenchmarkRateLimitedSync measures the achieved request rate of a full sync of a small
// account against the sandbox's real 7 rps limit (real clock: it takes seconds).
func BenchmarkRateLimitedSync(b *testing.B) {
	start := time.Date(2026, 3, 2, 7, 0, 0, 0, time.UTC)
	w := sandbox.NewWorld(start)
	sandbox.NewSim(w, sandbox.SimConfig{Seed: 2, Managers: 3, LeadsPerDay: 10, Days: 2, Start: start}).Populate()
	srv := sandbox.NewServer(w, sandbox.DefaultConfig("tok"))
	hs := httptest.NewServer(srv)
	defer hs.Close()
	var statuses atomic.Int64
	c, err := amo.New(amo.Config{BaseURL: hs.URL, Token: "tok", OnRequest: func(_ string, status int, _ time.Duration) {
		if status == 429 {
			statuses.Add(1)
		}
	}})
	if err != nil {
		b.Fatal(err)
	}
	_, minLarge := largeWorld(b)
	reqs := 0
	t0 := time.Now()
	b.ResetTimer()
	for range b.N {
		for range 4 { // several syncs, so the first request's free slot does not skew the rate
			ch, err := c.Sync(context.Background(), amo.SyncState{})
			if err != nil {
				b.Fatal(err)
			}
			reqs += ch.Requests
		}
	}
	elapsed := time.Since(t0)
	rps := float64(reqs-1) / elapsed.Seconds() // n requests span n-1 intervals
	b.ReportMetric(rps, "req/s")
	b.ReportMetric(float64(srv.Stats().RateLimited+int(statuses.Load())), "429s")
	b.ReportMetric(float64(minLarge)/rps/60, "large_full_sync_min")
}
