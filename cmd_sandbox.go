package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net"
	"strings"
	"sync"
	"time"

	"github.com/jonboulle/clockwork"

	"salesguard/amo/sandbox"
)

// sandboxFlags are the options of `salesguard sandbox`.
type sandboxFlags struct {
	addr        string
	token       string
	seed        int64
	managers    int
	leadsPerDay int
	days        int
	rateLimit   float64
	lang        string
	tz          string
	oauth       sandboxOAuth
	size        string // a named sandbox.Shape; empty = simulate history with the team
	live        bool   // with size: the team works in real time
	pageCap     int    // pages hold at most this many items (0 = the limit asked)
	ignoreFilt  bool   // filter[updated_at] and filter[created_at] are ignored
	webhook     string // a destination subscribed to every event at start
}

// sandboxHistory is the event history of the counts printed at start, the client's default.
const sandboxHistory = 30 * 24 * time.Hour

func parseSandboxFlags(args []string, stderr io.Writer) (sandboxFlags, error) {
	var f sandboxFlags
	fs := flag.NewFlagSet("sandbox", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&f.addr, "addr", "127.0.0.1:8765", "address to listen on")
	fs.StringVar(&f.token, "token", "sandbox-token", "long-lived token clients must send")
	fs.Int64Var(&f.seed, "seed", 1, "simulation seed: the same seed gives the same account")
	fs.IntVar(&f.managers, "managers", 20, "managers in the simulated team")
	fs.IntVar(&f.leadsPerDay, "leads-per-day", 100, "new leads per day")
	fs.IntVar(&f.days, "days", 30, "days of history before now")
	fs.Float64Var(&f.rateLimit, "rate-limit", sandbox.DefaultRateLimit, "requests per second before 429 (0 = off)")
	fs.StringVar(&f.lang, "lang", "ru", "language of names, stages and reasons: ru, en or es")
	fs.StringVar(&f.tz, "tz", "Europe/Moscow", "the account's time zone")
	f.oauth.register(fs)
	fs.StringVar(&f.size, "size", "", "generate a still account of this size instead of a simulated history: "+
		strings.Join(sandbox.ShapeNames(), ", "))
	fs.BoolVar(&f.live, "live", false, "with --size: the team keeps working in real time")
	fs.IntVar(&f.pageCap, "page-cap", 0, "pages hold at most this many items whatever limit is asked, as some accounts do (0 = off)")
	fs.BoolVar(&f.ignoreFilt, "ignore-filters", false, "ignore filter[updated_at] and filter[created_at], as an account that does not apply them")
	fs.StringVar(&f.webhook, "webhook", "", "subscribe this URL to every webhook event at start, as if POST /api/v4/webhooks "+
		"had (salesguard run with SALESGUARD_PUBLIC_URL subscribes itself)")
	if err := fs.Parse(args); err != nil {
		return f, usagef("%v", err)
	}
	if fs.NArg() > 0 {
		return f, usagef("sandbox: unexpected argument %q", fs.Arg(0))
	}
	set := map[string]bool{}
	fs.Visit(func(fl *flag.Flag) { set[fl.Name] = true })
	return f, f.validate(set)
}

