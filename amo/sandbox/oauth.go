package sandbox

import (
	"crypto/rand"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/jonboulle/clockwork"
)

// OAuthClient is the integration the sandbox accepts at POST /oauth2/access_token (API.md §2.1).
// Empty ClientID, ClientSecret or RedirectURI are not checked.
type OAuthClient struct {
	ClientID     string
	ClientSecret string
	RedirectURI  string
	// Codes are the authorization codes that can each be exchanged once.
	Codes []string
}

// tokens holds the OAuth codes and issued tokens.
type tokens struct {
	mu      sync.Mutex
	client  OAuthClient
	ttl     time.Duration
	clock   clockwork.Clock
	codes   map[string]bool      // unused codes
	access  map[string]time.Time // access token → expiry
	refresh map[string]bool      // live refresh tokens
	static  string
}

func newTokens(c OAuthClient, static string, ttl time.Duration, clock clockwork.Clock) *tokens {
	t := &tokens{client: c, static: static, ttl: ttl, clock: clock, codes: map[string]bool{},
		access: map[string]time.Time{}, refresh: map[string]bool{}}
	for _, code := range c.Codes {
		t.codes[code] = true
	}
	return t
}

// tokenRequest is the JSON (or form) body of POST /oauth2/access_token.
type tokenRequest struct {
	ClientID     string `json:"client_id"`
	ClientSecret string `json:"client_secret"`
	GrantType    string `json:"grant_type"`
	Code         string `json:"code"`
	RefreshToken string `json:"refresh_token"`
	RedirectURI  string `json:"redirect_uri"`
}

// tokenResponse is the 200 answer of POST /oauth2/access_token, Kommo's server_time included.
type tokenResponse struct {
	TokenType    string `json:"token_type"`
	ExpiresIn    int64  `json:"expires_in"`
	ServerTime   int64  `json:"server_time"`
	AccessToken  string `json:"access_token"`
	RefreshToken string `json:"refresh_token"`
}

// serveToken exchanges a code or rotates a refresh token (API.md §2.1, §2.2).
func (t *tokens) serveToken(r *http.Request) *response {
	req, err := readTokenRequest(r)
	if err != nil {
		return oauthProblem(http.StatusBadRequest, "Invalid request body")
	}
	c := t.client
	if (c.ClientID != "" && req.ClientID != c.ClientID) ||
		(c.ClientSecret != "" && req.ClientSecret != c.ClientSecret) {
		return oauthProblem(http.StatusUnauthorized, "Client authentication failed")
	}
	if c.RedirectURI != "" && req.RedirectURI != c.RedirectURI {
		return oauthProblem(http.StatusBadRequest, "Redirect URI mismatch")
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	switch req.GrantType {
	case "authorization_code":
		if !t.codes[req.Code] {
			return oauthProblem(http.StatusBadRequest, "Authorization code has been revoked")
		}
		delete(t.codes, req.Code)
	case "refresh_token":
		if !t.refresh[req.RefreshToken] {
			return oauthProblem(http.StatusUnauthorized, "Token has been revoked")
		}
		delete(t.refresh, req.RefreshToken)
	default:
		return oauthProblem(http.StatusBadRequest, "The authorization grant type is not supported")
	}
	return jsonResponse(http.StatusOK, ctypeJSON, t.issue())
}

// issue creates a new access/refresh pair; t.mu is held.
func (t *tokens) issue() tokenResponse {
	now := t.clock.Now()
	out := tokenResponse{
		TokenType:    "Bearer",
		ExpiresIn:    int64(t.ttl / time.Second),
		ServerTime:   now.Unix(),
		AccessToken:  "sbx-at-" + rand.Text(),
		RefreshToken: "sbx-rt-" + rand.Text(),
	}
	t.access[out.AccessToken] = now.Add(t.ttl)
	t.refresh[out.RefreshToken] = true
	return out
}

func readTokenRequest(r *http.Request) (tokenRequest, error) {
	var req tokenRequest
	if strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded") {
		if err := r.ParseForm(); err != nil {
			return req, err
		}
		f := r.PostForm
		return tokenRequest{ClientID: f.Get("client_id"), ClientSecret: f.Get("client_secret"),
			GrantType: f.Get("grant_type"), Code: f.Get("code"),
			RefreshToken: f.Get("refresh_token"), RedirectURI: f.Get("redirect_uri")}, nil
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<16))
	if err != nil {
		return req, err
	}
	err = json.Unmarshal(body, &req)
	return req, err
}

