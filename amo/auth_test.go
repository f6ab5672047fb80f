package amo

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

// oauthFake adds /oauth2/access_token to a fakeAPI: it rotates pairs, accepts each refresh
// token once and checks that the new pair was saved before the new access token is used.
type oauthFake struct {
	f     *fakeAPI
	store *recordingStore

	mu       sync.Mutex
	n        int
	refresh  string // the only refresh token accepted
	code     string
	grants   []string
	unsaved  string // an issued access token the store did not hold when first used
	revoked  bool
	saveFail bool
}

func newOAuthFake(t *testing.T) (*oauthFake, *Client, *autoClock) {
	t.Helper()
	o := &oauthFake{f: newFakeAPI(t), store: &recordingStore{}, code: "the-code"}
	o.f.token = "none-yet"
	o.f.hook = o.serve
	c, clk := newTestClient(t, o.f, func(c *Config) {
		c.Token = ""
		c.OAuth = OAuthConfig{ClientID: "id", ClientSecret: "secret", RedirectURI: "https://r.example", AuthCode: "the-code"}
		c.Tokens = o.store
	})
	return o, c, clk
}

func (o *oauthFake) serve(w http.ResponseWriter, r *http.Request) bool {
	if r.URL.Path != "/oauth2/access_token" {
		auth := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
		if saved := o.store.current(); saved.AccessToken != auth {
			o.mu.Lock()
			o.unsaved = "used before saved"
			o.mu.Unlock()
		}
		return false
	}
	var body map[string]string
	_ = json.NewDecoder(r.Body).Decode(&body)
	o.mu.Lock()
	defer o.mu.Unlock()
	o.grants = append(o.grants, body["grant_type"])
	ok := false
	switch body["grant_type"] {
	case "authorization_code":
		ok = body["code"] == o.code && body["client_secret"] == "secret"
		o.code = ""
	case "refresh_token":
		ok = !o.revoked && body["refresh_token"] == o.refresh
	}
	if !ok {
		w.Header().Set("Content-Type", "application/problem+json")
		w.WriteHeader(401)
		fmt.Fprint(w, `{"hint":"Token has been revoked","title":"Некорректный запрос","type":"https://developers.amocrm.ru/v3/errors/OAuthProblemJson","status":401,"detail":"В запросе отсутствует ряд параметров или параметры невалидны"}`)
		return true
	}
	o.n++
	access, refresh := fmt.Sprintf("access-%d", o.n), fmt.Sprintf("refresh-%d", o.n)
	o.refresh = refresh
	o.f.mu.Lock()
	o.f.token = access
	o.f.mu.Unlock()
	fmt.Fprintf(w, `{"token_type":"Bearer","expires_in":86400,"access_token":%q,"refresh_token":%q}`, access, refresh)
	return true
}

// expireAccess makes the API reject the current access token (as if revoked server-side).
func (o *oauthFake) expireAccess() {
	o.f.mu.Lock()
	o.f.token = "rotated-server-side"
	o.f.mu.Unlock()
}

type recordingStore struct {
	mu    sync.Mutex
	tok   Token
	saves int
}

func (s *recordingStore) LoadToken(context.Context) (Token, error) { return s.current(), nil }
func (s *recordingStore) SaveToken(_ context.Context, t Token) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tok = t
	s.saves++
	return nil
}
func (s *recordingStore) current() Token {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.tok
}