// validate checks the flags; set names the flags given on the command line.
func (f sandboxFlags) validate(set map[string]bool) error {
	switch {
	case f.managers < 1 || f.managers > 500:
		return usagef("--managers %d: want 1 to 500", f.managers)
	case f.leadsPerDay < 0 || f.leadsPerDay > 100000:
		return usagef("--leads-per-day %d: want 0 to 100000", f.leadsPerDay)
	case f.days < 0 || f.days > 365:
		return usagef("--days %d: want 0 to 365", f.days)
	case f.lang != "ru" && f.lang != "en" && f.lang != "es":
		return usagef("--lang %q: want ru, en or es", f.lang)
	case f.token == "":
		return usagef("--token must not be empty")
	case math.IsNaN(f.rateLimit) || math.IsInf(f.rateLimit, 0) || f.rateLimit < 0:
		return usagef("--rate-limit %g: want 0 (no limit) or a positive number of requests per second", f.rateLimit)
	case f.pageCap < 0:
		return usagef("--page-cap %d: want 0 (off) or a number of items", f.pageCap)
	case f.live && f.size == "":
		return usagef("--live needs --size: without it the simulated team always works in real time")
	case f.webhook != "" && !strings.HasPrefix(f.webhook, "http://") && !strings.HasPrefix(f.webhook, "https://"):
		return usagef("--webhook %q: want an http(s) URL", f.webhook)
	}
	if err := f.oauth.validate(); err != nil {
		return err
	}
	if _, err := time.LoadLocation(f.tz); err != nil {
		return usagef("--tz %q: not a time zone (want e.g. Europe/Moscow)", f.tz)
	}
	if f.size == "" {
		return nil
	}
	if _, err := sandbox.ShapeByName(f.size); err != nil {
		return usagef("--size %q: want %s", f.size, strings.Join(sandbox.ShapeNames(), ", "))
	}
	for _, name := range []string{"managers", "leads-per-day", "days", "lang", "tz"} {
		if set[name] {
			return usagef("--%s does not apply with --size: a shape has 20 managers, Russian texts and Europe/Moscow", name)
		}
	}
	return nil
}

// cmdSandbox serves the amoCRM sandbox. Without --size a simulated team builds --days of
// history and keeps working in real time; with --size the account is generated at once and
// stays still (only the control API changes it) unless --live lets the team work.
func cmdSandbox(ctx context.Context, e env) error {
	f, err := parseSandboxFlags(e.args, e.stderr)
	if err != nil {
		return err
	}
	w, sim := buildSandbox(f, time.Now(), e.stdout)
	var mu sync.Mutex // a Sim is not safe for concurrent use: the ticker and touches share it
	advance := func(t time.Time) {
		mu.Lock()
		defer mu.Unlock()
		sim.AdvanceTo(t)
	}
	cfg := sandbox.DefaultConfig(f.token)
	cfg.RateLimit, cfg.Seed = f.rateLimit, f.seed
	cfg.PageCap, cfg.IgnoreFilters = f.pageCap, f.ignoreFilt
	cfg.WorldClock, cfg.Advance = clockwork.NewRealClock(), advance
	ln, err := net.Listen("tcp", f.addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", f.addr, err)
	}
	f.oauth.apply(&cfg)
	// Failed webhook deliveries are logged; the requests themselves are debug lines, not shown.
	cfg.Logger = slog.New(slog.NewTextHandler(e.stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	srv := sandbox.NewServer(w, cfg)
	if f.webhook != "" {
		if _, err := srv.Subscribe(f.webhook); err != nil {
			return usagef("--webhook: %v", err)
		}
		fmt.Fprintf(e.stdout, "# webhooks of every change go to the --webhook URL\n")
	}
	f.oauth.print(e.stdout, ln.Addr().String(), f.token, srv)
	var wg sync.WaitGroup
	defer wg.Wait()
	if f.size == "" || f.live {
		wg.Go(func() { tick(ctx, 15*time.Second, advance) })
	}
	return sandbox.Serve(ctx, ln, srv)
}

// buildSandbox makes the world at now and prints what it holds.
func buildSandbox(f sandboxFlags, now time.Time, out io.Writer) (*sandbox.World, *sandbox.Sim) {
	w := sandbox.NewWorld(now)
	if f.size == "" {
		sim := sandbox.NewSim(w, sandbox.SimConfig{
			Seed: f.seed, Managers: f.managers, LeadsPerDay: f.leadsPerDay, Days: f.days,
			Start: now, TimeZone: f.tz, Lang: f.lang,
		})
		sim.Populate()
		fmt.Fprintf(out, "amoCRM sandbox: %d managers, %d leads, seed %d\n", f.managers, sandbox.CountData(w, sandboxHistory).Leads, f.seed)
		return w, sim
	}
	sh, _ := sandbox.ShapeByName(f.size) // validated
	start := time.Now()
	sim := sandbox.BuildShape(w, sh, f.seed)
	took := time.Since(start)
	mode := "still: only POST /_sandbox/touch changes it"
	if f.live {
		sim.Live()
		mode = "live: the team works in real time"
	}
	c := sandbox.CountData(w, sandboxHistory)
	fmt.Fprintf(out, "amoCRM sandbox: size %s, seed %d: %d leads, %d contacts, %d tasks, %d notes, %d events, generated in %s (%s)\n",
		f.size, f.seed, c.Leads, c.Contacts, c.Tasks, c.Notes, c.Events, took.Round(time.Millisecond), mode)
	return w, sim
}

// tick calls f with the current time every period until ctx ends.
func tick(ctx context.Context, period time.Duration, f func(time.Time)) {
	t := time.NewTicker(period)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case now := <-t.C:
			f(now)
		}
	}
}

