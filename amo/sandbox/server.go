package sandbox

import (
	"errors"
	"fmt"
	"log/slog"
	"math"
	"math/rand/v2"
	"net/http"
	"strings"
	"time"

	"github.com/jonboulle/clockwork"
)

// Defaults used by DefaultConfig and by NewServer for zero fields where zero is not meaningful.
const (
	DefaultRateLimit      = 7.0
	DefaultBanAfter       = 20
	DefaultBanWindow      = time.Minute
	DefaultBanDuration    = 10 * time.Minute
	DefaultAccessTokenTTL = 24 * time.Hour
	DefaultLogSize        = 1000
)

// Config configures a Server. The zero value serves without auth tokens (every request is
// 401), without a rate limit and without faults; DefaultConfig gives the realistic limits.
type Config struct {
	// Token is a long-lived token accepted as "Authorization: Bearer <Token>"; empty = none.
	Token string
	// OAuth configures POST /oauth2/access_token; its tokens are accepted besides Token.
	OAuth OAuthClient
	// AccessTokenTTL is the lifetime of issued OAuth access tokens; 0 = DefaultAccessTokenTTL.
	AccessTokenTTL time.Duration
	// RateLimit is the allowed requests per second for the whole account (API.md §3.7,
	// 7 in real life); 0 turns the limit off. Bursts up to RateLimit requests are allowed.
	RateLimit float64
	// BanAfter 429s within BanWindow get every request an nginx HTML 403 for BanDuration
	// (API.md §3.7 "repeated violations"); BanAfter 0 = never ban.
	BanAfter    int
	BanWindow   time.Duration
	BanDuration time.Duration
	// Faults injects latency, errors and broken bodies into /api/v4 responses.
	Faults Faults
	// PageCap > 0 caps list pages at that many items whatever limit is asked (API.md §3.2).
	PageCap int
	// IgnoreFilters ignores filter[updated_at] and filter[created_at] (API.md §3.4).
	IgnoreFilters bool
	// BaseURL prefixes the hrefs in _links; empty = taken from each request's Host.
	BaseURL string
	// LogSize bounds Stats().Recent; 0 = DefaultLogSize.
	LogSize int
	// Clock drives the rate window, the ban, token expiry and latency; nil = the real clock.
	// It is not the world's simulated Now, which is business time.
	Clock clockwork.Clock
	// Logger receives one debug line per request; nil discards.
	Logger *slog.Logger

	// Seed drives the random picks of the control API (POST /_sandbox/touch): the same seed and
	// the same world give the same sequence of touched deals.
	Seed int64
	// WorldClock, when set, is the business clock of a world that runs in real time: before a
	// control-API change the world's Now moves forward to WorldClock.Now(), so touched deals
	// carry the current time. nil = changes happen at the world's Now.
	WorldClock clockwork.Clock
	// Advance, when set, is how the control API moves the world forward: a simulator's AdvanceTo,
	// so the team catches up first. It must be safe to call from the server's goroutines.
	// nil = the world's Now is simply set.
	Advance func(t time.Time)
	// WebhookClient sends the webhooks of the subscriptions made through /api/v4/webhooks;
	// nil = a client with amoCRM's 2 s timeout.
	WebhookClient *http.Client
}

// DefaultConfig returns the realistic limits of a live account with the given long-lived token.
func DefaultConfig(token string) Config {
	return Config{
		Token:          token,
		AccessTokenTTL: DefaultAccessTokenTTL,
		RateLimit:      DefaultRateLimit,
		BanAfter:       DefaultBanAfter,
		BanWindow:      DefaultBanWindow,
		BanDuration:    DefaultBanDuration,
	}
}

// String masks the secrets so a Config can be logged.
func (c Config) String() string {
	return "sandbox.Config{Token: ***, RateLimit: " + formatFloat(c.RateLimit) + "}"
}

