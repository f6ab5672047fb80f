package sandbox

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
)

func TestLeadPaging(t *testing.T) {
	tests := []struct {
		name      string
		leads     int
		page1     int // items on page 1; 0 = 204
		page1Next bool
		page2     int // items on page 2; 0 = 204
	}{
		{name: "empty", leads: 0},
		{name: "one", leads: 1, page1: 1},
		{name: "exactly a page", leads: 250, page1: 250},
		{name: "one over a page", leads: 251, page1: 250, page1Next: true, page2: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newTestWorld()
			addLeads(w, tt.leads)
			_, ts, _ := newTestServer(t, w, Config{})
			for num, want := range []int{tt.page1, tt.page2} {
				r := mustGet(t, ts, "/api/v4/leads?limit=250&page="+strconv.Itoa(num+1))
				if want == 0 {
					if r.status != http.StatusNoContent || len(r.body) != 0 {
						t.Fatalf("page %d: got %d with %d body bytes, want 204 empty", num+1, r.status, len(r.body))
					}
					continue
				}
				l, items := mustList(t, r, "leads")
				if len(items) != want || l.Page != num+1 {
					t.Fatalf("page %d: %d items, _page %d; want %d items", num+1, len(items), l.Page, want)
				}
				_, hasNext := l.Links["next"]
				if num == 0 && hasNext != tt.page1Next {
					t.Errorf("page 1 next link = %v, want %v", hasNext, tt.page1Next)
				}
				if l.TotalItems != nil {
					t.Errorf("leads carry _total_items, want none (API.md §3.1)")
				}
			}
		})
	}
}

func TestPagingLinksAndLimits(t *testing.T) {
	w := newTestWorld()
	addLeads(w, 120)
	_, ts, _ := newTestServer(t, w, Config{BaseURL: "https://sandbox.amocrm.ru"})
	tests := []struct {
		name  string
		path  string
		count int
	}{
		{"default limit 50", "/api/v4/leads", 50},
		{"limit above max falls back to 50", "/api/v4/leads?limit=300", 50},
		{"limit 7", "/api/v4/leads?limit=7", 7},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, items := mustList(t, mustGet(t, ts, tt.path), "leads")
			if len(items) != tt.count {
				t.Fatalf("%d items, want %d", len(items), tt.count)
			}
		})
	}
	l, _ := mustList(t, mustGet(t, ts, "/api/v4/leads?limit=10&page=3&filter[responsible_user_id][]=101"), "leads")
	for _, rel := range []string{"self", "next", "first", "prev"} {
		h := l.Links[rel].Href
		if !strings.HasPrefix(h, "https://sandbox.amocrm.ru/api/v4/leads?") || !strings.Contains(h, "limit=10") ||
			!strings.Contains(h, "filter%5Bresponsible_user_id%5D") {
			t.Errorf("%s href %q lacks base, limit or filter", rel, h)
		}
	}
	if h := l.Links["next"].Href; !strings.Contains(h, "page=4") {
		t.Errorf("next href %q, want page=4", h)
	}
	for _, bad := range []string{"page=0", "page=x", "limit=0"} {
		if r := mustGet(t, ts, "/api/v4/leads?"+bad); r.status != http.StatusBadRequest {
			t.Errorf("%s: status %d, want 400", bad, r.status)
		}
	}
}

func TestEventsLimitIs100(t *testing.T) {
	w := newTestWorld()
	addEvents(w, 150)
	_, ts, _ := newTestServer(t, w, Config{})
	_, items := mustList(t, mustGet(t, ts, "/api/v4/events?limit=100"), "events")
	if len(items) != 100 {
		t.Fatalf("limit=100: %d items, want 100", len(items))
	}
	_, items = mustList(t, mustGet(t, ts, "/api/v4/events?limit=250"), "events")
	if len(items) != 50 {
		t.Fatalf("limit=250 on events: %d items, want the fallback 50", len(items))
	}
}

func TestPagingSeesWorldUpdates(t *testing.T) {
	w := newTestWorld()
	addLeads(w, 3)
	_, ts, _ := newTestServer(t, w, Config{})
	_, items := mustList(t, mustGet(t, ts, "/api/v4/leads"), "leads")
	if len(items) != 3 {
		t.Fatalf("%d leads, want 3", len(items))
	}
	addLeads(w, 5)
	_, items = mustList(t, mustGet(t, ts, "/api/v4/leads"), "leads")
	if len(items) != 5 {
		t.Fatalf("after update: %d leads, want 5 (stale cache?)", len(items))
	}
}
