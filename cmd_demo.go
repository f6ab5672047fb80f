package main

import (
	"context"
	"flag"
	"fmt"
	"time"

	"salesguard/app"
	"salesguard/bot"
	"salesguard/checks"
	"salesguard/locales"
)

// cmdDemo runs the real loop against the built-in sandbox with a simulated team.
func cmdDemo(ctx context.Context, e env) error {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	speed := fs.Float64("speed", 690, "simulated seconds per real second (690 ≈ a working day in a minute; 0 = as fast as possible)")
	days := fs.Int("days", 1, "working days to replay")
	lang := fs.String("lang", "", "language of the team and the messages: ru, en or es (default SALESGUARD_LANG, else the system locale, else en)")
	seed := fs.Int64("seed", 1, "simulation seed")
	managers := fs.Int("managers", 20, "managers in the simulated team")
	leads := fs.Int("leads-per-day", 100, "new leads per day")
	history := fs.Int("history", 14, "days of history before the replayed day")
	dbFile := fs.String("db", "", "keep the demo's database in this file (account \"demo\"), e.g. to try report afterwards")
	startDay := fs.String("start", "", "first replayed day, YYYY-MM-DD (default the next working day)")
	if err := fs.Parse(e.args); err != nil {
		return usagef("%v", err)
	}
	cfg, err := ConfigFromEnv(e.getenv, false)
	if err != nil {
		return err
	}
	if *lang == "" {
		*lang = demoLanguage(e.getenv)
	}
	switch {
	case *lang != "ru" && *lang != "en" && *lang != "es":
		return usagef("--lang %q: want ru, en or es", *lang)
	case *speed < 0:
		return usagef("--speed %g: want 0 or more", *speed)
	case *days < 1 || *days > 30:
		return usagef("--days %d: want 1 to 30", *days)
	case *managers < 1 || *managers > 200:
		return usagef("--managers %d: want 1 to 200", *managers)
	case *history < 0 || *history > 60:
		return usagef("--history %d: want 0 to 60", *history)
	}
	var start time.Time
	if *startDay != "" {
		d, err := checks.ParseDate(*startDay)
		if err != nil {
			return usagef("--start: %v", err)
		}
		start = d.In(app.DemoLocation(*lang)).Add(8 * time.Hour)
	}
	cat, err := locales.Load()
	if err != nil {
		return fmt.Errorf("messages: %w", err)
	}
	log := newLogger(cfg, e.stderr)
	if cfg.LogLevel > -4 { // the demo's story is on stdout; keep the log for warnings
		log = newLogger(Config{LogLevel: 8, LogFormat: cfg.LogFormat}, e.stderr)
	}
	opts := app.DemoOptions{
		Out: e.stdout, Logger: log, Catalog: cat, Renderer: bot.NewRenderer(cat),
		Lang: *lang, Seed: *seed, Managers: *managers, Leads: *leads, History: *history,
		Days: *days, Speed: *speed, Version: version, DB: *dbFile, Start: start,
	}
	if cfg.Telegram.Token != "" {
		if len(cfg.Admins) == 0 {
			return &ConfigError{Problems: []string{"TELEGRAM_TOKEN is set: the demo sends to the admins' chats, so set SALESGUARD_ADMINS too"}}
		}
		n, err := bot.NewNotifier(bot.Config{Token: cfg.Telegram.Token, APIURL: cfg.Telegram.APIURL}, log)
		if err != nil {
			return err
		}
		opts.Notifier, opts.ForwardTo = n, cfg.Admins
		fmt.Fprintf(e.stderr, "demo: messages go to the Telegram chats of SALESGUARD_ADMINS (%d)\n", len(cfg.Admins))
	}
	started := time.Now()
	err = app.Demo(ctx, opts)
	fmt.Fprintf(e.stderr, "demo: %s\n", time.Since(started).Round(time.Second))
	return err
}
