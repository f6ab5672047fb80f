package app

import (
	"errors"
	"time"

	"salesguard/amo"
	"salesguard/locales"
	"salesguard/notify"
)

// syncHealth names what a failed sync means for the admin; "" for a passing fault that is only
// logged (a timeout, a 5xx that outlived the retries).
func syncHealth(err error) string {
	switch {
	case err == nil:
		return "ok"
	case errors.Is(err, amo.ErrReauthorize):
		return "reauthorize"
	case errors.Is(err, amo.ErrUnauthorized):
		return "unauthorized"
	case errors.Is(err, amo.ErrPaymentRequired):
		return "payment_required"
	case errors.Is(err, amo.ErrBanned):
		return "banned"
	case errors.Is(err, amo.ErrRateLimited):
		return "rate_limited"
	}
	return ""
}

// healthJob is the job key under which the last reported health state is remembered, so the
// admins hear of a problem once, and once more when it is over.
const healthJob = "health:"

// reportHealth tells the admins when an account's sync starts failing for a reason they must
// act on, and when it works again. Each state is reported once, across restarts.
func (a *App) reportHealth(acc *accountState, err error) {
	state := syncHealth(err)
	if state == "" || state == acc.health {
		return
	}
	prev := acc.health
	acc.health = state
	if prev == "" {
		// First cycle since start: the stored state says whether this was already reported.
		if t, lerr := a.store.LastRun(acc.Key, healthJob+state); lerr == nil && !t.IsZero() {
			return
		}
		if state == "ok" {
			return
		}
	}
	now := a.clock.Now()
	for _, s := range []string{"ok", "reauthorize", "unauthorized", "payment_required", "banned", "rate_limited"} {
		at := time.Time{}
		if s == state {
			at = now
		}
		if err := a.store.SetLastRun(acc.Key, healthJob+s, at); err != nil {
			acc.log.Warn("remember health", "err", err)
		}
	}
	loc := a.location(acc)
	a.tellAdmins(acc, now, func(p *locales.Printer) string {
		switch state {
		case "ok":
			return p.T("health.ok", p.DateTime(now.In(loc)))
		case "banned":
			return p.T("health.banned", p.Duration(amo.DefaultBanCooldown))
		case "reauthorize":
			return p.T("health.reauthorize_code")
		}
		return p.T("health." + state)
	})
}

// tellAdmins queues a data-health notice to each of the account's admins, in their language:
// the title, then text.
func (a *App) tellAdmins(acc *accountState, now time.Time, text func(p *locales.Printer) string) {
	acc.mu.RLock()
	dir, err := a.directory(acc)
	acc.mu.RUnlock()
	if err != nil {
		acc.log.Warn("admins to tell", "err", err)
		return
	}
	for _, r := range dir.admins {
		p := a.opt.Catalog.Printer(r.Lang)
		m := notify.Message{Account: acc.Key, ChatID: r.Chat, Kind: notify.KindDataHealth, Plain: true,
			Text: p.T("health.title") + "\n" + text(p)}
		if _, err := a.store.Enqueue(m, now); err != nil {
			acc.log.Warn("enqueue a notice to the admins", "err", err)
		}
	}
}

// location is the account's time zone, or UTC before the first sync.
func (a *App) location(acc *accountState) *time.Location {
	acc.mu.RLock()
	defer acc.mu.RUnlock()
	if acc.ws != nil {
		if loc, err := time.LoadLocation(acc.ws.Dict().Account.TimeZone); err == nil {
			return loc
		}
	}
	return time.UTC
}
