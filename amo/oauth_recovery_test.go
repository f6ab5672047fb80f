package amo_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"

	"salesguard/amo"
	"salesguard/amo/sandbox"
	"salesguard/storage"
)

// The OAuth client the sandbox accepts in these tests.
const (
	oauthID       = "cid"
	oauthSecret   = "secret"
	oauthRedirect = "https://r.example"
)

// oauthEnv is a sandbox with an OAuth integration, served over loopback, and a real database
// file holding the client's grant; restart reopens the file and builds a new client, as a
// restarted service would.
type oauthEnv struct {
	t     *testing.T
	srv   *sandbox.Server
	url   string
	clock *stepClock
	path  string
	db    *storage.DB
	front *tokenFront
}

func newOAuthEnv(t *testing.T) *oauthEnv {
	t.Helper()
	start := time.Date(2026, 3, 2, 7, 0, 0, 0, time.UTC)
	clk := &stepClock{FakeClock: clockwork.NewFakeClockAt(start)}
	cfg := sandbox.Config{OAuth: sandbox.OAuthClient{ClientID: oauthID, ClientSecret: oauthSecret,
		RedirectURI: oauthRedirect, Codes: []string{"code-1"}}, Clock: clk}
	srv := sandbox.NewServer(sandbox.NewWorld(start), cfg)
	front := &tokenFront{next: srv}
	hs := httptest.NewServer(front)
	t.Cleanup(hs.Close)
	e := &oauthEnv{t: t, srv: srv, url: hs.URL, clock: clk, path: filepath.Join(t.TempDir(), "db"), front: front}
	e.open()
	t.Cleanup(func() { _ = e.db.Close() })
	return e
}

func (e *oauthEnv) open() {
	e.t.Helper()
	db, err := storage.Open(e.path, storage.Options{NoSync: true})
	if err != nil {
		e.t.Fatal(err)
	}
	e.db = db
}

// client builds a client on the database with code as AMO_AUTH_CODE and tokens as its store
// (nil: the database's).
func (e *oauthEnv) client(code string, tokens amo.TokenStore) *amo.Client {
	e.t.Helper()
	if tokens == nil {
		tokens = e.db.TokenStore("main")
	}
	c, err := amo.New(amo.Config{BaseURL: e.url, RateLimit: amo.Unlimited, Clock: e.clock, Tokens: tokens,
		OAuth: amo.OAuthConfig{ClientID: oauthID, ClientSecret: oauthSecret, RedirectURI: oauthRedirect, AuthCode: code}})
	if err != nil {
		e.t.Fatal(err)
	}
	return c
}

// restart closes the database as a stopped process would and starts a new client on it.
func (e *oauthEnv) restart(code string) *amo.Client {
	e.t.Helper()
	if err := e.db.Close(); err != nil {
		e.t.Fatal(err)
	}
	e.open()
	return e.client(code, nil)
}

// posts counts the requests to the token endpoint so far.
func (e *oauthEnv) posts() int { return e.srv.Stats().ByEndpoint["/oauth2/access_token"] }

// stored is the grant in the database.
func (e *oauthEnv) stored() amo.Grant {
	e.t.Helper()
	g, err := e.db.TokenStore("main").(amo.GrantStore).LoadGrant(context.Background())
	if err != nil {
		e.t.Fatal(err)
	}
	return g
}

func mustAccount(t *testing.T, c *amo.Client) {
	t.Helper()
	if _, err := c.Account(context.Background()); err != nil {
		t.Fatalf("account: %v", err)
	}
}

func wantReauthorize(t *testing.T, c *amo.Client, contains ...string) error {
	t.Helper()
	_, err := c.Account(context.Background())
	if !errors.Is(err, amo.ErrReauthorize) {
		t.Fatalf("err = %v, want ErrReauthorize", err)
	}
	for _, s := range append(contains, "/amocode", "AMO_AUTH_CODE") {
		if !strings.Contains(err.Error(), s) {
			t.Errorf("error does not say %q: %v", s, err)
		}
	}
	return err
}

// tokenFront passes requests to the sandbox; armed, it lets the sandbox answer the next
// token request and then drops the connection, as when the reply is lost (the sandbox has
// rotated the pair by then), calling onLost with the pair the client never got.
type tokenFront struct {
	next   http.Handler
	mu     sync.Mutex
	lose   bool
	onLost func(amo.Token)
	down   int // token requests still to answer 503 without passing them on
}

