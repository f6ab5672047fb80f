package app

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"salesguard/amo"
	"salesguard/bot"
	"salesguard/notify"
)

const testSecret = "hook-secret-0123456789abcdef"

// countingClient is the real amoCRM client that counts its syncs.
type countingClient struct {
	*amo.Client
	syncs atomic.Int64
}

func (c *countingClient) SyncPages(ctx context.Context, st amo.SyncState, sink amo.PageSink) (amo.SyncStats, error) {
	c.syncs.Add(1)
	return c.Client.SyncPages(ctx, st, sink)
}

// hookEnv is a test world whose account takes webhooks: the service's listener (webhooks,
// /metrics, /healthz) runs over loopback HTTP and SALESGUARD_PUBLIC_URL points at it.
type hookEnv struct {
	*testEnv
	recv    *httptest.Server
	client  *countingClient
	metrics *Metrics
	ran     chan struct{}
}

// newHookEnv starts at start; publicURL, when not empty, replaces the receiver's URL as the
// public URL (to make the registration fail).
func newHookEnv(t *testing.T, start time.Time, publicURL string) *hookEnv {
	t.Helper()
	e := newTestEnv(t, start)
	h := &hookEnv{testEnv: e, client: &countingClient{Client: e.client()}, metrics: NewMetrics(), ran: make(chan struct{}, 256)}
	var mu sync.Mutex
	handler := http.NotFoundHandler()
	h.recv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		hh := handler
		mu.Unlock()
		hh.ServeHTTP(w, r)
	}))
	t.Cleanup(h.recv.Close)
	if publicURL == "" {
		publicURL = h.recv.URL
	}
	a, err := New(Options{Accounts: []Account{{Key: "main", BaseURL: e.base, Client: h.client, WebhookSecret: testSecret}},
		Store: e.db, Notifier: e.note, Renderer: bot.NewRenderer(e.cat), Catalog: e.cat, Clock: e.clk,
		PollInterval: time.Minute, Lang: "en", Console: true, Metrics: h.metrics, Webhooks: WebhookOptions{PublicURL: publicURL}})
	if err != nil {
		t.Fatal(err)
	}
	a.ran = func() {
		select {
		case h.ran <- struct{}{}:
		default:
		}
	}
	e.app = a
	mu.Lock()
	handler = a.WithWebhooks(h.metrics.Handler(e.clk.Now, time.Hour, nil, BackupAuth{}))
	mu.Unlock()
	return h
}

