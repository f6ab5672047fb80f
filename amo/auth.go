package amo

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"
)

// authenticator hands out the access token for API calls.
type authenticator interface {
	access(ctx context.Context) (string, error)
	// refresh replaces the token after the API rejected used; a no-op when another caller
	// already refreshed it.
	refresh(ctx context.Context, used string) error
	refreshable() bool
}

// staticAuth is a long-lived token: never refreshed, a 401 is fatal.
type staticAuth struct{ token string }

func (s staticAuth) access(context.Context) (string, error) { return s.token, nil }
func (s staticAuth) refresh(context.Context, string) error  { return ErrUnauthorized }
func (s staticAuth) refreshable() bool                      { return false }

// refreshMargin is how long before expiry the access token is refreshed.
const refreshMargin = 5 * time.Minute

// reauthHint is what an administrator does when no usable pair is left.
const reauthHint = "to recover, open amoCRM, Settings, Integrations, the integration's Keys and scopes tab, " +
	"copy a new authorization code (it works for 20 minutes) and send it to the bot as /amocode <code>, " +
	"or set the account's AMO_AUTH_CODE to it and restart"

// oauthAuth holds an account's OAuth grant (API.md §2). One mutex serialises loading,
// exchanging and refreshing, because a refresh token works only once.
//
// What a crash or a lost answer costs. Before a refresh token is posted, the grant is saved
// with a "refresh in flight" marker (Grant.RefreshSent); the new pair is saved, marker
// cleared, before its access token is used. So:
//   - the process stops before the post left, or amoCRM did not process it: the stored
//     refresh token is still live; the next start posts it once and carries on;
//   - amoCRM rotated the pair but the answer was lost, or the process stopped before the new
//     pair was saved: no client can get that pair back, and the stored refresh token is dead.
//     The next refresh posts it once; amoCRM refuses it; the grant is marked refused, with
//     the marker's time (Grant.Lost) so the error says what happened, and the token is never
//     posted again. An administrator gives a new code (UseAuthCode, AMO_AUTH_CODE);
//   - a save that fails while the process runs loses nothing: the pair stays in memory, no
//     call uses it until a save succeeds, and every call retries the save.
//
// After an ambiguous failure (no answer, a reset, a 5xx, an unreadable reply) the refresh
// token may or may not be spent: it is posted again only after re-reading the store, where
// another client (or this one before a restart) may have saved a newer pair.
type oauthAuth struct {
	c     *Client
	cfg   OAuthConfig
	store GrantStore

	mu      sync.Mutex
	tok     Token // the current pair
	meta    Grant // the rest of the grant (its Token is unused)
	loaded  bool
	unsaved bool // tok and meta are newer than the store: save them before tok is used
	envDone bool // cfg.AuthCode was settled in this process, or a working pair made it moot
}

func (o *oauthAuth) refreshable() bool { return true }

// access returns a valid access token, exchanging the auth code or refreshing when needed.
func (o *oauthAuth) access(ctx context.Context) (string, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if err := o.ensure(ctx); err != nil {
		return "", err
	}
	if now := o.c.clock.Now(); !o.tok.ExpiresAt.IsZero() && now.Add(refreshMargin).After(o.tok.ExpiresAt) {
		old := o.tok
		if err := o.refreshPair(ctx); err != nil {
			if o.unsaved || o.tok != old || !o.usable() || !now.Before(old.ExpiresAt) {
				return "", err
			}
			// Nothing changed and the access token still works for a few minutes: use it,
			// the next call refreshes.
			o.c.log.Warn("amo oauth: refresh failed, the current access token is used until it expires", "err", err)
		}
	}
	return o.tok.AccessToken, nil
}

// refresh refreshes the pair unless it changed since used was handed out.
func (o *oauthAuth) refresh(ctx context.Context, used string) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	if err := o.ensure(ctx); err != nil {
		return err
	}
	if o.tok.AccessToken != used {
		return nil
	}
	return o.refreshPair(ctx)
}

