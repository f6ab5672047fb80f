package amo

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"time"
)

// response is what one HTTP attempt returned.
type response struct {
	status int
	header http.Header
	body   []byte
	ctype  string
}

// get reads an API resource. A 204 returns a nil body and no error.
func (c *Client) get(ctx context.Context, path string, q url.Values) ([]byte, error) {
	r, err := c.do(ctx, http.MethodGet, path, q, nil, true)
	if err != nil {
		return nil, err
	}
	if r.status == http.StatusNoContent {
		return nil, nil
	}
	return r.body, nil
}

// do sends a request with rate limiting, bounded retries on 429/5xx/transport errors, one
// token refresh and retry on 401 (OAuth only) and the ban cool-down. Non-2xx statuses come
// back as errors; the response is returned only for 2xx.
func (c *Client) do(ctx context.Context, method, path string, q url.Values, body any, authed bool) (*response, error) {
	endpoint := method + " " + path
	st := retryState{}
	for {
		token := ""
		if authed {
			t, err := c.auth.access(ctx)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", endpoint, err)
			}
			token = t
		}
		r, err := c.attempt(ctx, method, path, q, body, token)
		if err != nil {
			if ctx.Err() != nil || errors.Is(err, ErrBanned) || st.attempt >= c.cfg.MaxRetries {
				return nil, err
			}
			if err := c.retryWait(ctx, endpoint, nil, st.attempt, 0); err != nil {
				return nil, err
			}
			st.attempt++
			continue
		}
		if r.status >= 200 && r.status < 300 {
			return r, nil
		}
		if err := c.onError(ctx, endpoint, r, token, &st); err != nil {
			return nil, err
		}
	}
}

// retryState is the progress of one request's retries.
type retryState struct {
	attempt   int  // retries spent on 429/5xx/transport errors
	refreshed bool // the one refresh after a 401 was used
}

// onError decides what a non-2xx response means: nil to try again (after a refresh or a
// back-off), or the error to return.
func (c *Client) onError(ctx context.Context, endpoint string, r *response, token string, st *retryState) error {
	apiErr := newAPIError(endpoint, r.status, http.StatusText(r.status), r.body)
	switch {
	case r.status == http.StatusUnauthorized && token != "":
		if !c.auth.refreshable() {
			return fmt.Errorf("%w: the long-lived token was rejected; an administrator must issue a new long-lived token on the integration's Keys tab", apiErr)
		}
		if st.refreshed {
			return fmt.Errorf("%w: the access token was rejected again after a refresh", apiErr)
		}
		st.refreshed = true
		if err := c.auth.refresh(ctx, token); err != nil {
			return fmt.Errorf("%s: %w", endpoint, err)
		}
		return nil
	case r.status == http.StatusForbidden && isHTML(r.ctype, r.body):
		return c.ban(apiErr)
	case r.status == http.StatusTooManyRequests || r.status >= 500:
		if st.attempt >= c.cfg.MaxRetries {
			return fmt.Errorf("%w (after %d retries)", apiErr, st.attempt)
		}
		if err := c.retryWait(ctx, endpoint, r.header, st.attempt, r.status); err != nil {
			return err
		}
		st.attempt++
		return nil
	}
	return apiErr
}

// retryWait sleeps the back-off before the next attempt.
func (c *Client) retryWait(ctx context.Context, endpoint string, h http.Header, attempt, status int) error {
	d := backoff(h, attempt, c.clock.Now())
	c.log.Debug("amo retry", "endpoint", endpoint, "status", status, "attempt", attempt+1, "wait", d)
	if err := sleep(ctx, c.clock, d); err != nil {
		return fmt.Errorf("%s: wait before retry: %w", endpoint, err)
	}
	return nil
}

// attempt sends one HTTP request after the ban check and the rate limiter.
func (c *Client) attempt(ctx context.Context, method, path string, q url.Values, body any, token string) (*response, error) {
	endpoint := method + " " + path
	if err := c.checkBan(); err != nil {
		return nil, fmt.Errorf("%s: %w", endpoint, err)
	}
	if err := c.lim.wait(ctx); err != nil {
		return nil, fmt.Errorf("%s: rate limiter: %w", endpoint, err)
	}
	rq := c.http.R().SetContext(ctx).SetHeader("Accept", "application/json")
	if len(q) > 0 {
		rq.SetQueryParamsFromValues(q)
	}
	if token != "" {
		rq.SetHeader("Authorization", "Bearer "+token)
	}
	if body != nil {
		rq.SetBodyJsonMarshal(body)
	}
	start := c.clock.Now()
	resp, err := rq.Send(method, c.base+path)
	c.requests.Add(1)
	count(ctx)
	status := 0
	if resp != nil && resp.Response != nil {
		status = resp.StatusCode
	}
	if c.cfg.OnRequest != nil {
		c.cfg.OnRequest(path, status, c.clock.Since(start))
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", endpoint, err)
	}
	return &response{status: status, header: resp.Header, body: resp.Bytes(), ctype: resp.GetContentType()}, nil
}

// ban starts the cool-down after an HTML 403.
func (c *Client) ban(apiErr *APIError) error {
	c.banMu.Lock()
	until := c.clock.Now().Add(c.cfg.BanCooldown)
	c.bannedUntil = until
	c.banMu.Unlock()
	c.log.Warn("amo ban: pausing all calls", "endpoint", apiErr.Endpoint, "until", until)
	return fmt.Errorf("%w: calls paused until %s: %w", ErrBanned, until.UTC().Format(time.RFC3339), apiErr)
}

// checkBan fails while a ban cool-down runs.
func (c *Client) checkBan() error {
	c.banMu.Lock()
	defer c.banMu.Unlock()
	if c.clock.Now().Before(c.bannedUntil) {
		return fmt.Errorf("%w: calls paused until %s", ErrBanned, c.bannedUntil.UTC().Format(time.RFC3339))
	}
	return nil
}
