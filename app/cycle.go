package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"salesguard/amo"
	"salesguard/checks"
	"salesguard/internal/cputime"
	"salesguard/storage"
	"salesguard/workset"
)

// pruneEvery is how often the working set drops what the rules no longer read, and the
// database its old history.
const pruneEvery = time.Hour

// releaseMemory gives the database file's pages back to the page cache after bulk work.
func (a *App) releaseMemory(acc *accountState) {
	if err := a.store.ReleaseMemory(); err != nil {
		acc.log.Debug("release database pages", "err", err)
	}
}

// releaseAbove is how much the database's pages may add to the RSS between two releases
// after small work (releaseSome).
const releaseAbove = 4 << 20

// releaseSome gives the database file's pages back once they hold more than releaseAbove of
// the RSS: after a page saved or a cycle's ledger writes.
func (a *App) releaseSome(acc *accountState) {
	if err := a.store.ReleaseGrown(releaseAbove); err != nil {
		acc.log.Debug("release database pages", "err", err)
	}
}

// alertRules are alerted one by one as soon as they are found; the others are reported in the
// pre-close nudge, the digest and on demand (RULES.md "When").
var alertRules = map[checks.RuleID]bool{
	checks.R1: true, checks.R5: true, checks.R6: true, checks.R7: true,
	checks.R8: true, checks.R9: true, checks.RuleDataHealth: true,
}

// cycle polls one account: sync, prune, evaluation, ledger, reminders, scheduled jobs.
func (a *App) cycle(ctx context.Context, acc *accountState, sync bool) error {
	started, cpu := a.clock.Now(), cputime.Process()
	if err := a.load(acc); err != nil {
		return err
	}
	st := CycleStats{}
	if sync {
		if err := a.sync(ctx, acc, &st); err != nil {
			return err
		}
	}
	return a.cycleSynced(ctx, acc, st, started, cpu)
}

// cycleSynced is the rest of a cycle once the account is loaded and synced (by cycle, or
// ahead with other accounts: then st.CPU counts the process's CPU since the sync started,
// the other accounts' included).
func (a *App) cycleSynced(ctx context.Context, acc *accountState, st CycleStats, started time.Time, cpu time.Duration) error {
	if !acc.state.FullDone {
		return nil // a half-read account would give false findings
	}
	if err := a.prune(acc); err != nil {
		return err
	}
	settings, err := a.settings(acc.Key)
	if err != nil {
		return err
	}
	now := a.clock.Now()
	if err := a.catchUp(acc, settings, now); err != nil {
		return err
	}
	if err := a.evaluate(acc, settings, now, &st); err != nil {
		return err
	}
	if err := a.reminders(acc, settings, now); err != nil {
		return err
	}
	if err := a.runJobs(acc, settings, now); err != nil {
		return err
	}
	a.tellSkipped(acc, now)
	a.releaseSome(acc)
	st.CPU = cputime.Process() - cpu
	acc.lastCycle = st
	level := slog.LevelDebug // an idle cycle
	if st.Full || st.Changed > 0 || st.Items > 0 {
		level = slog.LevelInfo
	}
	acc.log.Log(ctx, level, "cycle", "full", st.Full, "pages", st.Pages, "items", st.Items, "requests", st.Requests,
		"sync", st.Sync.Round(time.Millisecond), "eval", st.Eval.Round(time.Millisecond), "ledger", st.Ledger.Round(time.Millisecond),
		"scopes", st.Scopes, "changed", st.Changed, "opened", st.Opened, "closed", st.Closed,
		"cpu", st.CPU.Round(100*time.Microsecond))
	if !a.firstSync.active() { // a first sync lowers the limit for a while
		a.heap.check(acc.log)
	}
	if !acc.ready {
		acc.ready = true
		acc.log.Info("account ready", "since_start", a.clock.Since(a.started).Round(time.Millisecond),
			"first_cycle", a.clock.Since(started).Round(time.Millisecond))
	}
	if m := a.opt.Metrics; m != nil {
		m.PollDuration.WithLabelValues(acc.Key).Observe(a.clock.Since(started).Seconds())
		m.PollCPU.WithLabelValues(acc.Key).Observe(st.CPU.Seconds())
		m.lastPollOK.Store(now.Unix())
		for _, r := range append(append([]checks.RuleID{}, checks.AllRuleIDs...), checks.RuleDataHealth) {
			m.FindingsOpen.WithLabelValues(acc.Key, string(r)).Set(float64(acc.openByRule[r]))
		}
	}
	return nil
}

