package amo

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"time"
)

// Webhook is one webhook subscription of the account: amoCRM posts the events named in
// Settings to Destination (API.md §5).
type Webhook struct {
	ID          int64
	Destination string
	Settings    []string // add_lead, status_lead, note_lead, add_task, …
	Disabled    bool     // amoCRM turned it off after too many failed deliveries
	Sort        int64
	CreatedBy   UserID
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// Has reports whether the subscription includes every one of the events.
func (w Webhook) Has(events ...string) bool {
	for _, e := range events {
		found := false
		for _, s := range w.Settings {
			if s == e {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// wireWebhook is a webhook as API v4 sends it.
type wireWebhook struct {
	ID          flexInt               `json:"id"`
	Destination flexString            `json:"destination"`
	Settings    tolerantSlice[string] `json:"settings"`
	Disabled    bool                  `json:"disabled"`
	Sort        flexInt               `json:"sort"`
	CreatedBy   flexInt               `json:"created_by"`
	CreatedAt   unixTime              `json:"created_at"`
	UpdatedAt   unixTime              `json:"updated_at"`
}

func (w *wireWebhook) model() Webhook {
	return Webhook{ID: int64(w.ID), Destination: string(w.Destination), Settings: append([]string{}, w.Settings...),
		Disabled: w.Disabled, Sort: int64(w.Sort), CreatedBy: UserID(w.CreatedBy),
		CreatedAt: w.CreatedAt.Time, UpdatedAt: w.UpdatedAt.Time}
}

// Webhooks returns the account's webhook subscriptions (at most 100 per account, one page).
// It needs an admin token.
// API: GET /api/v4/webhooks
func (c *Client) Webhooks(ctx context.Context) ([]Webhook, error) {
	body, err := c.get(ctx, "/api/v4/webhooks", nil)
	if err != nil {
		return nil, fmt.Errorf("list webhooks: %w", err)
	}
	out := []Webhook{}
	if body == nil { // 204: none
		return out, nil
	}
	var page struct {
		Embedded object[struct {
			Webhooks tolerantSlice[wireWebhook] `json:"webhooks"`
		}] `json:"_embedded"`
	}
	if err := decodeJSON(body, &page); err != nil {
		return nil, fmt.Errorf("list webhooks: decode: %w", err)
	}
	for _, w := range page.Embedded.V.Webhooks {
		if w.ID > 0 {
			out = append(out, w.model())
		}
	}
	return out, nil
}

// AddWebhook subscribes destination to the events. amoCRM keeps one subscription per
// destination, so adding one that exists replaces its events. It needs an admin token and
// the Advanced or Professional plan.
// API: POST /api/v4/webhooks
func (c *Client) AddWebhook(ctx context.Context, destination string, events []string) (Webhook, error) {
	if err := checkDestination(destination); err != nil {
		return Webhook{}, err
	}
	if len(events) == 0 {
		return Webhook{}, errors.New("add webhook: no events to subscribe to")
	}
	body := map[string]any{"destination": destination, "settings": events}
	r, err := c.do(ctx, http.MethodPost, "/api/v4/webhooks", nil, body, true)
	if err != nil {
		return Webhook{}, fmt.Errorf("add webhook: %w", err)
	}
	var w wireWebhook
	if r.status == http.StatusNoContent || decodeJSON(r.body, &w) != nil || w.ID == 0 {
		// The subscription exists all the same; what it looks like is in the list.
		return Webhook{Destination: destination, Settings: append([]string{}, events...)}, nil
	}
	return w.model(), nil
}

// RemoveWebhook unsubscribes destination. Removing one that does not exist is not an error.
// API: DELETE /api/v4/webhooks
func (c *Client) RemoveWebhook(ctx context.Context, destination string) error {
	if err := checkDestination(destination); err != nil {
		return err
	}
	_, err := c.do(ctx, http.MethodDelete, "/api/v4/webhooks", nil, map[string]any{"destination": destination}, true)
	if err != nil && !errors.Is(err, ErrNotFound) {
		return fmt.Errorf("remove webhook: %w", err)
	}
	return nil
}

// checkDestination refuses what amoCRM would: a destination that is not an absolute http(s)
// URL.
func checkDestination(d string) error {
	u, err := url.Parse(d)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return errors.New("webhook destination: want an absolute http(s) URL")
	}
	return nil
}
