package amo

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"testing/iotest"
)

func TestResponseBodyOverCapIsAnError(t *testing.T) {
	const capBytes = 4 << 20
	big := bytes.Repeat([]byte("x"), capBytes+1)
	for _, tt := range []struct {
		name  string
		known bool // the answer has a Content-Length (else it is chunked)
		size  int
	}{
		{"over the cap with Content-Length", true, capBytes + 1},
		{"over the cap chunked", false, capBytes + 1},
		{"at the cap chunked", false, capBytes},
		{"at the cap with Content-Length", true, capBytes},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeAPI(t)
			f.hook = func(w http.ResponseWriter, r *http.Request) bool {
				w.Header().Set("Content-Type", "application/hal+json")
				if tt.known {
					w.Header().Set("Content-Length", strconv.Itoa(tt.size))
				}
				_, _ = w.Write(big[:tt.size]) // net/http chunks a body this large when no length is set
				return true
			}
			c, _ := newTestClient(t, f, func(c *Config) { c.MaxBody = capBytes })
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			body, err := c.get(context.Background(), "/api/v4/leads", nil)
			runtime.ReadMemStats(&after)
			if n := len(f.reqs()); n != 1 {
				t.Errorf("requests = %d, want 1 (the same answer would come back)", n)
			}
			alloc := after.TotalAlloc - before.TotalAlloc
			if tt.size <= capBytes {
				if err != nil || len(body) != tt.size {
					t.Fatalf("body of %d bytes at a cap of %d: %d bytes, %v", tt.size, capBytes, len(body), err)
				}
				if alloc > 3*capBytes {
					t.Errorf("allocated %d bytes for a body of %d", alloc, tt.size)
				}
				return
			}
			if !errors.Is(err, ErrResponseTooLarge) || !strings.Contains(err.Error(), "GET /api/v4/leads") ||
				!strings.Contains(err.Error(), strconv.Itoa(capBytes)) {
				t.Fatalf("err = %v, want ErrResponseTooLarge naming the endpoint and the cap", err)
			}
			if alloc >= 2*capBytes {
				t.Errorf("allocated %d bytes for a body over a cap of %d, want < %d", alloc, capBytes, 2*capBytes)
			}
		})
	}
}

func TestSyncRetriesPageOverCapNextCycle(t *testing.T) {
	f := newFakeAPI(t)
	for i := range 300 {
		f.put("/api/v4/leads", leadItem(int64(i+1), t0))
	}
	var served atomic.Bool
	f.hook = func(w http.ResponseWriter, r *http.Request) bool {
		if r.URL.Path != "/api/v4/leads" || r.URL.Query().Get("page") != "2" || !served.CompareAndSwap(false, true) {
			return false
		}
		w.Header().Set("Content-Type", "application/hal+json")
		_, _ = w.Write(bytes.Repeat([]byte(" "), 2<<20))
		return true
	}
	c, _ := newTestClient(t, f, func(c *Config) { c.MaxBody = 1 << 20 })
	ctx := context.Background()
	ch, err := c.Sync(ctx, SyncState{})
	if !errors.Is(err, ErrResponseTooLarge) || !strings.Contains(err.Error(), "page 2") {
		t.Fatalf("err = %v, want ErrResponseTooLarge naming page 2", err)
	}
	seen := map[LeadID]bool{}
	for _, l := range ch.Leads {
		seen[l.ID] = true
	}
	next, err := c.Sync(ctx, ch.State)
	if err != nil {
		t.Fatalf("next cycle: %v", err)
	}
	for _, l := range next.Leads {
		seen[l.ID] = true
	}
	if len(seen) != 300 {
		t.Fatalf("leads read over both cycles = %d, want 300: the page over the cap was skipped", len(seen))
	}
}

func TestReadBodyStopsAtTheCap(t *testing.T) {
	for _, tt := range []struct {
		body   string
		length int64
		max    int64
		err    error
	}{
		{"", -1, 4, nil},
		{"abcd", -1, 4, nil},
		{"abcde", -1, 4, ErrResponseTooLarge},
		{"abcd", 4, 4, nil},
		{"abcde", 5, 4, ErrResponseTooLarge},
		{"ab", 4, 4, errors.New("short")},
		{strings.Repeat("x", 10000), -1, 10000, nil}, // grown past the first 4 KB step
		{strings.Repeat("x", 10001), -1, 10000, ErrResponseTooLarge},
	} {
		got, err := readBody(strings.NewReader(tt.body), tt.length, tt.max, nil)
		// The same into a recycled buffer, shorter or longer than the body, holding old bytes.
		for _, dst := range [][]byte{[]byte("zz"), []byte(strings.Repeat("z", 20000))} {
			again, err2 := readBody(iotest.OneByteReader(strings.NewReader(tt.body)), tt.length, tt.max, dst)
			if (err == nil) != (err2 == nil) || string(again) != string(got) {
				t.Errorf("readBody(%q, %d, %d) into a buffer of %d = %q, %v; without one %q, %v", tt.body, tt.length, tt.max, len(dst), again, err2, got, err)
			}
		}
		switch {
		case tt.err == nil && (err != nil || string(got) != tt.body):
			t.Errorf("readBody(%q, %d, %d) = %q, %v", tt.body, tt.length, tt.max, got, err)
		case tt.err == ErrResponseTooLarge && !errors.Is(err, ErrResponseTooLarge):
			t.Errorf("readBody(%q, %d, %d): err = %v, want ErrResponseTooLarge", tt.body, tt.length, tt.max, err)
		case tt.err != nil && err == nil:
			t.Errorf("readBody(%q, %d, %d): no error, want one", tt.body, tt.length, tt.max)
		}
	}
}
