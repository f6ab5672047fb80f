package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"time"

	"salesguard/amo"
	"salesguard/app"
	"salesguard/bot"
	"salesguard/checks"
	"salesguard/locales"
	"salesguard/storage"
)

// cmdDigest prints the digest of a day: the account is read now and the rules are evaluated
// at the end of that day (or now, for today); yesterday's and the week's rows come from the
// database when it can be opened.
func cmdDigest(ctx context.Context, e env) error {
	fs := flag.NewFlagSet("digest", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	date := fs.String("date", "", "the day, YYYY-MM-DD (default today in the account's time zone)")
	asJSON := fs.Bool("json", false, "print the digest as JSON")
	lang := fs.String("lang", "", "language: ru, en or es (default SALESGUARD_LANG)")
	account := fs.String("account", "main", "the configured account")
	if err := fs.Parse(e.args); err != nil {
		return usagef("%v", err)
	}
	cfg, err := ConfigFromEnv(e.getenv, true)
	if err != nil {
		return err
	}
	acc, ok := findAccount(cfg, *account)
	if !ok {
		return usagef("--account %q is not configured", *account)
	}
	if *lang == "" {
		*lang = cfg.Language
	}
	log := newLogger(cfg, e.stderr)
	settings := checks.DefaultSettings()
	var db *storage.DB
	if d, err := storage.Open(cfg.DB, storage.Options{Timeout: 200 * time.Millisecond}); err == nil {
		db = d
		defer db.Close()
		if s, ok, err := db.LoadSettings(acc.Key); err == nil && ok {
			settings = s
		}
	} else {
		fmt.Fprintf(e.stderr, "digest: no history (%v): yesterday and the week count as zero\n", err)
	}
	var tokens amo.TokenStore
	if db != nil {
		tokens = db.TokenStore(acc.Key)
	}
	client, err := newAmoClient(acc, tokens, log, nil)
	if err != nil {
		return &ConfigError{Problems: []string{err.Error()}}
	}
	var from time.Time // the windows are kept around the end of an asked day
	if *date != "" {
		d, err := checks.ParseDate(*date)
		if err != nil {
			return usagef("--date: %v", err)
		}
		if end := d.AddDays(2).In(time.UTC); end.Before(time.Now()) {
			from = end
		}
	}
	ws, _, err := syncOnce(ctx, client, acc.BaseURL, from)
	if err != nil {
		return fmt.Errorf("read amoCRM at %s: %w", acc.BaseURL, err)
	}
	dict := ws.Dict()
	snap := &amo.Snapshot{BaseURL: acc.BaseURL, Account: dict.Account, Users: dict.Users, Pipelines: dict.Pipelines,
		LossReasons: dict.LossReasons, CustomFields: dict.CustomFields}
	cal, err := checks.NewCalendar(settings.Calendar, dict.Account.TimeZone)
	if err != nil {
		return &ConfigError{Problems: []string{err.Error()}}
	}
	now := time.Now().In(cal.Location())
	day := checks.DateOf(now)
	if *date != "" {
		if day, err = checks.ParseDate(*date); err != nil {
			return usagef("--date: %v", err)
		}
	}
	at := day.AddDays(1).In(cal.Location()).Add(-time.Second)
	if _, end, ok := cal.DayBounds(day); ok {
		at = end
	}
	if at.After(now) {
		at = now
	}
	in, err := checks.NewInput(ws, settings, at)
	if err != nil {
		return &ConfigError{Problems: []string{err.Error()}}
	}
	found := checks.EvaluateEnabled(in)
	var yesterday, week []checks.TableRow
	if db != nil {
		if yesterday, err = db.Table(acc.Key, day.AddDays(-1), day.AddDays(-1)); err != nil {
			return err
		}
		if week, err = db.Table(acc.Key, day.AddDays(-7), day.AddDays(-1)); err != nil {
			return err
		}
	}
	d := checks.BuildDigest(day, checks.Table(found, day), yesterday, week, found, ws)
	d.AddResponses(checks.ResponseStats(in, day))
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(d)
	}
	cat, err := locales.Load()
	if err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, app.PlainText(bot.NewRenderer(cat).Digest(d, snap, *lang).Text))
	return nil
}
