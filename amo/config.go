package amo

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/jonboulle/clockwork"
)

// Defaults applied by New to zero Config fields.
const (
	DefaultRateLimit    = 7.0
	DefaultMaxRetries   = 4
	DefaultEventHistory = 30 * 24 * time.Hour
	DefaultMaxPages     = 20000
	DefaultBanCooldown  = 30 * time.Minute
	DefaultSettle       = time.Minute
	DefaultDictTTL      = time.Hour
	DefaultTimeout      = 60 * time.Second
	DefaultMaxBody      = 32 << 20 // bytes
)

// Unlimited as Config.RateLimit turns the client's rate limiter off. It is meant for a loopback
// sandbox only (Validate refuses it for any other host): amoCRM answers more than 7 requests per
// second with 429s and then bans the account (API.md §3.7).
const Unlimited = -1.0

// OAuthConfig holds an integration's OAuth 2.0 credentials (API.md §2.1).
type OAuthConfig struct {
	ClientID     string
	ClientSecret string
	RedirectURI  string
	// AuthCode is the one-time authorization code (AMO_AUTH_CODE). It is exchanged once: when
	// it differs from every code exchanged or refused before (the store keeps their hashes),
	// also while a pair is stored, which it then replaces.
	AuthCode string
}

// Config configures a Client. Only BaseURL and one of Token or OAuth are required.
type Config struct {
	// BaseURL is the account's own host: https://example.amocrm.ru, https://example.kommo.com
	// or a loopback sandbox URL.
	BaseURL string
	// Token is a long-lived token; when set, OAuth is not used and a 401 is fatal.
	Token string
	// OAuth holds the integration credentials used when Token is empty.
	OAuth OAuthConfig
	// Tokens is where the OAuth pair lives; nil keeps it in memory. When it also implements
	// GrantStore (storage's does), the codes already used, a refused pair and an unanswered
	// refresh survive restarts too.
	Tokens TokenStore
	// Bans is where the end of a ban cool-down is kept, so a restart during one sends nothing;
	// nil keeps it in memory.
	Bans BanStore
	// RateLimit is the request rate per second shared by every call of the client; 0 means the
	// default 7, Unlimited means no limit (a loopback BaseURL only).
	RateLimit float64
	// MaxRetries bounds the retries of one request on 429, 503 and other 5xx; default 4.
	MaxRetries int
	// EventHistory is how far back the full sync reads events; default 30 days.
	EventHistory time.Duration
	// MaxPages caps the pages read from one list in one scan; default 20000.
	MaxPages int
	// BanCooldown is how long the client refuses to call after an HTML 403 (ban); default 30 min.
	BanCooldown time.Duration
	// Settle is how long after a second a scan must have read it for the next window to start
	// after that second instead of at it: a list's cursor is inclusive (an item saved in the
	// second a window closed is read by the next), so without it the items of one second (a
	// bulk edit of thousands of tasks) would be read again by every poll until something newer
	// changes. Default 1 min.
	Settle time.Duration
	// DictionaryTTL is how often users, pipelines, loss reasons and custom fields are re-read; default 1 h.
	DictionaryTTL time.Duration
	// Timeout bounds one HTTP attempt; default 60 s.
	Timeout time.Duration
	// MaxBody caps a response body in bytes; a longer one is ErrResponseTooLarge, read no
	// further than the cap; default 32 MiB (a page of 250 leads is well under 1 MiB).
	MaxBody int64
	// Clock drives the rate limiter, back-offs, token expiry and sync windows; default the real clock.
	Clock clockwork.Clock
	// LimiterClock, when set, is the clock the rate limiter waits on instead of Clock: a
	// benchmark replaying an account at a fixed moment still waits its rate limit in real time.
	LimiterClock clockwork.Clock
	// Logger receives retry and ban notices; default discards.
	Logger *slog.Logger
	// OnRequest is a metrics hook called after every HTTP attempt; may be nil.
	OnRequest func(endpoint string, status int, d time.Duration)
	// Transport, when set, carries the requests instead of the network (benchmarks serve the
	// sandbox in memory with it, so no socket work is timed); nil uses the network.
	Transport http.RoundTripper
}

// BanStore persists the end of a ban cool-down (an HTML 403) of one account.
type BanStore interface {
	// LoadBan returns the stored end of the cool-down; the zero time when none.
	LoadBan(ctx context.Context) (time.Time, error)
	// SaveBan stores the end of the cool-down.
	SaveBan(ctx context.Context, until time.Time) error
}

// String masks the secrets so a Config can be logged.
func (c Config) String() string {
	mode := "oauth"
	if c.Token != "" {
		mode = "long-lived token"
	}
	rate := fmt.Sprintf("%g", c.RateLimit)
	if c.RateLimit == Unlimited {
		rate = "unlimited"
	}
	return fmt.Sprintf("amo.Config{BaseURL: %q, auth: %s, RateLimit: %s}", c.BaseURL, mode, rate)
}