// sync reads what changed in amoCRM, page by page: each page is folded into the working set
// and persisted with the state that resumes after it (a first sync's before the next page is
// read, an incremental poll's together at its end: see coalescePages), so a crash at any
// moment resumes from the last saved page. A failed save is returned (the pages are read
// again next time); nothing is skipped.
func (a *App) sync(ctx context.Context, acc *accountState, st *CycleStats) error {
	a.probeFilters(ctx, acc) // after the first full sync and then daily (app/filterprobe.go)
	firstSync := !acc.state.FullDone
	if firstSync {
		defer a.firstSync.enter()()
	}
	started := a.clock.Now()
	stats, syncErr := acc.Client.SyncPages(ctx, acc.state, func(_ context.Context, p *amo.Changes) error {
		return a.savePage(acc, p)
	})
	if err := a.flushUnsaved(acc); err != nil && syncErr == nil {
		syncErr = fmt.Errorf("save the poll's pages: %w", err)
	}
	if firstSync && acc.state.FullDone {
		// The set grew list by list, in power-of-two blocks with spare ones between: carved
		// again, each list is a block of its own length in new pools (workset/carve.go).
		acc.mu.Lock()
		acc.ws.Recarve()
		acc.mu.Unlock()
	}
	st.Pages, st.Items, st.Requests, st.Full = stats.Pages, stats.Items, stats.Requests, stats.Full
	st.Sync = a.clock.Since(started)
	a.reportHealth(acc, syncErr)
	if syncErr != nil {
		return fmt.Errorf("sync: %w", syncErr)
	}
	return nil
}

// coalescePages is how many pages of an incremental poll are saved in one transaction. The
// pages of a poll mostly name the same deals (a lead's page, then its notes', events' and
// tasks' pages), so one transaction writes each changed record once and pays one fsync, not
// one per page (a poll with 100 changed deals reads 8 pages). A crash before the save loses
// nothing: the stored cursor is still the one before these pages, and the next start reads
// them again. The first, full sync saves every page (memory holds at most one page of it).
const coalescePages = 16

// unsavedPages is what an incremental poll applied to the working set and has not saved yet.
type unsavedPages struct {
	pages int
	state amo.SyncState
	meta  bool // a page carried the dictionaries
}

// savePage applies one page to the working set and persists what it changed (with the pages
// before it, during an incremental poll: see coalescePages). When a list is done (the page is
// of another list), what the rules no longer need is dropped: during a first sync the set never
// holds the whole account.
func (a *App) savePage(acc *accountState, p *amo.Changes) error {
	acc.syncPages++
	if p.List != acc.syncList {
		// During the first sync, a list done is pruned at once, so the set never holds the
		// whole account; later polls change little and leave it to the hourly prune.
		if acc.syncList != "" && !acc.state.FullDone {
			if err := a.pruneSet(acc, p.TakenAt); err != nil {
				return err
			}
		}
		acc.syncList = p.List
	}
	restore, err := a.coldRecords(acc, p)
	if err != nil {
		return err
	}
	acc.mu.Lock()
	for _, r := range restore {
		if err := acc.ws.Restore(r.Kind, r.Data); err != nil {
			acc.log.Warn("restore evicted record", "kind", r.Kind, "id", r.ID, "err", err)
		}
	}
	acc.ws.Apply(p)
	acc.mu.Unlock()
	for _, w := range p.Warnings {
		acc.log.Warn("amoCRM sync", "list", p.List, "warning", w)
		acc.skipped.add(w)
	}
	if p.Account != nil && !p.Account.IsAPIFilterEnabled && !acc.filterWarned {
		acc.filterWarned = true
		acc.log.Warn("amoCRM reports is_api_filter_enabled=false: incremental sync relies on the basic updated_at/created_at filters; if changes are missed, report it")
	}
	acc.unsaved.pages++
	acc.unsaved.state = p.State
	acc.unsaved.meta = acc.unsaved.meta || p.Dictionaries
	if acc.state.FullDone && acc.unsaved.pages < coalescePages {
		return nil
	}
	if err := a.flushUnsaved(acc); err != nil {
		return fmt.Errorf("save page of %s: %w", p.List, err)
	}
	return nil
}

