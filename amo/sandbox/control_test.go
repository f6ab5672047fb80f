package sandbox

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"

	"salesguard/amo"
)

// shapeServer serves a small generated account.
func shapeServer(t *testing.T, cfg Config) (*World, *Server, *httptest.Server) {
	t.Helper()
	w := NewWorld(simStart)
	BuildShape(w, Shape{Leads: 200, Tasks: 400, Notes: 400, Events: 1000}, 1)
	s, ts, _ := newTestServer(t, w, cfg)
	return w, s, ts
}

// mustTouch calls the touch endpoint and decodes its answer.
func mustTouch(t *testing.T, ts *httptest.Server, n int) TouchResult {
	t.Helper()
	r := mustDo(t, ts, http.MethodPost, "/_sandbox/touch?deals="+strconv.Itoa(n), "", nil)
	if r.status != http.StatusOK || !strings.HasPrefix(r.header.Get("Content-Type"), "application/json") {
		t.Fatalf("touch: %d %s %s", r.status, r.header.Get("Content-Type"), r.body)
	}
	var res TouchResult
	if err := json.Unmarshal(r.body, &res); err != nil {
		t.Fatalf("touch answer %s: %v", r.body, err)
	}
	return res
}

func TestControlTouch(t *testing.T) {
	w, _, ts := shapeServer(t, Config{Seed: 5})
	before := snapshot(w)
	events := len(before.Events)
	mustGet(t, ts, "/api/v4/leads?limit=250") // warm the index cache, which the touch must invalidate
	res := mustTouch(t, ts, 7)
	d := snapshot(w)
	if res.Touched != 7 || len(res.IDs) != 7 || !res.At.Equal(d.Now) {
		t.Fatalf("touch answer %+v, now %v", res, d.Now)
	}
	if got := len(d.Events) - events; got != 7 {
		t.Errorf("%d new events, want one per deal", got)
	}
	seen := map[amo.LeadID]bool{}
	for _, id := range res.IDs {
		l, was := d.Leads[id], before.Leads[id]
		if seen[id] || l == nil || !was.IsOpen() || !l.UpdatedAt.Equal(d.Now) || l.UpdatedBy != l.ResponsibleUserID {
			t.Errorf("deal %d: repeated %v, before %+v, after %+v", id, seen[id], was, l)
		}
		seen[id] = true
	}
	for _, e := range d.Events[events:] {
		switch {
		case !seen[e.LeadID()] || !e.CreatedAt.Equal(d.Now):
			t.Errorf("event %+v is not about a touched deal at now", e)
		case e.Type == amo.EventLeadStatusChanged && (e.StatusBefore == nil || e.StatusAfter == nil || *e.StatusBefore == *e.StatusAfter):
			t.Errorf("status change without a move: %+v", e)
		case e.Type == amo.EventCommonNoteAdded && d.Notes[e.NoteID] == nil:
			t.Errorf("comment event names a missing note %d", e.NoteID)
		}
	}
	checkInvariants(t, &d)

	from := strconv.FormatInt(d.Now.Unix(), 10)
	var page halList
	if r := mustGet(t, ts, "/api/v4/leads?filter[updated_at][from]="+from); r.status != http.StatusOK || json.Unmarshal(r.body, &page) != nil {
		t.Fatalf("leads updated since now: %d %s", r.status, r.body)
	}
	if got := len(page.Embedded["leads"]); got < 7 {
		t.Errorf("an incremental read sees %d changed deals, want the 7 touched", got)
	}
}

func TestControlTouchIsDeterministic(t *testing.T) {
	picks := func(seed int64) [][]amo.LeadID {
		_, _, ts := shapeServer(t, Config{Seed: seed})
		return [][]amo.LeadID{mustTouch(t, ts, 5).IDs, mustTouch(t, ts, 3).IDs}
	}
	a, b, c := picks(1), picks(1), picks(2)
	if !reflect.DeepEqual(a, b) {
		t.Errorf("same seed touched %v, then %v", a, b)
	}
	if reflect.DeepEqual(a, c) {
		t.Errorf("seeds 1 and 2 touched the same deals %v", a)
	}
}

