package app

import (
	"context"

	"salesguard/amo"
	"salesguard/locales"
)

// filterProber is what the filter probe needs of an account's client (*amo.Client); an
// account whose Syncer lacks it is never probed.
type filterProber interface {
	ProbeFilters(ctx context.Context) (amo.FilterProbe, error)
}

// filtersJob is the job key under which the admins' "filters ignored" message is remembered,
// so they are told once, across restarts.
const filtersJob = "filters:ignored"

// probeFilters runs before each sync. After the first full sync, and then daily
// (amo.FilterProbeEvery), it asks amoCRM whether it applies filter[updated_at] and
// filter[created_at] (two requests, through the client's rate limiter). The answer goes into
// the sync state, persisted with the sync's pages: a list whose filter is ignored is read
// newest first down to its cursor, a bounded number of pages a poll. When the account
// ignores a filter (found by the probe or by a scan), a warning is logged and the admins are
// told, once.
func (a *App) probeFilters(ctx context.Context, acc *accountState) {
	if !acc.state.FullDone {
		return // the first sync reads the lists unfiltered, in id order
	}
	if p, ok := acc.Client.(filterProber); ok && acc.state.Filters.Due(a.clock.Now()) {
		a.runFilterProbe(ctx, acc, p)
	}
	if acc.state.Filters.Ignored() {
		a.tellFiltersIgnored(acc)
	}
}

// runFilterProbe probes the filters and records the answer in the account's sync state; a
// failed probe is tried again after amo.FilterProbeRetry.
func (a *App) runFilterProbe(ctx context.Context, acc *accountState, p filterProber) {
	res, err := p.ProbeFilters(ctx)
	if err != nil {
		// The sync that follows meets the same fault and reports it.
		acc.log.Info("amoCRM filter probe failed; it is tried again later", "err", err,
			"retry_in", amo.FilterProbeRetry, "requests", res.Requests)
		acc.state.Filters.NextAt = a.clock.Now().Add(amo.FilterProbeRetry)
		return
	}
	was := acc.state.Filters.Ignored()
	acc.state.Filters = res.State
	f := res.State
	acc.log.Debug("amoCRM filter probe", "updated_at_ignored", f.UpdatedAtIgnored,
		"created_at_ignored", f.CreatedAtIgnored, "requests", res.Requests)
	if was && !f.Ignored() {
		acc.log.Info("amoCRM applies the time filters again: incremental sync by filter window")
	}
}

// tellFiltersIgnored logs a warning and tells the account's admins, in their language, that
// amoCRM ignores the time filters; once per account, remembered under filtersJob.
func (a *App) tellFiltersIgnored(acc *accountState) {
	if t, err := a.store.LastRun(acc.Key, filtersJob); err != nil || !t.IsZero() {
		if err != nil {
			acc.log.Warn("filter notice state", "err", err)
		}
		return
	}
	now := a.clock.Now()
	f := acc.state.Filters
	acc.log.Warn("amoCRM ignores the time filters: incremental sync reads each list newest first down to its cursor",
		"updated_at_ignored", f.UpdatedAtIgnored, "created_at_ignored", f.CreatedAtIgnored,
		"max_pages_per_poll", amo.FallbackPages)
	if err := a.store.SetLastRun(acc.Key, filtersJob, now); err != nil {
		acc.log.Warn("remember filter notice", "err", err)
		return
	}
	a.tellAdmins(acc, now, func(p *locales.Printer) string { return p.T("probe.filters_ignored") })
}
