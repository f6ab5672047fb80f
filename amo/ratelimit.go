package amo

import (
	"context"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jonboulle/clockwork"
)

// limiter is a token bucket on an injected clock, shared by every call of one client.
// Callers reserve a slot at once (the balance may go negative) and then wait for it, so
// waiting callers are served in arrival order. The burst is one request: amoCRM counts
// requests per second and a burst could cross its limit across a second boundary.
type limiter struct {
	mu        sync.Mutex
	clock     clockwork.Clock
	unlimited bool          // Config.RateLimit < 0 (Unlimited): never wait
	interval  time.Duration // time between two requests
	next      time.Time     // earliest start of the next request
}

// newLimiter returns a limiter of perSecond requests per second; a negative rate (Unlimited)
// never waits.
func newLimiter(clock clockwork.Clock, perSecond float64) *limiter {
	if perSecond < 0 {
		return &limiter{clock: clock, unlimited: true}
	}
	return &limiter{clock: clock, interval: time.Duration(float64(time.Second) / perSecond)}
}

// wait blocks until the caller may send a request or ctx ends.
func (l *limiter) wait(ctx context.Context) error {
	if l.unlimited {
		return ctx.Err()
	}
	l.mu.Lock()
	now := l.clock.Now()
	at := l.next
	if at.Before(now) {
		at = now
	}
	l.next = at.Add(l.interval)
	l.mu.Unlock()
	if d := at.Sub(now); d > 0 {
		return sleep(ctx, l.clock, d)
	}
	return ctx.Err()
}

// sleep waits d on the clock or until ctx ends.
func sleep(ctx context.Context, clock clockwork.Clock, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-clock.After(d):
		return nil
	}
}

// Back-off bounds for 429 and 5xx.
const (
	backoffBase   = time.Second
	backoffMax    = time.Minute
	retryAfterMax = 10 * time.Minute
)

// backoff returns the wait before retry number attempt (0-based): Retry-After when the
// response has one (seconds or an HTTP date), else exponential from 1 s with full jitter
// between half and all of the step.
func backoff(h http.Header, attempt int, now time.Time) time.Duration {
	if d, ok := retryAfter(h.Get("Retry-After"), now); ok {
		return min(d, retryAfterMax)
	}
	d := backoffBase << min(attempt, 10)
	d = min(d, backoffMax)
	return d/2 + time.Duration(rand.Int64N(int64(d/2)+1))
}

// retryAfter parses a Retry-After value.
// maxRetryAfter caps a Retry-After in seconds (a day): the back-off caps the wait anyway, and
// a larger number would overflow time.Duration.
const maxRetryAfter = 86400

func retryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if n, err := strconv.Atoi(v); err == nil && n >= 0 {
		return time.Duration(min(n, maxRetryAfter)) * time.Second, true // min: no overflow to a negative wait
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(t.Sub(now), 0), true
	}
	return 0, false
}
