package amo

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"
)

// The token endpoint (API.md §2.1, §2.2) and its grant types.
const (
	tokenPath    = "/oauth2/access_token"
	grantCode    = "authorization_code"
	grantRefresh = "refresh_token"
)

// maxTokenLifetime bounds expires_in, so a wild value cannot overflow the expiry.
const maxTokenLifetime = 10 * 365 * 24 * time.Hour

// outcome is how a grant at the token endpoint ended.
type outcome int

const (
	failed     outcome = iota // no pair and nothing settled: try again later
	granted                   // a new pair
	refused                   // 400/401: the code or refresh token is dead
	superseded                // the store got a newer pair before a resend
)

// tokenAnswer is the end of a grant.
type tokenAnswer struct {
	tok     Token
	out     outcome
	err     error
	retried bool // an earlier post of it got no answer: amoCRM may have processed it
}

// tokenStep is one post of a grant: its answer, or whether to post again.
type tokenStep struct {
	tokenAnswer
	again     bool // post again after a back-off
	ambiguous bool // amoCRM may have processed the post
	header    http.Header
	status    int
}

// tokenResponse is the body of /oauth2/access_token.
type tokenResponse struct {
	AccessToken  string `json:"access_token"`
	RefreshToken string `json:"refresh_token"`
	ExpiresIn    int64  `json:"expires_in"`
}

// send posts a grant until it settles, without do's retries: after a 429 (amoCRM did not
// process the post) it waits and posts again; after an ambiguous failure (no answer, a 5xx,
// an unreadable 2xx) it waits and posts again only when reread, if given, finds the store
// unchanged. At most MaxRetries posts are repeated.
func (o *oauthAuth) send(ctx context.Context, grantType, value string, reread func(context.Context) (bool, error)) tokenAnswer {
	retried := false
	for try := 0; ; try++ {
		st := o.post(ctx, grantType, value)
		st.retried = retried
		if !st.again {
			return st.tokenAnswer
		}
		retried = retried || st.ambiguous
		if try >= o.c.cfg.MaxRetries || ctx.Err() != nil {
			return tokenAnswer{err: fmt.Errorf("%w (after %d retries)", st.err, try), retried: retried}
		}
		if err := o.c.retryWait(ctx, http.MethodPost+" "+tokenPath, st.header, try, st.status); err != nil {
			return tokenAnswer{err: err, retried: retried}
		}
		if st.ambiguous && reread != nil {
			changed, err := reread(ctx)
			if err != nil {
				return tokenAnswer{err: err, retried: retried}
			}
			if changed {
				return tokenAnswer{out: superseded, retried: retried}
			}
		}
	}
}

// post sends a grant once and reads the answer.
// API: POST /oauth2/access_token
func (o *oauthAuth) post(ctx context.Context, grantType, value string) tokenStep {
	fail := func(err error) tokenStep {
		return tokenStep{tokenAnswer: tokenAnswer{err: fmt.Errorf("oauth %s grant: %w", grantType, err)}}
	}
	now := o.c.clock.Now()
	r, err := o.c.attempt(ctx, http.MethodPost, tokenPath, nil, o.tokenBody(grantType, value), "")
	var se *sendError
	switch {
	case err != nil:
		st := fail(err)
		st.again = errors.As(err, &se) || errors.Is(err, ErrResponseTooLarge)
		st.ambiguous = st.again
		return st
	case r.status >= 200 && r.status < 300:
		tok, err := decodeToken(r.body, now)
		if err != nil {
			st := fail(err)
			st.again, st.ambiguous = true, true
			return st
		}
		return tokenStep{tokenAnswer: tokenAnswer{tok: tok, out: granted}}
	}
	apiErr := newAPIError(http.MethodPost+" "+tokenPath, r.status, http.StatusText(r.status), r.body)
	st := fail(apiErr)
	switch {
	case r.status == http.StatusBadRequest || r.status == http.StatusUnauthorized:
		st = fail(fmt.Errorf("refused: %w", apiErr))
		st.out = refused
	case r.status == http.StatusForbidden && isHTML(r.ctype, r.body):
		st = fail(o.c.ban(ctx, apiErr))
	case r.status == http.StatusTooManyRequests || r.status >= 500:
		st.again, st.ambiguous, st.header, st.status = true, r.status >= 500, r.header, r.status
	}
	return st
}

// tokenBody is the JSON body of a grant (API.md §2.1, §2.2).
func (o *oauthAuth) tokenBody(grantType, value string) map[string]string {
	body := map[string]string{"client_id": o.cfg.ClientID, "client_secret": o.cfg.ClientSecret,
		"grant_type": grantType, "redirect_uri": o.cfg.RedirectURI}
	if grantType == grantCode {
		body["code"] = value
	} else {
		body["refresh_token"] = value
	}
	return body
}

// decodeToken reads a token response received at now.
func decodeToken(body []byte, now time.Time) (Token, error) {
	var tr tokenResponse
	if err := decodeJSON(body, &tr); err != nil || tr.AccessToken == "" {
		return Token{}, errors.New("unreadable token response")
	}
	t := Token{AccessToken: tr.AccessToken, RefreshToken: tr.RefreshToken}
	if tr.ExpiresIn > 0 {
		secs := min(tr.ExpiresIn, int64(maxTokenLifetime/time.Second))
		t.ExpiresAt = now.Add(time.Duration(secs) * time.Second)
	}
	return t, nil
}
