package app

import (
	"sync"
	"time"

	"salesguard/amo"
)

// Timing of the syncs webhooks ask for (README "Webhooks").
const (
	// DefaultWebhookPoll is the safety-net poll of an account fed by webhooks: amoCRM may drop
	// a webhook or disable the subscription, so the account is still read this often.
	DefaultWebhookPoll = 10 * time.Minute
	// hookGap is the least time between two syncs webhooks ask for. The first webhook after a
	// quiet spell is synced at once; the webhooks that come during or just after that sync are
	// folded into one more sync hookGap later, so a burst costs two syncs, not one per webhook,
	// and the client's rate limiter is never pushed.
	hookGap = 2 * time.Second
	// hookRetry is when a sync that a webhook asked for and that failed is tried again (the
	// poll would come only at the safety net).
	hookRetry = 30 * time.Second
	// hookRechecks bounds the extra syncs for a webhook whose change the API did not show
	// yet (amoCRM may send it before its API serves the change).
	hookRechecks = 2
	// maxHintedLeads bounds the leads a pending hint remembers; more are synced all the same.
	maxHintedLeads = 256
)

// hookState is one account's webhook side: its secret, whether webhooks feed it, and the
// hint the receiver left for the loop. The receiver and the loop run in different goroutines.
type hookState struct {
	secret string // AMO_WEBHOOK_SECRET; empty = this account takes no webhooks

	mu       sync.Mutex
	on       bool                // webhooks feed the account: the poll is a safety net
	dirty    bool                // a webhook came that no sync has read yet
	since    time.Time           // when the pending hint may be synced at the earliest
	leads    map[int64]time.Time // hinted leads and the change time the webhook claims (zero: none)
	rechecks int                 // syncs already run again for leads the API did not show
	hintSync time.Time           // when the last sync a hint asked for started
	syncedOK time.Time           // when the last successful sync started
}

// hint is what a sync took from the receiver.
type hint struct {
	pending  bool
	leads    map[int64]time.Time
	rechecks int
}

// setOn records whether webhooks feed the account.
func (h *hookState) setOn(on bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.on = on
}

// isOn reports whether webhooks feed the account.
func (h *hookState) isOn() bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.on
}

// mark records a webhook: the account is dirty, and the leads it names are remembered with
// the change time it claims, to check after the sync that the API showed them.
func (h *hookState) mark(now time.Time, p amo.WebhookPayload) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if !h.dirty {
		h.dirty, h.since = true, now
	}
	h.rechecks = 0
	for _, it := range p.Items {
		id := it.LeadID()
		if id == 0 || it.Action == "delete" {
			continue
		}
		h.addLead(id, it.Modified)
	}
}

func (h *hookState) addLead(id int64, at time.Time) {
	if h.leads == nil {
		h.leads = map[int64]time.Time{}
	}
	was, known := h.leads[id]
	if !known && len(h.leads) >= maxHintedLeads {
		return
	}
	if !known || at.After(was) {
		h.leads[id] = at
	}
}

// due returns when the pending hint may be synced: at once after a quiet spell, else hookGap
// after the last sync a hint asked for; ok is false without a hint.
func (h *hookState) due() (at time.Time, ok bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if !h.dirty {
		return time.Time{}, false
	}
	at = h.since
	if next := h.hintSync.Add(hookGap); next.After(at) {
		at = next
	}
	return at, true
}

// pollDue reports whether the poll should sync the account at now: always without webhooks,
// else when the safety net's interval has passed since the last good sync.
func (h *hookState) pollDue(now time.Time, safety time.Duration) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	return !h.on || h.dirty || now.Sub(h.syncedOK) >= safety
}

// take hands the pending hint to a sync starting at now.
func (h *hookState) take(now time.Time) hint {
	h.mu.Lock()
	defer h.mu.Unlock()
	t := hint{pending: h.dirty, leads: h.leads, rechecks: h.rechecks}
	if h.dirty {
		h.hintSync = now
	}
	h.dirty, h.leads, h.rechecks = false, nil, 0
	return t
}

// synced records how a sync that started at now ended. A failed sync that a webhook asked
// for is tried again after hookRetry; the hinted leads the API did not show yet (stale) are
// asked for again, at most hookRechecks times.
func (h *hookState) synced(now time.Time, ok bool, t hint, stale map[int64]time.Time) {
	h.mu.Lock()
	defer h.mu.Unlock()
	again := stale
	switch {
	case ok:
		h.syncedOK = now
		if len(stale) == 0 || t.rechecks >= hookRechecks {
			return
		}
	case !t.pending:
		return
	default:
		again = t.leads
	}
	at := now
	if !ok {
		at = now.Add(hookRetry)
	}
	if !h.dirty || at.Before(h.since) {
		h.since = at
	}
	h.dirty = true
	h.rechecks = max(h.rechecks, t.rechecks+1)
	for id, when := range again {
		h.addLead(id, when)
	}
}