// post sends a webhook body to path on the service's listener.
func (h *hookEnv) post(path string, body io.Reader) (int, string) {
	h.t.Helper()
	resp, err := h.recv.Client().Post(h.recv.URL+path, "application/x-www-form-urlencoded", body)
	if err != nil {
		h.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// waitFor waits until cond holds, looking again after each cycle of the loop. The real-time
// bound only guards against a hang; no test waits for time to pass.
func (h *hookEnv) waitFor(what string, cond func() bool) {
	h.t.Helper()
	guard := time.After(30 * time.Second)
	for !cond() {
		select {
		case <-h.ran:
		case <-guard:
			h.t.Fatalf("timed out waiting for %s", what)
		}
	}
}

// settle waits until cond holds, moving the fake clock to each moment a pending webhook hint
// is due, at most bound past now; it returns the fake time that passed.
func (h *hookEnv) settle(what string, bound time.Duration, cond func() bool) time.Duration {
	h.t.Helper()
	from, guard := h.clk.Now(), time.After(30*time.Second)
	for !cond() {
		if at, pending := h.app.hintDue(); pending && at.After(h.clk.Now()) {
			if at.Sub(from) > bound {
				h.t.Fatalf("%s: not within %s", what, bound)
			}
			h.park()
			if cond() {
				break
			}
			if at, pending := h.app.hintDue(); pending && at.After(h.clk.Now()) {
				h.clk.Advance(at.Sub(h.clk.Now()))
			}
			continue
		}
		select {
		case <-h.ran:
		case <-guard:
			h.t.Fatalf("timed out waiting for %s", what)
		}
	}
	return h.clk.Since(from)
}

// park waits until the loop waits on its timer (it is the clock's only waiter).
func (h *hookEnv) park() {
	h.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := h.clk.BlockUntilContext(ctx, 1); err != nil {
		h.t.Fatal("the loop does not wait on its timer")
	}
}

// advance moves the fake clock once the loop waits on its timer.
func (h *hookEnv) advance(d time.Duration) {
	h.t.Helper()
	h.park()
	h.clk.Advance(d)
}

// loop runs the app's timer loop until the test ends.
func (h *hookEnv) loop() {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { h.app.wakeLoop(ctx); close(done) }()
	h.t.Cleanup(func() { cancel(); <-done })
}

func (h *hookEnv) tracked(id amo.LeadID) bool {
	acc := h.app.accounts[0]
	acc.mu.RLock()
	defer acc.mu.RUnlock()
	return acc.ws != nil && acc.ws.DealByID(id) != nil
}

func rawHook(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "amo", "testdata", "webhooks", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestWebhookReceiverRejectsForgedOversizedAndUnknown(t *testing.T) {
	h := newHookEnv(t, time.Date(2026, 11, 24, 9, 0, 0, 0, msk), "")
	body := rawHook(t, "lead_status.form")
	for _, path := range []string{
		"/amocrm/webhook/main/wrong-secret-0123456789abcdef", // forged
		"/amocrm/webhook/main/" + testSecret[:len(testSecret)-1],
		"/amocrm/webhook/other/" + testSecret, // unknown account
		"/amocrm/webhook/main/",
		"/amocrm/webhook/main/" + testSecret + "/more",
	} {
		code, text := h.post(path, bytes.NewReader(body))
		if code != http.StatusNotFound || text != "404 page not found\n" {
			t.Errorf("POST %s: %d %q, want a bare 404", path, code, text)
		}
	}
	resp, err := h.recv.Client().Get(h.recv.URL + "/amocrm/webhook/main/" + testSecret)
	if err != nil || resp.StatusCode != http.StatusNotFound {
		t.Errorf("GET: %v %v", resp, err)
	}
	resp.Body.Close()
	big := bytes.Repeat([]byte("a"), MaxWebhookBody+1)
	if code, _ := h.post("/amocrm/webhook/main/"+testSecret, bytes.NewReader(big)); code != http.StatusRequestEntityTooLarge {
		t.Errorf("oversized body: %d, want 413", code)
	}
	chunked := io.MultiReader(bytes.NewReader(big)) // no Content-Length: read up to the cap
	if code, _ := h.post("/amocrm/webhook/main/"+testSecret, chunked); code != http.StatusRequestEntityTooLarge {
		t.Errorf("oversized chunked body: %d, want 413", code)
	}
	if _, pending := h.app.hooks["main"].due(); pending {
		t.Fatal("a refused webhook marked the account dirty")
	}

	// A good one is taken at once, even while a cycle holds the loop and the working set.
	h.app.mu.Lock()
	h.app.accounts[0].mu.Lock()
	code, _ := h.post("/amocrm/webhook/main/"+testSecret, bytes.NewReader(body))
	h.app.accounts[0].mu.Unlock()
	h.app.mu.Unlock()
	if code != http.StatusOK {
		t.Fatalf("good webhook: %d", code)
	}
	if at, pending := h.app.hooks["main"].due(); !pending || !at.Equal(h.clk.Now()) {
		t.Errorf("good webhook: pending %v at %v, want now", pending, at)
	}
	resp, err = h.recv.Client().Get(h.recv.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	metrics, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	for _, want := range []string{`salesguard_amocrm_webhooks_total{account="",result="rejected"} 3`,
		`salesguard_amocrm_webhooks_total{account="main",result="too_large"} 2`, `salesguard_amocrm_webhooks_total{account="main",result="ok"} 1`} {
		if !strings.Contains(string(metrics), want) {
			t.Errorf("/metrics on the same listener lacks %s", want)
		}
	}
	if strings.Contains(string(metrics), testSecret) {
		t.Error("the secret appears in /metrics")
	}
}

// TestWebhookEndToEnd: the service registers its webhook in the sandbox at start; the sandbox
// posts the team's changes to it over HTTP; a new lead is tracked at once, the deadline fires
// by the timer with no poll at all, and the lead taken in amoCRM has its alert edited to
// "fixed" at the moment of the webhook (the bound is 5 s of the fake clock).
func TestWebhookEndToEnd(t *testing.T) {
	start := time.Date(2026, 11, 24, 9, 0, 0, 0, msk)
	h := newHookEnv(t, start, "")
	h.runUntil(start.Add(time.Minute)) // the first, full sync
	h.app.RegisterWebhooks(context.Background())
	hooks := h.server.Hooks()
	if len(hooks) != 1 || hooks[0].Destination != h.recv.URL+"/amocrm/webhook/main/"+testSecret || !h.app.hooks["main"].isOn() {
		t.Fatalf("registered %+v", hooks)
	}
	h.app.RegisterWebhooks(context.Background()) // idempotent
	if again := h.server.Hooks(); len(again) != 1 || again[0].ID != hooks[0].ID {
		t.Fatalf("registered again: %+v", again)
	}
	h.clk.Advance(time.Date(2026, 11, 24, 10, 0, 0, 0, msk).Sub(h.clk.Now()))
	h.sim.AdvanceTo(h.clk.Now())
	h.loop()
	syncs := h.client.syncs.Load()

	m := h.sim.Managers()[0]
	id := h.sim.NewLead(h.clk.Now(), m)
	h.waitFor("the new lead to be tracked", func() bool { return h.tracked(id) })
	if got := h.client.syncs.Load() - syncs; got != 1 || !h.clk.Now().Equal(time.Date(2026, 11, 24, 10, 0, 0, 0, msk)) {
		t.Errorf("new lead: %d syncs, clock %s; want one sync at 10:00", got, h.clk.Now().In(msk).Format("15:04:05"))
	}
	// The new lead's other webhooks (its contact) came during that sync: one more, 2 s later.
	h.settle("the new lead's webhooks", hookGap, func() bool { _, pending := h.app.hintDue(); return !pending })

	// 10:15 is the R1 deadline: the timer fires it, no poll runs.
	syncs = h.client.syncs.Load()
	h.advance(16 * time.Minute)
	h.sim.AdvanceTo(h.clk.Now())
	h.waitFor("the R1 alert", func() bool { return len(h.alerts(-int64(m))) == 1 })
	if got := h.client.syncs.Load() - syncs; got != 0 {
		t.Errorf("%d syncs between the webhooks, want none", got)
	}

	var editAt atomic.Pointer[time.Time]
	h.note.fail = func(msg notify.Message) error {
		if now := h.clk.Now(); msg.Kind == notify.KindFixed && msg.ChatID == -int64(m) {
			editAt.CompareAndSwap(nil, &now)
		}
		return nil
	}
	hookAt := h.clk.Now()
	h.sim.TakeLead(id, hookAt)
	edited := func() bool {
		for _, msg := range h.note.messages(notify.KindFixed) {
			if msg.ChatID == -int64(m) && msg.Edit != nil {
				return true
			}
		}
		return false
	}
	h.settle("the alert edited to fixed", 5*time.Second, edited)
	delay := editAt.Load().Sub(hookAt)
	if delay > 5*time.Second {
		t.Errorf("edited %s after the webhook, want within 5 s", delay)
	}
	t.Logf("webhook → fixed edit: %s of the fake clock; %d syncs in all after the first", delay, h.client.syncs.Load()-1)
}

// TestWebhookPollSlowsToSafetyNet: with webhooks on, an idle hour costs 6 syncs (one per
// safety-net interval) instead of 60; a registration that fails keeps the normal poll.
func TestWebhookPollSlowsToSafetyNet(t *testing.T) {
	start := time.Date(2026, 11, 24, 9, 0, 0, 0, msk)
	idleHour := func(h *hookEnv) (syncs int64, requests int) {
		h.runUntil(start.Add(time.Minute))
		h.app.RegisterWebhooks(context.Background())
		s := h.client.syncs.Load()
		h.server.ResetStats()
		h.runUntil(start.Add(61 * time.Minute))
		return h.client.syncs.Load() - s, h.server.Stats().Total
	}
	on := newHookEnv(t, start, "")
	onSyncs, onReq := idleHour(on)
	if onSyncs != 6 {
		t.Errorf("webhooks on: %d syncs in an idle hour, want 6 (every %s)", onSyncs, DefaultWebhookPoll)
	}
	off := newHookEnv(t, start, "ftp://not-reachable.example") // amoCRM refuses the destination
	offSyncs, offReq := idleHour(off)
	if off.app.hooks["main"].isOn() || offSyncs != 60 {
		t.Errorf("registration failed: on %v, %d syncs in an hour, want the poll's 60", off.app.hooks["main"].isOn(), offSyncs)
	}
	t.Logf("idle hour: %d requests with webhooks (%d syncs), %d polling (%d syncs)", onReq, onSyncs, offReq, offSyncs)
}

// TestWebhookBurstIsCoalesced: twenty webhooks at one moment cost at most two syncs: one at
// once, one hookGap later for what came during the first.
func TestWebhookBurstIsCoalesced(t *testing.T) {
	start := time.Date(2026, 11, 24, 9, 0, 0, 0, msk)
	h := newHookEnv(t, start, "")
	h.runUntil(start.Add(time.Minute))
	h.app.RegisterWebhooks(context.Background())
	h.loop()
	s := h.client.syncs.Load()
	body := rawHook(t, "note_contact.form") // names no lead: no recheck
	for range 20 {
		if code, _ := h.post("/amocrm/webhook/main/"+testSecret, bytes.NewReader(body)); code != http.StatusOK {
			t.Fatalf("webhook: %d", code)
		}
	}
	h.waitFor("the first sync", func() bool { return h.client.syncs.Load() > s })
	h.settle("the burst to be read", hookGap, func() bool { _, pending := h.app.hooks["main"].due(); return !pending })
	if got := h.client.syncs.Load() - s; got < 1 || got > 2 {
		t.Errorf("%d syncs for a burst of 20 webhooks, want 1 or 2", got)
	}
}

// TestWebhookAheadOfTheAPIIsSyncedAgain: a webhook that names a change the API does not show
// yet gets up to hookRechecks more syncs, hookGap apart, then the poll takes over.
func TestWebhookAheadOfTheAPIIsSyncedAgain(t *testing.T) {
	start := time.Date(2026, 11, 24, 9, 0, 0, 0, msk)
	h := newHookEnv(t, start, "")
	h.runUntil(start.Add(time.Minute))
	h.app.RegisterWebhooks(context.Background())
	ahead := "leads%5Bupdate%5D%5B0%5D%5Bid%5D=99999&leads%5Bupdate%5D%5B0%5D%5Blast_modified%5D=" +
		strconv.FormatInt(h.clk.Now().Add(time.Minute).Unix(), 10) + "&account%5Bsubdomain%5D=x"
	if code, _ := h.post("/amocrm/webhook/main/"+testSecret, strings.NewReader(ahead)); code != http.StatusOK {
		t.Fatal(code)
	}
	s := h.client.syncs.Load()
	for i := 0; i < 4; i++ {
		if err := h.app.Wake(context.Background()); err != nil {
			t.Fatal(err)
		}
		h.clk.Advance(hookGap)
	}
	if got := h.client.syncs.Load() - s; got != 1+hookRechecks {
		t.Errorf("%d syncs, want %d (the webhook and %d rechecks)", got, 1+hookRechecks, hookRechecks)
	}
}
