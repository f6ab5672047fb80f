package sandbox

import (
	"net/http"
	"sync/atomic"
	"time"
)

// Faults injects trouble into /api/v4 responses (after auth). The rates are probabilities in
// [0, 1] drawn from a pseudo-random stream fixed by Seed: the n-th request always gets the same
// draw, so a run with the same requests in the same order fails the same way.
type Faults struct {
	// Seed fixes the pseudo-random stream.
	Seed int64
	// Rate5xx is the share of requests answered with 500 (problem+json), 502 (nginx HTML) or
	// 503 (problem+json with Retry-After: 1).
	Rate5xx float64
	// Rate429 is the share answered with the HTML 429; injected 429s never lead to a ban.
	Rate429 float64
	// RateMalformed is the share of 200 responses whose JSON body is cut in half.
	RateMalformed float64
	// Latency delays every /api/v4 response, waiting on the server's clock.
	Latency time.Duration
}

// injector draws one fault decision per request.
type injector struct {
	cfg Faults
	n   atomic.Uint64
}

func newInjector(cfg Faults) *injector { return &injector{cfg: cfg} }

// fault is the decision for one request.
type fault struct {
	status    int // 0 = no failure
	malformed bool
}

// roll draws the decision for the next request.
func (in *injector) roll() fault {
	c := in.cfg
	if c.Rate5xx <= 0 && c.Rate429 <= 0 && c.RateMalformed <= 0 {
		return fault{}
	}
	n := in.n.Add(1)
	seed := uint64(c.Seed) ^ n*0x9E3779B97F4A7C15
	u1, u2, u3 := unit(splitmix(&seed)), splitmix(&seed), unit(splitmix(&seed))
	switch {
	case u1 < c.Rate5xx:
		return fault{status: [...]int{500, 502, 503}[u2%3]}
	case u1 < c.Rate5xx+c.Rate429:
		return fault{status: http.StatusTooManyRequests}
	}
	return fault{malformed: u3 < c.RateMalformed}
}

// failure returns the injected error response, or nil when the request should be served.
func (f fault) failure() *response {
	switch f.status {
	case 0:
		return nil
	case http.StatusTooManyRequests:
		return tooManyResponse()
	case http.StatusBadGateway:
		return &response{status: f.status, ctype: ctypeHTML, body: []byte(html502)}
	case http.StatusServiceUnavailable:
		r := problem(f.status, "Service Unavailable", "injected fault")
		r.header = http.Header{"Retry-After": {"1"}}
		return r
	}
	return problem(f.status, "Internal Server Error", "injected fault")
}

// corrupt cuts a 200 JSON body in half so that it no longer parses.
func (f fault) corrupt(r *response) {
	if !f.malformed || r.status != http.StatusOK || len(r.body) < 2 {
		return
	}
	r.body = r.body[:len(r.body)/2]
}

// splitmix is SplitMix64: a tiny, well-mixed generator that needs no shared state.
func splitmix(s *uint64) uint64 {
	*s += 0x9E3779B97F4A7C15
	z := *s
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9
	z = (z ^ (z >> 27)) * 0x94D049BB133111EB
	return z ^ (z >> 31)
}

// unit maps a random word to [0, 1).
func unit(x uint64) float64 { return float64(x>>11) / (1 << 53) }
