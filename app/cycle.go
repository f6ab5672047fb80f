package app

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"time"

	"salesguard/amo"
	"salesguard/checks"
)

// accountState is what the loop keeps in memory for one account between cycles. Everything in
// it can be rebuilt from storage, so a restart loses nothing.
type accountState struct {
	Account
	log          *slog.Logger
	loaded       bool
	snap         *amo.Snapshot
	state        amo.SyncState
	lastSync     time.Time
	prunedAt     time.Time
	filterWarned bool   // the is_api_filter_enabled warning was logged
	health       string // last reported sync health ("ok", "banned", …); "" before the first sync

	viewMu   sync.RWMutex // guards the view the bot reads while the next cycle runs
	view     *amo.Snapshot
	findings []checks.Finding
	settings checks.Settings
}

// eventHistory is how long events are kept in the snapshot and the database (RULES.md needs
// at most the R6 window and the 30-day forgotten-client horizon).
const eventHistory = 31 * 24 * time.Hour

// pruneEvents drops events older than eventHistory, once an hour, from the new snapshot and
// the database.
func (a *App) pruneEvents(acc *accountState, snap *amo.Snapshot) {
	now := a.clock.Now()
	if now.Sub(acc.prunedAt) < time.Hour {
		return
	}
	acc.prunedAt = now
	before := now.Add(-eventHistory)
	snap.Events = slices.DeleteFunc(slices.Clone(snap.Events), func(e amo.Event) bool { return e.CreatedAt.Before(before) })
	if _, err := a.store.PruneEvents(acc.Key, before); err != nil {
		acc.log.Warn("prune events", "err", err)
	}
	if _, err := a.store.PruneClosed(acc.Key, now.Add(-180*24*time.Hour)); err != nil {
		acc.log.Warn("prune ledger history", "err", err)
	}
	if _, err := a.store.PruneSent(now.Add(-14 * 24 * time.Hour)); err != nil {
		acc.log.Warn("prune outbox", "err", err)
	}
	if _, err := a.store.PruneInvites(now); err != nil {
		acc.log.Warn("prune invites", "err", err)
	}
}

// publish makes the cycle's results the view the bot's commands read.
func (a *App) publish(acc *accountState, fs []checks.Finding, s checks.Settings) {
	acc.viewMu.Lock()
	defer acc.viewMu.Unlock()
	acc.view, acc.findings, acc.settings = acc.snap, fs, s
}

// alertRules are alerted one by one as soon as they are found; the others are reported in the
// pre-close nudge, the digest and on demand (RULES.md "When").
var alertRules = map[checks.RuleID]bool{
	checks.R1: true, checks.R5: true, checks.R6: true, checks.R7: true,
	checks.R8: true, checks.R9: true, checks.RuleDataHealth: true,
}

// cycle polls one account: sync, checks, ledger, alerts, scheduled jobs.
func (a *App) cycle(ctx context.Context, acc *accountState) error {
	started := a.clock.Now()
	if err := a.load(acc); err != nil {
		return err
	}
	if err := a.sync(ctx, acc); err != nil {
		return err
	}
	settings, err := a.settings(acc.Key)
	if err != nil {
		return err
	}
	now := a.clock.Now()
	fs, err := checks.Run(acc.snap, settings, now)
	if err != nil {
		return fmt.Errorf("checks: %w", err)
	}
	a.publish(acc, fs, settings)
	if err := a.reconcile(acc, settings, fs, now); err != nil {
		return err
	}
	if err := a.runJobs(acc, settings, fs, now); err != nil {
		return err
	}
	if m := a.opt.Metrics; m != nil {
		m.PollDuration.WithLabelValues(acc.Key).Observe(a.clock.Since(started).Seconds())
		m.lastPollOK.Store(now.Unix())
		counts := map[checks.RuleID]int{}
		for _, f := range fs {
			counts[f.Rule]++
		}
		for _, r := range append(slices.Clone(checks.AllRuleIDs), checks.RuleDataHealth) {
			m.FindingsOpen.WithLabelValues(acc.Key, string(r)).Set(float64(counts[r]))
		}
	}
	return nil
}

// load reads the account's snapshot and sync state from storage on the first cycle, so a
// restart resumes incrementally instead of a full re-sync.
func (a *App) load(acc *accountState) error {
	if acc.loaded {
		return nil
	}
	snap, st, err := a.store.LoadSnapshot(acc.Key)
	if err != nil {
		return fmt.Errorf("load snapshot: %w", err)
	}
	if snap == nil {
		snap = &amo.Snapshot{}
	}
	snap.BaseURL = acc.BaseURL
	acc.snap, acc.state, acc.loaded = snap, st, true
	return nil
}

// sync reads what changed in amoCRM. Changes are saved with the new cursors in one transaction
// before they are used; a sync that fails half-way saves what it read and resumes next time.
func (a *App) sync(ctx context.Context, acc *accountState) error {
	ch, syncErr := acc.Client.Sync(ctx, acc.state)
	if ch != nil {
		if err := a.store.SaveChanges(acc.Key, ch); err != nil {
			return fmt.Errorf("save changes: %w", err)
		}
		// Copy on write: Apply builds new slices, so the bot may keep reading the old view.
		next := *acc.snap
		next.Apply(ch)
		next.BaseURL = acc.BaseURL
		a.pruneEvents(acc, &next)
		acc.snap = &next
		acc.state = ch.State
		for _, w := range ch.Warnings {
			acc.log.Warn("amoCRM sync", "warning", w)
		}
		if ch.Account != nil && !ch.Account.IsAPIFilterEnabled && !acc.filterWarned {
			acc.filterWarned = true
			acc.log.Warn("amoCRM reports is_api_filter_enabled=false: incremental sync relies on the basic updated_at/created_at filters; if changes are missed, report it")
		}
		acc.log.Debug("synced", "full", ch.Full, "requests", ch.Requests, "leads", len(ch.Leads),
			"tasks", len(ch.Tasks), "notes", len(ch.Notes), "events", len(ch.Events))
	}
	a.reportHealth(acc, syncErr)
	if syncErr != nil {
		return fmt.Errorf("sync: %w", syncErr)
	}
	acc.lastSync = a.clock.Now()
	return nil
}

// settings returns the account's stored settings, or the defaults.
func (a *App) settings(account string) (checks.Settings, error) {
	s, ok, err := a.store.LoadSettings(account)
	if err != nil {
		return checks.Settings{}, fmt.Errorf("load settings: %w", err)
	}
	if !ok {
		return checks.DefaultSettings(), nil
	}
	return s, nil
}
