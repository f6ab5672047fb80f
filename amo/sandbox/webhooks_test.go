package sandbox

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"salesguard/amo"
)

// hookSink is a webhook destination that records every body, and can fail on demand.
type hookSink struct {
	*httptest.Server
	mu     sync.Mutex
	bodies []string
	ctypes []string
	status int // answered status; 0 = 200
	during func()
}

func newHookSink(t *testing.T) *hookSink {
	k := &hookSink{}
	k.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		k.mu.Lock()
		k.bodies = append(k.bodies, string(b))
		k.ctypes = append(k.ctypes, r.Header.Get("Content-Type"))
		status, during := k.status, k.during
		k.mu.Unlock()
		if during != nil {
			during()
		}
		if status != 0 {
			w.WriteHeader(status)
		}
	}))
	t.Cleanup(k.Close)
	return k
}

// items parses every body received so far as SalesGuard does and returns "entity/action/id".
func (k *hookSink) items(t *testing.T) []string {
	t.Helper()
	k.mu.Lock()
	defer k.mu.Unlock()
	var out []string
	for i, b := range k.bodies {
		if k.ctypes[i] != "application/x-www-form-urlencoded" || !strings.Contains(b, "leads%5B") && !strings.Contains(b, "task%5B") && !strings.Contains(b, "contacts%5B") {
			t.Errorf("body %d is not a form with percent-encoded brackets: %s %q", i, k.ctypes[i], b)
		}
		p, err := amo.ParseWebhook(k.ctypes[i], []byte(b))
		if err != nil || p.Subdomain != "sandbox" || p.AccountID <= 0 {
			t.Fatalf("body %q: %+v %v", b, p, err)
		}
		for _, it := range p.Items {
			out = append(out, it.Entity+"/"+it.Action+"/"+itoa(it.ID))
		}
	}
	k.bodies, k.ctypes = nil, nil
	return out
}

func subscribe(t *testing.T, ts *httptest.Server, dest string, events ...string) reply {
	t.Helper()
	b, _ := json.Marshal(map[string]any{"destination": dest, "settings": events})
	return mustDo(t, ts, http.MethodPost, "/api/v4/webhooks", testToken, strings.NewReader(string(b)))
}

func TestWebhookSubscriptions(t *testing.T) {
	w := newTestWorld()
	_, ts, _ := newTestServer(t, w, Config{})
	if r := mustGet(t, ts, "/api/v4/webhooks"); r.status != http.StatusNoContent {
		t.Fatalf("empty list: %d", r.status)
	}
	if r := subscribe(t, ts, "https://sg.example/amocrm/webhook/main/s3cret", "add_lead", "status_lead"); r.status != http.StatusCreated {
		t.Fatalf("add: %d %s", r.status, r.body)
	}
	if r := subscribe(t, ts, "https://sg.example/amocrm/webhook/main/s3cret", "add_lead", "note_lead"); r.status != http.StatusOK {
		t.Fatalf("add again: %d %s", r.status, r.body)
	}
	r := mustGet(t, ts, "/api/v4/webhooks")
	var page struct {
		Total    int `json:"_total_items"`
		Embedded struct {
			Webhooks []struct {
				ID          int64    `json:"id"`
				Destination string   `json:"destination"`
				Settings    []string `json:"settings"`
				CreatedAt   int64    `json:"created_at"`
			} `json:"webhooks"`
		} `json:"_embedded"`
	}
	if err := json.Unmarshal(r.body, &page); err != nil || page.Total != 1 || len(page.Embedded.Webhooks) != 1 {
		t.Fatalf("list: %s %v", r.body, err)
	}
	if h := page.Embedded.Webhooks[0]; h.ID == 0 || strings.Join(h.Settings, ",") != "add_lead,note_lead" || h.CreatedAt != t0.Unix() {
		t.Errorf("hook %+v", h)
	}
	for _, bad := range []string{`{"destination":"not a url","settings":["add_lead"]}`,
		`{"destination":"https://x.example","settings":["eat_lead"]}`, `{"destination":"https://x.example","settings":[]}`, `nope`} {
		if r := mustDo(t, ts, http.MethodPost, "/api/v4/webhooks", testToken, strings.NewReader(bad)); r.status != http.StatusBadRequest {
			t.Errorf("POST %s: %d, want 400", bad, r.status)
		}
	}
	del := `{"destination":"https://sg.example/amocrm/webhook/main/s3cret"}`
	if r := mustDo(t, ts, http.MethodDelete, "/api/v4/webhooks", testToken, strings.NewReader(del)); r.status != http.StatusNoContent {
		t.Fatalf("delete: %d %s", r.status, r.body)
	}
	if r := mustDo(t, ts, http.MethodDelete, "/api/v4/webhooks", testToken, strings.NewReader(del)); r.status != http.StatusNotFound {
		t.Errorf("delete again: %d, want 404", r.status)
	}
	if r := mustDo(t, ts, http.MethodPost, "/api/v4/webhooks", "", strings.NewReader(del)); r.status != http.StatusUnauthorized {
		t.Errorf("without a token: %d, want 401", r.status)
	}
}

