package amo

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"
)

// autoClock is a fake clock whose After advances time at once, so back-offs and the rate
// limiter never block a test; Waited tells how much fake time passed in waits.
type autoClock struct {
	*clockwork.FakeClock
	mu     sync.Mutex
	waited time.Duration
}

var t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

func newAutoClock() *autoClock { return &autoClock{FakeClock: clockwork.NewFakeClockAt(t0)} }

func (c *autoClock) After(d time.Duration) <-chan time.Time {
	c.mu.Lock()
	c.waited += d
	c.mu.Unlock()
	c.Advance(d)
	ch := make(chan time.Time, 1)
	ch <- c.Now()
	return ch
}

func (c *autoClock) Waited() time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.waited
}

// item is one entity the fake serves: its id, the timestamp its list filters on and its JSON.
type item struct {
	id   int64
	ts   int64
	body json.RawMessage
}

// fakeAPI is a small amoCRM API v4 over loopback: paged lists with time-window filters,
// 204 past the end, plus a hook to inject failures.
type fakeAPI struct {
	t   *testing.T
	srv *httptest.Server

	mu       sync.Mutex
	lists    map[string][]item // by path
	deleted  []item            // leads in the trash (with=only_deleted)
	raw      map[string][]byte // fixed bodies by path (account, …)
	requests []string          // path?query of every request
	hook     func(w http.ResponseWriter, r *http.Request) bool
	// alwaysNext sends _links.next on every page (some endpoints do, API.md §3.2).
	alwaysNext bool
	token      string
}

func newFakeAPI(t *testing.T) *fakeAPI {
	t.Helper()
	f := &fakeAPI{t: t, lists: map[string][]item{}, raw: map[string][]byte{}, token: "tok"}
	f.raw["/api/v4/account"] = mustRead(t, "account.json")
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

func mustRead(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func (f *fakeAPI) put(path string, it item) {
	f.mu.Lock()
	defer f.mu.Unlock()
	l := slices.DeleteFunc(f.lists[path], func(x item) bool { return x.id == it.id })
	f.lists[path] = append(l, it)
}

func (f *fakeAPI) remove(path string, id int64) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.lists[path] = slices.DeleteFunc(f.lists[path], func(x item) bool { return x.id == id })
}

func (f *fakeAPI) reqs() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.requests)
}

