package sandbox

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestRateLimitThenBan(t *testing.T) {
	cfg := Config{RateLimit: 7, BanAfter: 3, BanWindow: time.Minute, BanDuration: 10 * time.Minute}
	s, ts, clk := newTestServer(t, newTestWorld(), cfg)
	for i := range 7 {
		if r := mustGet(t, ts, "/api/v4/account"); r.status != http.StatusOK {
			t.Fatalf("request %d: %d, want 200", i+1, r.status)
		}
	}
	r := mustGet(t, ts, "/api/v4/account")
	if r.status != http.StatusTooManyRequests || !strings.HasPrefix(r.header.Get("Content-Type"), "text/html") ||
		r.header.Get("Retry-After") != "" || !strings.Contains(string(r.body), "429") {
		t.Fatalf("8th request: %d %q Retry-After %q, want HTML 429 without Retry-After",
			r.status, r.header.Get("Content-Type"), r.header.Get("Retry-After"))
	}

	clk.Advance(time.Second)
	for i := range 7 {
		if r := mustGet(t, ts, "/api/v4/account"); r.status != http.StatusOK {
			t.Fatalf("after a second, request %d: %d, want 200", i+1, r.status)
		}
	}
	for i := range 2 { // 429s number 2 and 3 within the window: the third starts the ban
		if r := mustGet(t, ts, "/api/v4/account"); r.status != http.StatusTooManyRequests {
			t.Fatalf("burst request %d: %d, want 429", i+1, r.status)
		}
	}
	clk.Advance(5 * time.Second)
	r = mustGet(t, ts, "/api/v4/account")
	if r.status != http.StatusForbidden || !strings.Contains(string(r.body), "<center><h1>403 Forbidden</h1></center>") {
		t.Fatalf("during ban: %d %s, want the nginx 403", r.status, r.body)
	}
	if got := s.BannedUntil(); !got.Equal(t0.Add(time.Second + 10*time.Minute)) {
		t.Fatalf("BannedUntil = %v", got)
	}
	clk.Advance(10 * time.Minute)
	if r := mustGet(t, ts, "/api/v4/account"); r.status != http.StatusOK {
		t.Fatalf("after the ban: %d, want 200", r.status)
	}

	st := s.Stats()
	if st.RateLimited != 3 || st.Banned != 1 || st.ByStatus[200] != 15 || st.Total != 19 ||
		st.ByEndpoint["/api/v4/account"] != 19 || len(st.Recent) != 19 {
		t.Fatalf("stats = %+v", st)
	}
	if last := st.Recent[len(st.Recent)-1]; last.Method != http.MethodGet || last.URL != "/api/v4/account" || last.Status != 200 {
		t.Fatalf("last log entry = %+v", last)
	}
}

func TestUnbanAndNoLimit(t *testing.T) {
	s, ts, _ := newTestServer(t, newTestWorld(), Config{RateLimit: 1, BanAfter: 1})
	mustGet(t, ts, "/api/v4/account")
	if r := mustGet(t, ts, "/api/v4/account"); r.status != http.StatusTooManyRequests {
		t.Fatalf("second request: %d, want 429", r.status)
	}
	if r := mustGet(t, ts, "/api/v4/account"); r.status != http.StatusForbidden {
		t.Fatalf("third request: %d, want 403", r.status)
	}
	s.Unban()
	if r := mustGet(t, ts, "/api/v4/account"); r.status != http.StatusOK {
		t.Fatalf("after Unban: %d, want 200", r.status)
	}

	_, open, _ := newTestServer(t, newTestWorld(), Config{})
	for i := range 50 {
		if r := mustGet(t, open, "/api/v4/account"); r.status != http.StatusOK {
			t.Fatalf("RateLimit 0, request %d: %d", i+1, r.status)
		}
	}
}

func TestStatsLogIsBoundedAndResets(t *testing.T) {
	s, ts, _ := newTestServer(t, newTestWorld(), Config{LogSize: 3})
	for _, p := range []string{"/api/v4/leads/1", "/api/v4/leads/2", "/api/v4/users", "/api/v4/account?with=x"} {
		mustGet(t, ts, p)
	}
	st := s.Stats()
	if len(st.Recent) != 3 || st.Recent[0].URL != "/api/v4/leads/2" || st.Recent[2].URL != "/api/v4/account?with=x" {
		t.Fatalf("recent = %+v", st.Recent)
	}
	if st.ByEndpoint["/api/v4/leads/{id}"] != 2 {
		t.Fatalf("by endpoint = %v", st.ByEndpoint)
	}
	s.ResetStats()
	if st := s.Stats(); st.Total != 0 || len(st.Recent) != 0 || len(st.ByStatus) != 0 {
		t.Fatalf("after reset: %+v", st)
	}
}
