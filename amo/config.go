package amo

import (
	"errors"
	"fmt"
	"log/slog"
	"math"
	"net"
	"net/http"
	"net/url"
	"strings"
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
	DefaultOverlap      = 2 * time.Minute
	DefaultDictTTL      = time.Hour
	DefaultTimeout      = 60 * time.Second
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
	// AuthCode is the one-time authorization code; it is exchanged when the TokenStore is empty.
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
	// Tokens is where the OAuth pair lives; nil keeps it in memory.
	Tokens TokenStore
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
	// Overlap is subtracted from a cursor when the next incremental window opens; default 2 min.
	Overlap time.Duration
	// DictionaryTTL is how often users, pipelines, loss reasons and custom fields are re-read; default 1 h.
	DictionaryTTL time.Duration
	// Timeout bounds one HTTP attempt; default 60 s.
	Timeout time.Duration
	// Clock drives the rate limiter, back-offs, token expiry and sync windows; default the real clock.
	Clock clockwork.Clock
	// Logger receives retry and ban notices; default discards.
	Logger *slog.Logger
	// OnRequest is a metrics hook called after every HTTP attempt; may be nil.
	OnRequest func(endpoint string, status int, d time.Duration)
	// Transport, when set, carries the requests instead of the network (benchmarks serve the
	// sandbox in memory with it, so no socket work is timed); nil uses the network.
	Transport http.RoundTripper
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
	if c.Overlap <= 0 {
		c.Overlap = DefaultOverlap
	}
	if c.DictionaryTTL <= 0 {
		c.DictionaryTTL = DefaultDictTTL
	}
	if c.Timeout <= 0 {
		c.Timeout = DefaultTimeout
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