func (f *tokenFront) failNext(n int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.down = n
}

func (f *tokenFront) loseNext(onLost func(amo.Token)) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.lose, f.onLost = true, onLost
}

func (f *tokenFront) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	token := r.URL.Path == "/oauth2/access_token"
	lose, onLost, down := f.lose && token, f.onLost, f.down > 0 && token
	if lose {
		f.lose = false
	}
	if down {
		f.down--
	}
	f.mu.Unlock()
	if down {
		http.Error(w, "<html>502 Bad Gateway</html>", http.StatusBadGateway)
		return
	}
	if !lose {
		f.next.ServeHTTP(w, r)
		return
	}
	rec := httptest.NewRecorder()
	f.next.ServeHTTP(rec, r)
	var tr struct {
		AccessToken  string `json:"access_token"`
		RefreshToken string `json:"refresh_token"`
		ExpiresIn    int64  `json:"expires_in"`
	}
	if rec.Code == http.StatusOK && json.Unmarshal(rec.Body.Bytes(), &tr) == nil && onLost != nil {
		onLost(amo.Token{AccessToken: tr.AccessToken, RefreshToken: tr.RefreshToken})
	}
	conn, _, err := http.NewResponseController(w).Hijack()
	if err == nil {
		_ = conn.Close()
	}
}

func TestOAuthRevokedNewCodeRestartWorks(t *testing.T) {
	e := newOAuthEnv(t)
	c := e.client("code-1", nil)
	mustAccount(t, c)
	first := e.stored()
	if first.RefreshToken == "" || first.Code == "" || strings.Contains(first.Code, "code-1") {
		t.Fatalf("stored after the exchange: refresh %t, code hash %q", first.RefreshToken != "", first.Code)
	}

	e.srv.RevokeTokens(false) // the integration was disabled
	wantReauthorize(t, c, "refused the refresh token")
	n := e.posts()
	if n != 2 {
		t.Fatalf("token posts = %d, want the code and one refresh", n)
	}
	for range 3 {
		wantReauthorize(t, c)
	}
	if got := e.posts(); got != n {
		t.Fatalf("the refused refresh token was posted again: %d posts, want %d", got, n)
	}

	// The same code after a restart: already spent, not posted; still refused.
	c = e.restart("code-1")
	wantReauthorize(t, c, "refused the refresh token")
	if got := e.posts(); got != n {
		t.Fatalf("restart with the spent code posted: %d posts, want %d", got, n)
	}

	// The admin copies a new code and restarts with it.
	code := e.srv.NewAuthCode()
	c = e.restart(code)
	mustAccount(t, c)
	if got := e.posts(); got != n+1 {
		t.Fatalf("token posts = %d, want %d (the new code once)", got, n+1)
	}
	g := e.stored()
	if !g.Refused.IsZero() || g.RefreshToken == first.RefreshToken || g.RefreshToken == "" {
		t.Fatalf("after the new code: refused %v, refresh rotated %t", g.Refused, g.RefreshToken != first.RefreshToken)
	}
	// Once more with the same code: the stored pair is used, the code is not posted again.
	c = e.restart(code)
	mustAccount(t, c)
	if got := e.posts(); got != n+1 {
		t.Fatalf("a restart with the exchanged code posted it again: %d posts", got)
	}
}

