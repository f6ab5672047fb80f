// Package app wires SalesGuard together: it polls each amoCRM account, runs the checks,
// reconciles the findings ledger, queues messages in the outbox and delivers them, and runs the
// daily and weekly jobs. Data flows one way: poll → snapshot → checks → findings → ledger →
// notifier / digest → storage.
package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/go-co-op/gocron/v2"
	"github.com/jonboulle/clockwork"

	"salesguard/amo"
	"salesguard/internal/cputime"
	"salesguard/locales"
	"salesguard/notify"
	"salesguard/storage"
)

// Syncer reads an amoCRM account page by page (implemented by *amo.Client).
type Syncer interface {
	SyncPages(ctx context.Context, st amo.SyncState, sink amo.PageSink) (amo.SyncStats, error)
}

// Account is one watched amoCRM account.
type Account struct {
	Key     string // storage key, e.g. "main"
	BaseURL string // for links to deals
	Client  Syncer
	// WebhookSecret is the secret of the account's webhook URL (AMO_WEBHOOK_SECRET); empty =
	// the account takes no webhooks (app/webhook.go).
	WebhookSecret string
}

// WebhookOptions configure the amoCRM webhooks (app/webhook.go, README "Webhooks").
type WebhookOptions struct {
	// PublicURL is where amoCRM reaches the service's listener (SALESGUARD_PUBLIC_URL). When
	// set, each account with a secret subscribes its webhook at start (RegisterWebhooks), and
	// its poll slows to Poll once that worked; when empty, an account with a secret is taken
	// as subscribed by hand.
	PublicURL string
	// Poll is the safety-net poll of an account fed by webhooks; default DefaultWebhookPoll,
	// never below PollInterval.
	Poll time.Duration
}

// Options configure an App. Store, Notifier and Renderer are required.
type Options struct {
	Accounts     []Account
	Store        *storage.DB
	Notifier     notify.Notifier
	Renderer     Renderer
	Catalog      *locales.Catalog
	Clock        clockwork.Clock
	Logger       *slog.Logger
	Metrics      *Metrics
	PollInterval time.Duration // default 60 s
	// ParallelSyncs is how many accounts sync at once in a cycle (default 8): each waits for its
	// own rate limit, so a fleet of accounts is read in the time of a few. Their evaluations
	// still run one after the other.
	ParallelSyncs int
	Lang          string  // default language of people without one
	Admins        []int64 // Telegram ids of the bootstrap admins
	// Console, when set, makes every amoCRM user, the head and the admin reachable as console
	// "chats" (negative ids), for the demo and for running without Telegram.
	Console  bool
	Webhooks WebhookOptions
}

// App is the running service.
type App struct {
	opt      Options
	store    *storage.DB
	clock    clockwork.Clock
	log      *slog.Logger
	accounts []*accountState
	mu       sync.Mutex // serialises cycles (Tick) so they never overlap
	started  time.Time  // when New ran, for the "account ready" line
	// hooks is each account's webhook state by key (fixed after New); hinted wakes the loop
	// when a webhook arrives.
	hooks  map[string]*hookState
	hinted chan struct{}
	// ran, when set (tests), is called after each run of the cycles.
	ran func()
	// firstSync keeps the memory limit tighter while first syncs run (app/memory.go).
	firstSync syncMemory
	// heap warns when the working sets outgrow the memory limit (app/memory.go).
	heap heapWatch
}

