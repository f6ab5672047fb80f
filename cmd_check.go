package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"salesguard/amo"
	"salesguard/checks"
	"salesguard/locales"
	"salesguard/storage"
	"salesguard/workset"
)

type checkFlags struct {
	json    bool
	at      time.Time
	rule    checks.RuleID
	account string
}

func parseCheckFlags(args []string, stderr io.Writer) (checkFlags, error) {
	var f checkFlags
	var at, rule string
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.BoolVar(&f.json, "json", false, "print one JSON object per finding")
	fs.StringVar(&at, "at", "", "evaluate at this moment (RFC3339), e.g. 2026-11-25T17:00:00+03:00")
	fs.StringVar(&rule, "rule", "", "only this rule: R1 … R13 or DATA")
	fs.StringVar(&f.account, "account", "main", "the configured account to check")
	if err := fs.Parse(args); err != nil {
		return f, usagef("%v", err)
	}
	if at != "" {
		t, err := time.Parse(time.RFC3339, at)
		if err != nil {
			return f, usagef("--at %q: want RFC3339, like 2026-11-25T17:00:00+03:00", at)
		}
		f.at = t
	}
	if rule != "" {
		f.rule = checks.RuleID(strings.ToUpper(rule))
		if !slices.Contains(checks.AllRuleIDs, f.rule) && f.rule != checks.RuleDataHealth {
			return f, usagef("--rule %q: want one of R1 … R13 or DATA", rule)
		}
	}
	return f, nil
}

// cmdCheck syncs the account and prints the findings. Exit 0 whatever it found, 1 when amoCRM
// could not be read, 2 on bad configuration.
func cmdCheck(ctx context.Context, e env) error {
	f, err := parseCheckFlags(e.args, e.stderr)
	if err != nil {
		return err
	}
	cfg, err := ConfigFromEnv(e.getenv, true)
	if err != nil {
		return err
	}
	acc, ok := findAccount(cfg, f.account)
	if !ok {
		return usagef("--account %q is not configured", f.account)
	}
	log := newLogger(cfg, e.stderr)
	settings := checks.DefaultSettings()
	var tokens amo.TokenStore
	if db, err := storage.Open(cfg.DB, storage.Options{Timeout: 200 * time.Millisecond}); err == nil {
		defer db.Close()
		tokens = db.TokenStore(acc.Key)
		if s, ok, err := db.LoadSettings(acc.Key); err == nil && ok {
			settings = s
		}
	} else if acc.Token == "" {
		return fmt.Errorf("OAuth tokens live in the database: %w", err)
	}
	amoCfg := amoConfig(acc, tokens, log, nil)
	started := time.Now()
	var eventsFrom time.Time
	if !f.at.IsZero() {
		if f.at.After(started) {
			return usagef("--at %s is in the future", f.at.Format(time.RFC3339))
		}
		// Read the events from the usual history before T on: those after T say what the
		// deals were at T, those before it feed the rules' windows.
		amoCfg.EventHistory = started.Sub(f.at) + amo.DefaultEventHistory
		eventsFrom = f.at.Add(-amo.DefaultEventHistory)
	}
	client, err := amo.New(amoCfg)
	if err != nil {
		return &ConfigError{Problems: []string{err.Error()}}
	}
	var (
		ws    *workset.Set
		stats amo.SyncStats
		asOf  *amo.AsOfReport
	)
	if f.at.IsZero() {
		ws, stats, err = syncOnce(ctx, client, acc.BaseURL, f.at)
	} else {
		var rep amo.AsOfReport
		ws, stats, rep, err = syncAsOf(ctx, client, acc.BaseURL, f.at, eventsFrom)
		asOf = &rep
	}
	if err != nil {
		return fmt.Errorf("read amoCRM at %s: %w", acc.BaseURL, err)
	}
	deals, tasks, contacts, items := ws.Counts()
	dict := ws.Dict()
	fmt.Fprintf(e.stderr, "read %s in %s with %d requests: %d users, %d pipelines, %d deals, %d contacts, %d tasks, %d notes and events kept; time zone %s\n",
		acc.BaseURL, time.Since(started).Round(time.Millisecond), stats.Requests, len(dict.Users), len(dict.Pipelines),
		deals, contacts, tasks, items, dict.Account.TimeZone)
	at := f.at
	if at.IsZero() {
		at = time.Now()
	}
	in, err := checks.NewInput(ws, settings, at)
	if err != nil {
		return &ConfigError{Problems: []string{err.Error()}}
	}
	fs := checks.EvaluateEnabled(in)
	if f.rule != "" {
		fs = slices.DeleteFunc(fs, func(x checks.Finding) bool { return x.Rule != f.rule })
	}
	cat, err := locales.Load()
	if err != nil {
		return err
	}
	p := cat.Printer(cfg.Language)
	if asOf != nil { // what the look back could not reconstruct, on stderr: stdout stays the findings
		if loc, err := time.LoadLocation(dict.Account.TimeZone); err == nil && dict.Account.TimeZone != "" {
			asOf.At = asOf.At.In(loc) // the account's wall clock, as every message shows it
		}
		printAsOf(e.stderr, p, *asOf)
	}
	if f.json {
		return printFindingsJSON(e.stdout, fs)
	}
	printFindingsText(e.stdout, p, ws, fs, at)
	return nil
}

