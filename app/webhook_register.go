package app

import (
	"context"
	"errors"
	"net/url"
	"strings"

	"salesguard/amo"
)

// WebhookClient manages an account's webhook subscriptions (implemented by *amo.Client).
type WebhookClient interface {
	Webhooks(ctx context.Context) ([]amo.Webhook, error)
	AddWebhook(ctx context.Context, destination string, events []string) (amo.Webhook, error)
	RemoveWebhook(ctx context.Context, destination string) error
}

var _ WebhookClient = (*amo.Client)(nil)

// WebhookEvents returns the events SalesGuard subscribes to: whatever changes a lead, its
// tasks, its notes or its contacts, which is what the rules read (API.md §5).
func WebhookEvents() []string {
	return []string{
		"add_lead", "update_lead", "delete_lead", "restore_lead", "status_lead", "responsible_lead", "note_lead",
		"add_contact", "update_contact", "note_contact",
		"add_task", "update_task", "delete_task", "responsible_task",
	}
}

// WebhookURL is the destination amoCRM posts an account's webhooks to: publicURL (where
// amoCRM reaches the service's listener) + /amocrm/webhook/{account}/{secret}.
func WebhookURL(publicURL, account, secret string) string {
	return strings.TrimRight(publicURL, "/") + WebhookPath + url.PathEscape(account) + "/" + url.PathEscape(secret)
}

// RedactSecret replaces secret in s, so an error that quotes a destination can be logged.
func RedactSecret(s, secret string) string {
	if secret == "" {
		return s
	}
	return strings.ReplaceAll(s, secret, "<secret>")
}

// EnsureWebhook makes the account's subscription to this service exactly one: the
// destination WebhookURL(publicURL, account, secret), enabled, with every WebhookEvents. It
// is idempotent: a subscription that is already right is left alone (changed false); one
// disabled by amoCRM or missing events is made again; and other destinations of this
// service for the account (an old secret) are removed.
func EnsureWebhook(ctx context.Context, c WebhookClient, publicURL, account, secret string) (changed bool, err error) {
	if secret == "" {
		return false, errors.New("the account has no webhook secret")
	}
	dest := WebhookURL(publicURL, account, secret)
	ours := WebhookURL(publicURL, account, "")
	hooks, err := c.Webhooks(ctx)
	if err != nil {
		return false, err
	}
	ok := false
	for _, h := range hooks {
		switch {
		case h.Destination == dest && !h.Disabled && h.Has(WebhookEvents()...):
			ok = true
		case h.Destination == dest || strings.HasPrefix(h.Destination, ours):
			if err := c.RemoveWebhook(ctx, h.Destination); err != nil {
				return changed, err
			}
			changed = true
		}
	}
	if ok {
		return changed, nil
	}
	if _, err := c.AddWebhook(ctx, dest, WebhookEvents()); err != nil {
		return changed, err
	}
	return true, nil
}

// RegisterWebhooks subscribes, at start, the webhook of every account with a secret under
// WebhookOptions.PublicURL. An account whose subscription worked is fed by webhooks from then
// on (its poll slows to the safety net); one that failed (the token's user is no admin, the
// plan has no API webhooks, amoCRM is down) keeps its normal poll and the failure is logged
// with the secret hidden: `salesguard webhooks add` tries again by hand.
func (a *App) RegisterWebhooks(ctx context.Context) {
	for _, acc := range a.accounts {
		h := a.hooks[acc.Key]
		if h.secret == "" {
			continue
		}
		c, ok := acc.Client.(WebhookClient)
		if !ok {
			acc.log.Warn("the amoCRM client cannot manage webhooks: polling as usual")
			continue
		}
		changed, err := EnsureWebhook(ctx, c, a.opt.Webhooks.PublicURL, acc.Key, h.secret)
		if err != nil {
			if ctx.Err() != nil {
				return
			}
			acc.log.Warn("register the amoCRM webhook: polling as usual; see `salesguard webhooks add`",
				"err", RedactSecret(err.Error(), h.secret), "poll_interval", a.opt.PollInterval)
			continue
		}
		h.setOn(true)
		acc.log.Info("amoCRM webhook registered", "changed", changed, "events", len(WebhookEvents()),
			"destination", RedactSecret(WebhookURL(a.opt.Webhooks.PublicURL, acc.Key, h.secret), h.secret),
			"safety_poll", a.opt.Webhooks.Poll)
	}
}
