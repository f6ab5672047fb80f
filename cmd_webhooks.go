package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"salesguard/amo"
	"salesguard/app"
	"salesguard/storage"
)

// webhooksUsage is the synopsis of `salesguard webhooks`.
const webhooksUsage = "usage: salesguard webhooks list|add|remove [--account KEY] [--url URL]"

// cmdWebhooks manages an account's amoCRM webhook subscriptions by hand (README "Webhooks"):
// list shows them (this service's secret hidden), add subscribes this service (idempotent:
// the URL under SALESGUARD_PUBLIC_URL, or --url) and remove unsubscribes it. The token's user
// must be an account admin.
func cmdWebhooks(ctx context.Context, e env) error {
	if len(e.args) == 0 || strings.HasPrefix(e.args[0], "-") {
		return usagef("%s", webhooksUsage)
	}
	sub := e.args[0]
	fs := flag.NewFlagSet("webhooks "+sub, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	key := fs.String("account", "main", "the configured account")
	dest := fs.String("url", "", "the destination (default: SALESGUARD_PUBLIC_URL/amocrm/webhook/<account>/<AMO_WEBHOOK_SECRET>)")
	if err := fs.Parse(e.args[1:]); err != nil {
		return usagef("%v", err)
	}
	if fs.NArg() > 0 {
		return usagef("webhooks %s: unexpected argument %q", sub, fs.Arg(0))
	}
	if sub != "list" && sub != "add" && sub != "remove" {
		return usagef("webhooks: unknown %q; %s", sub, webhooksUsage)
	}
	cfg, err := ConfigFromEnv(e.getenv, true)
	if err != nil {
		return err
	}
	acc, ok := findAccount(cfg, *key)
	if !ok {
		return usagef("--account %q is not configured", *key)
	}
	c, closeDB, err := webhookClient(cfg, acc, e.stderr)
	if err != nil {
		return err
	}
	defer closeDB()
	w := webhookCmd{c: c, cfg: cfg, acc: acc, out: e.stdout}
	switch sub {
	case "list":
		err = w.list(ctx)
	case "add":
		err = w.add(ctx, *dest)
	default:
		err = w.remove(ctx, *dest)
	}
	return explainWebhookError(err, acc.WebhookSecret)
}

// webhookClient builds the account's amoCRM client; OAuth tokens come from the database
// (closed by the returned func).
func webhookClient(cfg Config, acc AccountConfig, stderr io.Writer) (*amo.Client, func(), error) {
	log := newLogger(cfg, stderr)
	var tokens amo.TokenStore
	closeDB := func() {}
	if db, err := storage.Open(cfg.DB, storage.Options{Timeout: 200 * time.Millisecond}); err == nil {
		tokens, closeDB = db.TokenStore(acc.Key), func() { db.Close() }
	} else if acc.Token == "" {
		return nil, nil, fmt.Errorf("OAuth tokens live in the database: %w", err)
	}
	c, err := newAmoClient(acc, tokens, log, nil)
	if err != nil {
		closeDB()
		return nil, nil, &ConfigError{Problems: []string{fmt.Sprintf("account %s: %v", acc.Key, err)}}
	}
	return c, closeDB, nil
}

// webhookCmd runs one webhooks subcommand.
type webhookCmd struct {
	c   *amo.Client
	cfg Config
	acc AccountConfig
	out io.Writer
}

// ours is this service's destination for the account, "" without a public URL or a secret.
func (w webhookCmd) ours() string {
	if w.cfg.PublicURL == "" || w.acc.WebhookSecret == "" {
		return ""
	}
	return app.WebhookURL(w.cfg.PublicURL, w.acc.Key, w.acc.WebhookSecret)
}

func (w webhookCmd) list(ctx context.Context) error {
	hooks, err := w.c.Webhooks(ctx)
	if err != nil {
		return err
	}
	if len(hooks) == 0 {
		fmt.Fprintf(w.out, "account %s: no webhooks\n", w.acc.Key)
		return nil
	}
	fmt.Fprintf(w.out, "%-10s %-8s %-6s %s\n", "ID", "STATE", "EVENTS", "DESTINATION")
	for _, h := range hooks {
		state, note := "enabled", ""
		if h.Disabled {
			state = "disabled"
		}
		if d := w.ours(); d != "" && h.Destination == d {
			note = "  (this service"
			if !h.Has(app.WebhookEvents()...) {
				note += ", events missing: run webhooks add"
			}
			note += ")"
		}
		fmt.Fprintf(w.out, "%-10d %-8s %-6d %s%s\n", h.ID, state, len(h.Settings), app.RedactSecret(h.Destination, w.acc.WebhookSecret), note)
	}
	return nil
}

func (w webhookCmd) add(ctx context.Context, dest string) error {
	if dest != "" {
		h, err := w.c.AddWebhook(ctx, dest, app.WebhookEvents())
		if err != nil {
			return err
		}
		fmt.Fprintf(w.out, "webhook %d subscribed: %s (%d events)\n", h.ID, app.RedactSecret(dest, w.acc.WebhookSecret), len(app.WebhookEvents()))
		return nil
	}
	if w.ours() == "" {
		return usagef("webhooks add needs SALESGUARD_PUBLIC_URL and %s, or --url", secretVar(w.acc.Key))
	}
	changed, err := app.EnsureWebhook(ctx, w.c, w.cfg.PublicURL, w.acc.Key, w.acc.WebhookSecret)
	if err != nil {
		return err
	}
	what := "already subscribed"
	if changed {
		what = "subscribed"
	}
	fmt.Fprintf(w.out, "webhook %s: %s (%d events)\n", what, app.RedactSecret(w.ours(), w.acc.WebhookSecret), len(app.WebhookEvents()))
	return nil
}

func (w webhookCmd) remove(ctx context.Context, dest string) error {
	if dest == "" {
		dest = w.ours()
	}
	if dest == "" {
		return usagef("webhooks remove needs --url, or SALESGUARD_PUBLIC_URL and %s", secretVar(w.acc.Key))
	}
	if err := w.c.RemoveWebhook(ctx, dest); err != nil {
		return err
	}
	fmt.Fprintf(w.out, "webhook removed: %s\n", app.RedactSecret(dest, w.acc.WebhookSecret))
	return nil
}

// secretVar names an account's webhook secret variable.
func secretVar(key string) string {
	if key == "main" {
		return "AMO_WEBHOOK_SECRET"
	}
	return "AMO_" + strings.ToUpper(strings.ReplaceAll(key, "-", "_")) + "_WEBHOOK_SECRET"
}

// explainWebhookError says what an amoCRM refusal means here, with the secret hidden.
func explainWebhookError(err error, secret string) error {
	var ue *usageError
	switch {
	case err == nil || errors.As(err, &ue) || errors.Is(err, context.Canceled):
		return err
	case errors.Is(err, amo.ErrForbidden):
		return fmt.Errorf("%s: managing webhooks needs a token of an account administrator", app.RedactSecret(err.Error(), secret))
	case errors.Is(err, amo.ErrPaymentRequired):
		return fmt.Errorf("%s: webhooks through the API need the Advanced or Professional plan", app.RedactSecret(err.Error(), secret))
	}
	return errors.New(app.RedactSecret(err.Error(), secret))
}