func findAccount(cfg Config, key string) (AccountConfig, bool) {
	for _, a := range cfg.Accounts {
		if a.Key == key {
			return a, true
		}
	}
	return AccountConfig{}, false
}

// findingJSON is the stable line format of `check --json`.
type findingJSON struct {
	Rule      checks.RuleID `json:"rule"`
	Level     checks.Level  `json:"level"`
	Kind      string        `json:"kind,omitempty"`
	DealID    amo.LeadID    `json:"deal_id"`
	ManagerID amo.UserID    `json:"manager_id"`
	Due       time.Time     `json:"due"`
	Value     float64       `json:"value"`
	Limit     float64       `json:"limit"`
	Unit      checks.Unit   `json:"unit,omitempty"`
	Subject   string        `json:"subject,omitempty"`
	Deal      string        `json:"deal,omitempty"`
}

func printFindingsJSON(w io.Writer, fs []checks.Finding) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	for _, f := range fs {
		if err := enc.Encode(findingJSON{f.Rule, f.Level, f.Kind, f.DealID, f.ManagerID, f.Due, f.Value, f.Limit, f.Unit, f.Subject(), f.DealName}); err != nil {
			return fmt.Errorf("write findings: %w", err)
		}
	}
	return nil
}

// printAsOf says how the account was turned back to --at's moment and what stays as it is
// now (amo.AsOf), one line per figure that is not zero.
func printAsOf(w io.Writer, p *locales.Printer, r amo.AsOfReport) {
	fmt.Fprintln(w, p.T("check.asof.header", p.DateTime(r.At)))
	line := func(key string, n int) {
		if n > 0 {
			fmt.Fprintln(w, "  "+p.N(key, n))
		}
	}
	line("check.asof.dropped_leads", r.DroppedLeads)
	line("check.asof.dropped_contacts", r.DroppedContacts)
	line("check.asof.dropped_tasks", r.DroppedTasks)
	line("check.asof.dropped_activity", r.DroppedNotes+r.DroppedEvents)
	line("check.asof.restored_statuses", r.RestoredStatuses)
	line("check.asof.reopened", r.Reopened)
	line("check.asof.restored_responsibles", r.RestoredResponsibles)
	line("check.asof.reopened_tasks", r.ReopenedTasks)
	fmt.Fprintln(w, p.T("check.asof.unknown_header"))
	line("check.asof.leads_changed", r.LeadsChangedSince)
	line("check.asof.tasks_changed", r.TasksChangedSince)
	line("check.asof.closed_unknown", r.ClosedUnknown)
	line("check.asof.deleted_since", r.DeletedSince)
	fmt.Fprintln(w, "  "+p.T("check.asof.users_now"))
}

// printFindingsText groups the findings by manager, each line naming the rule, the deal and
// the measured value against the limit.
func printFindingsText(w io.Writer, p *locales.Printer, ws *workset.Set, fs []checks.Finding, at time.Time) {
	names := map[amo.UserID]string{}
	for _, u := range ws.Dict().Users {
		names[u.ID] = u.Name
	}
	byManager := map[amo.UserID][]checks.Finding{}
	var managers []amo.UserID
	for _, f := range fs {
		if _, ok := byManager[f.ManagerID]; !ok {
			managers = append(managers, f.ManagerID)
		}
		byManager[f.ManagerID] = append(byManager[f.ManagerID], f)
	}
	slices.SortFunc(managers, func(a, b amo.UserID) int { return strings.Compare(names[a], names[b]) })
	fmt.Fprintf(w, "%d findings at %s\n", len(fs), at.Format(time.RFC3339))
	for _, m := range managers {
		name := names[m]
		if m == 0 {
			name = "(account)"
		}
		fmt.Fprintf(w, "\n%s — %d\n", name, len(byManager[m]))
		for _, f := range byManager[m] {
			kind := string(f.Rule)
			if f.Kind != "" {
				kind += "/" + f.Kind
			}
			fmt.Fprintf(w, "  %-26s %-10s %s ·", kind, f.Level, p.T("rule."+string(f.Rule)+".name"))
			if f.DealID != 0 {
				fmt.Fprintf(w, " %q %s", f.DealName, amo.DealURL(ws.BaseURL, f.DealID))
			}
			if f.Unit != checks.UnitNone {
				fmt.Fprintf(w, " %g/%g %s", f.Value, f.Limit, f.Unit)
			}
			fmt.Fprintln(w)
		}
	}
}
