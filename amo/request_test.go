package amo

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// failN answers the first n requests to path with status, header and body.
func failN(n int, status int, ctype, body string, hdr map[string]string) func(http.ResponseWriter, *http.Request) bool {
	var calls atomic.Int64
	return func(w http.ResponseWriter, r *http.Request) bool {
		if calls.Add(1) > int64(n) {
			return false
		}
		for k, v := range hdr {
			w.Header().Set(k, v)
		}
		if ctype != "" {
			w.Header().Set("Content-Type", ctype)
		}
		w.WriteHeader(status)
		fmt.Fprint(w, body)
		return true
	}
}

func TestRequestStatuses(t *testing.T) {
	tests := []struct {
		name      string
		n         int
		status    int
		ctype     string
		body      string
		hdr       map[string]string
		wantErr   error
		wantReqs  int
		minWaited time.Duration
	}{
		{name: "429 then success with Retry-After seconds", n: 1, status: 429, body: "<html>429</html>", hdr: map[string]string{"Retry-After": "3"}, wantReqs: 2, minWaited: 3 * time.Second},
		{name: "429 then success with Retry-After date", n: 1, status: 429, hdr: map[string]string{"Retry-After": t0.Add(7 * time.Second).Format(http.TimeFormat)}, wantReqs: 2, minWaited: 7 * time.Second},
		{name: "429 with exponential backoff", n: 2, status: 429, ctype: "text/html", body: "Too Many", wantReqs: 3, minWaited: 1500 * time.Millisecond},
		{name: "503 retried", n: 2, status: 503, body: "gateway", wantReqs: 3},
		{name: "500 retries bounded", n: 100, status: 500, body: `{"title":"Internal"}`, wantErr: &APIError{}, wantReqs: 5},
		{name: "429 retries bounded", n: 100, status: 429, wantErr: ErrRateLimited, wantReqs: 5},
		{name: "402 payment required", n: 1, status: 402, body: "", wantErr: ErrPaymentRequired, wantReqs: 1},
		{name: "JSON 403 is forbidden, not a ban", n: 1, status: 403, ctype: "application/problem+json", body: `{"title":"Forbidden","status":403,"detail":"no rights"}`, wantErr: ErrForbidden, wantReqs: 1},
		{name: "static token 401 is fatal", n: 1, status: 401, ctype: "application/problem+json", body: `{"title":"Unauthorized","status":401}`, wantErr: ErrUnauthorized, wantReqs: 1},
		{name: "404 with HTML body", n: 1, status: 404, ctype: "text/html", body: "<html><body>Not found</body></html>", wantErr: ErrNotFound, wantReqs: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeAPI(t)
			f.hook = failN(tt.n, tt.status, tt.ctype, tt.body, tt.hdr)
			c, clk := newTestClient(t, f, nil)
			acct, err := c.Account(context.Background())
			if got := len(f.reqs()); got != tt.wantReqs {
				t.Errorf("requests = %d, want %d", got, tt.wantReqs)
			}
			if clk.Waited() < tt.minWaited {
				t.Errorf("waited %v, want at least %v", clk.Waited(), tt.minWaited)
			}
			if tt.wantErr == nil {
				if err != nil || acct.TimeZone != "Europe/Moscow" {
					t.Fatalf("got %+v, %v", acct, err)
				}
				return
			}
			var apiErr *APIError
			if _, ok := tt.wantErr.(*APIError); ok {
				if !errors.As(err, &apiErr) {
					t.Fatalf("err = %v, want an *APIError", err)
				}
				return
			}
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			}
			if strings.Contains(err.Error(), "tok") && !strings.Contains(err.Error(), "token") {
				t.Errorf("error leaks the token: %v", err)
			}
		})
	}
}

