package app

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"html"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/jonboulle/clockwork"

	"salesguard/amo"
	"salesguard/amo/sandbox"
	"salesguard/locales"
	"salesguard/notify"
	"salesguard/storage"
)

// DemoOptions configure the demo: the sandbox with a simulated team, replayed fast, with the
// real loop running against it over loopback HTTP.
type DemoOptions struct {
	Out      io.Writer
	Logger   *slog.Logger
	Catalog  *locales.Catalog
	Renderer Renderer
	// Notifier delivers the messages; nil prints them to Out. With a Telegram notifier every
	// message goes to ForwardTo instead of the simulated people.
	Notifier  notify.Notifier
	ForwardTo []int64
	Lang      string
	Seed      int64
	Managers  int
	Leads     int // leads per day
	History   int // days of history before the first replayed day
	Days      int // working days replayed
	// Speed is simulated seconds per real second; 0 runs as fast as the machine can.
	Speed float64
	// Start is the first replayed moment (default: 08:00 of the next working day).
	Start time.Time
	// Sleep waits between steps; nil uses the real clock (tests pass a no-op).
	Sleep func(ctx context.Context, d time.Duration) error
	// Version is printed in the banner.
	Version string
	// DB, when set, keeps the demo's database in this file (account "demo") for `report` and
	// `digest`; by default it lives in a temporary directory and is removed.
	DB string
}

// DemoLocation is the simulated account's time zone for a language: Moscow, Mexico City or
// London.
func DemoLocation(lang string) *time.Location {
	tz := map[string]string{"ru": "Europe/Moscow", "es": "America/Mexico_City"}[lang]
	if tz == "" {
		tz = "Europe/London"
	}
	loc, err := time.LoadLocation(tz)
	if err != nil {
		return time.UTC
	}
	return loc
}

// The replayed part of each day; the night is skipped in big steps.
const (
	demoDayFrom = 8 * time.Hour
	demoDayTo   = 19*time.Hour + 30*time.Minute
)

// Demo runs the demo until the replay ends or ctx is cancelled.
func Demo(ctx context.Context, o DemoOptions) error {
	if o.Lang == "" {
		o.Lang = "ru"
	}
	if o.Days <= 0 {
		o.Days = 1
	}
	if o.Sleep == nil {
		o.Sleep = sleepCtx
	}
	loc := DemoLocation(o.Lang)
	tz := loc.String()
	start := o.Start
	if start.IsZero() {
		start = demoStart(time.Now().In(loc), o.Days).Add(demoDayFrom)
	}
	p := o.Catalog.Printer(o.Lang)

	world := sandbox.NewWorld(start)
	sim := sandbox.NewSim(world, sandbox.SimConfig{Seed: o.Seed, Managers: o.Managers, LeadsPerDay: o.Leads,
		Days: o.History, Start: start, TimeZone: tz, Lang: o.Lang})
	sim.Populate()

	clk := clockwork.NewFakeClockAt(start)
	srvCfg := sandbox.DefaultConfig("demo-token")
	srvCfg.RateLimit, srvCfg.Clock = 0, clk
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return fmt.Errorf("demo sandbox: %w", err)
	}
	base := "http://" + ln.Addr().String()
	srv := &http.Server{Handler: sandbox.NewServer(world, srvCfg), ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	defer srv.Close()

	dbPath := o.DB
	if dbPath == "" {
		dir, err := os.MkdirTemp("", "salesguard-demo-")
		if err != nil {
			return fmt.Errorf("demo database: %w", err)
		}
		defer os.RemoveAll(dir)
		dbPath = filepath.Join(dir, "demo.db")
	}
	db, err := storage.Open(dbPath, storage.Options{})
	if err != nil {
		return fmt.Errorf("demo database: %w", err)
	}
	defer db.Close()

	client, err := amo.New(amo.Config{BaseURL: base, Token: "demo-token", RateLimit: 1e9, Clock: replayClock{clk, clockwork.NewRealClock()}, Logger: o.Logger})
	if err != nil {
		return err
	}
	console := NewConsole(o.Out, clk)
	names := map[int64]string{consoleHead: p.T("demo.role.head"), consoleAdmin: p.T("demo.role.admin")}
	world.Read(func(d *sandbox.Data) {
		for _, u := range d.Users {
			names[-int64(u.ID)] = u.Name
		}
	})
	console.Name = func(chat int64) string {
		if n, ok := names[chat]; ok {
			return n
		}
		return fmt.Sprintf("chat %d", chat)
	}
	var n notify.Notifier = console
	if o.Notifier != nil && len(o.ForwardTo) > 0 {
		n = &forwarder{to: o.ForwardTo, next: o.Notifier, names: console.Name}
	}
	hooks, err := newDemoHooks()
	if err != nil {
		return err
	}
	defer hooks.close()
	a, err := New(Options{
		Accounts: []Account{{Key: "demo", BaseURL: base, Client: client, WebhookSecret: hooks.secret}},
		Store:    db, Notifier: n, Renderer: o.Renderer, Catalog: o.Catalog,
		Clock: clk, Logger: o.Logger, PollInterval: time.Minute, Lang: o.Lang, Console: true,
		Webhooks: WebhookOptions{PublicURL: hooks.url},
	})
	if err != nil {
		return err
	}
	hooks.serve(a)
	a.RegisterWebhooks(ctx) // the sandbox posts the team's changes: a step without any is not synced
	fmt.Fprintln(o.Out, p.T("console.banner", o.Version, base))
	fmt.Fprintln(o.Out, p.T("console.hint"))
	return replay(ctx, o, a, sim, clk, loc, p)
}