// grant runs one grant of grantType: the configured authorization code, or a refresh of the
// current pair. Called with mu held.
func (o *oauthAuth) grant(ctx context.Context, grantType string) error {
	if grantType == grantCode {
		return o.exchange(ctx, o.cfg.AuthCode)
	}
	return o.refreshPair(ctx)
}

// ensure loads the grant, retries a pending save, exchanges the configured code when it is
// new and fails with ErrReauthorize when no usable pair remains. Called with mu held.
func (o *oauthAuth) ensure(ctx context.Context) error {
	if err := o.load(ctx); err != nil {
		return err
	}
	if err := o.flush(ctx); err != nil {
		return err
	}
	if !o.meta.Refused.IsZero() && o.meta.RefusedWith != o.creds() {
		// Other client credentials than at the refusal (a corrected secret): the stored
		// refresh token earns one more try.
		o.meta.Refused, o.meta.RefusedWith = time.Time{}, ""
		if err := o.commit(ctx); err != nil {
			return err
		}
	}
	if o.cfg.AuthCode != "" && !o.envDone {
		if err := o.useConfigCode(ctx); err != nil {
			return err
		}
	}
	return o.usableErr(nil)
}

// useConfigCode exchanges cfg.AuthCode unless it was exchanged or refused before. While a
// usable pair is stored, a failed exchange only costs a warning. Called with mu held.
func (o *oauthAuth) useConfigCode(ctx context.Context) error {
	if slices.Contains(o.meta.Spent, hashOf(o.cfg.AuthCode)) {
		o.envDone = true
		return nil
	}
	err := o.exchange(ctx, o.cfg.AuthCode)
	if err == nil || errors.Is(err, ErrCodeRefused) {
		o.envDone = true
	}
	if err != nil && o.usable() {
		o.envDone = true
		o.c.log.Warn("amo oauth: the configured authorization code was not exchanged; the stored pair stays in use", "err", err)
		return nil
	}
	return err
}

