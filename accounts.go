package main

import (
	"context"
	"fmt"
	"log/slog"
	"strconv"
	"time"

	"salesguard/amo"
	"salesguard/app"
	"salesguard/bot"
)

// newAmoClient builds the client of one configured account. tokens may be nil for a
// long-lived token; OAuth needs the database's token store.
// AMO_RATE_LIMIT=0 (a loopback sandbox only) turns the client's limiter off.
func newAmoClient(a AccountConfig, tokens amo.TokenStore, log *slog.Logger, onRequest func(string, int, time.Duration)) (*amo.Client, error) {
	return amo.New(amoConfig(a, tokens, log, onRequest))
}

// amoConfig is the amoCRM client configuration of an account.
func amoConfig(a AccountConfig, tokens amo.TokenStore, log *slog.Logger, onRequest func(string, int, time.Duration)) amo.Config {
	bans, _ := tokens.(amo.BanStore) // the database's token store keeps the ban cool-down too
	return amo.Config{
		BaseURL: a.BaseURL,
		Token:   a.Token,
		OAuth: amo.OAuthConfig{
			ClientID: a.ClientID, ClientSecret: a.ClientSecret,
			RedirectURI: a.RedirectURI, AuthCode: a.AuthCode,
		},
		Tokens:    tokens,
		Bans:      bans,
		RateLimit: clientRateLimit(a),
		Logger:    log.With("account", a.Key),
		OnRequest: onRequest,
	}
}

// authCodes hands the authorization codes admins send to the bot (/amocode) to the amoCRM
// client of their account.
type authCodes map[string]interface {
	UseAuthCode(ctx context.Context, code string) error
}

var _ bot.CodeReceiver = authCodes(nil)

// amoCodes maps each account that takes authorization codes to its client.
func amoCodes(accounts []app.Account) authCodes {
	m := authCodes{}
	for _, a := range accounts {
		if c, ok := a.Client.(interface {
			UseAuthCode(ctx context.Context, code string) error
		}); ok {
			m[a.Key] = c
		}
	}
	return m
}

// UseAuthCode implements bot.CodeReceiver.
func (m authCodes) UseAuthCode(ctx context.Context, account, code string) error {
	c, ok := m[account]
	if !ok {
		return fmt.Errorf("account %s has no amoCRM client that takes authorization codes", account)
	}
	return c.UseAuthCode(ctx, code)
}

// clientRateLimit maps an account's rate limit to amo.Config: 0 means no limit for a loopback
// sandbox (amo.Unlimited) and amo's default anywhere else, so a zero AccountConfig never
// floods amoCRM.
func clientRateLimit(a AccountConfig) float64 {
	if a.RateLimit == 0 && amo.IsLoopbackURL(a.BaseURL) {
		return amo.Unlimited
	}
	return a.RateLimit
}

// Bounds of AMO_RATE_LIMIT in requests per second: amoCRM allows 7 and bans clients that keep
// going faster (API.md §3.7); a sandbox on this machine may take far more, or no limit at all.
const (
	minRateLimit         = 0.1
	maxRateLimit         = 50.0
	maxLoopbackRateLimit = 1000.0
)

// rateLimit reads <prefix>RATE_LIMIT for the account at baseURL: 0.1 to 50 requests per second,
// or for a loopback baseURL up to 1000, or 0 for no limit.
func (r *envReader) rateLimit(prefix, baseURL string) float64 {
	name, rate := prefix+"RATE_LIMIT", amo.DefaultRateLimit
	loopback := amo.IsLoopbackURL(baseURL)
	if f, err := strconv.ParseFloat(r.str(name), 64); err == nil && f == 0 {
		if !loopback {
			r.problems = append(r.problems, fmt.Sprintf("%s=0 (unlimited) is only allowed for a loopback %sBASE_URL "+
				"(the sandbox); amoCRM bans clients above 7 requests per second", name, prefix))
		}
		return 0
	}
	if loopback {
		r.float(&rate, name, minRateLimit, maxLoopbackRateLimit, "or 0 for no limit: "+prefix+"BASE_URL is a loopback sandbox")
	} else {
		r.float(&rate, name, minRateLimit, maxRateLimit, "amoCRM allows 7 requests per second")
	}
	return rate
}