func (f *fakeAPI) serve(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	f.requests = append(f.requests, r.URL.Path+"?"+r.URL.RawQuery)
	hook, token := f.hook, f.token
	f.mu.Unlock()
	if hook != nil && hook(w, r) {
		return
	}
	if r.Header.Get("Authorization") != "Bearer "+token {
		w.Header().Set("Content-Type", "application/problem+json")
		w.WriteHeader(401)
		fmt.Fprint(w, `{"title":"Unauthorized","type":"https://httpstatus.es/401","status":401,"detail":"Неверный логин или пароль"}`)
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if b, ok := f.raw[r.URL.Path]; ok {
		w.Header().Set("Content-Type", "application/hal+json")
		_, _ = w.Write(b)
		return
	}
	items, ok := f.lists[r.URL.Path]
	q := r.URL.Query()
	if strings.Contains(q.Get("with"), "only_deleted") {
		items, ok = f.deleted, true
	}
	if !ok {
		w.WriteHeader(204)
		return
	}
	f.page(w, r, items)
}

// page writes one HAL page of items after the window filter, in id order.
func (f *fakeAPI) page(w http.ResponseWriter, r *http.Request, items []item) {
	q := r.URL.Query()
	from, to := int64(-1<<62), int64(1<<62)
	for _, fld := range []string{"updated_at", "created_at"} {
		if v := q.Get("filter[" + fld + "][from]"); v != "" {
			from, _ = strconv.ParseInt(v, 10, 64)
		}
		if v := q.Get("filter[" + fld + "][to]"); v != "" {
			to, _ = strconv.ParseInt(v, 10, 64)
		}
	}
	var sel []item
	for _, it := range items {
		if it.ts >= from && it.ts <= to {
			sel = append(sel, it)
		}
	}
	slices.SortFunc(sel, func(a, b item) int { return int(a.id - b.id) })
	if q.Get("order[updated_at]") == "asc" || q.Get("order[created_at]") == "asc" {
		slices.SortStableFunc(sel, func(a, b item) int { return int(a.ts - b.ts) })
	}
	page, _ := strconv.Atoi(q.Get("page"))
	limit, _ := strconv.Atoi(q.Get("limit"))
	if page < 1 {
		page = 1
	}
	if limit < 1 {
		limit = 50
	}
	lo := (page - 1) * limit
	if lo >= len(sel) {
		w.WriteHeader(204)
		return
	}
	hi := min(lo+limit, len(sel))
	key := r.URL.Path[strings.LastIndexByte(r.URL.Path, '/')+1:]
	var b strings.Builder
	fmt.Fprintf(&b, `{"_page":%d,"_links":{"self":{"href":"x"}`, page)
	if hi < len(sel) || f.alwaysNext {
		b.WriteString(`,"next":{"href":"x"}`)
	}
	fmt.Fprintf(&b, `},"_embedded":{%q:[`, key)
	for i, it := range sel[lo:hi] {
		if i > 0 {
			b.WriteByte(',')
		}
		b.Write(it.body)
	}
	b.WriteString("]}}")
	w.Header().Set("Content-Type", "application/hal+json")
	_, _ = w.Write([]byte(b.String()))
}

// newTestClient returns a client on f with the auto-advancing clock.
func newTestClient(t *testing.T, f *fakeAPI, mod func(*Config)) (*Client, *autoClock) {
	t.Helper()
	clk := newAutoClock()
	cfg := Config{BaseURL: f.srv.URL, Token: "tok", Clock: clk}
	if mod != nil {
		mod(&cfg)
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c, clk
}

// Item builders: minimal valid JSON for each list.
func leadItem(id int64, updated time.Time) item {
	return item{id: id, ts: updated.Unix(), body: json.RawMessage(fmt.Sprintf(
		`{"id":%d,"name":"Lead %d","price":100,"responsible_user_id":7,"status_id":10,"pipeline_id":1,"created_at":%d,"updated_at":%d,"custom_fields_values":null,"_embedded":{"tags":[],"companies":[]}}`,
		id, id, updated.Unix()-3600, updated.Unix()))}
}

func contactItem(id int64, updated time.Time) item {
	return item{id: id, ts: updated.Unix(), body: json.RawMessage(fmt.Sprintf(
		`{"id":%d,"name":"C %d","responsible_user_id":7,"created_at":%d,"updated_at":%d}`, id, id, updated.Unix(), updated.Unix()))}
}

func taskItem(id int64, updated time.Time, done bool) item {
	return item{id: id, ts: updated.Unix(), body: json.RawMessage(fmt.Sprintf(
		`{"id":%d,"responsible_user_id":7,"entity_id":1,"entity_type":"leads","is_completed":%t,"task_type_id":1,"text":"t","result":[],"complete_till":%d,"created_at":%d,"updated_at":%d}`,
		id, done, updated.Unix()+86400, updated.Unix(), updated.Unix()))}
}

func noteItem(id int64, updated time.Time) item {
	return item{id: id, ts: updated.Unix(), body: json.RawMessage(fmt.Sprintf(
		`{"id":%d,"entity_id":1,"note_type":"common","params":{"text":"n"},"created_by":7,"responsible_user_id":7,"created_at":%d,"updated_at":%d}`,
		id, updated.Unix(), updated.Unix()))}
}

func eventItem(id int64, typ string, entityType string, entityID int64, at time.Time) item {
	return item{id: id, ts: at.Unix(), body: json.RawMessage(fmt.Sprintf(
		`{"id":"ev%d","type":%q,"entity_id":%d,"entity_type":%q,"created_by":7,"created_at":%d,"value_after":[],"value_before":[]}`,
		id, typ, entityID, entityType, at.Unix()))}
}
