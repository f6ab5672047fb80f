package amo_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"

	"salesguard/amo"
	"salesguard/amo/sandbox"
)

// qStart is when the hand-built quirk accounts are served.
var qStart = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// quirkEnv is a hand-built account served by the sandbox (in its quirk modes when asked), and
// an unlimited client on it, both on one stepping clock.
type quirkEnv struct {
	t      *testing.T
	w      *sandbox.World
	srv    *sandbox.Server
	base   string
	clock  *stepClock
	client *amo.Client
}

// quirkAccount says what the account holds: leads updated a second apart two days before the
// start, events created every eventStep before the start, tasks on the first leads, custom
// fields of leads.
type quirkAccount struct {
	leads, events, tasks, fields int
	eventStep                    time.Duration // default one minute
}

func newQuirkEnv(t *testing.T, cfg sandbox.Config, acct quirkAccount) *quirkEnv {
	t.Helper()
	w := sandbox.NewWorld(qStart)
	w.Update(func(d *sandbox.Data) { fillQuirkAccount(d, acct) })
	clk := &stepClock{FakeClock: clockwork.NewFakeClockAt(qStart)}
	cfg.Token, cfg.Clock = "tok", clk
	srv := sandbox.NewServer(w, cfg)
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	e := &quirkEnv{t: t, w: w, srv: srv, base: hs.URL, clock: clk}
	e.client = e.newClient(amo.Unlimited)
	return e
}

func fillQuirkAccount(d *sandbox.Data, acct quirkAccount) {
	d.Account = amo.Account{ID: 1, Name: "Quirks", Subdomain: "quirks", TimeZone: "UTC", IsAPIFilterEnabled: true}
	d.Users = []amo.User{{ID: 1, Name: "Anna", IsAdmin: true, IsActive: true}}
	d.Pipelines = []amo.Pipeline{{ID: 7, Name: "Sales", IsMain: true, Statuses: []amo.Status{
		{ID: 11, PipelineID: 7, Name: "Open"}, {ID: amo.StatusWon, PipelineID: 7, Name: "Won"},
		{ID: amo.StatusLost, PipelineID: 7, Name: "Lost"}}}}
	for i := 1; i <= acct.leads; i++ {
		id := amo.LeadID(i)
		d.Leads[id] = &amo.Lead{ID: id, Name: fmt.Sprintf("Lead %d", i), ResponsibleUserID: 1, PipelineID: 7,
			StatusID: 11, CreatedAt: qStart.Add(-72 * time.Hour), UpdatedAt: qStart.Add(-48*time.Hour + time.Duration(i)*time.Second)}
	}
	for i := 1; i <= acct.fields; i++ {
		d.CustomFields = append(d.CustomFields, amo.CustomField{ID: amo.FieldID(500 + i), EntityType: amo.EntityLeads,
			Name: fmt.Sprintf("Field %d", i), Type: "text", Sort: i})
	}
	for i := 1; i <= acct.tasks; i++ {
		id := amo.TaskID(100000 + i)
		d.Tasks[id] = &amo.Task{ID: id, ResponsibleUserID: 1, EntityID: int64(i), EntityType: amo.EntityLeads,
			TaskTypeID: 1, Text: "call", CompleteTill: qStart.Add(24 * time.Hour),
			CreatedAt: qStart.Add(-48 * time.Hour), UpdatedAt: qStart.Add(-47*time.Hour + time.Duration(i)*time.Second)}
	}
	step := acct.eventStep
	if step == 0 {
		step = time.Minute
	}
	for i := acct.events; i >= 1; i-- { // in creation order: the oldest first
		d.Events = append(d.Events, amo.Event{ID: fmt.Sprintf("ev-%d", i), Type: amo.EventLeadAdded,
			EntityID: int64(i), EntityType: "lead", CreatedBy: 1, CreatedAt: qStart.Add(-time.Duration(i) * step)})
	}
}

// newClient returns another client on the account at rate requests per second.
func (e *quirkEnv) newClient(rate float64) *amo.Client {
	e.t.Helper()
	c, err := amo.New(amo.Config{BaseURL: e.base, Token: "tok", Clock: e.clock, RateLimit: rate})
	if err != nil {
		e.t.Fatal(err)
	}
	return c
}

// touchLeads updates the leads one second apart from now, then moves the clock past them.
func (e *quirkEnv) touchLeads(ids ...amo.LeadID) {
	now := e.clock.Now()
	e.w.Update(func(d *sandbox.Data) {
		for i, id := range ids {
			l := *d.Leads[id] // a new version: the server's cached indices hold the old one
			l.UpdatedAt = now.Add(time.Duration(i+1) * time.Second).Truncate(time.Second)
			l.Name += "*"
			d.Leads[id] = &l
		}
		d.Now = now.Add(time.Duration(len(ids)+1) * time.Second)
	})
	e.clock.Advance(time.Duration(len(ids))*time.Second + time.Minute)
}

// addEvents creates n lead_added events one second apart from now, then moves the clock on.
func (e *quirkEnv) addEvents(n int) {
	now := e.clock.Now()
	e.w.Update(func(d *sandbox.Data) {
		for i := 1; i <= n; i++ {
			d.Events = append(d.Events, amo.Event{ID: fmt.Sprintf("new-%d-%d", now.Unix(), i), Type: amo.EventLeadAdded,
				EntityID: int64(i), EntityType: "lead", CreatedBy: 1, CreatedAt: now.Add(time.Duration(i) * time.Second).Truncate(time.Second)})
		}
		d.Now = now.Add(time.Duration(n+1) * time.Second)
	})
	e.clock.Advance(time.Duration(n)*time.Second + time.Minute)
}

// sync runs one sync from st and fails the test on error.
func (e *quirkEnv) sync(st amo.SyncState) *amo.Changes {
	e.t.Helper()
	ch, err := e.client.Sync(context.Background(), st)
	if err != nil {
		e.t.Fatalf("sync: %v", err)
	}
	return ch
}

// listRequests counts the requests since the last ResetStats by list: the path, with
// "leads:deleted" for the trash.
func (e *quirkEnv) listRequests() map[string]int {
	out := map[string]int{}
	for _, r := range e.srv.Stats().Recent {
		u, err := url.Parse(r.URL)
		if err != nil {
			e.t.Fatal(err)
		}
		key := u.Path
		if u.Query().Get("with") == "only_deleted" {
			key = "leads:deleted"
		}
		out[key]++
	}
	return out
}

// assertLeadsMatch checks that the snapshot holds every lead of the world in its latest version.
func (e *quirkEnv) assertLeadsMatch(s *amo.Snapshot) {
	e.t.Helper()
	e.w.Read(func(d *sandbox.Data) {
		if len(s.Leads) != len(d.Leads) {
			e.t.Errorf("leads: snapshot %d, world %d", len(s.Leads), len(d.Leads))
		}
		stale := 0
		for _, l := range s.Leads {
			if wl, ok := d.Leads[l.ID]; !ok || !wl.UpdatedAt.Equal(l.UpdatedAt) || wl.Name != l.Name {
				stale++
			}
		}
		if stale > 0 {
			e.t.Errorf("%d leads of the snapshot are not the world's latest version", stale)
		}
	})
}

// leadIDs returns ids from..to.
func leadIDs(from, to int) []amo.LeadID {
	out := make([]amo.LeadID, 0, to-from+1)
	for i := from; i <= to; i++ {
		out = append(out, amo.LeadID(i))
	}
	return out
}
