package amo

import (
	"errors"
	"fmt"
	"log/slog"
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
	// RateLimit is the request rate per second shared by every call of the client; default 7.
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
}

// String masks the secrets so a Config can be logged.
func (c Config) String() string {
	mode := "oauth"
	if c.Token != "" {
		mode = "long-lived token"
	}
	return fmt.Sprintf("amo.Config{BaseURL: %q, auth: %s, RateLimit: %g}", c.BaseURL, mode, c.RateLimit)
}

// withDefaults returns c with zero fields set to their defaults.
func (c Config) withDefaults() Config {
	if c.RateLimit <= 0 {
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
	if c.RateLimit < 0 {
		errs = append(errs, fmt.Errorf("rate limit %g is negative", c.RateLimit))
	}
	return errors.Join(errs...)
}