// Validate reports every problem of the configuration at once.
func (c Config) Validate() error {
	var errs []error
	check := func(bad bool, format string, args ...any) {
		if bad {
			errs = append(errs, fmt.Errorf(format, args...))
		}
	}
	check(c.Token == "" && len(c.OAuth.Codes) == 0, "sandbox: set a token or OAuth codes, or no request can authenticate")
	check(c.RateLimit < 0 || math.IsNaN(c.RateLimit) || math.IsInf(c.RateLimit, 0),
		"sandbox: rate limit %g is not a number of requests per second (0 turns the limit off)", c.RateLimit)
	check(c.BanAfter < 0, "sandbox: ban after %d 429s is negative (0 never bans)", c.BanAfter)
	check(c.PageCap < 0, "sandbox: page cap %d is negative (0 = no cap)", c.PageCap)
	check(c.BanWindow < 0 || c.BanDuration < 0 || c.AccessTokenTTL < 0, "sandbox: durations must not be negative")
	f := c.Faults
	for _, r := range []struct {
		name string
		v    float64
	}{{"5xx", f.Rate5xx}, {"429", f.Rate429}, {"malformed", f.RateMalformed}} {
		check(r.v < 0 || r.v > 1, "sandbox: %s fault rate %g is outside [0, 1]", r.name, r.v)
	}
	check(f.Rate5xx+f.Rate429 > 1, "sandbox: 5xx and 429 fault rates add up to more than 1")
	check(f.Latency < 0, "sandbox: latency %v is negative", f.Latency)
	return errors.Join(errs...)
}

// Server serves a World as amoCRM API v4 over HTTP. It implements http.Handler and is safe for
// concurrent use; the simulator may change the World while the server runs.
type Server struct {
	w      *World
	cfg    Config
	clock  clockwork.Clock
	log    *slog.Logger
	mux    *http.ServeMux
	auth   *tokens
	limit  *limiter
	faults *injector
	stats  *recorder
	cache  *indexCache
	ctl    *http.ServeMux
	rng    *rand.Rand // the control API's picks; used under the World's write lock
	hooks  *hookRegistry
}

// NewServer returns a Server for w. Zero Config fields take the defaults documented on Config.
func NewServer(w *World, cfg Config) *Server {
	if cfg.Clock == nil {
		cfg.Clock = clockwork.NewRealClock()
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.AccessTokenTTL <= 0 {
		cfg.AccessTokenTTL = DefaultAccessTokenTTL
	}
	if cfg.LogSize <= 0 {
		cfg.LogSize = DefaultLogSize
	}
	if cfg.BanWindow <= 0 {
		cfg.BanWindow = DefaultBanWindow
	}
	if cfg.BanDuration <= 0 {
		cfg.BanDuration = DefaultBanDuration
	}
	s := &Server{
		w:      w,
		cfg:    cfg,
		clock:  cfg.Clock,
		log:    cfg.Logger,
		auth:   newTokens(cfg.OAuth, cfg.Token, cfg.AccessTokenTTL, cfg.Clock),
		limit:  newLimiter(cfg, cfg.Clock),
		faults: newInjector(cfg.Faults),
		stats:  newRecorder(cfg.LogSize),
		cache:  newIndexCache(),
		hooks:  &hookRegistry{},
	}
	w.OnUpdate(s.sendHooks) // webhooks follow every change, whoever made it
	s.mux = s.routes()
	s.ctl = s.controlRoutes()
	s.rng = rand.New(rand.NewPCG(uint64(cfg.Seed), 0x70c4))
	return s
}

// response is what a handler produces; ServeHTTP writes it after fault injection.
type response struct {
	status int
	ctype  string
	body   []byte
	header http.Header
}

// ServeHTTP applies the ban, the rate limit, auth and faults, then routes the request.
// The control API under /_sandbox/ skips all of that and is not counted in Stats.
func (s *Server) ServeHTTP(rw http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.URL.Path, controlPrefix) {
		s.ctl.ServeHTTP(rw, r)
		return
	}
	resp := s.handle(r)
	for k, vs := range resp.header {
		rw.Header()[k] = vs
	}
	if resp.ctype != "" {
		rw.Header().Set("Content-Type", resp.ctype)
	}
	rw.WriteHeader(resp.status)
	if len(resp.body) > 0 && r.Method != http.MethodHead {
		_, _ = rw.Write(resp.body)
	}
	s.stats.record(r, endpointOf(r.URL.Path), resp.status, s.clock.Now())
	s.log.Debug("sandbox request", "method", r.Method, "path", r.URL.Path, "status", resp.status)
}

