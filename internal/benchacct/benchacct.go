// Package benchacct is the one account every benchmark of SalesGuard measures: the sandbox's
// "large" shape (100k leads, 300k tasks, 300k notes, 1M events; see sandbox.ShapeByName),
// built from one seed at one moment, and served in memory, so a benchmark can keep the
// sandbox's work out of its timed region (Transport records the answers once and replays
// them). SALESGUARD_BENCH_SIZE=small|medium shrinks the account for a quick run; the goals in
// the benchmarks' comments are for the large one.
package benchacct

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"

	"salesguard/amo"
	"salesguard/amo/sandbox"
	"salesguard/workset"
)

// Seed is the generator seed of the account.
const Seed = 1

// Token is the long-lived token the account accepts.
const Token = "bench-token"

// BaseURL is the account's address: a loopback one, so the client may run unlimited. Nothing
// listens there; the Transport answers.
const BaseURL = "http://127.0.0.1:9"

// Start is the account's "now" when it is built: a Tuesday at 11:00 in Moscow, the sandbox's
// time zone, in the middle of a working day.
var Start = time.Date(2026, 11, 24, 8, 0, 0, 0, time.UTC)

// Size returns the shape the benchmarks use: SALESGUARD_BENCH_SIZE, default "large".
func Size() string {
	if s := os.Getenv("SALESGUARD_BENCH_SIZE"); s != "" {
		return s
	}
	return "large"
}

// Account is the generated account, its sandbox server and the clock they share.
type Account struct {
	// Size is the shape's name.
	Size string
	// World holds the account's data; Sim knows its dictionaries.
	World *sandbox.World
	Sim   *sandbox.Sim
	// Server answers the API; Transport carries requests to it in memory.
	Server    *sandbox.Server
	Transport *Transport
	// Clock is the client's and the server's clock (a minute after the world's now when built).
	Clock *clockwork.FakeClock
	// MinRequests is the least number of requests a full sync can make.
	MinRequests int
}

// New builds the account of Size() (a few seconds for the large shape).
func New(tb testing.TB) *Account {
	tb.Helper()
	return NewShape(tb, Size())
}

// NewShape builds an account of the named shape (small, medium, large): the fleet benchmark's
// accounts are medium ones, whatever SALESGUARD_BENCH_SIZE says.
func NewShape(tb testing.TB, size string) *Account {
	tb.Helper()
	sh, err := sandbox.ShapeByName(size)
	if err != nil {
		tb.Fatalf("account shape: %v", err)
	}
	w := sandbox.NewWorld(Start)
	sim := sandbox.BuildShape(w, sh, Seed)
	// The clock starts a minute after the account was built, as a real first sync starts
	// after the data it reads: the items stamped at the build's second are not at the cursor
	// of every poll.
	clk := clockwork.NewFakeClockAt(w.Now().Add(time.Minute))
	cfg := sandbox.DefaultConfig(Token)
	cfg.RateLimit, cfg.BanAfter, cfg.Clock, cfg.BaseURL, cfg.Seed = 0, 0, clk, BaseURL, Seed
	srv := sandbox.NewServer(w, cfg)
	return &Account{Size: size, World: w, Sim: sim, Server: srv, Transport: &Transport{h: srv}, Clock: clk,
		MinRequests: sandbox.MinFullSyncRequests(w, amo.DefaultEventHistory)}
}