func TestProblemJSONBecomesAPIError(t *testing.T) {
	f := newFakeAPI(t)
	f.hook = failN(1, 400, "application/problem+json",
		`{"validation-errors":[{"request_id":"0","errors":[]}],"title":"Bad Request","type":"https://httpstatus.es/400","status":400,"detail":"Request validation failed"}`, nil)
	c, _ := newTestClient(t, f, nil)
	_, err := c.Account(context.Background())
	var apiErr *APIError
	if !errors.As(err, &apiErr) {
		t.Fatalf("err = %v, want *APIError", err)
	}
	want := APIError{Status: 400, Title: "Bad Request", Detail: "Request validation failed", Endpoint: "GET /api/v4/account"}
	if *apiErr != want {
		t.Errorf("got %+v, want %+v", *apiErr, want)
	}
}

func TestStaticTokenUnauthorizedMessage(t *testing.T) {
	f := newFakeAPI(t)
	c, _ := newTestClient(t, f, func(c *Config) { c.Token = "wrong-secret" })
	_, err := c.Account(context.Background())
	if !errors.Is(err, ErrUnauthorized) {
		t.Fatalf("err = %v, want ErrUnauthorized", err)
	}
	if !strings.Contains(err.Error(), "issue a new long-lived token") || strings.Contains(err.Error(), "wrong-secret") {
		t.Errorf("message = %q", err)
	}
}

func TestHTMLForbiddenBansForCooldown(t *testing.T) {
	f := newFakeAPI(t)
	f.hook = failN(1, 403, "text/html", "<html><head><title>403 Forbidden</title></head><body><center><h1>403 Forbidden</h1></center><hr><center>nginx</center></body></html>", nil)
	c, clk := newTestClient(t, f, func(c *Config) { c.BanCooldown = 30 * time.Minute })
	ctx := context.Background()
	if _, err := c.Account(ctx); !errors.Is(err, ErrBanned) {
		t.Fatalf("first call err = %v, want ErrBanned", err)
	}
	if _, err := c.ListLeads(ctx, Window{}); !errors.Is(err, ErrBanned) {
		t.Fatalf("call during cool-down err = %v, want ErrBanned", err)
	}
	if n := len(f.reqs()); n != 1 {
		t.Errorf("requests during ban = %d, want 1", n)
	}
	clk.Advance(30 * time.Minute)
	if _, err := c.Account(ctx); err != nil {
		t.Fatalf("after cool-down: %v", err)
	}
	if !c.BannedUntil().IsZero() {
		t.Errorf("still banned until %v", c.BannedUntil())
	}
}

func TestMalformedJSONNamesEndpointAndPage(t *testing.T) {
	f := newFakeAPI(t)
	f.hook = func(w http.ResponseWriter, r *http.Request) bool {
		if r.URL.Query().Get("page") != "2" {
			return false
		}
		fmt.Fprint(w, `{"_embedded":{"leads":[{"id":1,`)
		return true
	}
	for i := range 300 {
		f.put("/api/v4/leads", leadItem(int64(i+1), t0))
	}
	c, _ := newTestClient(t, f, nil)
	_, err := c.ListLeads(context.Background(), Window{})
	if err == nil || !strings.Contains(err.Error(), "/api/v4/leads page 2") {
		t.Fatalf("err = %v, want one naming the endpoint and page 2", err)
	}
}

func TestRateLimiterSpacesRequests(t *testing.T) {
	f := newFakeAPI(t)
	c, clk := newTestClient(t, f, func(c *Config) { c.RateLimit = 5 })
	ctx := context.Background()
	const n = 11
	errs := make(chan error, n)
	for range n {
		go func() { _, err := c.Account(ctx); errs <- err }()
	}
	for range n {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	// 11 requests at 5/s need at least 10 intervals of 200 ms.
	if got := clk.Since(t0); got < 2*time.Second {
		t.Errorf("11 requests took %v of clock time, want ≥ 2s", got)
	}
}

func TestContextCancelStopsBackoff(t *testing.T) {
	f := newFakeAPI(t)
	f.hook = failN(100, 503, "", "", nil)
	c, _ := newTestClient(t, f, nil)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := c.Account(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}
