package amo

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
)

// The OAuth pair's life in the store: loaded once, re-read before a resend, adopted when a
// newer one is there, saved before it is used.

// load reads the stored grant once. Called with mu held.
func (o *oauthAuth) load(ctx context.Context) error {
	if o.loaded {
		return nil
	}
	g, err := o.store.LoadGrant(ctx)
	if err != nil {
		return fmt.Errorf("load oauth token: %w", err)
	}
	o.set(g)
	o.loaded = true
	return nil
}

// reread loads the stored grant again and adopts it when its refresh token or verdict differ
// from ours: another client, or this one before a restart, got there first.
func (o *oauthAuth) reread(ctx context.Context) (bool, error) {
	g, err := o.store.LoadGrant(ctx)
	if err != nil {
		return false, fmt.Errorf("re-read oauth token: %w", err)
	}
	if g.RefreshToken == o.tok.RefreshToken && g.Refused.Equal(o.meta.Refused) {
		return false, nil
	}
	o.set(g)
	return true, nil
}

// adopt holds a new pair with its bookkeeping and saves them.
func (o *oauthAuth) adopt(ctx context.Context, tok Token, meta Grant) error {
	meta.Token = tok
	o.set(meta)
	return o.commit(ctx)
}

// set holds g.
func (o *oauthAuth) set(g Grant) {
	o.tok = g.Token
	g.Token = Token{}
	o.meta = g
}

// commit marks the held grant as newer than the store and saves it.
func (o *oauthAuth) commit(ctx context.Context) error {
	o.unsaved = true
	return o.flush(ctx)
}

// flush saves the held grant when the store lacks it. A pair just obtained must be saved
// even when the caller is shutting down, hence no cancellation.
func (o *oauthAuth) flush(ctx context.Context) error {
	if !o.unsaved {
		return nil
	}
	g := o.meta
	g.Token = o.tok
	if err := o.store.SaveGrant(context.WithoutCancel(ctx), g); err != nil {
		return fmt.Errorf("save oauth token: %w", err)
	}
	o.unsaved = false
	return nil
}

// creds identifies the client credentials a refusal was met with.
func (o *oauthAuth) creds() string {
	return hashOf(o.cfg.ClientID + "\n" + o.cfg.ClientSecret + "\n" + o.cfg.RedirectURI)
}

// maxSpent bounds Grant.Spent.
const maxSpent = 8

// spend adds h to the spent codes, dropping the oldest beyond maxSpent.
func spend(spent []string, h string) []string {
	out := append(slices.DeleteFunc(slices.Clone(spent), func(s string) bool { return s == h }), h)
	return out[max(0, len(out)-maxSpent):]
}

// hashOf is the 128-bit SHA-256 prefix of a secret, in hex: enough to recognise a code
// again, useless to replay one.
func hashOf(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:16])
}