// New checks the options and prepares the accounts; nothing is read or sent yet.
func New(opt Options) (*App, error) {
	if opt.Store == nil || opt.Notifier == nil || opt.Renderer == nil || opt.Catalog == nil {
		return nil, errors.New("app: Store, Notifier, Renderer and Catalog are required")
	}
	if len(opt.Accounts) == 0 {
		return nil, errors.New("app: no account to watch")
	}
	if opt.Clock == nil {
		opt.Clock = clockwork.NewRealClock()
	}
	if opt.Logger == nil {
		opt.Logger = slog.New(slog.DiscardHandler)
	}
	if opt.PollInterval <= 0 {
		opt.PollInterval = time.Minute
	}
	if opt.ParallelSyncs <= 0 {
		opt.ParallelSyncs = defaultParallelSyncs
	}
	if opt.Lang == "" {
		opt.Lang = "ru"
	}
	if opt.Webhooks.Poll <= 0 {
		opt.Webhooks.Poll = DefaultWebhookPoll
	}
	opt.Webhooks.Poll = max(opt.Webhooks.Poll, opt.PollInterval)
	a := &App{opt: opt, store: opt.Store, clock: opt.Clock, log: opt.Logger, started: opt.Clock.Now(),
		hooks: map[string]*hookState{}, hinted: make(chan struct{}, 1)}
	seen := map[string]bool{}
	for _, acc := range opt.Accounts {
		if seen[acc.Key] {
			return nil, fmt.Errorf("app: account %q is configured twice", acc.Key)
		}
		seen[acc.Key] = true
		a.accounts = append(a.accounts, &accountState{Account: acc, log: opt.Logger.With("account", acc.Key)})
		// Subscribed by hand: webhooks feed it from the start; with PublicURL once registered.
		a.hooks[acc.Key] = &hookState{secret: acc.WebhookSecret, on: acc.WebhookSecret != "" && opt.Webhooks.PublicURL == ""}
	}
	return a, nil
}

// Tick runs one cycle for every account — sync, checks, ledger, scheduled jobs — then delivers
// the outbox. It is what the scheduler calls every poll interval; tests and the demo call it
// directly after moving the clock. An account that fails is logged and the others go on. An
// account fed by webhooks is synced only when a webhook asked for it or its safety-net poll
// (WebhookOptions.Poll) is due.
func (a *App) Tick(ctx context.Context) error { return a.run(ctx, true) }

// Wake runs a cycle without polling: the accounts a webhook marked dirty are synced, and the
// deadlines that passed since the last cycle are evaluated and their alerts delivered at
// once, not one poll later.
func (a *App) Wake(ctx context.Context) error { return a.run(ctx, false) }

