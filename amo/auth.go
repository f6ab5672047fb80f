package amo

import (
	"context"
	"errors"
	"fmt"
	"net/http"
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

// oauthAuth holds an OAuth pair. One mutex serialises loading, exchanging and refreshing,
// because a refresh token works only once (API.md §2.2).
type oauthAuth struct {
	c     *Client
	cfg   OAuthConfig
	store TokenStore

	mu      sync.Mutex
	tok     Token
	loaded  bool
	unsaved bool // tok is newer than the store: save it before using it
}

func (o *oauthAuth) refreshable() bool { return true }

// access returns a valid access token, exchanging the auth code or refreshing when needed.
func (o *oauthAuth) access(ctx context.Context) (string, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if err := o.ensure(ctx); err != nil {
		return "", err
	}
	if !o.tok.ExpiresAt.IsZero() && o.c.clock.Now().Add(refreshMargin).After(o.tok.ExpiresAt) {
		if err := o.grant(ctx, "refresh_token"); err != nil {
			return "", err
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
	return o.grant(ctx, "refresh_token")
}

// ensure loads the pair from the store, exchanges the auth code when the store is empty and
// retries a pending save. Called with mu held.
func (o *oauthAuth) ensure(ctx context.Context) error {
	if !o.loaded {
		t, err := o.store.LoadToken(ctx)
		if err != nil {
			return fmt.Errorf("load oauth token: %w", err)
		}
		o.tok, o.loaded = t, true
	}
	if o.unsaved {
		if err := o.store.SaveToken(ctx, o.tok); err != nil {
			return fmt.Errorf("save oauth token: %w", err)
		}
		o.unsaved = false
	}
	if o.tok.AccessToken != "" || o.tok.RefreshToken != "" {
		return nil
	}
	if o.cfg.AuthCode == "" {
		return fmt.Errorf("%w: no stored token and no authorization code", ErrReauthorize)
	}
	return o.grant(ctx, "authorization_code")
}

// tokenResponse is the body of /oauth2/access_token.
type tokenResponse struct {
	AccessToken  string `json:"access_token"`
	RefreshToken string `json:"refresh_token"`
	ExpiresIn    int64  `json:"expires_in"`
}

// grant calls /oauth2/access_token and stores the new pair before it is used. 400 and 401
// mean the code or refresh token is dead: ErrReauthorize, no retry. Called with mu held.
// API: POST /oauth2/access_token
func (o *oauthAuth) grant(ctx context.Context, grantType string) error {
	body := map[string]string{
		"client_id":     o.cfg.ClientID,
		"client_secret": o.cfg.ClientSecret,
		"grant_type":    grantType,
		"redirect_uri":  o.cfg.RedirectURI,
	}
	if grantType == "authorization_code" {
		body["code"] = o.cfg.AuthCode
	} else {
		if o.tok.RefreshToken == "" {
			return fmt.Errorf("%w: no refresh token", ErrReauthorize)
		}
		body["refresh_token"] = o.tok.RefreshToken
	}
	now := o.c.clock.Now()
	r, err := o.c.do(ctx, http.MethodPost, "/oauth2/access_token", nil, body, false)
	if err != nil {
		var apiErr *APIError
		if errors.As(err, &apiErr) && (apiErr.Status == http.StatusBadRequest || apiErr.Status == http.StatusUnauthorized) {
			return fmt.Errorf("%w: %s grant refused: %w", ErrReauthorize, grantType, apiErr)
		}
		return fmt.Errorf("oauth %s grant: %w", grantType, err)
	}
	var tr tokenResponse
	if err := decodeJSON(r.body, &tr); err != nil || tr.AccessToken == "" {
		return fmt.Errorf("oauth %s grant: unreadable token response", grantType)
	}
	t := Token{AccessToken: tr.AccessToken, RefreshToken: tr.RefreshToken}
	if tr.ExpiresIn > 0 {
		t.ExpiresAt = now.Add(time.Duration(tr.ExpiresIn) * time.Second)
	}
	o.tok, o.unsaved = t, true
	if err := o.store.SaveToken(ctx, t); err != nil {
		return fmt.Errorf("save oauth token: %w", err)
	}
	o.unsaved = false
	return nil
}

// MemoryTokenStore keeps the OAuth pair in memory; the default when Config.Tokens is nil.
type MemoryTokenStore struct {
	mu  sync.Mutex
	tok Token
}

// LoadToken returns the stored pair (zero when none).
func (m *MemoryTokenStore) LoadToken(context.Context) (Token, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.tok, nil
}

// SaveToken stores the pair.
func (m *MemoryTokenStore) SaveToken(_ context.Context, t Token) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.tok = t
	return nil
}