func TestOAuthUseAuthCodeWhileRunning(t *testing.T) {
	e := newOAuthEnv(t)
	c := e.client("code-1", nil)
	mustAccount(t, c)
	e.srv.RevokeTokens(false)
	wantReauthorize(t, c)
	ctx := context.Background()
	if err := c.UseAuthCode(ctx, "never-issued"); !errors.Is(err, amo.ErrCodeRefused) {
		t.Fatalf("a dead code: %v, want ErrCodeRefused", err)
	}
	n := e.posts()
	if err := c.UseAuthCode(ctx, "never-issued"); !errors.Is(err, amo.ErrCodeRefused) || e.posts() != n {
		t.Fatalf("the dead code again: %v after %d posts, want ErrCodeRefused and no post", err, e.posts()-n)
	}
	code := e.srv.NewAuthCode()
	if err := c.UseAuthCode(ctx, " "+code+"\n"); err != nil {
		t.Fatalf("a fresh code: %v", err)
	}
	mustAccount(t, c)
	if err := c.UseAuthCode(ctx, code); err != nil || e.posts() != n+1 {
		t.Fatalf("the code in use again: %v, %d posts, want nil and none", err, e.posts()-n-1)
	}
	// A restart keeps the pair of the bot's code, and the configured code, spent, is not posted.
	c = e.restart("code-1")
	mustAccount(t, c)
	if e.posts() != n+1 {
		t.Fatalf("posts after the restart = %d, want %d", e.posts(), n+1)
	}
	static, err := amo.New(amo.Config{BaseURL: e.url, Token: "t", Clock: e.clock})
	if err != nil {
		t.Fatal(err)
	}
	if err := static.UseAuthCode(ctx, code); !errors.Is(err, amo.ErrNotOAuth) {
		t.Fatalf("long-lived token client: %v, want ErrNotOAuth", err)
	}
}

func TestOAuthDeadCodePostedOnce(t *testing.T) {
	e := newOAuthEnv(t)
	c := e.client("expired-code", nil)
	_, err := c.Account(context.Background())
	if !errors.Is(err, amo.ErrReauthorize) || !errors.Is(err, amo.ErrCodeRefused) || strings.Contains(err.Error(), "expired-code") {
		t.Fatalf("err = %v, want ErrReauthorize and ErrCodeRefused without the code", err)
	}
	for range 3 {
		wantReauthorize(t, c, "already used or refused")
	}
	c = e.restart("expired-code")
	wantReauthorize(t, c, "already used or refused")
	if got := e.posts(); got != 1 {
		t.Fatalf("token posts = %d, want the dead code once", got)
	}
	// A working pair with the dead code still configured: the code is not posted again.
	c = e.restart("code-1")
	mustAccount(t, c)
	c = e.restart("expired-code")
	mustAccount(t, c)
	if got := e.posts(); got != 2 {
		t.Fatalf("token posts = %d, want 2", got)
	}
}

func TestOAuthNewConfiguredCodeReplacesWorkingPair(t *testing.T) {
	e := newOAuthEnv(t)
	mustAccount(t, e.client("code-1", nil))
	old := e.stored()
	c := e.restart(e.srv.NewAuthCode())
	mustAccount(t, c)
	if g := e.stored(); g.RefreshToken == old.RefreshToken || g.Code == old.Code {
		t.Fatal("a new configured code did not replace the stored pair")
	}
	if got := e.posts(); got != 2 {
		t.Fatalf("token posts = %d, want two codes", got)
	}
}

// failingStore is the database's grant store whose save of a new pair (a refresh token the
// store does not hold yet) fails n times, as a full disk would, or a crash right after the
// token reply.
type failingStore struct {
	amo.TokenStore
	mu sync.Mutex
	n  int
}

func (s *failingStore) LoadGrant(ctx context.Context) (amo.Grant, error) {
	return s.TokenStore.(amo.GrantStore).LoadGrant(ctx)
}

func (s *failingStore) SaveGrant(ctx context.Context, g amo.Grant) error {
	cur, err := s.LoadGrant(ctx)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.n > 0 && g.RefreshToken != cur.RefreshToken {
		s.n--
		return errors.New("disk full")
	}
	return s.TokenStore.(amo.GrantStore).SaveGrant(ctx, g)
}