func (a *App) run(ctx context.Context, poll bool) error {
	if a.ran != nil {
		defer a.ran() // after the lock is released
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	var errs []error
	plans := make([]syncPlanned, len(a.accounts))
	for i, acc := range a.accounts {
		plans[i].do, plans[i].hint = a.syncPlan(acc, poll)
	}
	a.syncAhead(ctx, plans)
	for i, acc := range a.accounts {
		doSync, taken := plans[i].do, plans[i].hint
		started := a.clock.Now()
		var err error
		if pl := &plans[i]; pl.ahead {
			started = pl.started
			err = pl.err
			if err == nil {
				err = a.cycleSynced(ctx, acc, pl.stats, pl.started, pl.cpu)
			}
		} else {
			err = a.cycle(ctx, acc, doSync)
		}
		if doSync {
			a.afterSync(acc, started, taken, err)
		}
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			acc.log.Error("poll cycle", "err", err)
			if a.opt.Metrics != nil {
				a.opt.Metrics.PollErrors.WithLabelValues(acc.Key).Inc()
			}
			errs = append(errs, fmt.Errorf("account %s: %w", acc.Key, err))
		}
	}
	if err := a.Deliver(ctx); err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		a.log.Error("deliver outbox", "err", err)
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// Run polls every PollInterval until ctx ends, never overlapping, starting at once.
func (a *App) Run(ctx context.Context) error {
	s, err := gocron.NewScheduler(gocron.WithClock(a.clock), gocron.WithLogger(a.log))
	if err != nil {
		return fmt.Errorf("scheduler: %w", err)
	}
	_, err = s.NewJob(gocron.DurationJob(a.opt.PollInterval),
		gocron.NewTask(func() { _ = a.Tick(ctx) }),
		gocron.WithSingletonMode(gocron.LimitModeReschedule),
		gocron.WithStartAt(gocron.WithStartImmediately()),
		gocron.WithName("poll"))
	if err != nil {
		return fmt.Errorf("schedule poll: %w", err)
	}
	var wg sync.WaitGroup
	if a.opt.Webhooks.PublicURL != "" {
		wg.Go(func() { a.RegisterWebhooks(ctx) })
	}
	s.Start()
	a.log.Info("watching", "accounts", len(a.accounts), "poll_interval", a.opt.PollInterval,
		"webhook_accounts", a.webhookAccounts(), "safety_poll", a.opt.Webhooks.Poll)
	a.wakeLoop(ctx)
	wg.Wait()
	if err := s.Shutdown(); err != nil {
		a.log.Warn("scheduler shutdown", "err", err)
	}
	return nil
}

// NextWake returns the earliest deadline an account's findings wait for (zero for none).
func (a *App) NextWake() time.Time {
	var next time.Time
	for _, acc := range a.accounts {
		acc.mu.RLock()
		var w time.Time
		if acc.engine != nil {
			w = acc.engine.NextWake()
		}
		acc.mu.RUnlock()
		if !w.IsZero() && (next.IsZero() || w.Before(next)) {
			next = w
		}
	}
	return next
}

// wakeLoop runs Wake when a deadline passes between polls or a webhook's hint is due, until
// ctx ends: an R1 alert goes out at its deadline whatever the poll interval, and a change in
// amoCRM is read as soon as its webhook arrives.
func (a *App) wakeLoop(ctx context.Context) {
	const idle = time.Minute // look again at least this often: a cycle may add a deadline
	for ctx.Err() == nil {
		now := a.clock.Now()
		wait := idle
		if next := a.NextWake(); !next.IsZero() {
			wait = min(max(next.Sub(now), 0), idle)
		}
		if at, ok := a.hintDue(); ok {
			wait = min(max(at.Sub(now), 0), wait)
		}
		t := a.clock.NewTimer(wait)
		if a.clock.Since(now) < wait { // else a (fake) clock passed the moment while the timer was set
			select {
			case <-ctx.Done():
				t.Stop()
				return
			case <-a.hinted:
				if at, ok := a.hintDue(); !ok || at.After(a.clock.Now()) {
					t.Stop()
					continue // folded into the sync hookGap after the last one
				}
			case <-t.Chan():
			}
		}
		t.Stop()
		now = a.clock.Now()
		hinted, due := a.hintDue()
		if next := a.NextWake(); (!next.IsZero() && !now.Before(next)) || (due && !hinted.After(now)) {
			if err := a.Wake(ctx); err != nil && ctx.Err() == nil {
				a.log.Warn("wake cycle (deadline or webhook)", "err", err)
			}
		}
	}
}

// webhookAccounts counts the accounts that take webhooks.
func (a *App) webhookAccounts() int {
	n := 0
	for _, h := range a.hooks {
		if h.secret != "" {
			n++
		}
	}
	return n
}

// defaultParallelSyncs bounds the accounts syncing at once: enough that 200 accounts waiting
// for their rate limits are read within a minute, few enough that their pages in flight stay
// small.
const defaultParallelSyncs = 8

// syncPlanned is one account's part of a cycle: whether it syncs, the webhook hint it takes,
// and, when its sync ran ahead with the others (syncAhead), the outcome.
type syncPlanned struct {
	do   bool
	hint hint

	ahead   bool
	started time.Time
	cpu     time.Duration
	stats   CycleStats
	err     error
}

// syncAhead runs the syncs of the accounts that sync this cycle, at most ParallelSyncs at once,
// when there are several: each account waits for its own rate limit, not for the others'.
// One account syncs inside its cycle as before.
func (a *App) syncAhead(ctx context.Context, plans []syncPlanned) {
	n := 0
	for i := range plans {
		if plans[i].do {
			n++
		}
	}
	if n < 2 || a.opt.ParallelSyncs < 2 {
		return
	}
	sem := make(chan struct{}, a.opt.ParallelSyncs)
	var wg sync.WaitGroup
	for i, acc := range a.accounts {
		pl := &plans[i]
		if !pl.do {
			continue
		}
		pl.ahead = true
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			pl.started, pl.cpu = a.clock.Now(), cputime.Process()
			if pl.err = a.load(acc); pl.err == nil {
				pl.err = a.sync(ctx, acc, &pl.stats)
			}
		}()
	}
	wg.Wait()
}
