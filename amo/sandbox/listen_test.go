package sandbox

import (
	"context"
	"net"
	"net/http"
	"sync"
	"testing"
	"time"

	"salesguard/amo"
)

func TestServeStopsOnCancel(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("listen: %v", err)
	}
	s := NewServer(newTestWorld(), Config{Token: testToken})
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() { errc <- Serve(ctx, ln, s) }()

	req, err := http.NewRequest(http.MethodGet, "http://"+ln.Addr().String()+"/api/v4/account", nil)
	if err != nil {
		t.Fatalf("new request: %v", err)
	}
	req.Header.Set("Authorization", "Bearer "+testToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("get: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d", resp.StatusCode)
	}
	cancel()
	if err := <-errc; err != nil {
		t.Fatalf("Serve returned %v after cancel, want nil", err)
	}
}

// TestServeWhileWorldChanges runs requests while the world is updated, for the race detector.
func TestServeWhileWorldChanges(t *testing.T) {
	w := newTestWorld()
	addLeads(w, 300)
	addEvents(w, 300)
	_, ts, _ := newTestServer(t, w, Config{})
	var wg sync.WaitGroup
	stop := make(chan struct{})
	wg.Go(func() {
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			w.Update(func(d *Data) {
				l := d.Leads[amo.LeadID(i%300+1)]
				l.UpdatedAt = l.UpdatedAt.Add(time.Second)
				d.Events = append(d.Events, amo.Event{ID: "x", Type: amo.EventLeadAdded, EntityType: "lead", CreatedAt: d.Now})
			})
		}
	})
	for i := range 40 {
		for _, p := range []string{"/api/v4/leads?limit=250&page=2&filter[updated_at][from]=1", "/api/v4/events?limit=100&page=3"} {
			if r := mustGet(t, ts, p); r.status != http.StatusOK {
				t.Fatalf("request %d %s: %d", i, p, r.status)
			}
		}
	}
	close(stop)
	wg.Wait()
}