// withDefaults returns c with zero fields set to their defaults.
func (c Config) withDefaults() Config {
	if c.RateLimit == 0 {
		c.RateLimit = DefaultRateLimit
	}
	if c.MaxRetries <= 0 {
		c.MaxRetries = DefaultMaxRetries
	}
	if c.EventHistory <= 0 {
		c.EventHistory = DefaultEventHistory
	}
	if c.MaxPages <= 0 {
		c.MaxPages = DefaultMaxPages
	}
	if c.BanCooldown <= 0 {
		c.BanCooldown = DefaultBanCooldown
	}
	if c.Settle <= 0 {
		c.Settle = DefaultSettle
	}
	if c.DictionaryTTL <= 0 {
		c.DictionaryTTL = DefaultDictTTL
	}
	if c.Timeout <= 0 {
		c.Timeout = DefaultTimeout
	}
	if c.MaxBody <= 0 {
		c.MaxBody = DefaultMaxBody
	}
	if c.Clock == nil {
		c.Clock = clockwork.NewRealClock()
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	c.BaseURL = strings.TrimRight(c.BaseURL, "/")
	return c
}

// Validate reports every problem of the configuration at once.
func (c Config) Validate() error {
	var errs []error
	u, err := url.Parse(c.BaseURL)
	switch {
	case c.BaseURL == "":
		errs = append(errs, errors.New("base url is empty"))
	case err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "":
		errs = append(errs, fmt.Errorf("base url %q is not an http(s) URL with a host", c.BaseURL))
	}
	if c.Token == "" && (c.OAuth.ClientID == "" || c.OAuth.ClientSecret == "") {
		errs = append(errs, errors.New("neither a long-lived token nor OAuth client id and secret are set"))
	}
	switch r := c.RateLimit; {
	case math.IsNaN(r) || math.IsInf(r, 0):
		errs = append(errs, fmt.Errorf("rate limit %g is not a number of requests per second", r))
	case r == Unlimited && err == nil && u.Host != "" && !IsLoopbackURL(c.BaseURL):
		errs = append(errs, fmt.Errorf("rate limit Unlimited is only allowed for a loopback base url (the sandbox), not %q", u.Host))
	case r < 0 && r != Unlimited:
		errs = append(errs, fmt.Errorf("rate limit %g is negative (Unlimited turns the limit off)", r))
	}
	return errors.Join(errs...)
}

// IsLoopbackURL reports whether rawURL's host is localhost or a loopback address
// (127.0.0.0/8, ::1): a sandbox on this machine, never amoCRM.
func IsLoopbackURL(rawURL string) bool {
	u, err := url.Parse(rawURL)
	if err != nil {
		return false
	}
	h := strings.TrimSuffix(strings.ToLower(u.Hostname()), ".")
	if h == "localhost" {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}

// Grant is what the client keeps about an account's OAuth authorization: the pair and the
// bookkeeping that lets an administrator recover access without losing anything. It holds
// hashes of codes, never a code, and only the current pair. Token's fields are inlined in
// its JSON, so a stored Token reads as a Grant.
type Grant struct {
	Token
	// Code is the hash of the authorization code the pair came from.
	Code string `json:"code_hash,omitempty"`
	// Spent are the hashes of the latest codes exchanged or refused, newest last; none is
	// posted again (a reused code is refused, and amoCRM may revoke the pair it gave).
	Spent []string `json:"spent_codes,omitempty"`
	// Refused is when amoCRM refused the pair's refresh token (400/401): it is not posted
	// again until a new code, or other client credentials than RefusedWith, are given.
	Refused     time.Time `json:"refused_at,omitzero"`
	RefusedWith string    `json:"refused_with,omitempty"`
	// RefreshSent is the "refresh in flight" marker: the refresh token was posted then and no
	// answer is saved yet. It is saved before the post and cleared with the new pair.
	RefreshSent time.Time `json:"refresh_sent_at,omitzero"`
	// Lost is the RefreshSent of a refresh whose answer was never saved when a later post of
	// the same token was refused: the pair amoCRM had rotated to is lost.
	Lost time.Time `json:"lost_at,omitzero"`
}

// GrantStore persists an account's Grant. The client saves the grant before it posts a
// refresh token and before it uses a new access token.
type GrantStore interface {
	LoadGrant(ctx context.Context) (Grant, error)
	SaveGrant(ctx context.Context, g Grant) error
}

// grantStoreOf is where the client keeps its grant: ts itself when it is a GrantStore, else
// ts for the pair and memory for the rest; memory alone when ts is nil.
func grantStoreOf(ts TokenStore) GrantStore {
	switch s := ts.(type) {
	case nil:
		return &MemoryTokenStore{}
	case GrantStore:
		return s
	}
	return &tokenGrants{ts: ts}
}

// tokenGrants keeps the pair in a plain TokenStore and the rest of the grant in memory.
type tokenGrants struct {
	ts   TokenStore
	mu   sync.Mutex
	meta Grant
}

func (s *tokenGrants) LoadGrant(ctx context.Context) (Grant, error) {
	t, err := s.ts.LoadToken(ctx)
	if err != nil {
		return Grant{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	g := s.meta
	g.Token, g.Spent = t, slices.Clone(g.Spent)
	return g, nil
}

func (s *tokenGrants) SaveGrant(ctx context.Context, g Grant) error {
	if err := s.ts.SaveToken(ctx, g.Token); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	g.Token, g.Spent = Token{}, slices.Clone(g.Spent)
	s.meta = g
	return nil
}

// MemoryTokenStore keeps the OAuth grant in memory; the default when Config.Tokens is nil.
type MemoryTokenStore struct {
	mu sync.Mutex
	g  Grant
}

// LoadToken returns the stored pair (zero when none).
func (m *MemoryTokenStore) LoadToken(context.Context) (Token, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.g.Token, nil
}

// SaveToken stores a pair given from outside the client: it replaces the grant's pair and
// clears its verdicts (refused, in flight); the spent codes stay.
func (m *MemoryTokenStore) SaveToken(_ context.Context, t Token) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.g = Grant{Token: t, Code: m.g.Code, Spent: m.g.Spent}
	return nil
}

// LoadGrant returns the stored grant.
func (m *MemoryTokenStore) LoadGrant(context.Context) (Grant, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	g := m.g
	g.Spent = slices.Clone(g.Spent)
	return g, nil
}

// SaveGrant stores the grant.
func (m *MemoryTokenStore) SaveGrant(_ context.Context, g Grant) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	g.Spent = slices.Clone(g.Spent)
	m.g = g
	return nil
}