// Client returns an unlimited client of the account over its Transport; mod may adjust the
// configuration first.
func (a *Account) Client(tb testing.TB, mod func(*amo.Config)) *amo.Client {
	tb.Helper()
	cfg := amo.Config{BaseURL: BaseURL, Token: Token, RateLimit: amo.Unlimited, Clock: a.Clock, Transport: a.Transport}
	if mod != nil {
		mod(&cfg)
	}
	c, err := amo.New(cfg)
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

// Advance moves the clock and the world's now forward by d.
func (a *Account) Advance(tb testing.TB, d time.Duration) {
	tb.Helper()
	a.Clock.Advance(d)
	a.control(tb, "/_sandbox/advance?to="+url.QueryEscape(a.Clock.Now().UTC().Format(time.RFC3339)), nil)
}

// Touch changes n random open deals as their managers would (a move to the next stage or a
// comment), at the world's now, and returns their ids.
func (a *Account) Touch(tb testing.TB, n int) []amo.LeadID {
	tb.Helper()
	var res sandbox.TouchResult
	a.control(tb, fmt.Sprintf("/_sandbox/touch?deals=%d", n), &res)
	return res.IDs
}

// control calls the sandbox's control API and decodes its answer into out.
func (a *Account) control(tb testing.TB, path string, out any) {
	tb.Helper()
	req := httptest.NewRequest(http.MethodPost, BaseURL+path, nil)
	rec := httptest.NewRecorder()
	a.Server.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		tb.Fatalf("%s: %d %s", path, rec.Code, rec.Body.String())
	}
	if out != nil {
		if err := json.Unmarshal(rec.Body.Bytes(), out); err != nil {
			tb.Fatalf("%s: %v", path, err)
		}
	}
}

// Workset reads the whole account into a fresh working set as the service does: page by page,
// dropping what the rules no longer need when a list is done.
func (a *Account) Workset(tb testing.TB) (*workset.Set, amo.SyncState) {
	tb.Helper()
	ws := workset.New()
	ws.BaseURL = BaseURL
	list, state := "", amo.SyncState{}
	_, err := a.Client(tb, nil).SyncPages(context.Background(), amo.SyncState{}, func(_ context.Context, p *amo.Changes) error {
		if p.List != list && list != "" {
			ws.Prune(p.TakenAt)
		}
		list = p.List
		ws.Apply(p)
		ws.TakeChanged()
		state = p.State
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	ws.Prune(a.Clock.Now())
	ws.Recarve() // as the service does after the first full sync
	ws.TakeChanged()
	ws.TakeDirty()
	return ws, state
}

// Transport carries requests to the sandbox in memory. By default it serves them live; after
// Record it also keeps each answer, and after Replay it serves the kept answers without
// asking the sandbox (a request not kept is served live and counted in Misses).
type Transport struct {
	h http.Handler

	mu     sync.Mutex
	mode   int
	kept   map[string]kept
	misses int
}

type kept struct {
	status int
	header http.Header
	body   []byte
}

const (
	modeLive = iota
	modeRecord
	modeReplay
)

// Record forgets the kept answers and keeps the next ones.
func (t *Transport) Record() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.mode, t.kept, t.misses = modeRecord, map[string]kept{}, 0
}

// Replay serves the kept answers from now on.
func (t *Transport) Replay() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.mode = modeReplay
}

// Live serves every request from the sandbox again.
func (t *Transport) Live() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.mode = modeLive
}

// Misses returns how many requests Replay had to serve live.
func (t *Transport) Misses() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.misses
}

// RoundTrip implements http.RoundTripper.
func (t *Transport) RoundTrip(r *http.Request) (*http.Response, error) {
	key := r.Method + " " + r.URL.RequestURI()
	t.mu.Lock()
	mode := t.mode
	k, ok := t.kept[key]
	if mode == modeReplay && !ok {
		t.misses++
	}
	t.mu.Unlock()
	if mode != modeReplay || !ok {
		rec := httptest.NewRecorder()
		t.h.ServeHTTP(rec, r)
		k = kept{status: rec.Code, header: rec.Header().Clone(), body: rec.Body.Bytes()}
		if mode == modeRecord {
			t.mu.Lock()
			t.kept[key] = k
			t.mu.Unlock()
		}
	}
	return &http.Response{StatusCode: k.status, Status: http.StatusText(k.status), Header: k.header.Clone(),
		Body: io.NopCloser(bytes.NewReader(k.body)), ContentLength: int64(len(k.body)), Request: r,
		Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1}, nil
}
