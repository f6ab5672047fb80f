package sandbox

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
)

// TestPageCapHoldsPagesBelowTheLimit: with PageCap every page holds at most the cap, whatever
// limit is asked for; next is sent while more remain, pages are numbered in capped pages, the
// links keep the limit asked, and a limit below the cap is served as asked.
func TestPageCapHoldsPagesBelowTheLimit(t *testing.T) {
	w := newTestWorld()
	addLeads(w, 120)
	addEvents(w, 80)
	_, ts, _ := newTestServer(t, w, Config{PageCap: 50})
	tests := []struct {
		name  string
		path  string
		list  string
		pages []int // items on each page; then a 204
	}{
		{"leads limit 250", "/api/v4/leads?limit=250", "leads", []int{50, 50, 20}},
		{"events limit 100", "/api/v4/events?limit=100", "events", []int{50, 30}},
		{"leads limit 30 below the cap", "/api/v4/leads?limit=30", "leads", []int{30, 30, 30, 30}},
		{"leads default limit 50", "/api/v4/leads", "leads", []int{50, 50, 20}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			seen := map[string]bool{}
			for i, want := range tt.pages {
				r := mustGet(t, ts, tt.path+sep(tt.path)+"page="+strconv.Itoa(i+1))
				l, items := mustList(t, r, tt.list)
				if len(items) != want || l.Page != i+1 {
					t.Fatalf("page %d: %d items, _page %d; want %d", i+1, len(items), l.Page, want)
				}
				for _, it := range items {
					if id := string(it["id"]); seen[id] {
						t.Fatalf("page %d repeats item %s", i+1, id)
					} else {
						seen[id] = true
					}
				}
				next, hasNext := l.Links["next"]
				if last := i == len(tt.pages)-1; hasNext == last {
					t.Fatalf("page %d: next link %v, want %v", i+1, hasNext, !last)
				}
				if hasNext && !strings.Contains(next.Href, "page="+strconv.Itoa(i+2)) {
					t.Errorf("page %d: next %q does not point at page %d", i+1, next.Href, i+2)
				}
				if asked := limitOf(tt.path); hasNext && asked != "" && !strings.Contains(next.Href, "limit="+asked) {
					t.Errorf("page %d: next %q lost the limit asked (%s)", i+1, next.Href, asked)
				}
			}
			r := mustGet(t, ts, tt.path+sep(tt.path)+"page="+strconv.Itoa(len(tt.pages)+1))
			if r.status != http.StatusNoContent {
				t.Errorf("past the end: %d, want 204", r.status)
			}
		})
	}
}

func sep(path string) string {
	if strings.Contains(path, "?") {
		return "&"
	}
	return "?"
}

func limitOf(path string) string {
	u, _ := url.Parse(path)
	return u.Query().Get("limit")
}

// TestIgnoreFiltersDropsOnlyTheTimeFilters: with IgnoreFilters the updated_at and created_at
// windows (every form) select nothing away, while the other filters, the order and the links
// behave as without it.
func TestIgnoreFiltersDropsOnlyTheTimeFilters(t *testing.T) {
	w := newTestWorld()
	addLeads(w, 6)  // updated t0+1..6 min
	addEvents(w, 6) // created t0+1..6 min
	addActivity(w)
	window := "filter[updated_at][from]=" + unixAt(3) + "&filter[updated_at][to]=" + unixAt(4)
	tests := []struct {
		name, path, list string
		honoured         string // ids without IgnoreFilters
		ignored          string // ids with it
	}{
		{"leads window", "/api/v4/leads?" + window, "leads", "3,4", "1,2,3,4,5,6"},
		{"leads window newest first", "/api/v4/leads?" + window + "&order[updated_at]=desc", "leads", "4,3", "6,5,4,3,2,1"},
		{"leads window and id", "/api/v4/leads?" + window + "&filter[id][]=2&filter[id][]=3", "leads", "3", "2,3"},
		{"leads created_at", "/api/v4/leads?filter[created_at][from]=" + unixAt(0), "leads", "", "1,2,3,4,5,6"},
		{"tasks window and is_completed", "/api/v4/tasks?filter[updated_at][from]=" + unixAt(2) + "&filter[is_completed]=1", "tasks", "202,203", "202,203"},
		{"tasks scalar updated_at", "/api/v4/tasks?filter[updated_at]=" + unixAt(3), "tasks", "203,204", "201,202,203,204"},
		{"notes window", "/api/v4/leads/notes?filter[updated_at][from]=" + unixAt(2) + "&filter[updated_at][to]=" + unixAt(2), "notes", "402", "401,402,403"},
		{"events comma window", "/api/v4/events?filter[created_at]=" + unixAt(2) + "," + unixAt(3), "events", `"ev-3","ev-2"`, `"ev-6","ev-5","ev-4","ev-3","ev-2","ev-1"`},
		{"events from and type", "/api/v4/events?filter[created_at][from]=" + unixAt(5) + "&filter[type]=lead_added&filter[entity_id][]=1&filter[entity]=lead", "events", "", `"ev-1"`},
	}
	for _, ignore := range []bool{false, true} {
		_, ts, _ := newTestServer(t, w, Config{IgnoreFilters: ignore})
		for _, tt := range tests {
			t.Run(tt.name+map[bool]string{false: " honoured", true: " ignored"}[ignore], func(t *testing.T) {
				want := tt.honoured
				if ignore {
					want = tt.ignored
				}
				r := mustGet(t, ts, tt.path)
				if want == "" {
					if r.status != http.StatusNoContent {
						t.Fatalf("got %d %s, want 204", r.status, r.body)
					}
					return
				}
				l, items := mustList(t, r, tt.list)
				if got := ids(items); got != want {
					t.Errorf("ids %s, want %s", got, want)
				}
				q, _ := url.Parse(l.Links["self"].Href)
				if orig, _ := url.Parse(tt.path); q == nil || !sameFilters(q.Query(), orig.Query()) {
					t.Errorf("self link %q does not repeat the query asked %q", l.Links["self"].Href, tt.path)
				}
			})
		}
	}
}

// sameFilters reports whether got carries every parameter of want with the same values.
func sameFilters(got, want url.Values) bool {
	for k, vs := range want {
		if strings.Join(got[k], ",") != strings.Join(vs, ",") {
			return false
		}
	}
	return true
}

func TestPageCapValidate(t *testing.T) {
	if err := (Config{Token: "t", PageCap: -1}).Validate(); err == nil {
		t.Error("a negative page cap validated")
	}
	if err := (Config{Token: "t", PageCap: 50, IgnoreFilters: true}).Validate(); err != nil {
		t.Errorf("page cap 50 with ignored filters: %v", err)
	}
}