// sandboxOAuth are the flags of an OAuth integration the sandbox accepts besides the
// long-lived token, to try authorization codes, refreshes and revocations by hand.
type sandboxOAuth struct {
	clientID, secret, redirect string
	accessTTL                  time.Duration
}

func (o *sandboxOAuth) register(fs *flag.FlagSet) {
	fs.StringVar(&o.clientID, "oauth-client-id", "", "accept an OAuth integration with this client id (empty = the long-lived token only)")
	fs.StringVar(&o.secret, "oauth-client-secret", "sandbox-secret", "with --oauth-client-id: its client secret")
	fs.StringVar(&o.redirect, "oauth-redirect", "https://example.test/oauth", "with --oauth-client-id: its redirect URI")
	fs.DurationVar(&o.accessTTL, "oauth-access-ttl", sandbox.DefaultAccessTokenTTL, "lifetime of issued access tokens")
}

func (o sandboxOAuth) validate() error {
	switch {
	case o.accessTTL < time.Second:
		return usagef("--oauth-access-ttl %s: want at least 1s", o.accessTTL)
	case o.clientID != "" && (o.secret == "" || o.redirect == ""):
		return usagef("--oauth-client-id needs a non-empty --oauth-client-secret and --oauth-redirect")
	}
	return nil
}

func (o sandboxOAuth) apply(cfg *sandbox.Config) {
	cfg.AccessTokenTTL = o.accessTTL
	if o.clientID != "" {
		cfg.OAuth = sandbox.OAuthClient{ClientID: o.clientID, ClientSecret: o.secret, RedirectURI: o.redirect}
	}
}

// print writes the variables that point salesguard at the sandbox: the long-lived token, or
// with OAuth the integration and a fresh authorization code (without AMO_TOKEN, which would
// take precedence), and how to mint another code and revoke the refresh token.
func (o sandboxOAuth) print(w io.Writer, addr, token string, srv *sandbox.Server) {
	fmt.Fprintf(w, "AMO_BASE_URL=http://%s\n", addr)
	if o.clientID == "" {
		fmt.Fprintf(w, "AMO_TOKEN=%s\n", token)
		return
	}
	fmt.Fprintf(w, "AMO_CLIENT_ID=%s\nAMO_CLIENT_SECRET=%s\nAMO_REDIRECT_URI=%s\nAMO_AUTH_CODE=%s\n",
		o.clientID, o.secret, o.redirect, srv.NewAuthCode())
	fmt.Fprintf(w, "# a new code: curl -s -X POST http://%[1]s/_sandbox/oauth/code\n"+
		"# revoke the refresh token (?access=1: the access tokens too): curl -s -X POST http://%[1]s/_sandbox/oauth/revoke\n", addr)
}
