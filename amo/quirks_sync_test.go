package amo_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"salesguard/amo"
	"salesguard/amo/sandbox"
)

// The request count of an idle incremental poll: one per list (leads, trash, contacts, tasks,
// lead notes, contact notes, events).
const idlePollRequests = 7

// TestPageCapSyncReadsEveryPage: on an account that caps pages at 50 whatever limit is asked,
// the full sync (dictionaries included) and the incremental syncs follow _links.next past
// every short page: 80 events are read as 50+30, and each list costs one request per capped
// page.
func TestPageCapSyncReadsEveryPage(t *testing.T) {
	e := newQuirkEnv(t, sandbox.Config{PageCap: 50}, quirkAccount{leads: 120, events: 80, tasks: 60, fields: 120})
	var snap amo.Snapshot
	ch := e.sync(amo.SyncState{})
	snap.Apply(ch)
	if len(ch.Leads) != 120 || len(ch.Events) != 80 || len(ch.Tasks) != 60 || len(ch.CustomFields) != 120 || !ch.State.FullDone {
		t.Fatalf("full sync: %d leads, %d events, %d tasks, %d fields, done %v", len(ch.Leads), len(ch.Events), len(ch.Tasks),
			len(ch.CustomFields), ch.State.FullDone)
	}
	want := map[string]int{"/api/v4/leads": 3, "/api/v4/events": 2, "/api/v4/tasks": 2, "/api/v4/contacts": 1,
		"/api/v4/leads/notes": 1, "/api/v4/contacts/notes": 1, "/api/v4/leads/custom_fields": 3}
	assertRequests(t, "full sync", e.listRequests(), want)

	e.srv.ResetStats()
	e.touchLeads(leadIDs(1, 60)...)
	e.addEvents(80)
	ch = e.sync(ch.State)
	snap.Apply(ch)
	if len(ch.Leads) != 60 || len(ch.Events) != 80 {
		t.Errorf("incremental: %d leads, %d events; want 60 and 80", len(ch.Leads), len(ch.Events))
	}
	// Leads by updated_at: 50, then the 10 left from the last one read (11 items).
	want = map[string]int{"/api/v4/leads": 2, "leads:deleted": 1, "/api/v4/events": 2, "/api/v4/tasks": 1,
		"/api/v4/contacts": 1, "/api/v4/leads/notes": 1, "/api/v4/contacts/notes": 1}
	assertRequests(t, "incremental", e.listRequests(), want)
	if ch.Requests != 9 {
		t.Errorf("incremental sync made %d requests, want 9", ch.Requests)
	}
	e.assertLeadsMatch(&snap)
	if len(snap.Events) != 160 {
		t.Errorf("snapshot holds %d events, want 160", len(snap.Events))
	}
}

// TestPageCapFullSyncResumes: a full sync killed in the middle of the capped lead pages
// resumes one page back and still reads every lead.
func TestPageCapFullSyncResumes(t *testing.T) {
	e := newQuirkEnv(t, sandbox.Config{PageCap: 50}, quirkAccount{leads: 220, events: 10})
	ctx, cancel := context.WithCancel(context.Background())
	leadPages := 0
	c, err := amo.New(amo.Config{BaseURL: e.base, Token: "tok", Clock: e.clock, RateLimit: amo.Unlimited,
		OnRequest: func(path string, _ int, _ time.Duration) {
			if path == "/api/v4/leads" {
				if leadPages++; leadPages == 3 {
					cancel() // the process dies after the third page arrived
				}
			}
		}})
	if err != nil {
		t.Fatal(err)
	}
	ch, err := c.Sync(ctx, amo.SyncState{})
	if !errors.Is(err, context.Canceled) || ch.State.FullDone {
		t.Fatalf("killed sync: err %v, done %v", err, ch.State.FullDone)
	}
	if sc := ch.State.Lists[amo.ListKeyLeads].Scan; sc == nil || sc.Page != 4 || len(ch.Leads) != 150 {
		t.Fatalf("killed after 3 lead pages: scan %+v, %d leads", sc, len(ch.Leads))
	}
	var snap amo.Snapshot
	snap.Apply(ch)
	e.srv.ResetStats()
	rest := e.sync(ch.State)
	snap.Apply(rest)
	e.assertLeadsMatch(&snap)
	// Pages 3 (again), 4 and 5 of 50, 50 and 20 leads.
	if n := e.listRequests()["/api/v4/leads"]; n != 3 || !rest.State.FullDone {
		t.Errorf("resume: %d lead requests, want 3; done %v", n, rest.State.FullDone)
	}
}

