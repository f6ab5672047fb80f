// Package amo reads an amoCRM (Kommo) account through API v4: a rate-limited, retrying HTTP
// client, OAuth or long-lived token auth, tolerant decoding of the API's polymorphic JSON, and
// an incremental, resumable Sync whose Changes are merged into a Snapshot.
//
// Filtering assumption (API.md §3.4): the basic filter[updated_at] and filter[created_at]
// filters are assumed to work on every account, as the official PHP library and public
// integrations rely on them; Account reports is_api_filter_enabled so callers can warn
// when the alpha filtering flag is off. Whether they really are is checked (probe.go: two
// requests after the first sync, then daily); a list whose filter is ignored is read newest
// first down to its cursor.
package amo

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/imroc/req/v3"
	"github.com/jonboulle/clockwork"
)

// Client talks to one amoCRM account. It is safe for concurrent use; all calls share one
// rate limiter and one token.
type Client struct {
	cfg   Config
	base  string
	http  *req.Client
	clock clockwork.Clock
	log   *slog.Logger
	lim   *limiter
	auth  authenticator
	defs  map[string]listDef

	banMu       sync.Mutex
	bannedUntil time.Time
	banLoaded   bool // Config.Bans was read

	requests atomic.Int64
}

// New returns a client for cfg after applying defaults and validating it.
func New(cfg Config) (*Client, error) {
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("amo config: %w", err)
	}
	cfg = cfg.withDefaults()
	c := &Client{
		cfg:   cfg,
		base:  cfg.BaseURL,
		clock: cfg.Clock,
		log:   cfg.Logger,
		lim:   newLimiter(limiterClock(cfg), cfg.RateLimit),
	}
	c.defs = map[string]listDef{}
	for _, d := range listDefs() {
		c.defs[d.key] = d
	}
	c.http = req.C().
		SetTimeout(cfg.Timeout).
		SetUserAgent("salesguard/1.0").
		SetLogger(nil).
		// The API answers UTF-8 JSON; req's charset sniffing would parse the first read of
		// every body (up to MaxBody at once) as HTML.
		DisableAutoDecode()
	if cfg.Transport != nil {
		rt := cfg.Transport
		c.http.GetTransport().WrapRoundTrip(func(http.RoundTripper) http.RoundTripper { return rt })
	}
	if cfg.Token != "" {
		c.auth = staticAuth{token: cfg.Token}
	} else {
		c.auth = &oauthAuth{c: c, cfg: cfg.OAuth, store: grantStoreOf(cfg.Tokens)}
	}
	return c, nil
}

// Requests returns how many HTTP requests the client has made since it was created.
func (c *Client) Requests() int64 { return c.requests.Load() }

// BannedUntil returns the end of the current ban cool-down (one saved before a restart
// included), or the zero time.
func (c *Client) BannedUntil() time.Time {
	c.banMu.Lock()
	defer c.banMu.Unlock()
	if err := c.loadBan(context.Background()); err != nil {
		c.log.Warn("amo ban", "err", err)
	}
	if c.clock.Now().Before(c.bannedUntil) {
		return c.bannedUntil
	}
	return time.Time{}
}

// counterKey carries a per-sync request counter in a context.
type counterKey struct{}

func withCounter(ctx context.Context, n *atomic.Int64) context.Context {
	return context.WithValue(ctx, counterKey{}, n)
}

func count(ctx context.Context) {
	if n, ok := ctx.Value(counterKey{}).(*atomic.Int64); ok {
		n.Add(1)
	}
}

// limiterClock is the clock the rate limiter waits on: LimiterClock when set, else Clock.
func limiterClock(cfg Config) clockwork.Clock {
	if cfg.LimiterClock != nil {
		return cfg.LimiterClock
	}
	return cfg.Clock
}