func TestWebhooksFollowTheTeam(t *testing.T) {
	start := time.Date(2026, 3, 3, 9, 0, 0, 0, time.UTC)
	w := NewWorld(start)
	sim := NewSim(w, SimConfig{Seed: 3, Managers: 2, Start: start, TimeZone: "UTC", Lang: "en", Quiet: true})
	sim.Populate()
	_, ts, _ := newTestServer(t, w, Config{})
	sink := newHookSink(t)
	subscribe(t, ts, sink.URL+"/hook", "add_lead", "update_lead", "status_lead", "responsible_lead", "note_lead",
		"add_task", "update_task", "delete_lead")
	m := sim.Managers()
	id := sim.NewLead(start.Add(time.Minute), m[0])
	lead := itoa(int64(id))
	if got := strings.Join(sink.items(t), " "); got != "leads/add/"+lead {
		t.Errorf("new lead: %s", got)
	}
	sim.TakeLead(id, start.Add(5*time.Minute)) // a call note and a move to the next stage
	if got := strings.Join(sink.items(t), " "); got != "leads/status/"+lead+" leads/update/"+lead+" leads/note/"+lead {
		t.Errorf("lead taken: %s", got)
	}
	sim.Reassign(id, start.Add(6*time.Minute), m[1])
	if got := strings.Join(sink.items(t), " "); got != "leads/responsible/"+lead+" leads/update/"+lead {
		t.Errorf("reassigned: %s", got)
	}
	task := sim.AddTask(id, start.Add(7*time.Minute), start.Add(time.Hour), "call back")
	if got := strings.Join(sink.items(t), " "); got != "leads/update/"+lead+" tasks/add/"+itoa(int64(task)) {
		t.Errorf("task added: %s", got)
	}
	sim.CompleteTask(task, start.Add(8*time.Minute), "done")
	if got := sink.items(t); len(got) == 0 || got[len(got)-1] != "tasks/update/"+itoa(int64(task)) {
		t.Errorf("task completed: %v", got)
	}
	// A change made by a test straight in the world is sent too.
	w.Update(func(d *Data) {
		d.Leads[id].StatusID = amo.StatusWon
		d.Leads[id].UpdatedAt = start.Add(9 * time.Minute)
	})
	if got := strings.Join(sink.items(t), " "); got != "leads/status/"+lead+" leads/update/"+lead {
		t.Errorf("direct update: %s", got)
	}
	w.Update(func(*Data) {}) // nothing changed: nothing sent
	if got := sink.items(t); len(got) != 0 {
		t.Errorf("idle update sent %v", got)
	}
	sim.DeleteLead(id, start.Add(10*time.Minute))
	if got := sink.items(t); len(got) == 0 || got[len(got)-1] != "leads/delete/"+lead {
		t.Errorf("deleted: %v", got)
	}
}

