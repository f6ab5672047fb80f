package sandbox

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"

	"salesguard/amo"
)

const testToken = "test-token"

var t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// Test pipeline: status 10 is unsorted, 11 and 12 are normal, 142/143 are closed.
const (
	testPipeline amo.PipelineID = 7
	testUser1    amo.UserID     = 101
	testUser2    amo.UserID     = 102
)

// newTestWorld returns a world with dictionaries and no entities.
func newTestWorld() *World {
	w := NewWorld(t0)
	w.Update(func(d *Data) {
		d.Account = amo.Account{ID: 555, Name: "Sandbox", Subdomain: "sandbox", Country: "RU",
			TimeZone: "UTC", IsLossReasonEnabled: true, IsUnsortedOn: true, IsAPIFilterEnabled: true}
		d.Users = []amo.User{
			{ID: testUser2, Name: "Boris", IsActive: true},
			{ID: testUser1, Name: "Anna", IsAdmin: true, IsActive: true},
		}
		d.Pipelines = []amo.Pipeline{{ID: testPipeline, Name: "Sales", IsMain: true, Statuses: []amo.Status{
			{ID: 10, PipelineID: testPipeline, Name: "Incoming", Type: amo.StatusTypeUnsorted},
			{ID: 11, PipelineID: testPipeline, Name: "Contact"},
			{ID: 12, PipelineID: testPipeline, Name: "Offer"},
			{ID: amo.StatusWon, PipelineID: testPipeline, Name: "Won"},
			{ID: amo.StatusLost, PipelineID: testPipeline, Name: "Lost"},
		}}}
		d.LossReasons = []amo.LossReason{{ID: 31, Name: "Too expensive", Sort: 1}}
		d.CustomFields = []amo.CustomField{
			{ID: 41, EntityType: amo.EntityLeads, Name: "Budget", Type: "numeric",
				RequiredStatuses: []amo.StatusRef{{PipelineID: testPipeline, StatusID: 12}}},
			{ID: 42, EntityType: amo.EntityContacts, Name: "Phone", Code: "PHONE", Type: "multitext"},
		}
	})
	return w
}

// addLeads adds n leads with ids 1..n, updated one minute apart, alternating users.
func addLeads(w *World, n int) {
	w.Update(func(d *Data) {
		for i := 1; i <= n; i++ {
			u := testUser1
			if i%2 == 0 {
				u = testUser2
			}
			d.Leads[amo.LeadID(i)] = &amo.Lead{ID: amo.LeadID(i), Name: fmt.Sprintf("Lead %d", i),
				ResponsibleUserID: u, PipelineID: testPipeline, StatusID: 11, CreatedBy: u, UpdatedBy: u,
				CreatedAt: t0.Add(-time.Hour), UpdatedAt: t0.Add(time.Duration(i) * time.Minute)}
		}
	})
}

// newTestServer starts a server over httptest with a fake clock and the test token.
func newTestServer(t *testing.T, w *World, cfg Config) (*Server, *httptest.Server, *clockwork.FakeClock) {
	t.Helper()
	clk := clockwork.NewFakeClockAt(t0)
	if cfg.Clock == nil {
		cfg.Clock = clk
	}
	if cfg.Token == "" {
		cfg.Token = testToken
	}
	s := NewServer(w, cfg)
	ts := httptest.NewServer(s)
	t.Cleanup(ts.Close)
	return s, ts, clk
}

// reply is an HTTP answer read in full.
type reply struct {
	status int
	header http.Header
	body   []byte
}

func mustGet(t *testing.T, ts *httptest.Server, path string) reply {
	t.Helper()
	return mustDo(t, ts, http.MethodGet, path, testToken, nil)
}

func mustDo(t *testing.T, ts *httptest.Server, method, path, token string, body io.Reader) reply {
	t.Helper()
	req, err := http.NewRequest(method, ts.URL+path, body)
	if err != nil {
		t.Fatalf("new request %s: %v", path, err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := ts.Client().Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("read %s: %v", path, err)
	}
	return reply{status: resp.StatusCode, header: resp.Header, body: b}
}

// halList is the part of a collection page the tests look at.
type halList struct {
	Page       int                                     `json:"_page"`
	TotalItems *int                                    `json:"_total_items"`
	Links      map[string]struct{ Href string }        `json:"_links"`
	Embedded   map[string][]map[string]json.RawMessage `json:"_embedded"`
}

func mustList(t *testing.T, r reply, name string) (halList, []map[string]json.RawMessage) {
	t.Helper()
	if r.status != http.StatusOK {
		t.Fatalf("status = %d, want 200; body %s", r.status, r.body)
	}
	if ct := r.header.Get("Content-Type"); ct != "application/hal+json" {
		t.Fatalf("Content-Type = %q, want application/hal+json", ct)
	}
	var l halList
	if err := json.Unmarshal(r.body, &l); err != nil {
		t.Fatalf("decode list: %v; body %s", err, r.body)
	}
	return l, l.Embedded[name]
}

// ids returns the "id" fields of items as raw JSON text.
func ids(items []map[string]json.RawMessage) string {
	parts := make([]string, len(items))
	for i, it := range items {
		parts[i] = string(it["id"])
	}
	return strings.Join(parts, ",")
}

func TestUnknownRouteIsProblemJSON(t *testing.T) {
	_, ts, _ := newTestServer(t, newTestWorld(), Config{})
	r := mustGet(t, ts, "/api/v4/nothing/here")
	if r.status != http.StatusNotFound || r.header.Get("Content-Type") != "application/problem+json" {
		t.Fatalf("got %d %q, want 404 problem+json", r.status, r.header.Get("Content-Type"))
	}
	var p problemBody
	if err := json.Unmarshal(r.body, &p); err != nil || p.Status != 404 || p.Title != "Not Found" {
		t.Fatalf("body %s (%v), want a 404 problem", r.body, err)
	}
}

func TestAuthRequired(t *testing.T) {
	_, ts, _ := newTestServer(t, newTestWorld(), Config{})
	for _, tok := range []string{"", "wrong"} {
		r := mustDo(t, ts, http.MethodGet, "/api/v4/account", tok, nil)
		if r.status != http.StatusUnauthorized || r.header.Get("Content-Type") != "application/problem+json" {
			t.Errorf("token %q: got %d %q, want 401 problem+json", tok, r.status, r.header.Get("Content-Type"))
		}
	}
}

func TestConfigValidate(t *testing.T) {
	tests := []struct {
		name string
		cfg  Config
		ok   bool
	}{
		{"default", DefaultConfig("t"), true},
		{"oauth only", Config{OAuth: OAuthClient{Codes: []string{"c"}}}, true},
		{"no auth", Config{}, false},
		{"negative rate", Config{Token: "t", RateLimit: -1}, false},
		{"rate above 1", Config{Token: "t", Faults: Faults{Rate5xx: 1.5}}, false},
		{"rates sum", Config{Token: "t", Faults: Faults{Rate5xx: 0.6, Rate429: 0.6}}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.cfg.Validate(); (err == nil) != tt.ok {
				t.Fatalf("Validate() = %v, want ok %v", err, tt.ok)
			}
		})
	}
	if s := DefaultConfig("secret").String(); strings.Contains(s, "secret") {
		t.Fatalf("String() leaks the token: %s", s)
	}
}
