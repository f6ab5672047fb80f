package amo

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// Sentinel errors. Match them with errors.Is; *APIError unwraps to the one of its status.
var (
	// ErrUnauthorized: the API rejected the access token (401). With a long-lived token an
	// administrator must issue a new one; with OAuth the refresh and one retry did not help.
	ErrUnauthorized = errors.New("amo: unauthorized")
	// ErrReauthorize: the OAuth token endpoint refused the code or refresh token (revoked, used,
	// expired); an administrator must install or authorize the integration again.
	ErrReauthorize = errors.New("amo: re-authorization required")
	// ErrBanned: the account or IP is blocked for rate-limit violations (HTML 403); the client
	// makes no calls during a cool-down.
	ErrBanned = errors.New("amo: blocked by amoCRM for exceeding the rate limit")
	// ErrPaymentRequired: the amoCRM subscription has expired (402).
	ErrPaymentRequired = errors.New("amo: payment required: the amoCRM subscription has expired, API access is closed until it is renewed")
	// ErrForbidden: the token's user lacks the rights for the call (JSON 403).
	ErrForbidden = errors.New("amo: forbidden")
	// ErrNotFound: unknown route or entity (404).
	ErrNotFound = errors.New("amo: not found")
	// ErrRateLimited: 429 persisted after the bounded retries.
	ErrRateLimited = errors.New("amo: rate limited")
	// ErrCodeRefused: amoCRM refused an authorization code (it expired after 20 minutes, was
	// already used or belongs to another integration). The client never posts it again; an
	// administrator copies a new one. It comes wrapped with ErrReauthorize.
	ErrCodeRefused = errors.New("amo: authorization code refused")
	// ErrNotOAuth: an authorization code was given to a client that uses a long-lived token.
	ErrNotOAuth = errors.New("amo: the account uses a long-lived token, not OAuth")
	// ErrResponseTooLarge: a response body was longer than Config.MaxBody. The request is not
	// retried at once (the same answer would come back); a sync fails and resumes next cycle.
	ErrResponseTooLarge = errors.New("amo: response body too large")
)

// APIError is an error response of the API, decoded from problem+json when the body is JSON.
type APIError struct {
	Status   int    // HTTP status
	Title    string // problem+json title, or the HTTP status text
	Detail   string // problem+json detail (and hint), or the start of a non-JSON body
	Endpoint string // method and path, without the query
}

// Error implements error. It never contains tokens: only the body's title and detail.
func (e *APIError) Error() string {
	s := fmt.Sprintf("amo: %s: http %d", e.Endpoint, e.Status)
	if e.Title != "" {
		s += ": " + e.Title
	}
	if e.Detail != "" {
		s += ": " + e.Detail
	}
	switch e.Status {
	case 402, 403: // say what it means for the admin, not just the status
		if sentinel := e.Unwrap(); sentinel != nil {
			s += " (" + strings.TrimPrefix(sentinel.Error(), "amo: ") + ")"
		}
	}
	return s
}

// Unwrap maps the status to its sentinel so errors.Is(err, ErrForbidden) and the like work.
func (e *APIError) Unwrap() error {
	switch e.Status {
	case 401:
		return ErrUnauthorized
	case 402:
		return ErrPaymentRequired
	case 403:
		return ErrForbidden
	case 404:
		return ErrNotFound
	case 429:
		return ErrRateLimited
	}
	return nil
}

// problem is the problem+json body (API.md §3.6).
type problem struct {
	Title  string `json:"title"`
	Detail string `json:"detail"`
	Hint   string `json:"hint"`
}

// newAPIError builds an APIError from any body: problem+json, other JSON, HTML or text.
func newAPIError(endpoint string, status int, statusText string, body []byte) *APIError {
	e := &APIError{Status: status, Endpoint: endpoint, Title: statusText}
	var p problem
	if isJSON(body) && json.Unmarshal(body, &p) == nil {
		if p.Title != "" {
			e.Title = p.Title
		}
		e.Detail = p.Detail
		if p.Hint != "" {
			e.Detail = strings.TrimSpace(e.Detail + " (" + p.Hint + ")")
		}
		return e
	}
	e.Detail = snippet(body)
	return e
}

// isJSON reports whether the body looks like a JSON object or array.
func isJSON(b []byte) bool {
	b = bytes.TrimSpace(b)
	return len(b) > 0 && (b[0] == '{' || b[0] == '[')
}

// isHTML reports whether a body is an HTML page (nginx error pages on bans).
func isHTML(contentType string, b []byte) bool {
	if strings.Contains(contentType, "html") {
		return true
	}
	b = bytes.TrimSpace(b)
	return len(b) > 0 && b[0] == '<'
}

// snippet returns the start of a non-JSON body as one line of text.
func snippet(b []byte) string {
	const max = 200
	s := strings.ToValidUTF8(strings.Join(strings.Fields(string(b)), " "), "\uFFFD")
	if len(s) > max {
		cut := max
		for cut > 0 && !utf8.RuneStart(s[cut]) { // never half a character
			cut--
		}
		s = s[:cut] + "…"
	}
	return s
}
