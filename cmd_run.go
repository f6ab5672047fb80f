package main

import (
	"context"
	"fmt"
	"log/slog"
	"math"
	"os"
	"runtime/debug"
	"time"

	"github.com/jonboulle/clockwork"

	"salesguard/app"
	"salesguard/bot"
	"salesguard/locales"
	"salesguard/notify"
	"salesguard/storage"
)

// cmdRun is the service: it polls every configured account, runs the rules, alerts in Telegram
// (or on the console without TELEGRAM_TOKEN) and sends the scheduled messages, until stopped.
func cmdRun(ctx context.Context, e env) error {
	if len(e.args) > 0 {
		return usagef("run takes no arguments; configure it with environment variables (see .env.example)")
	}
	cfg, err := ConfigFromEnv(e.getenv, true)
	if err != nil {
		return err
	}
	log := newLogger(cfg, e.stderr)
	defer debug.SetMemoryLimit(applyMemoryLimit(cfg, log)) // back as it was when the service stops (tests run it in process)
	log.Info("starting", "version", version, "config", cfg.String())
	cat, err := locales.Load()
	if err != nil {
		return fmt.Errorf("messages: %w", err)
	}
	db, err := storage.Open(cfg.DB, storage.Options{})
	if err != nil {
		return err
	}
	defer db.Close()
	clock := clockwork.NewRealClock()
	metrics := app.NewMetrics()
	var accounts []app.Account
	for _, a := range cfg.Accounts {
		if err := db.PutAccount(storage.Account{Key: a.Key, BaseURL: a.BaseURL, AddedAt: clock.Now()}); err != nil {
			return err
		}
		client, err := newAmoClient(a, db.TokenStore(a.Key), log, metrics.AmoRequestHook(a.Key))
		if err != nil {
			return &ConfigError{Problems: []string{fmt.Sprintf("account %s: %v", a.Key, err)}}
		}
		accounts = append(accounts, app.Account{Key: a.Key, BaseURL: a.BaseURL, Client: client, WebhookSecret: a.WebhookSecret})
	}
	opts := app.Options{
		Accounts: accounts, Store: db, Renderer: bot.NewRenderer(cat), Catalog: cat, Clock: clock,
		Logger: log, Metrics: metrics, PollInterval: cfg.PollInterval, Lang: cfg.Language, Admins: cfg.Admins,
		Webhooks: app.WebhookOptions{PublicURL: cfg.PublicURL, Poll: cfg.WebhookPoll},
	}
	if cfg.Telegram.Token == "" {
		log.Warn("TELEGRAM_TOKEN is not set: messages are printed to the console instead of Telegram")
		console := app.NewConsole(e.stdout, clock)
		opts.Notifier, opts.Console = console, true
		a, err := app.New(opts)
		if err != nil {
			return err
		}
		console.Name = a.ChatName
		return serve(ctx, cfg, a, db, metrics, clock, log)
	}
	// The bot needs the app's view and the app needs the bot's notifier: the notifier is
	// bound once the bot exists.
	late := &lateNotifier{}
	opts.Notifier = late
	a, err := app.New(opts)
	if err != nil {
		return err
	}
	tg, err := bot.New(bot.Config{
		Token: cfg.Telegram.Token, APIURL: cfg.Telegram.APIURL, WebhookURL: cfg.Telegram.WebhookURL,
		WebhookSecret: cfg.Telegram.WebhookSecret, ListenAddr: cfg.Telegram.ListenAddr,
		Admins: cfg.Admins, Account: accounts[0].Key,
	}, bot.Deps{Store: app.NewBotStore(db, accounts[0].Key, clock), Source: a.Source(), Catalog: cat, Clock: clock, Logger: log,
		OnLink: func(l bot.Link) { metrics.SetTelegram(string(l.State), l.Since, l.Err) },
		Codes:  amoCodes(accounts),
	})
	if err != nil {
		return err // no request was made: only a malformed configuration gets here
	}
	metrics.SetTelegram(string(tg.Link().State), tg.Link().Since, "")
	late.n = tg.Notifier()
	tg.Start(ctx)
	defer tg.Stop()
	return serve(ctx, cfg, a, db, metrics, clock, log)
}

func serve(ctx context.Context, cfg Config, a *app.App, db *storage.DB, m *app.Metrics, clock clockwork.Clock, log *slog.Logger) error {
	if cfg.MetricsAddr != "" {
		token, remove, err := serviceBackupToken(cfg)
		if err != nil {
			return err
		}
		defer remove()
		h := m.Handler(clock.Now, 3*cfg.PollInterval+time.Minute, db, app.BackupAuth{Token: token, Remote: cfg.BackupToken != ""})
		h = a.WithWebhooks(h) // one listener: /metrics, /healthz, /backup and POST /amocrm/webhook/{account}/{secret}
		if cfg.Pprof {
			h = app.WithPprof(h)
		}
		go func() {
			if err := m.Serve(ctx, cfg.MetricsAddr, h, log); err != nil {
				log.Error("metrics", "err", err)
			}
		}()
	}
	err := a.Run(ctx)
	log.Info("stopped")
	return err
}

// lateNotifier forwards to a notifier set after construction.
type lateNotifier struct{ n notify.Notifier }

func (l *lateNotifier) Send(ctx context.Context, m notify.Message) (notify.SentRef, error) {
	return l.n.Send(ctx, m)
}

// applyMemoryLimit sets the Go runtime's soft memory limit from SALESGUARD_MEMORY_LIMIT (or its
// default) unless the process has GOMEMLIMIT, which the runtime applied at start and which
// wins, and returns the limit before.
func applyMemoryLimit(cfg Config, log *slog.Logger) int64 {
	prev := debug.SetMemoryLimit(-1)
	if os.Getenv("GOMEMLIMIT") != "" {
		log.Debug("GOMEMLIMIT is set: SALESGUARD_MEMORY_LIMIT is ignored")
		return prev
	}
	limit := cfg.MemoryLimit
	if limit == 0 {
		limit = math.MaxInt64 // the runtime's "no limit"
	}
	debug.SetMemoryLimit(limit)
	return prev
}