// UseAuthCode exchanges an authorization code an administrator just copied from amoCRM (the
// bot's /amocode) for a new pair, which replaces the stored one; the next call uses it. A
// code is posted at most once: one exchanged or refused before is ErrCodeRefused (wrapped in
// ErrReauthorize) without a request, except the code of the pair in use, which is nil. A
// client with a long-lived token returns ErrNotOAuth.
func (c *Client) UseAuthCode(ctx context.Context, code string) error {
	o, ok := c.auth.(*oauthAuth)
	if !ok {
		return ErrNotOAuth
	}
	code = strings.TrimSpace(code)
	if code == "" {
		return fmt.Errorf("%w: the code is empty", ErrCodeRefused)
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	if err := o.load(ctx); err != nil {
		return err
	}
	if err := o.flush(ctx); err != nil {
		return err
	}
	if hashOf(code) == o.meta.Code && o.usable() {
		return nil
	}
	if err := o.exchange(ctx, code); err != nil {
		return err
	}
	o.envDone = true // the fresh pair wins over the configured code in this process
	return nil
}

// exchange trades an authorization code for a new pair, which replaces the stored one (and
// its refresh token). Called with mu held.
func (o *oauthAuth) exchange(ctx context.Context, code string) error {
	h := hashOf(code)
	if slices.Contains(o.meta.Spent, h) {
		return fmt.Errorf("%w: %w: it was already used or refused; %s", ErrReauthorize, ErrCodeRefused, reauthHint)
	}
	ans := o.send(ctx, grantCode, code, nil)
	switch ans.out {
	case granted:
		return o.adopt(ctx, ans.tok, Grant{Code: h, Spent: spend(o.meta.Spent, h)})
	case refused:
		o.meta.Spent = spend(o.meta.Spent, h)
		err := fmt.Errorf("%w: %w (it expired after 20 minutes or was already used): %w; %s", ErrReauthorize, ErrCodeRefused, ans.err, reauthHint)
		return errors.Join(err, o.commit(ctx))
	}
	return ans.err
}

// refreshPair trades the refresh token for a new pair (API.md §2.2). Called with mu held.
func (o *oauthAuth) refreshPair(ctx context.Context) error {
	if changed, err := o.reread(ctx); err != nil || changed {
		return errors.Join(err, o.usableErr(nil))
	}
	if !o.usable() {
		return o.usableErr(nil)
	}
	if o.tok.RefreshToken == "" {
		return fmt.Errorf("%w: the stored pair has no refresh token; %s", ErrReauthorize, reauthHint)
	}
	prior := o.meta.RefreshSent // set: an earlier post of this token got no answer saved
	if prior.IsZero() {
		o.meta.RefreshSent = o.c.clock.Now()
		if err := o.commit(ctx); err != nil {
			o.meta.RefreshSent, o.unsaved = time.Time{}, false // nothing else was unsaved
			return fmt.Errorf("refresh not sent: %w", err)
		}
	}
	ans := o.send(ctx, grantRefresh, o.tok.RefreshToken, o.reread)
	switch ans.out {
	case granted:
		meta := o.meta
		meta.RefreshSent, meta.Lost = time.Time{}, time.Time{}
		return o.adopt(ctx, ans.tok, meta)
	case superseded:
		return o.usableErr(nil)
	case refused:
		return o.refuse(ctx, !prior.IsZero() || ans.retried, ans.err)
	}
	if prior.IsZero() && !ans.retried {
		// Every post got an answer that it was not processed (429, a ban) or none was sent:
		// the token is unspent, the marker would only mislead a later diagnosis.
		o.meta.RefreshSent = time.Time{}
		return errors.Join(ans.err, o.commit(ctx))
	}
	return ans.err
}

// refuse records that amoCRM refused the refresh token, unless the store shows another client
// won the race; lost says an earlier post of it got no answer, so the pair amoCRM rotated to
// is lost. The token is never posted again.
func (o *oauthAuth) refuse(ctx context.Context, lost bool, cause error) error {
	if changed, err := o.reread(ctx); err != nil || changed {
		return errors.Join(err, o.usableErr(nil))
	}
	if lost {
		o.meta.Lost = o.meta.RefreshSent
	}
	o.meta.Refused, o.meta.RefusedWith, o.meta.RefreshSent = o.c.clock.Now(), o.creds(), time.Time{}
	return errors.Join(o.usableErr(cause), o.commit(ctx))
}

// usable reports whether the held pair may be used.
func (o *oauthAuth) usable() bool { return o.tok.AccessToken != "" && o.meta.Refused.IsZero() }

// usableErr is nil for a usable pair, else ErrReauthorize saying why no pair is usable and
// what an administrator does about it.
func (o *oauthAuth) usableErr(cause error) error {
	if o.usable() {
		return nil
	}
	at := func(t time.Time) string { return t.UTC().Format(time.RFC3339) }
	var why string
	switch {
	case !o.meta.Refused.IsZero() && !o.meta.Lost.IsZero():
		why = fmt.Sprintf("amoCRM refused the refresh token at %s: the refresh sent at %s got no answer that was saved "+
			"(the process stopped, the reply was lost or the database write failed), so amoCRM had already replaced "+
			"the pair and the new one is lost", at(o.meta.Refused), at(o.meta.Lost))
	case !o.meta.Refused.IsZero():
		why = fmt.Sprintf("amoCRM refused the refresh token at %s (the integration was disabled or reinstalled, "+
			"or the token went unused for 3 months)", at(o.meta.Refused))
	case o.cfg.AuthCode != "":
		why = "no stored OAuth pair, and the configured authorization code was already used or refused"
	default:
		why = "no stored OAuth pair and no authorization code"
	}
	if cause != nil {
		return fmt.Errorf("%w: %s: %w; %s", ErrReauthorize, why, cause, reauthHint)
	}
	return fmt.Errorf("%w: %s; %s", ErrReauthorize, why, reauthHint)
}
