package sandbox

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

var testOAuth = OAuthClient{ClientID: "cid", ClientSecret: "secret", RedirectURI: "https://example.test",
	Codes: []string{"code-1"}}

// postToken posts a token request and decodes a 200 answer; other statuses return a zero pair.
func postToken(t *testing.T, ts *httptest.Server, grant, field, value string) (reply, tokenResponse) {
	t.Helper()
	body := `{"client_id":"cid","client_secret":"secret","redirect_uri":"https://example.test",` +
		`"grant_type":"` + grant + `","` + field + `":"` + value + `"}`
	r := mustDo(t, ts, http.MethodPost, "/oauth2/access_token", "", strings.NewReader(body))
	var tok tokenResponse
	if r.status == http.StatusOK {
		if err := json.Unmarshal(r.body, &tok); err != nil {
			t.Fatalf("decode token: %v", err)
		}
	}
	return r, tok
}

func TestOAuthExchangeAndRotation(t *testing.T) {
	s, ts, clk := newTestServer(t, newTestWorld(), Config{OAuth: testOAuth, AccessTokenTTL: time.Hour})
	r, first := postToken(t, ts, "authorization_code", "code", "code-1")
	if r.status != http.StatusOK || first.AccessToken == "" || first.RefreshToken == "" ||
		first.ExpiresIn != 3600 || first.TokenType != "Bearer" || first.ServerTime != t0.Unix() {
		t.Fatalf("exchange: %d %+v", r.status, r.body)
	}
	if r, _ := postToken(t, ts, "authorization_code", "code", "code-1"); r.status != http.StatusBadRequest {
		t.Fatalf("second exchange of a code: %d, want 400", r.status)
	}
	if got := mustDo(t, ts, http.MethodGet, "/api/v4/account", first.AccessToken, nil); got.status != http.StatusOK {
		t.Fatalf("access token refused: %d", got.status)
	}

	r, second := postToken(t, ts, "refresh_token", "refresh_token", first.RefreshToken)
	if r.status != http.StatusOK || second.RefreshToken == first.RefreshToken || second.AccessToken == first.AccessToken {
		t.Fatalf("refresh did not rotate: %d %s", r.status, r.body)
	}
	r, _ = postToken(t, ts, "refresh_token", "refresh_token", first.RefreshToken)
	var p problemBody
	if err := json.Unmarshal(r.body, &p); err != nil || r.status != http.StatusUnauthorized ||
		p.Hint != "Token has been revoked" || p.Type != "https://developers.amocrm.ru/v3/errors/OAuthProblemJson" {
		t.Fatalf("reused refresh token: %d %s, want 401 with the revoked hint", r.status, r.body)
	}

	clk.Advance(time.Hour)
	if got := mustDo(t, ts, http.MethodGet, "/api/v4/account", second.AccessToken, nil); got.status != http.StatusUnauthorized {
		t.Fatalf("expired access token: %d, want 401", got.status)
	}
	r, third := postToken(t, ts, "refresh_token", "refresh_token", second.RefreshToken)
	if r.status != http.StatusOK {
		t.Fatalf("refresh after expiry: %d", r.status)
	}

	s.RevokeTokens(false)
	if got := mustDo(t, ts, http.MethodGet, "/api/v4/account", third.AccessToken, nil); got.status != http.StatusUnauthorized {
		t.Fatalf("revoked access token: %d, want 401", got.status)
	}
	if r, _ := postToken(t, ts, "refresh_token", "refresh_token", third.RefreshToken); r.status != http.StatusUnauthorized {
		t.Fatalf("revoked refresh token: %d, want 401", r.status)
	}
	if got := mustGet(t, ts, "/api/v4/account"); got.status != http.StatusOK {
		t.Fatalf("long-lived token after RevokeTokens(false): %d, want 200", got.status)
	}
	s.RevokeTokens(true)
	if got := mustGet(t, ts, "/api/v4/account"); got.status != http.StatusUnauthorized {
		t.Fatalf("long-lived token after RevokeTokens(true): %d, want 401", got.status)
	}
	s.AddAuthCode("code-2")
	if r, _ := postToken(t, ts, "authorization_code", "code", "code-2"); r.status != http.StatusOK {
		t.Fatalf("re-authorization: %d", r.status)
	}
}

