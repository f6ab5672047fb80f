package sandbox

import (
	"sync"
	"time"

	"github.com/jonboulle/clockwork"
)

// admission is the limiter's verdict on one request.
type admission int

const (
	admitOK admission = iota
	admitLimited
	admitBanned
)

// limiter is the account's rate limit (a token bucket of RateLimit per second with a burst of
// RateLimit) and the ban that follows BanAfter 429s within BanWindow (API.md §3.7).
type limiter struct {
	mu          sync.Mutex
	clock       clockwork.Clock
	rate        float64
	burst       float64
	tokens      float64
	last        time.Time
	banAfter    int
	banWindow   time.Duration
	banDuration time.Duration
	rejects     []time.Time // times of recent 429s, oldest first
	bannedUntil time.Time
}

func newLimiter(cfg Config, clock clockwork.Clock) *limiter {
	burst := cfg.RateLimit
	if burst < 1 {
		burst = 1
	}
	return &limiter{
		clock:       clock,
		rate:        cfg.RateLimit,
		burst:       burst,
		tokens:      burst,
		last:        clock.Now(),
		banAfter:    cfg.BanAfter,
		banWindow:   cfg.BanWindow,
		banDuration: cfg.BanDuration,
	}
}

// admit takes a token for one request or says why the request is refused.
func (l *limiter) admit() admission {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.clock.Now()
	if now.Before(l.bannedUntil) {
		return admitBanned
	}
	if l.rate <= 0 {
		return admitOK
	}
	if elapsed := now.Sub(l.last); elapsed > 0 {
		l.tokens = min(l.burst, l.tokens+elapsed.Seconds()*l.rate)
	}
	l.last = now
	if l.tokens >= 1 {
		l.tokens--
		return admitOK
	}
	l.reject(now)
	return admitLimited
}

// reject records a 429 and starts a ban when there were too many within the window.
func (l *limiter) reject(now time.Time) {
	if l.banAfter <= 0 {
		return
	}
	cut := now.Add(-l.banWindow)
	i := 0
	for i < len(l.rejects) && !l.rejects[i].After(cut) {
		i++
	}
	l.rejects = append(l.rejects[i:], now)
	if len(l.rejects) >= l.banAfter {
		l.bannedUntil = now.Add(l.banDuration)
		l.rejects = l.rejects[:0]
	}
}

// Unban lifts a ban and refills the rate bucket, like a support ticket would (API.md §3.7).
func (s *Server) Unban() {
	l := s.limit
	l.mu.Lock()
	defer l.mu.Unlock()
	l.bannedUntil = time.Time{}
	l.rejects = l.rejects[:0]
	l.tokens = l.burst
	l.last = l.clock.Now()
}

// Ban blocks every request with the HTML 403 for d from now, as amoCRM does after repeated
// violations (for fault tests: a ban without provoking one).
func (s *Server) Ban(d time.Duration) {
	l := s.limit
	l.mu.Lock()
	defer l.mu.Unlock()
	l.bannedUntil = l.clock.Now().Add(d)
}

// BannedUntil returns when the current ban ends, or the zero time when there is none.
func (s *Server) BannedUntil() time.Time {
	l := s.limit
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.clock.Now().Before(l.bannedUntil) {
		return time.Time{}
	}
	return l.bannedUntil
}