// replay moves simulated time minute by minute through each working day (the night in
// ten-minute steps without waiting), letting the team act and the loop poll at every step.
func replay(ctx context.Context, o DemoOptions, a *App, sim *sandbox.Sim, clk *clockwork.FakeClock, loc *time.Location, p *locales.Printer) error {
	day := midnight(clk.Now().In(loc))
	for i := 0; i < o.Days; i++ {
		from, to := day.Add(demoDayFrom), day.Add(demoDayTo)
		if i > 0 {
			if err := advance(ctx, a, sim, clk, from, 10*time.Minute, 0, o.Sleep); err != nil {
				return err
			}
		}
		fmt.Fprintln(o.Out, p.T("console.clock", p.DateTime(clk.Now().In(loc))))
		if err := advance(ctx, a, sim, clk, to, time.Minute, o.Speed, o.Sleep); err != nil {
			return err
		}
		day = nextWorkday(day)
	}
	fmt.Fprintln(o.Out, p.T("console.stopping"))
	return nil
}

func advance(ctx context.Context, a *App, sim *sandbox.Sim, clk *clockwork.FakeClock, until time.Time, step time.Duration, speed float64, sleep func(context.Context, time.Duration) error) error {
	simStart, realStart := clk.Now(), time.Now()
	for clk.Now().Before(until) {
		clk.Advance(step)
		sim.AdvanceTo(clk.Now())
		if err := a.Tick(ctx); err != nil && ctx.Err() != nil {
			return ctx.Err()
		}
		if speed > 0 {
			// Pace against the real clock so the time a cycle takes is not added to the replay.
			due := realStart.Add(time.Duration(float64(clk.Now().Sub(simStart)) / speed))
			if wait := time.Until(due); wait > 0 {
				if err := sleep(ctx, wait); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

func midnight(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, t.Location())
}

// weeklyDemoDays is the replay length from which the demo makes sure to replay a Monday, the
// day of the weekly report (README: "--days 4 shows the weekly report").
const weeklyDemoDays = 4

// demoStart returns midnight of the first replayed day: the next working day, moved on by
// working days while a replay of weeklyDemoDays or more would miss a Monday (Tuesday to
// Friday is the only 4-day run without one).
func demoStart(now time.Time, days int) time.Time {
	start := nextWorkday(now)
	if days < weeklyDemoDays {
		return start
	}
	for range 5 {
		d := start
		for range days {
			if d.Weekday() == time.Monday {
				return start
			}
			d = nextWorkday(d)
		}
		start = nextWorkday(start)
	}
	return start
}

// nextWorkday returns midnight of the next Monday-to-Friday day after t's day.
func nextWorkday(t time.Time) time.Time {
	d := midnight(t).AddDate(0, 0, 1)
	for d.Weekday() == time.Saturday || d.Weekday() == time.Sunday {
		d = d.AddDate(0, 0, 1)
	}
	return d
}

// forwarder sends every message to the admin's real chats, naming the simulated recipient, so
// a head of sales can try SalesGuard in Telegram on the simulated team.
type forwarder struct {
	to    []int64
	next  notify.Notifier
	names func(int64) string
}

func (f *forwarder) Send(ctx context.Context, m notify.Message) (notify.SentRef, error) {
	if m.Edit != nil {
		return *m.Edit, nil
	}
	m.Text = "👤 " + html.EscapeString(f.names(m.ChatID)) + "\n" + m.Text
	var ref notify.SentRef
	var errs []error
	for _, chat := range f.to {
		m.ChatID = chat
		r, err := f.next.Send(ctx, m)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		ref = r
	}
	return ref, errors.Join(errs...)
}

// replayClock tells simulated time (Now comes from the fake clock the demo moves) but waits in
// real time, so the amoCRM client's pacing and back-off never block on a clock nobody advances.
// The loopback sandbox needs no pacing: the client's rate is set so high (1e9/s) that its
// limiter, which cannot see time pass within a step, never makes a request wait.
type replayClock struct {
	*clockwork.FakeClock
	real clockwork.Clock
}

func (c replayClock) After(d time.Duration) <-chan time.Time     { return c.real.After(d) }
func (c replayClock) Sleep(d time.Duration)                      { c.real.Sleep(d) }
func (c replayClock) NewTicker(d time.Duration) clockwork.Ticker { return c.real.NewTicker(d) }
func (c replayClock) NewTimer(d time.Duration) clockwork.Timer   { return c.real.NewTimer(d) }
func (c replayClock) AfterFunc(d time.Duration, f func()) clockwork.Timer {
	return c.real.AfterFunc(d, f)
}

// demoHooks is the demo's webhook listener on loopback: the sandbox posts the simulated
// team's changes to it as amoCRM would, so the replay syncs only the minutes in which
// something changed (and the safety-net poll), like a service with webhooks.
type demoHooks struct {
	ln     net.Listener
	srv    *http.Server
	url    string
	secret string
}

func newDemoHooks() (*demoHooks, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("demo webhooks: %w", err)
	}
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		ln.Close()
		return nil, fmt.Errorf("demo webhook secret: %w", err)
	}
	return &demoHooks{ln: ln, url: "http://" + ln.Addr().String(), secret: hex.EncodeToString(b)}, nil
}

func (h *demoHooks) serve(a *App) {
	h.srv = &http.Server{Handler: a.WithWebhooks(http.NotFoundHandler()), ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = h.srv.Serve(h.ln) }()
}

func (h *demoHooks) close() {
	if h.srv != nil {
		_ = h.srv.Close()
		return
	}
	_ = h.ln.Close()
}
