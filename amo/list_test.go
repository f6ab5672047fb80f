package amo

import (
	"context"
	"net/http"
	"strings"
	"testing"
)

func TestPagingStops(t *testing.T) {
	tests := []struct {
		name       string
		n          int
		alwaysNext bool
		wantReqs   int
	}{
		{name: "empty list is one 204", n: 0, wantReqs: 1},
		{name: "one item", n: 1, wantReqs: 1},
		{name: "exactly one page without next", n: 250, wantReqs: 1},
		{name: "one more than a page", n: 251, wantReqs: 2},
		{name: "exact page with next always sent ends on 204", n: 250, alwaysNext: true, wantReqs: 2},
		// A short page does not end a list that says there is more: accounts cap pages below
		// the limit asked for (API.md §3.2); the 204 after it does.
		{name: "short page with next always sent", n: 251, alwaysNext: true, wantReqs: 3},
		{name: "three pages", n: 600, wantReqs: 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeAPI(t)
			f.alwaysNext = tt.alwaysNext
			for i := range tt.n {
				f.put("/api/v4/tasks", taskItem(int64(i+1), t0, false))
			}
			c, _ := newTestClient(t, f, nil)
			tasks, err := c.ListTasks(context.Background(), Window{})
			if err != nil {
				t.Fatal(err)
			}
			if len(tasks) != tt.n {
				t.Errorf("got %d tasks, want %d", len(tasks), tt.n)
			}
			reqs := f.reqs()
			if len(reqs) != tt.wantReqs {
				t.Errorf("requests = %d, want %d: %v", len(reqs), tt.wantReqs, reqs)
			}
			if !strings.Contains(reqs[0], "limit=250") || !strings.Contains(reqs[0], "page=1") {
				t.Errorf("first request %q lacks limit=250&page=1", reqs[0])
			}
		})
	}
}

func TestEventsUseLimit100AndWindow(t *testing.T) {
	f := newFakeAPI(t)
	for i := range 150 {
		f.put("/api/v4/events", eventItem(int64(i+1), EventLeadAdded, "lead", 1, t0))
	}
	c, _ := newTestClient(t, f, nil)
	evs, err := c.ListEvents(context.Background(), Window{From: t0.Add(-1), To: t0.Add(1)})
	if err != nil || len(evs) != 150 {
		t.Fatalf("got %d events, %v", len(evs), err)
	}
	reqs := f.reqs()
	if len(reqs) != 2 || !strings.Contains(reqs[0], "limit=100") || !strings.Contains(reqs[0], "filter%5Bcreated_at%5D%5Bfrom%5D=") {
		t.Errorf("requests = %v", reqs)
	}
}

func TestPageCap(t *testing.T) {
	f := newFakeAPI(t)
	for i := range 600 {
		f.put("/api/v4/leads", leadItem(int64(i+1), t0))
	}
	c, _ := newTestClient(t, f, func(c *Config) { c.MaxPages = 2 })
	if _, err := c.ListLeads(context.Background(), Window{}); err == nil || !strings.Contains(err.Error(), "page cap") {
		t.Fatalf("err = %v, want a page cap error", err)
	}
}

func TestEmptyOKBodyIsAnError(t *testing.T) {
	f := newFakeAPI(t)
	f.hook = func(w http.ResponseWriter, r *http.Request) bool { w.WriteHeader(200); return true }
	c, _ := newTestClient(t, f, nil)
	if _, err := c.Account(context.Background()); err == nil || !strings.Contains(err.Error(), "empty body") {
		t.Fatalf("err = %v, want empty body", err)
	}
}

// TestDecodeItemsSkipsItemsWithoutID: an item whose id is 0, negative, missing or a string
// that is not a number is skipped with a warning naming it; the others on the page are kept.
func TestDecodeItemsSkipsItemsWithoutID(t *testing.T) {
	body := []byte(`{"_links":{},"_embedded":{"leads":[{"id":1,"name":"ok"},{"id":0},{"id":-5},{},{"id":"abc"},{"id":"7","name":"string id"}]}}`)
	ch := &Changes{}
	info, err := decodeLeads(body, ch)
	if err != nil {
		t.Fatal(err)
	}
	var ids []LeadID
	for _, l := range ch.Leads {
		ids = append(ids, l.ID)
	}
	if info.n != 6 || len(ids) != 1 || ids[0] != 1 || len(ch.Warnings) != 5 {
		t.Fatalf("n=%d kept %v, warnings %q; want lead 1 kept, 5 skipped", info.n, ids, ch.Warnings)
	}
}