func (s *Server) handle(r *http.Request) *response {
	switch s.limit.admit() {
	case admitBanned:
		return bannedResponse()
	case admitLimited:
		return tooManyResponse()
	}
	if r.URL.Path == "/oauth2/access_token" {
		if r.Method != http.MethodPost {
			return problem(http.StatusMethodNotAllowed, "Method Not Allowed", "use POST")
		}
		return s.auth.serveToken(r)
	}
	if !strings.HasPrefix(r.URL.Path, "/api/v4/") {
		return problem(http.StatusNotFound, "Not Found", "unknown route")
	}
	if resp := s.auth.check(r); resp != nil {
		return resp
	}
	if !s.wait(r) {
		return problem(http.StatusServiceUnavailable, "Service Unavailable", "request cancelled")
	}
	f := s.faults.roll()
	if resp := f.failure(); resp != nil {
		return resp
	}
	resp := s.route(r)
	f.corrupt(resp)
	return resp
}

// wait applies the configured latency on the server's clock; it reports false on cancel.
func (s *Server) wait(r *http.Request) bool {
	if s.cfg.Faults.Latency <= 0 {
		return true
	}
	select {
	case <-s.clock.After(s.cfg.Faults.Latency):
		return true
	case <-r.Context().Done():
		return false
	}
}

// route dispatches an authorised /api/v4 request.
func (s *Server) route(r *http.Request) *response {
	if r.Method != http.MethodGet && r.Method != http.MethodHead && r.URL.Path != "/api/v4/webhooks" {
		return problem(http.StatusMethodNotAllowed, "Method Not Allowed", "the sandbox is read-only (but for webhooks)")
	}
	r = s.asServed(r)
	c := &capture{}
	s.mux.ServeHTTP(c, r) // sets r's path values; unknown routes leave c.resp nil
	if c.resp == nil {
		return problem(http.StatusNotFound, "Not Found", "unknown route")
	}
	return c.resp
}

// routes registers the API v4 endpoints of API.md §4.
func (s *Server) routes() *http.ServeMux {
	m := http.NewServeMux()
	handle := func(pattern string, f func(r *http.Request) *response) {
		m.HandleFunc(pattern, func(rw http.ResponseWriter, r *http.Request) {
			rw.(*capture).resp = f(r)
		})
	}
	handle("GET /api/v4/account", s.account)
	handle("GET /api/v4/users", s.users)
	handle("GET /api/v4/users/{id}", s.user)
	handle("GET /api/v4/leads/pipelines", s.pipelines)
	handle("GET /api/v4/leads/loss_reasons", s.lossReasons)
	handle("GET /api/v4/leads/custom_fields", s.customFields("leads"))
	handle("GET /api/v4/contacts/custom_fields", s.customFields("contacts"))
	handle("GET /api/v4/leads", s.leads)
	handle("GET /api/v4/leads/{id}", s.lead)
	handle("GET /api/v4/contacts", s.contacts)
	handle("GET /api/v4/contacts/{id}", s.contact)
	handle("GET /api/v4/tasks", s.tasks)
	handle("GET /api/v4/tasks/{id}", s.task)
	handle("GET /api/v4/leads/notes", s.notes("leads"))
	handle("GET /api/v4/contacts/notes", s.notes("contacts"))
	handle("GET /api/v4/leads/{id}/notes", s.notes("leads"))
	handle("GET /api/v4/contacts/{id}/notes", s.notes("contacts"))
	handle("GET /api/v4/events", s.events)
	handle("GET /api/v4/webhooks", s.listHooks)
	handle("POST /api/v4/webhooks", s.addHook)
	handle("DELETE /api/v4/webhooks", s.removeHook)
	return m
}

// capture is the ResponseWriter handed to routed handlers; they only set resp.
type capture struct {
	resp *response
	hdr  http.Header
}

func (c *capture) Header() http.Header {
	if c.hdr == nil {
		c.hdr = http.Header{}
	}
	return c.hdr
}
func (c *capture) Write(b []byte) (int, error) { return len(b), nil }
func (c *capture) WriteHeader(int)             {}