// flushUnsaved persists what the pages applied since the last save changed, with the sync
// state that resumes after them, in one transaction. On failure the changes stay queued for
// the next save and the stored cursor stays where it was, so the pages are read again.
func (a *App) flushUnsaved(acc *accountState) error {
	u := acc.unsaved
	if u.pages == 0 {
		return nil
	}
	acc.mu.Lock()
	changes := acc.ws.TakeChanged()
	recs := encodeRecords(acc.ws, changes)
	sizes := acc.ws.Sizes()
	var meta []byte
	if u.meta {
		var err error
		if meta, err = acc.ws.MarshalMeta(); err != nil {
			acc.ws.Requeue(changes)
			acc.mu.Unlock()
			return err
		}
	}
	acc.mu.Unlock()
	acc.unsaved = unsavedPages{}
	if len(recs) == 0 && meta == nil {
		same, err := a.store.SameSyncState(acc.Key, u.state)
		if err == nil && same {
			acc.state = u.state
			return nil // an idle poll writes nothing
		}
	}
	if err := a.store.SavePage(acc.Key, recs, &u.state, meta, sizes); err != nil {
		acc.mu.Lock()
		acc.ws.Requeue(changes)
		acc.mu.Unlock()
		acc.unsaved.meta = u.meta // the dictionaries are still to be saved
		return err
	}
	acc.state = u.state
	a.releaseSome(acc)
	return nil
}

// coldRecords reads the evicted deals and contacts a page names, to restore them first.
func (a *App) coldRecords(acc *accountState, p *amo.Changes) ([]storage.Record, error) {
	acc.mu.RLock()
	deals, contacts := acc.ws.Unknown(p)
	acc.mu.RUnlock()
	var out []storage.Record
	for _, k := range []struct {
		kind workset.RecordKind
		ids  []int64
	}{{workset.RecDeal, deals}, {workset.RecContact, contacts}} {
		found, err := a.store.ColdRecords(acc.Key, k.kind, k.ids)
		if err != nil {
			return nil, err
		}
		for id, data := range found {
			out = append(out, storage.Record{Kind: k.kind, ID: id, Data: data})
		}
	}
	return out, nil
}

// encodeRecords encodes the changed records of a working set for storage.
func encodeRecords(ws *workset.Set, changes []workset.Change) []storage.Record {
	recs := make([]storage.Record, 0, len(changes))
	for _, c := range changes {
		r := storage.Record{Kind: c.Kind, ID: c.ID, Op: c.Op, Data: c.Data}
		if c.Op == workset.OpPut {
			data, ok := ws.Encode(c.Kind, c.ID)
			if !ok && c.Op == workset.OpPut {
				continue // gone again since it changed: a later change says so
			}
			r.Data = data
		}
		recs = append(recs, r)
	}
	return recs
}

// prune drops, once an hour, what the working set no longer needs, and old history from the
// database.
func (a *App) prune(acc *accountState) error {
	now := a.clock.Now()
	if now.Sub(acc.prunedAt) < pruneEvery {
		return nil
	}
	acc.prunedAt = now
	if err := a.pruneSet(acc, now); err != nil {
		return err
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
	return nil
}

// pruneSet drops what the working set no longer needs at now and persists the evictions.
func (a *App) pruneSet(acc *accountState, now time.Time) error {
	acc.mu.Lock()
	ps := acc.ws.Prune(now)
	changes := acc.ws.TakeChanged()
	recs, sizes := encodeRecords(acc.ws, changes), acc.ws.Sizes()
	acc.mu.Unlock()
	if len(recs) > 0 {
		if err := a.store.SavePage(acc.Key, recs, nil, nil, sizes); err != nil {
			acc.mu.Lock()
			acc.ws.Requeue(changes)
			acc.mu.Unlock()
			return fmt.Errorf("save pruned records: %w", err)
		}
	}
	if ps != (workset.PruneStats{}) {
		acc.log.Debug("pruned", "evicted_deals", ps.EvictedDeals, "evicted_contacts", ps.EvictedContacts,
			"dropped_tasks", ps.DroppedTasks, "dropped_pending", ps.DroppedPending)
	}
	a.releaseMemory(acc)
	return nil
}

// evaluate runs the engine at now and reconciles the ledger with the scopes whose findings
// changed, in batches (a first evaluation of a large account opens many).
func (a *App) evaluate(acc *accountState, s checks.Settings, now time.Time, st *CycleStats) error {
	started := a.clock.Now()
	acc.mu.Lock()
	defer acc.mu.Unlock()
	in, err := acc.prepare(s, now)
	if err != nil {
		return fmt.Errorf("checks: %w", err)
	}
	rec := a.newReconciler(acc, s, now)
	err = acc.engine.Step(in, acc.ws.TakeDirty(), func(r checks.ScopeResult) error {
		st.Scopes++
		if !r.Changed {
			return nil
		}
		st.Changed++
		return rec.add(r)
	})
	st.Eval = a.clock.Since(started) - rec.spent
	if err == nil {
		err = rec.flush()
	}
	st.Ledger, st.Opened, st.Closed = rec.spent, rec.opened, rec.closed
	if err != nil {
		return err
	}
	return rec.finish()
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

// errNotReady means an account has not been read yet.
var errNotReady = errors.New("the account has not been read yet: try again after the first poll")