func TestOAuthSaveFailsOnceAfterTokenReply(t *testing.T) {
	t.Run("the process keeps running", func(t *testing.T) {
		e := newOAuthEnv(t)
		store := &failingStore{TokenStore: e.db.TokenStore("main")}
		c := e.client("code-1", store)
		mustAccount(t, c)
		e.clock.Advance(25 * time.Hour) // the access token expired
		store.n = 1
		if _, err := c.Account(context.Background()); err == nil || !strings.Contains(err.Error(), "save oauth token") {
			t.Fatalf("err = %v, want the failed save", err)
		}
		mustAccount(t, c) // the pair held in memory is saved now
		if got := e.posts(); got != 2 {
			t.Fatalf("token posts = %d, want the code and one refresh", got)
		}
		c = e.restart("code-1")
		mustAccount(t, c)
		if g := e.stored(); !g.RefreshSent.IsZero() || !g.Refused.IsZero() {
			t.Fatalf("marker %v, refused %v after a successful save", g.RefreshSent, g.Refused)
		}
	})
	t.Run("the process is killed", func(t *testing.T) {
		e := newOAuthEnv(t)
		store := &failingStore{TokenStore: e.db.TokenStore("main")}
		c := e.client("code-1", store)
		mustAccount(t, c)
		e.clock.Advance(25 * time.Hour)
		store.n = 1
		if _, err := c.Account(context.Background()); err == nil {
			t.Fatal("want the failed save")
		}
		// Killed: the new pair dies with the process; the database holds the spent refresh
		// token and the marker of the refresh in flight.
		c = e.restart("code-1")
		wantReauthorize(t, c, "got no answer that was saved")
		for range 3 {
			wantReauthorize(t, c, "got no answer that was saved")
		}
		c = e.restart("code-1")
		wantReauthorize(t, c, "got no answer that was saved")
		if got := e.posts(); got != 3 {
			t.Fatalf("token posts = %d, want the code, the refresh and the dead token once", got)
		}
		c = e.restart(e.srv.NewAuthCode())
		mustAccount(t, c)
	})
}

func TestOAuthReplyLostRereadsBeforeResend(t *testing.T) {
	t.Run("nobody saved the rotated pair", func(t *testing.T) {
		e := newOAuthEnv(t)
		c := e.client("code-1", nil)
		mustAccount(t, c)
		e.clock.Advance(25 * time.Hour)
		e.front.loseNext(nil)
		wantReauthorize(t, c, "got no answer that was saved")
		if got := e.posts(); got != 3 {
			t.Fatalf("token posts = %d, want the code, the lost refresh and one resend", got)
		}
		wantReauthorize(t, c)
		if got := e.posts(); got != 3 {
			t.Fatalf("the dead refresh token was posted again: %d posts", got)
		}
	})
	t.Run("another process saved it", func(t *testing.T) {
		e := newOAuthEnv(t)
		c := e.client("code-1", nil)
		mustAccount(t, c)
		e.clock.Advance(25 * time.Hour)
		other := e.db.TokenStore("main")
		e.front.loseNext(func(tok amo.Token) {
			tok.ExpiresAt = e.clock.Now().Add(24 * time.Hour)
			if err := other.SaveToken(context.Background(), tok); err != nil {
				t.Error(err)
			}
		})
		mustAccount(t, c)
		if got := e.posts(); got != 2 {
			t.Fatalf("token posts = %d, want no resend once the store held a newer pair", got)
		}
	})
}

func TestOAuthRefusalWithWrongSecretKeepsPair(t *testing.T) {
	e := newOAuthEnv(t)
	mustAccount(t, e.client("code-1", nil))
	e.clock.Advance(25 * time.Hour)
	wrong, err := amo.New(amo.Config{BaseURL: e.url, RateLimit: amo.Unlimited, Clock: e.clock, Tokens: e.db.TokenStore("main"),
		OAuth: amo.OAuthConfig{ClientID: oauthID, ClientSecret: "typo", RedirectURI: oauthRedirect}})
	if err != nil {
		t.Fatal(err)
	}
	wantReauthorize(t, wrong)
	// The secret is corrected: the refresh token, never spent, earns one more try.
	mustAccount(t, e.restart(""))
}

func TestOAuthTokenEndpointDownUsesAccessTokenUntilExpiry(t *testing.T) {
	e := newOAuthEnv(t)
	c := e.client("code-1", nil)
	mustAccount(t, c)
	e.clock.Advance(24*time.Hour - 2*time.Minute) // within the refresh margin, not expired
	e.front.failNext(100)
	mustAccount(t, c) // the refresh fails; the access token still works
	if g := e.stored(); g.RefreshSent.IsZero() {
		t.Error("no refresh-in-flight marker after unanswered refreshes")
	}
	e.front.failNext(0)
	e.clock.Advance(5 * time.Minute) // expired now
	mustAccount(t, c)
	if g := e.stored(); !g.RefreshSent.IsZero() || !g.Refused.IsZero() {
		t.Errorf("after the refresh: marker %v, refused %v", g.RefreshSent, g.Refused)
	}
}
