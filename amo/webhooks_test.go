package amo_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"salesguard/amo"
	"salesguard/amo/sandbox"
)

// The webhook methods run against the sandbox over HTTP, which keeps subscriptions and sends
// the changes of its world to them.
func TestWebhookSubscriptionsAgainstTheSandbox(t *testing.T) {
	e := newEnv(t, sandbox.DefaultConfig("tok"), nil)
	ctx := context.Background()
	hooks, err := e.client.Webhooks(ctx)
	if err != nil || len(hooks) != 0 {
		t.Fatalf("none yet: %v %v", hooks, err)
	}
	var mu sync.Mutex
	var bodies []string
	dest := httptest.NewServer(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		bodies = append(bodies, string(b))
		mu.Unlock()
	}))
	t.Cleanup(dest.Close)
	url := dest.URL + "/amocrm/webhook/main/secret-0123456789"
	w, err := e.client.AddWebhook(ctx, url, []string{"add_lead", "status_lead"})
	if err != nil || w.ID == 0 || w.Destination != url || !w.Has("add_lead", "status_lead") || w.Has("note_lead") {
		t.Fatalf("add: %+v %v", w, err)
	}
	if _, err := e.client.AddWebhook(ctx, url, []string{"add_lead", "status_lead", "note_lead"}); err != nil {
		t.Fatal(err)
	}
	hooks, err = e.client.Webhooks(ctx)
	if err != nil || len(hooks) != 1 || hooks[0].ID != w.ID || !hooks[0].Has("note_lead") || hooks[0].Disabled || hooks[0].CreatedAt.IsZero() {
		t.Fatalf("list: %+v %v", hooks, err)
	}

	e.sim.SetQuiet(true)
	id := e.sim.NewLead(e.w.Now(), e.sim.Managers()[0])
	mu.Lock()
	got := append([]string{}, bodies...)
	mu.Unlock()
	if len(got) != 1 {
		t.Fatalf("deliveries after a new lead: %d", len(got))
	}
	p, err := amo.ParseWebhook("application/x-www-form-urlencoded", []byte(got[0]))
	if err != nil || len(p.Items) != 1 || p.Items[0].Action != "add" || p.Items[0].LeadID() != int64(id) {
		t.Fatalf("body %q: %+v %v", got[0], p, err)
	}

	if err := e.client.RemoveWebhook(ctx, url); err != nil {
		t.Fatal(err)
	}
	if err := e.client.RemoveWebhook(ctx, url); err != nil {
		t.Errorf("removing one that is gone: %v", err)
	}
	if hooks, err := e.client.Webhooks(ctx); err != nil || len(hooks) != 0 {
		t.Errorf("after remove: %+v %v", hooks, err)
	}
}

func TestWebhookClientRefusesBadInput(t *testing.T) {
	e := newEnv(t, sandbox.DefaultConfig("tok"), nil)
	ctx := context.Background()
	if _, err := e.client.AddWebhook(ctx, "ftp://x", []string{"add_lead"}); err == nil {
		t.Error("ftp destination accepted")
	}
	if _, err := e.client.AddWebhook(ctx, "https://x.example/h", nil); err == nil {
		t.Error("no events accepted")
	}
	_, err := e.client.AddWebhook(ctx, "https://x.example/h", []string{"eat_lead"})
	var apiErr *amo.APIError
	if !errors.As(err, &apiErr) || apiErr.Status != http.StatusBadRequest {
		t.Errorf("unknown event: %v", err)
	}
	if err := e.client.RemoveWebhook(ctx, "not a url"); err == nil {
		t.Error("bad destination removed")
	}
}
