package app

import (
	"context"
	"strings"
	"testing"
	"time"

	"salesguard/amo"
	"salesguard/amo/sandbox"
	"salesguard/notify"
)

// newProbeEnv is newTestEnv on a sandbox in the given quirk modes, with five deals taken
// before the start (an account without leads cannot show an ignored lead filter).
func newProbeEnv(t *testing.T, start time.Time, cfg sandbox.Config) *testEnv {
	t.Helper()
	return newTestEnvWith(t, start, cfg, func(e *testEnv) {
		for i, m := range append(e.sim.Managers(), e.sim.Managers()[:2]...) {
			at := start.Add(-time.Duration(5-i) * 10 * time.Minute)
			e.sim.TakeLead(e.sim.NewLead(at, m), at.Add(time.Minute))
		}
	})
}

// probeRequests counts the filter probe's requests (limit=1) among the server's recent ones.
func probeRequests(e *testEnv) int {
	n := 0
	for _, r := range e.server.Stats().Recent {
		if strings.Contains(r.URL, "limit=1&") || strings.HasSuffix(r.URL, "limit=1") {
			n++
		}
	}
	return n
}

// tickAt moves the clock to t and runs one cycle.
func (e *testEnv) tickAt(t time.Time) {
	e.t.Helper()
	e.clk.Advance(t.Sub(e.clk.Now()))
	e.sim.AdvanceTo(e.clk.Now())
	if err := e.app.Tick(context.Background()); err != nil {
		e.t.Fatalf("tick at %s: %v", t, err)
	}
}

// TestFilterProbeHonouredIsCheap: on an account that applies the filters the probe runs
// before the first incremental sync, costs two requests, tells nobody, and runs again only a
// day later.
func TestFilterProbeHonouredIsCheap(t *testing.T) {
	start := time.Date(2026, 11, 24, 9, 0, 0, 0, msk)
	e := newProbeEnv(t, start, sandbox.Config{})
	e.runUntil(start.Add(time.Minute)) // the full sync
	if n := probeRequests(e); n != 0 {
		t.Errorf("probe before the full sync: %d requests", n)
	}
	e.server.ResetStats()
	e.runUntil(start.Add(2 * time.Minute))
	acc := e.app.accounts[0]
	if n, f := probeRequests(e), acc.state.Filters; n != 2 || f.Ignored() || f.CheckedAt.IsZero() {
		t.Errorf("first incremental cycle: %d probe requests, filters %+v; want 2, honoured", n, f)
	}
	if total := e.server.Stats().Total; total != 2+acc.lastCycle.Requests {
		t.Errorf("first incremental cycle: %d requests, the sync made %d", total, acc.lastCycle.Requests)
	}
	e.server.ResetStats()
	e.runUntil(start.Add(time.Hour))
	if n := probeRequests(e); n != 0 {
		t.Errorf("%d probe requests within the day", n)
	}
	e.tickAt(start.Add(2*time.Minute + amo.FilterProbeEvery))
	if n := probeRequests(e); n != 2 {
		t.Errorf("a day later: %d probe requests, want 2", n)
	}
	if h := e.note.messages(notify.KindDataHealth); len(h) != 0 {
		t.Errorf("health messages on an honouring account: %+v", h)
	}
}

// TestFilterProbeIgnoredTellsAdminsOnceAndPollsStayBounded: on an account that ignores the
// filters (with pages capped at 50 or not) the probe finds it, the admin is told once (not
// again after a restart or the next day's probe), an idle poll costs one request per list, and
// changed and new deals still reach the working set.
func TestFilterProbeIgnoredTellsAdminsOnceAndPollsStayBounded(t *testing.T) {
	for _, cfg := range []sandbox.Config{{IgnoreFilters: true}, {IgnoreFilters: true, PageCap: 50}} {
		t.Run(map[int]string{0: "filters ignored", 50: "filters ignored and pages capped"}[cfg.PageCap], func(t *testing.T) {
			testIgnoredFilters(t, cfg)
		})
	}
}

func testIgnoredFilters(t *testing.T, cfg sandbox.Config) {
	start := time.Date(2026, 11, 24, 9, 0, 0, 0, msk)
	e := newProbeEnv(t, start, cfg)
	e.runUntil(start.Add(2 * time.Minute)) // the full sync, then the probe and a poll
	acc := e.app.accounts[0]
	if f := acc.state.Filters; !f.UpdatedAtIgnored || !f.CreatedAtIgnored {
		t.Fatalf("filters after the probe: %+v", f)
	}
	assertFilterNotices(t, e, 1)

	e.server.ResetStats()
	e.runUntil(start.Add(5 * time.Minute))
	if total := e.server.Stats().Total; total != 3*7 {
		t.Errorf("3 idle polls made %d requests, want 21 (one per list)", total)
	}

	deals := e.app.accounts[0].ws.Deals()
	moved := deals[0].ID
	to := e.sim.Stage(sandbox.StageHot)
	e.sim.MoveLead(moved, e.clk.Now().Add(10*time.Second), to)
	added := e.sim.NewLead(e.clk.Now().Add(20*time.Second), e.sim.Managers()[0])
	e.server.ResetStats()
	e.runUntil(start.Add(6 * time.Minute))
	acc.mu.RLock()
	d, n := acc.ws.DealByID(moved), acc.ws.DealByID(added)
	acc.mu.RUnlock()
	if d == nil || d.Stage != to || n == nil {
		t.Errorf("after the changes: moved deal %+v (want stage %v), new deal %v", d, to, n)
	}
	if total := e.server.Stats().Total; total != 7 {
		t.Errorf("the poll of the changes made %d requests, want 7", total)
	}

	e.db.Close()
	e.open()
	e.runUntil(start.Add(8 * time.Minute))
	e.tickAt(start.Add(10*time.Minute + amo.FilterProbeEvery))
	if n := probeRequests(e); n != 2 {
		t.Errorf("the next day's probe made %d requests, want 2", n)
	}
	assertFilterNotices(t, e, 1)
}

// assertFilterNotices checks that the admin got n "filters ignored" messages, in English.
func assertFilterNotices(t *testing.T, e *testEnv, n int) {
	t.Helper()
	var got []notify.Message
	for _, m := range e.note.messages(notify.KindDataHealth) {
		if strings.Contains(m.Text, "does not apply the time filters") {
			got = append(got, m)
		}
	}
	if len(got) != n {
		t.Fatalf("filter notices: %d, want %d: %+v", len(got), n, got)
	}
	for _, m := range got {
		if m.ChatID != consoleAdmin {
			t.Errorf("filter notice to chat %d, want the admin", m.ChatID)
		}
	}
}
