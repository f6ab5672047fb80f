package main

import (
	"log/slog"
	"time"

	"salesguard/amo"
)

// newAmoClient builds the client of one configured account. tokens may be nil for a
// long-lived token; OAuth needs the database's token store.
func newAmoClient(a AccountConfig, tokens amo.TokenStore, log *slog.Logger, onRequest func(string, int, time.Duration)) (*amo.Client, error) {
	return amo.New(amo.Config{
		BaseURL: a.BaseURL,
		Token:   a.Token,
		OAuth: amo.OAuthConfig{
			ClientID: a.ClientID, ClientSecret: a.ClientSecret,
			RedirectURI: a.RedirectURI, AuthCode: a.AuthCode,
		},
		Tokens:    tokens,
		RateLimit: a.RateLimit,
		Logger:    log.With("account", a.Key),
		OnRequest: onRequest,
	})
}