func TestControlTouchAllOpen(t *testing.T) {
	w := newTestWorld()
	addLeads(w, 4)
	w.Update(func(d *Data) { d.Leads[2].StatusID, d.Leads[2].ClosedAt = amo.StatusWon, t0 })
	_, ts, _ := newTestServer(t, w, Config{})
	res := mustTouch(t, ts, 10)
	ids := slices.Sorted(slices.Values(res.IDs))
	if res.Touched != 3 || !slices.Equal(ids, []amo.LeadID{1, 3, 4}) {
		t.Errorf("touch 10 of 3 open deals: %+v", res)
	}
}

func TestControlTouchWorldClock(t *testing.T) {
	clk := clockwork.NewFakeClockAt(simStart.Add(2 * time.Hour))
	var advanced []time.Time
	w, _, ts := shapeServer(t, Config{WorldClock: clk})
	res := mustTouch(t, ts, 2)
	if want := clk.Now().UTC(); !res.At.Equal(want) || !w.Now().Equal(want) {
		t.Errorf("touch at %v, world now %v, want the clock's %v", res.At, w.Now(), want)
	}

	_, _, ts = shapeServer(t, Config{WorldClock: clk, Advance: func(t time.Time) { advanced = append(advanced, t) }})
	mustTouch(t, ts, 1)
	if len(advanced) != 1 || !advanced[0].Equal(clk.Now()) {
		t.Errorf("Advance calls %v, want one to %v", advanced, clk.Now())
	}
}

func TestControlErrors(t *testing.T) {
	_, _, ts := shapeServer(t, Config{})
	tests := []struct {
		method, path string
		status       int
	}{
		{http.MethodPost, "/_sandbox/touch?deals=0", http.StatusBadRequest},
		{http.MethodPost, "/_sandbox/touch?deals=abc", http.StatusBadRequest},
		{http.MethodPost, "/_sandbox/touch?deals=1000001", http.StatusBadRequest},
		{http.MethodGet, "/_sandbox/touch?deals=1", http.StatusMethodNotAllowed},
		{http.MethodPost, "/_sandbox/advance?to=yesterday", http.StatusBadRequest},
		{http.MethodPost, "/_sandbox/advance?to=2020-01-01T00:00:00Z", http.StatusConflict},
		{http.MethodGet, "/_sandbox/nothing", http.StatusNotFound},
	}
	for _, tt := range tests {
		if r := mustDo(t, ts, tt.method, tt.path, "", nil); r.status != tt.status {
			t.Errorf("%s %s = %d %s, want %d", tt.method, tt.path, r.status, r.body, tt.status)
		}
	}
}

func TestControlAdvance(t *testing.T) {
	w, _, ts := shapeServer(t, Config{})
	to := simStart.Add(3 * time.Hour).UTC().Format(time.RFC3339)
	if r := mustDo(t, ts, http.MethodPost, "/_sandbox/advance?to="+to, "", nil); r.status != http.StatusOK {
		t.Fatalf("advance: %d %s", r.status, r.body)
	}
	if got := w.Now().Format(time.RFC3339); got != to {
		t.Errorf("world now %s, want %s", got, to)
	}
}

func TestControlStats(t *testing.T) {
	w, _, ts := shapeServer(t, Config{RateLimit: 1, BanAfter: 1})
	mustGet(t, ts, "/api/v4/account")
	mustGet(t, ts, "/api/v4/leads/12345") // over the limit on the fake clock: 429
	mustGet(t, ts, "/api/v4/leads")       // banned: 403
	var st ControlStats
	for range 3 { // the control API is neither limited, nor banned, nor counted
		r := mustGet(t, ts, "/_sandbox/stats")
		if r.status != http.StatusOK || json.Unmarshal(r.body, &st) != nil {
			t.Fatalf("stats: %d %s", r.status, r.body)
		}
	}
	if st.Total != 3 || st.ByEndpoint["/api/v4/account"] != 1 || st.ByEndpoint["/api/v4/leads/{id}"] != 1 ||
		st.RateLimited != 1 || st.Banned != 1 || st.ByStatus[http.StatusOK] != 1 {
		t.Errorf("request counters %+v", st)
	}
	if want := CountData(w, 30*24*time.Hour); st.Counts != want || st.Counts.Leads != 200 || st.Counts.Events != 1000 {
		t.Errorf("counts %+v, want %+v", st.Counts, want)
	}
	if want := MinFullSyncRequests(w, 30*24*time.Hour); st.MinFullSyncRequests != want || !st.Now.Equal(w.Now()) {
		t.Errorf("min_full_sync_requests %d (want %d), now %v", st.MinFullSyncRequests, want, st.Now)
	}
}
