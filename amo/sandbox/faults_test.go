package sandbox

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"testing"
	"time"
)

// statusRun runs n list requests and returns each status.
func statusRun(t *testing.T, f Faults, n int) ([]int, []reply) {
	t.Helper()
	w := newTestWorld()
	addLeads(w, 3)
	_, ts, _ := newTestServer(t, w, Config{Faults: f})
	out, replies := make([]int, n), make([]reply, n)
	for i := range n {
		replies[i] = mustGet(t, ts, "/api/v4/leads")
		out[i] = replies[i].status
	}
	return out, replies
}

func TestFaultsAreDeterministic(t *testing.T) {
	f := Faults{Seed: 42, Rate5xx: 0.2, Rate429: 0.1, RateMalformed: 0.2}
	a, replies := statusRun(t, f, 200)
	b, _ := statusRun(t, f, 200)
	if !slices.Equal(a, b) {
		t.Fatalf("same seed, different statuses:\n%v\n%v", a, b)
	}
	c, _ := statusRun(t, Faults{Seed: 43, Rate5xx: 0.2, Rate429: 0.1, RateMalformed: 0.2}, 200)
	if slices.Equal(a, c) {
		t.Fatalf("different seeds gave the same statuses")
	}
	counts := map[int]int{}
	malformed := 0
	for i, st := range a {
		counts[st]++
		if st == http.StatusOK && !json.Valid(replies[i].body) {
			malformed++
		}
		if st == http.StatusServiceUnavailable && replies[i].header.Get("Retry-After") != "1" {
			t.Errorf("503 without Retry-After: 1")
		}
	}
	fivexx := counts[500] + counts[502] + counts[503]
	if fivexx < 20 || fivexx > 60 || counts[429] < 8 || counts[429] > 35 || malformed < 10 {
		t.Fatalf("fault mix off: %v, malformed 200s %d", counts, malformed)
	}
}

func TestNoFaultsByDefault(t *testing.T) {
	got, replies := statusRun(t, Faults{Seed: 1}, 50)
	for i, st := range got {
		if st != http.StatusOK || !json.Valid(replies[i].body) {
			t.Fatalf("request %d: %d, valid JSON %v", i, st, json.Valid(replies[i].body))
		}
	}
}

func TestLatencyWaitsOnTheClock(t *testing.T) {
	w := newTestWorld()
	_, ts, clk := newTestServer(t, w, Config{Faults: Faults{Latency: 2 * time.Second}})
	done := make(chan int, 1)
	req := mustRequest(t, ts.URL+"/api/v4/account")
	go func() {
		resp, err := ts.Client().Do(req)
		if err != nil {
			done <- -1
			return
		}
		resp.Body.Close()
		done <- resp.StatusCode
	}()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := clk.BlockUntilContext(ctx, 1); err != nil {
		t.Fatalf("request never waited on the clock: %v", err)
	}
	select {
	case st := <-done:
		t.Fatalf("answered (%d) before the clock moved", st)
	default:
	}
	clk.Advance(2 * time.Second)
	if st := <-done; st != http.StatusOK {
		t.Fatalf("status %d, want 200", st)
	}
}

func mustRequest(t *testing.T, url string) *http.Request {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatalf("new request: %v", err)
	}
	req.Header.Set("Authorization", "Bearer "+testToken)
	return req
}
