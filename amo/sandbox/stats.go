package sandbox

import (
	"maps"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Stats counts the requests a Server has answered since it started or since ResetStats.
type Stats struct {
	// Total is the number of requests answered.
	Total int
	// ByStatus counts requests per HTTP status.
	ByStatus map[int]int
	// ByEndpoint counts requests per endpoint path, ids replaced: "/api/v4/leads/{id}".
	ByEndpoint map[string]int
	// RateLimited counts 429 answers (rate limit and injected); Banned counts 403 answers.
	RateLimited int
	Banned      int
	// Recent holds the latest requests, oldest first, at most Config.LogSize of them.
	Recent []RequestLog
}

// RequestLog is one answered request.
type RequestLog struct {
	At     time.Time // on the server's clock
	Method string
	URL    string // path and raw query
	Status int
}

// recorder collects Stats under a mutex; the log is a ring buffer.
type recorder struct {
	mu    sync.Mutex
	size  int
	stats Stats
	ring  []RequestLog
	next  int
}

func newRecorder(size int) *recorder {
	r := &recorder{size: size}
	r.reset()
	return r
}

func (r *recorder) reset() {
	r.stats = Stats{ByStatus: map[int]int{}, ByEndpoint: map[string]int{}}
	r.ring = make([]RequestLog, 0, min(r.size, 64))
	r.next = 0
}

func (r *recorder) record(req *http.Request, endpoint string, status int, at time.Time) {
	entry := RequestLog{At: at, Method: req.Method, URL: req.URL.RequestURI(), Status: status}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.stats.Total++
	r.stats.ByStatus[status]++
	r.stats.ByEndpoint[endpoint]++
	switch status {
	case http.StatusTooManyRequests:
		r.stats.RateLimited++
	case http.StatusForbidden:
		r.stats.Banned++
	}
	if len(r.ring) < r.size {
		r.ring = append(r.ring, entry)
		return
	}
	r.ring[r.next] = entry
	r.next = (r.next + 1) % r.size
}

// Stats returns a copy of the request counters and the recent-request log.
func (s *Server) Stats() Stats {
	r := s.stats
	r.mu.Lock()
	defer r.mu.Unlock()
	out := r.stats
	out.ByStatus = maps.Clone(r.stats.ByStatus)
	out.ByEndpoint = maps.Clone(r.stats.ByEndpoint)
	out.Recent = make([]RequestLog, 0, len(r.ring))
	out.Recent = append(out.Recent, r.ring[r.next:]...)
	out.Recent = append(out.Recent, r.ring[:r.next]...)
	return out
}

// ResetStats zeroes the counters and clears the log.
func (s *Server) ResetStats() {
	s.stats.mu.Lock()
	defer s.stats.mu.Unlock()
	s.stats.reset()
}

// endpointOf replaces numeric path segments with {id} so counters stay bounded.
func endpointOf(path string) string {
	if !strings.ContainsAny(path, "0123456789") {
		return path
	}
	parts := strings.Split(path, "/")
	for i, p := range parts {
		if p != "" && strings.Trim(p, "0123456789") == "" {
			parts[i] = "{id}"
		}
	}
	return strings.Join(parts, "/")
}