func TestWebhookBodyAsAmoCRMSendsIt(t *testing.T) {
	start := time.Date(2026, 3, 3, 9, 0, 0, 0, time.UTC)
	w := NewWorld(start)
	sim := NewSim(w, SimConfig{Seed: 3, Managers: 2, Start: start, TimeZone: "UTC", Lang: "en", Quiet: true})
	sim.Populate()
	srv, ts, _ := newTestServer(t, w, Config{})
	sink := newHookSink(t)
	subscribe(t, ts, sink.URL, "status_lead")
	id := sim.NewLead(start, sim.Managers()[0]) // not subscribed: nothing sent
	sim.TakeLead(id, start.Add(time.Minute))
	d := srv.Deliveries()
	if d.Sent != 1 || len(d.Recent) != 1 {
		t.Fatalf("deliveries %+v", d)
	}
	body := d.Recent[0].Body
	for _, key := range []string{"leads%5Bstatus%5D%5B0%5D%5Bid%5D=" + itoa(int64(id)), "leads%5Bstatus%5D%5B0%5D%5Bold_status_id%5D=",
		"leads%5Bstatus%5D%5B0%5D%5Blast_modified%5D=", "account%5Bsubdomain%5D=sandbox"} {
		if !strings.Contains(body, key) {
			t.Errorf("body lacks %s: %s", key, body)
		}
	}
	if !strings.HasSuffix(body, "account%5B_links%5D%5Bself%5D=https%3A%2F%2Fsandbox.amocrm.ru") {
		t.Errorf("the account does not come last: %s", body)
	}
}

func TestWebhookFailuresAreLoggedAndRetried(t *testing.T) {
	start := time.Date(2026, 3, 3, 9, 0, 0, 0, time.UTC)
	w := NewWorld(start)
	sim := NewSim(w, SimConfig{Seed: 3, Managers: 2, Start: start, TimeZone: "UTC", Lang: "en", Quiet: true})
	sim.Populate()
	srv, ts, clk := newTestServer(t, w, Config{})
	sink := newHookSink(t)
	sink.status = http.StatusInternalServerError
	subscribe(t, ts, sink.URL, "add_lead")
	subscribe(t, ts, "http://127.0.0.1:1/unreachable", "add_lead")
	sim.NewLead(start, sim.Managers()[0])
	if d := srv.Deliveries(); d.Failed != 2 || d.Sent != 0 {
		t.Fatalf("deliveries %+v", d)
	}
	sink.mu.Lock()
	sink.status = 0
	sink.mu.Unlock()
	sim.NewLead(start.Add(time.Minute), sim.Managers()[0]) // before the retry is due: the new lead only
	if d := srv.Deliveries(); d.Sent != 1 {
		t.Fatalf("after a second lead: %+v", d)
	}
	clk.Advance(5 * time.Minute)
	w.Update(func(*Data) {})
	if d := srv.Deliveries(); d.Sent != 2 || d.Recent[len(d.Recent)-2].Attempt != 2 {
		t.Fatalf("after the retry: %+v", d)
	}
}

func TestWebhookSendingHoldsNoLock(t *testing.T) {
	start := time.Date(2026, 3, 3, 9, 0, 0, 0, time.UTC)
	w := NewWorld(start)
	sim := NewSim(w, SimConfig{Seed: 3, Managers: 2, Start: start, TimeZone: "UTC", Lang: "en", Quiet: true})
	sim.Populate()
	_, ts, _ := newTestServer(t, w, Config{})
	sink := newHookSink(t)
	// The destination reads the world and lists the hooks while the delivery is in flight, as
	// SalesGuard's sync may: with a lock held this would deadlock.
	sink.during = func() {
		w.Read(func(*Data) {})
		if r := mustGet(t, ts, "/api/v4/webhooks"); r.status != http.StatusOK {
			t.Errorf("list during a delivery: %d", r.status)
		}
	}
	subscribe(t, ts, sink.URL, "add_lead")
	sim.NewLead(start, sim.Managers()[0])
	if got := sink.items(t); len(got) != 1 {
		t.Fatalf("items %v", got)
	}
}
