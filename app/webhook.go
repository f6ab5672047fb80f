package app

import (
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"io"
	"net/http"
	"time"

	"salesguard/amo"
)

// The amoCRM webhook receiver (README "Webhooks"): amoCRM posts to
// POST /amocrm/webhook/{account}/{secret} when a lead, its notes, tasks or contacts change.
// A webhook is only a hint: the receiver checks the secret, reads the body (at most
// MaxWebhookBody), marks the account dirty with the ids it names and wakes the loop, which
// syncs the account from amoCRM at once. Nothing in the body is trusted as data, and no work
// is done in the handler, so it answers at once (amoCRM disables a hook that takes over 2 s).

// WebhookPath is the path prefix of the receiver; the full path is WebhookPath +
// "{account}/{secret}".
const WebhookPath = "/amocrm/webhook/"

// MaxWebhookBody is the largest webhook body read; a longer one gets 413.
const MaxWebhookBody = 1 << 20

// WithWebhooks serves the webhook receiver beside h (the metrics, health and backup routes),
// so one listener takes them all. Anything else under WebhookPath is a 404.
func (a *App) WithWebhooks(h http.Handler) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST "+WebhookPath+"{account}/{secret}", a.serveWebhook)
	mux.Handle(WebhookPath, http.NotFoundHandler())
	mux.Handle("/", h)
	return mux
}

// serveWebhook takes one webhook. An unknown account and a wrong secret get the same bare
// 404, after the same work (the secrets are compared as SHA-256 digests in constant time), so
// a prober learns nothing; the secret is never logged.
func (a *App) serveWebhook(w http.ResponseWriter, r *http.Request) {
	key := r.PathValue("account")
	hs := a.hooks[key]
	want := ""
	if hs != nil {
		want = hs.secret
	}
	got, exp := sha256.Sum256([]byte(r.PathValue("secret"))), sha256.Sum256([]byte(want))
	if subtle.ConstantTimeCompare(got[:], exp[:]) != 1 || want == "" {
		a.countWebhook("", "rejected")
		http.NotFound(w, r)
		return
	}
	if r.ContentLength > MaxWebhookBody {
		a.countWebhook(key, "too_large")
		http.Error(w, http.StatusText(http.StatusRequestEntityTooLarge), http.StatusRequestEntityTooLarge)
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxWebhookBody))
	var tooLarge *http.MaxBytesError
	switch {
	case errors.As(err, &tooLarge):
		a.countWebhook(key, "too_large")
		http.Error(w, http.StatusText(http.StatusRequestEntityTooLarge), http.StatusRequestEntityTooLarge)
		return
	case err != nil:
		a.countWebhook(key, "unreadable")
		http.Error(w, http.StatusText(http.StatusBadRequest), http.StatusBadRequest)
		return
	}
	p, perr := amo.ParseWebhook(r.Header.Get("Content-Type"), body)
	result := "ok"
	if perr != nil {
		result = "unparsed" // still a sign that something changed: the sync will tell what
	}
	a.countWebhook(key, result)
	a.hint(hs, p)
	a.log.Debug("amoCRM webhook", "account", key, "items", len(p.Items), "truncated", p.Truncated, "parsed", perr == nil)
	w.WriteHeader(http.StatusOK)
}

// hint marks an account dirty and wakes the loop; it never blocks.
func (a *App) hint(hs *hookState, p amo.WebhookPayload) {
	hs.mark(a.clock.Now(), p)
	select {
	case a.hinted <- struct{}{}:
	default: // the loop is already woken
	}
	if m := a.opt.Metrics; m != nil {
		m.lastWebhook.Store(a.clock.Now().Unix())
	}
}

// countWebhook counts a received webhook by account and result.
func (a *App) countWebhook(account, result string) {
	if m := a.opt.Metrics; m != nil {
		m.WebhooksReceived.WithLabelValues(account, result).Inc()
	}
}

// hintDue returns the earliest moment a pending hint of some account may be synced; ok is
// false when no account has one.
func (a *App) hintDue() (at time.Time, ok bool) {
	for _, acc := range a.accounts {
		if t, pending := a.hooks[acc.Key].due(); pending && (!ok || t.Before(at)) {
			at, ok = t, true
		}
	}
	return at, ok
}

// syncPlan decides whether a cycle of acc syncs: when a webhook's hint is due, and on the
// poll (poll true) unless webhooks feed the account and its safety net is not due. What it
// takes from the receiver is returned for afterSync.
func (a *App) syncPlan(acc *accountState, poll bool) (bool, hint) {
	h, now := a.hooks[acc.Key], a.clock.Now()
	at, pending := h.due()
	if !(pending && !at.After(now)) && !(poll && h.pollDue(now, a.opt.Webhooks.Poll)) {
		return false, hint{}
	}
	return true, h.take(now)
}

// afterSync records how the sync of a cycle went and asks for another sync of the leads a
// webhook named that the working set still shows older than the webhook said.
func (a *App) afterSync(acc *accountState, started time.Time, t hint, err error) {
	var stale map[int64]time.Time
	if err == nil && len(t.leads) > 0 {
		acc.mu.RLock()
		for id, at := range t.leads {
			if at.IsZero() || acc.ws == nil {
				continue
			}
			if d := acc.ws.DealByID(amo.LeadID(id)); d == nil || d.Updated < at.Unix() {
				if stale == nil {
					stale = map[int64]time.Time{}
				}
				stale[id] = at
			}
		}
		acc.mu.RUnlock()
		if len(stale) > 0 {
			acc.log.Debug("webhook named leads the API does not show yet: syncing again", "leads", len(stale), "recheck", t.rechecks+1)
		}
	}
	a.hooks[acc.Key].synced(started, err == nil, t, stale)
}