// oauthProblem is the OAuth error body of issues #123/#315 (API.md §2.2).
func oauthProblem(status int, hint string) *response {
	return problemResponse(status, problemBody{
		Hint:   hint,
		Title:  "Некорректный запрос",
		Type:   "https://developers.amocrm.ru/v3/errors/OAuthProblemJson",
		Status: status,
		Detail: "В запросе отсутствует ряд параметров или параметры невалидны",
	})
}

// check returns a 401 unless the request carries the long-lived token or a live access token.
func (t *tokens) check(r *http.Request) *response {
	tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	tok = strings.TrimSpace(tok)
	if !ok || tok == "" {
		return unauthorized()
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.static != "" && tok == t.static {
		return nil
	}
	exp, ok := t.access[tok]
	if !ok || !t.clock.Now().Before(exp) {
		return unauthorized()
	}
	return nil
}

func unauthorized() *response {
	return problem(http.StatusUnauthorized, "Unauthorized", "Неверный логин или пароль")
}

// RevokeTokens kills every issued OAuth access and refresh token (and, when withStatic is
// set, the long-lived token), as when an admin disables the integration (API.md §2.2).
func (s *Server) RevokeTokens(withStatic bool) {
	t := s.auth
	t.mu.Lock()
	defer t.mu.Unlock()
	clear(t.access)
	clear(t.refresh)
	if withStatic {
		t.static = ""
	}
}

// AddAuthCode makes code exchangeable once more, as when a user re-authorizes the integration.
func (s *Server) AddAuthCode(code string) {
	s.auth.mu.Lock()
	defer s.auth.mu.Unlock()
	s.auth.codes[code] = true
}

// NewAuthCode mints an authorization code that can be exchanged once, as when an admin
// copies one from the integration's Keys tab.
func (s *Server) NewAuthCode() string {
	code := "sbx-code-" + rand.Text()
	s.AddAuthCode(code)
	return code
}

// RevokeRefreshTokens kills every issued refresh token and returns how many there were;
// access tokens keep working until they expire (or until RevokeTokens). A client then learns
// of it at its next refresh, as after amoCRM revoked or rotated the pair elsewhere.
func (s *Server) RevokeRefreshTokens() int {
	t := s.auth
	t.mu.Lock()
	defer t.mu.Unlock()
	n := len(t.refresh)
	clear(t.refresh)
	return n
}

// serveNewCode answers POST /_sandbox/oauth/code with a fresh authorization code.
func (s *Server) serveNewCode(rw http.ResponseWriter, _ *http.Request) {
	writeResponse(rw, jsonResponse(http.StatusOK, ctypeJSON, map[string]string{"code": s.NewAuthCode()}))
}

// serveRevoke answers POST /_sandbox/oauth/revoke: the refresh tokens are revoked, and with
// ?access=1 the access tokens too (the integration was disabled).
func (s *Server) serveRevoke(rw http.ResponseWriter, r *http.Request) {
	out := map[string]int{"refresh_tokens": s.RevokeRefreshTokens()}
	if v := r.URL.Query().Get("access"); v == "1" || v == "true" {
		s.auth.mu.Lock()
		out["access_tokens"] = len(s.auth.access)
		clear(s.auth.access)
		s.auth.mu.Unlock()
	}
	writeResponse(rw, jsonResponse(http.StatusOK, ctypeJSON, out))
}
