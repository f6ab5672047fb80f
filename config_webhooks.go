package main

import (
	"fmt"
	"strings"
	"time"
)

// The webhook side of the configuration (README "Webhooks"): the one HTTP listener, the
// public URL amoCRM posts to, each account's secret and the safety-net poll.

// Bounds of a webhook secret: it is a path segment of the URL amoCRM posts to, so only URL
// characters that need no escaping.
const (
	minWebhookSecret = 16
	maxWebhookSecret = 128
)

// httpAddr reads SALESGUARD_HTTP_ADDR, or its alias METRICS_ADDR; both set to different
// addresses is a problem (one listener serves everything).
func (r *envReader) httpAddr() string {
	addr, alias := r.str("SALESGUARD_HTTP_ADDR"), r.str("METRICS_ADDR")
	switch {
	case addr == "":
		return alias
	case alias != "" && alias != addr:
		r.problems = append(r.problems, fmt.Sprintf("SALESGUARD_HTTP_ADDR=%q and METRICS_ADDR=%q differ: "+
			"one listener serves webhooks, /healthz and /metrics; METRICS_ADDR is its old name, set one", addr, alias))
	}
	return addr
}

// webhookSecret reads an account's webhook secret (or its _FILE); never echoed in a problem.
func (r *envReader) webhookSecret(name string) string {
	v := r.secret(name)
	if v == "" {
		return ""
	}
	if len(v) < minWebhookSecret || len(v) > maxWebhookSecret || strings.Trim(v, urlSafe) != "" {
		r.problems = append(r.problems, fmt.Sprintf("%s: want %d to %d letters, digits, '-', '_', '.' or '~' "+
			"(it is part of the webhook URL), e.g. `openssl rand -hex 24`", name, minWebhookSecret, maxWebhookSecret))
		return ""
	}
	return v
}

// urlSafe are the characters a URL path segment carries unescaped (RFC 3986 unreserved).
const urlSafe = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~"

// webhooks reads SALESGUARD_PUBLIC_URL and WEBHOOK_POLL_INTERVAL and checks that the pieces
// fit: a secret needs the listener, the public URL needs the listener and a secret.
func (r *envReader) webhooks(c *Config) {
	if v := r.str("SALESGUARD_PUBLIC_URL"); v != "" {
		r.url("SALESGUARD_PUBLIC_URL", v)
		if strings.ContainsAny(v, "?#") {
			r.problems = append(r.problems, fmt.Sprintf("SALESGUARD_PUBLIC_URL=%q: want a URL without a query or fragment", v))
		}
		c.PublicURL = strings.TrimRight(v, "/")
	}
	r.duration(&c.WebhookPoll, "WEBHOOK_POLL_INTERVAL", time.Minute)
	switch {
	case c.webhooks() && c.MetricsAddr == "":
		r.problems = append(r.problems, "a webhook secret is set but SALESGUARD_HTTP_ADDR is not: "+
			"webhooks need the listener (e.g. SALESGUARD_HTTP_ADDR=:8080)")
	case c.PublicURL != "" && !c.webhooks():
		r.problems = append(r.problems, "SALESGUARD_PUBLIC_URL is set but no account has a webhook secret: "+
			"set AMO_WEBHOOK_SECRET (or AMO_<NAME>_WEBHOOK_SECRET), or unset SALESGUARD_PUBLIC_URL")
	}
}

// webhooks reports whether some account takes webhooks.
func (c Config) webhooks() bool {
	for _, a := range c.Accounts {
		if a.WebhookSecret != "" {
			return true
		}
	}
	return false
}