// TestFilterProbeOnHonouringAccount: a normal sandbox applies the filters; the probe says so
// with two requests, made through the rate limiter, and is due again a day later.
func TestFilterProbeOnHonouringAccount(t *testing.T) {
	e := newQuirkEnv(t, sandbox.Config{}, quirkAccount{leads: 30, events: 30})
	slow := e.newClient(1) // one request a second
	before := e.clock.Now()
	p, err := slow.ProbeFilters(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if p.State.Ignored() || p.Requests != 2 || e.srv.Stats().Total != 2 {
		t.Errorf("probe: %+v, %d requests served; want honoured in 2", p, e.srv.Stats().Total)
	}
	if waited := e.clock.Since(before); waited < time.Second {
		t.Errorf("two probe requests at 1/s took %v of limiter time, want at least 1s", waited)
	}
	if p.State.Due(p.State.CheckedAt.Add(amo.FilterProbeEvery-time.Second)) || !p.State.Due(p.State.CheckedAt.Add(amo.FilterProbeEvery)) {
		t.Errorf("probe due at the wrong time: %+v", p.State)
	}
	for _, r := range e.srv.Stats().Recent {
		if !strings.Contains(r.URL, "limit=1") || r.Status != 204 {
			t.Errorf("probe request %s answered %d, want limit=1 and 204", r.URL, r.Status)
		}
	}
}

// TestIgnoredFiltersProbeAndBoundedPolls: on an account that ignores filter[updated_at] and
// filter[created_at], the probe finds both ignored in two requests; with its state an idle
// poll costs one request per list and reads nothing, and changes are still read.
func TestIgnoredFiltersProbeAndBoundedPolls(t *testing.T) {
	e := newQuirkEnv(t, sandbox.Config{IgnoreFilters: true}, quirkAccount{leads: 300, events: 150, tasks: 60})
	var snap amo.Snapshot
	ch := e.sync(amo.SyncState{})
	snap.Apply(ch)
	e.srv.ResetStats()
	p, err := e.client.ProbeFilters(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if !p.State.UpdatedAtIgnored || !p.State.CreatedAtIgnored || p.Requests != 2 || e.srv.Stats().Total != 2 {
		t.Fatalf("probe: %+v (%d requests served), want both filters ignored in 2", p, e.srv.Stats().Total)
	}
	st := ch.State
	st.Filters = p.State
	for i := range 3 {
		e.clock.Advance(time.Minute)
		e.srv.ResetStats()
		ch = e.sync(st)
		st = ch.State
		if ch.Requests != idlePollRequests || len(ch.Leads)+len(ch.Tasks)+len(ch.Events)+len(ch.Marks) != 0 {
			t.Errorf("idle poll %d: %d requests, %d leads, %d tasks, %d events", i, ch.Requests, len(ch.Leads), len(ch.Tasks), len(ch.Events))
		}
	}
	if !st.Filters.UpdatedAtIgnored || unfinished(st) {
		t.Errorf("state after idle polls: %+v", st)
	}
	e.touchLeads(17, 250, 3)
	e.addEvents(2)
	ch = e.sync(st)
	snap.Apply(ch)
	if len(ch.Leads) != 3 || len(ch.Events) != 2 || ch.Requests != idlePollRequests {
		t.Errorf("poll after changes: %d leads, %d events, %d requests; want 3, 2, %d", len(ch.Leads), len(ch.Events), ch.Requests, idlePollRequests)
	}
	e.assertLeadsMatch(&snap)
	for _, r := range e.srv.Stats().Recent {
		if strings.Contains(r.URL, "/api/v4/leads?") && !strings.Contains(r.URL, "order%5Bupdated_at%5D=desc") {
			t.Errorf("lead poll %s is not newest first", r.URL)
		}
	}
}

// TestIgnoredFiltersSeenWithoutProbe: a client that never probes finds the ignored filters in
// its first incremental poll (items outside the window asked for), at the cost of at most one
// page per list, and polls newest first from then on.
func TestIgnoredFiltersSeenWithoutProbe(t *testing.T) {
	e := newQuirkEnv(t, sandbox.Config{IgnoreFilters: true}, quirkAccount{leads: 300, events: 150, tasks: 60})
	var snap amo.Snapshot
	ch := e.sync(amo.SyncState{})
	snap.Apply(ch)
	e.touchLeads(5)
	ch = e.sync(ch.State)
	snap.Apply(ch)
	if !ch.State.Filters.UpdatedAtIgnored || !ch.State.Filters.CreatedAtIgnored || len(ch.Warnings) == 0 {
		t.Errorf("first poll: filters %+v, warnings %q", ch.State.Filters, ch.Warnings)
	}
	if len(ch.Leads) != 1 || ch.Requests > 2*idlePollRequests {
		t.Errorf("first poll: %d leads, %d requests; want 1 lead in at most %d", len(ch.Leads), ch.Requests, 2*idlePollRequests)
	}
	e.clock.Advance(time.Minute)
	ch = e.sync(ch.State)
	// Only the items of the cursor's second are read again (lead 5), as with honoured filters.
	if ch.Requests != idlePollRequests || len(ch.Leads) > 1 || len(ch.Leads) == 1 && ch.Leads[0].ID != 5 {
		t.Errorf("second poll: %d requests, %d leads", ch.Requests, len(ch.Leads))
	}
	e.assertLeadsMatch(&snap)
}

// TestIgnoredFiltersFirstSyncKeepsEventHistory: the first sync asks for the events of the
// last 30 days; an account that ignores filter[created_at] sends them newest first with the
// older ones after, and the scan stops at the first page that reaches past the window.
func TestIgnoredFiltersFirstSyncKeepsEventHistory(t *testing.T) {
	// 300 events, one every 4.8 h: 150 in the last 30 days.
	e := newQuirkEnv(t, sandbox.Config{IgnoreFilters: true}, quirkAccount{leads: 10, events: 300, eventStep: 288 * time.Minute})
	ch := e.sync(amo.SyncState{})
	if len(ch.Events) != 150 || !ch.State.Filters.CreatedAtIgnored {
		t.Errorf("first sync: %d events, filters %+v; want the 150 of the history window", len(ch.Events), ch.State.Filters)
	}
	if n := e.listRequests()["/api/v4/events"]; n != 2 {
		t.Errorf("events read in %d requests, want 2 (the second reaches past the window)", n)
	}
}

// TestBothQuirksBoundPollsAndCatchUp: pages capped at 50 and filters ignored together. The
// full sync reads everything; a burst of 1100 changed leads is read newest first, 20 pages
// (1000 leads) in the first poll and the rest in the next, and polls go back to one request
// per list.
func TestBothQuirksBoundPollsAndCatchUp(t *testing.T) {
	e := newQuirkEnv(t, sandbox.Config{PageCap: 50, IgnoreFilters: true}, quirkAccount{leads: 1300, events: 80, tasks: 120})
	var snap amo.Snapshot
	ch := e.sync(amo.SyncState{})
	snap.Apply(ch)
	if len(ch.Leads) != 1300 || len(ch.Events) != 80 || len(ch.Tasks) != 120 {
		t.Fatalf("full sync: %d leads, %d events, %d tasks", len(ch.Leads), len(ch.Events), len(ch.Tasks))
	}
	assertRequests(t, "full sync", e.listRequests(), map[string]int{"/api/v4/leads": 26, "/api/v4/events": 2, "/api/v4/tasks": 3})
	p, err := e.client.ProbeFilters(context.Background())
	if err != nil || !p.State.Ignored() {
		t.Fatalf("probe: %+v, %v", p, err)
	}
	st := ch.State
	st.Filters = p.State

	e.touchLeads(leadIDs(101, 1200)...)
	e.srv.ResetStats()
	ch = e.sync(st)
	snap.Apply(ch)
	if n := e.listRequests()["/api/v4/leads"]; n != amo.FallbackPages || len(ch.Leads) != 1000 {
		t.Errorf("burst poll: %d lead requests, %d leads; want %d and 1000", n, len(ch.Leads), amo.FallbackPages)
	}
	if sc := ch.State.Lists[amo.ListKeyLeads].Scan; sc == nil || !sc.Desc || !hasWarning(ch, "next poll") {
		t.Errorf("burst poll left scan %+v, warnings %q", sc, ch.Warnings)
	}
	e.clock.Advance(time.Minute)
	e.srv.ResetStats()
	ch = e.sync(ch.State)
	snap.Apply(ch)
	// One page back, then the last two pages of changes and the page that reaches the cursor.
	if n := e.listRequests()["/api/v4/leads"]; n != 4 || unfinished(ch.State) {
		t.Errorf("catch-up poll: %d lead requests (want 4), state %+v", n, ch.State.Lists)
	}
	e.assertLeadsMatch(&snap)
	e.clock.Advance(time.Minute)
	if ch = e.sync(ch.State); ch.Requests != idlePollRequests {
		t.Errorf("idle poll after the burst: %d requests", ch.Requests)
	}
}

func assertRequests(t *testing.T, what string, got, want map[string]int) {
	t.Helper()
	for k, n := range want {
		if got[k] != n {
			t.Errorf("%s: %d requests to %s, want %d (all: %v)", what, got[k], k, n, got)
		}
	}
}

func hasWarning(ch *amo.Changes, part string) bool {
	for _, w := range ch.Warnings {
		if strings.Contains(w, part) {
			return true
		}
	}
	return false
}