func TestOAuthRejects(t *testing.T) {
	_, ts, _ := newTestServer(t, newTestWorld(), Config{OAuth: testOAuth})
	tests := []struct {
		name, body string
		status     int
	}{
		{"bad secret", `{"client_id":"cid","client_secret":"x","redirect_uri":"https://example.test","grant_type":"authorization_code","code":"code-1"}`, 401},
		{"bad redirect", `{"client_id":"cid","client_secret":"secret","redirect_uri":"https://x","grant_type":"authorization_code","code":"code-1"}`, 400},
		{"unknown grant", `{"client_id":"cid","client_secret":"secret","redirect_uri":"https://example.test","grant_type":"password"}`, 400},
		{"not json", `{`, 400},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := mustDo(t, ts, http.MethodPost, "/oauth2/access_token", "", strings.NewReader(tt.body))
			if r.status != tt.status || r.header.Get("Content-Type") != "application/problem+json" {
				t.Fatalf("got %d %q, want %d problem+json", r.status, r.header.Get("Content-Type"), tt.status)
			}
		})
	}
	if r := mustDo(t, ts, http.MethodGet, "/oauth2/access_token", "", nil); r.status != http.StatusMethodNotAllowed {
		t.Fatalf("GET token endpoint: %d, want 405", r.status)
	}
}

func TestOAuthControlMintsCodesAndRevokesRefreshTokens(t *testing.T) {
	_, ts, _ := newTestServer(t, newTestWorld(), Config{OAuth: testOAuth})
	r := mustDo(t, ts, http.MethodPost, "/_sandbox/oauth/code", "", nil)
	var minted struct{ Code string }
	if err := json.Unmarshal(r.body, &minted); r.status != http.StatusOK || err != nil || minted.Code == "" {
		t.Fatalf("mint a code: %d %s", r.status, r.body)
	}
	r, first := postToken(t, ts, "authorization_code", "code", minted.Code)
	if r.status != http.StatusOK {
		t.Fatalf("exchange the minted code: %d %s", r.status, r.body)
	}
	r = mustDo(t, ts, http.MethodPost, "/_sandbox/oauth/revoke", "", nil)
	if r.status != http.StatusOK || !strings.Contains(string(r.body), `"refresh_tokens":1`) {
		t.Fatalf("revoke: %d %s", r.status, r.body)
	}
	if got := mustDo(t, ts, http.MethodGet, "/api/v4/account", first.AccessToken, nil); got.status != http.StatusOK {
		t.Fatalf("access token after revoking the refresh tokens: %d, want 200 until it expires", got.status)
	}
	if r, _ := postToken(t, ts, "refresh_token", "refresh_token", first.RefreshToken); r.status != http.StatusUnauthorized {
		t.Fatalf("revoked refresh token: %d, want 401", r.status)
	}
	r = mustDo(t, ts, http.MethodPost, "/_sandbox/oauth/revoke?access=1", "", nil)
	if r.status != http.StatusOK || !strings.Contains(string(r.body), `"access_tokens":1`) {
		t.Fatalf("revoke with access=1: %d %s", r.status, r.body)
	}
	if got := mustDo(t, ts, http.MethodGet, "/api/v4/account", first.AccessToken, nil); got.status != http.StatusUnauthorized {
		t.Fatalf("revoked access token: %d, want 401", got.status)
	}
	if r := mustDo(t, ts, http.MethodGet, "/_sandbox/oauth/code", "", nil); r.status != http.StatusMethodNotAllowed {
		t.Fatalf("GET /_sandbox/oauth/code: %d, want 405", r.status)
	}
}
