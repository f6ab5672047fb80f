package app

import (
	"testing"
	"time"

	"salesguard/amo"
)

func TestHookStateTiming(t *testing.T) {
	t0 := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	lead := func(id int64, at time.Time) amo.WebhookPayload {
		return amo.WebhookPayload{Items: []amo.WebhookItem{{Entity: "leads", Action: "update", ID: id, Modified: at}}}
	}
	h := &hookState{secret: "s", on: true}
	if _, ok := h.due(); ok {
		t.Fatal("due without a webhook")
	}
	h.mark(t0, lead(1, t0))
	if at, ok := h.due(); !ok || !at.Equal(t0) {
		t.Fatalf("first webhook after a quiet spell: due %v %v, want at once", at, ok)
	}
	taken := h.take(t0)
	if !taken.pending || len(taken.leads) != 1 {
		t.Fatalf("taken %+v", taken)
	}
	h.mark(t0.Add(time.Second), lead(2, t0))
	if at, _ := h.due(); !at.Equal(t0.Add(hookGap)) {
		t.Errorf("webhook during a sync: due %v, want %v (the gap)", at, t0.Add(hookGap))
	}
	h.synced(t0, true, taken, nil)
	if !h.syncedOK.Equal(t0) {
		t.Error("a good sync is not remembered")
	}

	// A failed sync that a webhook asked for is tried again after hookRetry.
	t1 := t0.Add(time.Hour)
	taken = h.take(t1)
	h.synced(t1, false, taken, nil)
	if at, ok := h.due(); !ok || !at.Equal(t1.Add(hookRetry)) {
		t.Errorf("after a failed sync: due %v %v, want %v", at, ok, t1.Add(hookRetry))
	}

	// Leads the API does not show yet are asked for again, at most hookRechecks times.
	t2 := t1.Add(time.Hour)
	h.take(t2)
	h.mark(t2, lead(3, t2.Add(time.Minute)))
	for i := 0; i <= hookRechecks+1; i++ {
		taken = h.take(t2)
		h.synced(t2, true, taken, taken.leads)
		_, ok := h.due()
		if want := i < hookRechecks; ok != want {
			t.Errorf("recheck %d: pending %v, want %v", i+1, ok, want)
		}
	}
}

func TestHookStateSafetyNet(t *testing.T) {
	t0 := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	h := &hookState{secret: "s"}
	if !h.pollDue(t0, DefaultWebhookPoll) {
		t.Error("webhooks off: the poll must sync")
	}
	h.setOn(true)
	h.synced(t0, true, hint{}, nil)
	if h.pollDue(t0.Add(DefaultWebhookPoll-time.Second), DefaultWebhookPoll) {
		t.Error("webhooks on: the poll synced before the safety net")
	}
	if !h.pollDue(t0.Add(DefaultWebhookPoll), DefaultWebhookPoll) {
		t.Error("webhooks on: the safety net did not sync")
	}
	h.mark(t0.Add(time.Second), amo.WebhookPayload{})
	if !h.pollDue(t0.Add(time.Second), DefaultWebhookPoll) {
		t.Error("a pending webhook is not synced by the poll")
	}
}

func TestHookStateBoundsLeads(t *testing.T) {
	h := &hookState{}
	var p amo.WebhookPayload
	for i := int64(1); i <= 2*maxHintedLeads; i++ {
		p.Items = append(p.Items, amo.WebhookItem{Entity: "leads", Action: "add", ID: i})
	}
	p.Items = append(p.Items, amo.WebhookItem{Entity: "leads", Action: "delete", ID: 1})
	h.mark(time.Now(), p)
	if len(h.leads) != maxHintedLeads {
		t.Errorf("remembers %d leads, want %d", len(h.leads), maxHintedLeads)
	}
}