func TestOAuthCodeExchangeAndRefreshOn401(t *testing.T) {
	o, c, _ := newOAuthFake(t)
	ctx := context.Background()
	if _, err := c.Account(ctx); err != nil {
		t.Fatal(err)
	}
	if got := o.store.current(); got.AccessToken != "access-1" || got.RefreshToken != "refresh-1" || got.ExpiresAt != t0.Add(24*time.Hour) {
		t.Fatalf("stored after exchange: %+v", got.AccessToken)
	}
	o.f.mu.Lock()
	o.f.token = "server-forgot"
	o.f.mu.Unlock()
	// The API now rejects access-1: one refresh, one retry; the server then accepts access-2.
	if _, err := c.Account(ctx); err != nil {
		t.Fatalf("after refresh: %v", err)
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	if strings.Join(o.grants, ",") != "authorization_code,refresh_token" {
		t.Errorf("grants = %v", o.grants)
	}
	if o.store.current().RefreshToken != "refresh-2" {
		t.Errorf("refresh token not rotated in the store")
	}
}

func TestOAuthRefreshBeforeExpiryAndRotation(t *testing.T) {
	o, c, clk := newOAuthFake(t)
	ctx := context.Background()
	if _, err := c.Account(ctx); err != nil {
		t.Fatal(err)
	}
	clk.Advance(24*time.Hour - time.Minute) // within the refresh margin
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for range 8 {
		wg.Add(1)
		go func() { defer wg.Done(); _, err := c.Account(ctx); errs <- err }()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	if strings.Join(o.grants, ",") != "authorization_code,refresh_token" {
		t.Errorf("grants = %v, want exactly one refresh for 8 concurrent calls", o.grants)
	}
	if o.unsaved != "" {
		t.Errorf("a new access token was used before the store held it")
	}
	if o.refresh != "refresh-2" || o.store.current().RefreshToken != "refresh-2" {
		t.Errorf("server refresh %q, stored %q", o.refresh, o.store.current().RefreshToken)
	}
}

func TestOAuthRevokedRefreshTokenNeedsReauthorization(t *testing.T) {
	o, c, _ := newOAuthFake(t)
	ctx := context.Background()
	if _, err := c.Account(ctx); err != nil {
		t.Fatal(err)
	}
	o.mu.Lock()
	o.revoked = true
	o.mu.Unlock()
	o.expireAccess()
	_, err := c.Account(ctx)
	if !errors.Is(err, ErrReauthorize) {
		t.Fatalf("err = %v, want ErrReauthorize", err)
	}
	if strings.Contains(err.Error(), "refresh-1") || strings.Contains(err.Error(), "access-1") {
		t.Errorf("error leaks a token: %v", err)
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	if len(o.grants) != 2 {
		t.Errorf("grants = %v, want one refresh attempt and no loop", o.grants)
	}
}

func TestOAuthOldRefreshTokenRejected(t *testing.T) {
	o, c, _ := newOAuthFake(t)
	ctx := context.Background()
	if _, err := c.Account(ctx); err != nil {
		t.Fatal(err)
	}
	o.expireAccess()
	if _, err := c.Account(ctx); err != nil { // refresh-1 → refresh-2
		t.Fatal(err)
	}
	// A second client that still holds the used pair must not get in.
	stale := &recordingStore{tok: Token{AccessToken: "access-1", RefreshToken: "refresh-1"}}
	c2, err := New(Config{BaseURL: o.f.srv.URL, OAuth: OAuthConfig{ClientID: "id", ClientSecret: "secret"}, Tokens: stale, Clock: newAutoClock()})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c2.Account(ctx); !errors.Is(err, ErrReauthorize) {
		t.Fatalf("stale client err = %v, want ErrReauthorize", err)
	}
}

func TestOAuthNoTokenNoCode(t *testing.T) {
	f := newFakeAPI(t)
	c, err := New(Config{BaseURL: f.srv.URL, OAuth: OAuthConfig{ClientID: "id", ClientSecret: "s"}, Clock: newAutoClock()})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Account(context.Background()); !errors.Is(err, ErrReauthorize) {
		t.Fatalf("err = %v, want ErrReauthorize", err)
	}
	if n := len(f.reqs()); n != 0 {
		t.Errorf("requests = %d, want 0", n)
	}
}

func TestConfigValidateAndString(t *testing.T) {
	err := Config{BaseURL: "ftp://x"}.Validate()
	if err == nil || !strings.Contains(err.Error(), "base url") || !strings.Contains(err.Error(), "long-lived token") {
		t.Errorf("Validate = %v", err)
	}
	s := Config{BaseURL: "https://a.amocrm.ru", Token: "secret-token"}.String()
	if strings.Contains(s, "secret-token") {
		t.Errorf("String leaks the token: %s", s)
	}
}
