package amo

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/imroc/req/v3"
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
			if ctx.Err() != nil || errors.Is(err, ErrBanned) || errors.Is(err, ErrResponseTooLarge) || st.attempt >= c.cfg.MaxRetries {
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
		return c.ban(ctx, apiErr)
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

// sendError is a failure after the request may have left: amoCRM may have processed it (a
// timeout, a reset connection, a body cut short). Its text is the wrapped error's.
type sendError struct{ err error }

func (e *sendError) Error() string { return e.err.Error() }
func (e *sendError) Unwrap() error { return e.err }

// attempt sends one HTTP request after the ban check and the rate limiter and reads at most
// MaxBody bytes of the answer: a longer body is ErrResponseTooLarge, not an allocation.
func (c *Client) attempt(ctx context.Context, method, path string, q url.Values, body any, token string) (*response, error) {
	endpoint := method + " " + path
	if err := c.checkBan(ctx); err != nil {
		return nil, fmt.Errorf("%s: %w", endpoint, err)
	}
	if err := c.lim.wait(ctx); err != nil {
		return nil, fmt.Errorf("%s: rate limiter: %w", endpoint, err)
	}
	rq := c.http.R().SetContext(ctx).SetHeader("Accept", "application/json").DisableAutoReadResponse()
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
	resp, data, err := c.roundTrip(ctx, rq, method, path)
	status := 0
	if resp != nil {
		status = resp.StatusCode
	}
	if c.cfg.OnRequest != nil {
		c.cfg.OnRequest(path, status, c.clock.Since(start))
	}
	switch {
	case errors.Is(err, ErrResponseTooLarge):
		return nil, fmt.Errorf("%s: http %d: %w: more than %d bytes (the cap, Config.MaxBody)", endpoint, status, err, c.cfg.MaxBody)
	case err != nil:
		return nil, &sendError{fmt.Errorf("%s: %w", endpoint, err)}
	}
	return &response{status: status, header: resp.Header, body: data, ctype: resp.GetContentType()}, nil
}

// roundTrip sends rq and reads at most MaxBody bytes of the answer; resp is nil when there
// is no answer.
func (c *Client) roundTrip(ctx context.Context, rq *req.Request, method, path string) (*req.Response, []byte, error) {
	resp, err := rq.Send(method, c.base+path)
	c.requests.Add(1)
	count(ctx)
	if resp == nil || resp.Response == nil {
		return nil, nil, err
	}
	var data []byte
	if err == nil {
		data, err = readBody(resp.Body, resp.ContentLength, c.cfg.MaxBody, pageBody())
	}
	if resp.Body != nil {
		_ = resp.Body.Close()
	}
	return resp, data, err
}

// bodyChunk bounds the pieces a body of unknown length is read in.
const bodyChunk = 1 << 20

// readBody reads a whole body of at most limit bytes into dst's memory (dst may be nil). A known
// length over limit is refused before anything is read; a body of unknown length (chunked,
// decompressed) is read in pieces that never add up to more than limit+1 bytes, joined at the
// end, so whatever the server sends, no more than about limit bytes are held at once before
// the cap is noticed.
func readBody(r io.Reader, length, limit int64, dst []byte) ([]byte, error) {
	if length > limit {
		return nil, ErrResponseTooLarge
	}
	if length >= 0 {
		b := dst[:0]
		if int64(cap(b)) < length {
			b = make([]byte, 0, length)
		}
		b = b[:length]
		if _, err := io.ReadFull(r, b); err != nil {
			return nil, fmt.Errorf("read body: %w", err)
		}
		return b, nil
	}
	// The pieces never add up to more than limit+1 bytes; the first is dst's memory.
	var parts [][]byte
	total, size := int64(0), int64(4<<10)
	for {
		var b []byte
		if len(parts) == 0 && cap(dst) > 0 {
			b = dst[:min(int64(cap(dst)), limit+1)]
		} else {
			b = make([]byte, min(size, limit+1-total))
		}
		n, err := io.ReadFull(r, b)
		if n > 0 {
			parts, total = append(parts, b[:n]), total+int64(n)
		}
		if total > limit {
			return nil, ErrResponseTooLarge
		}
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("read body: %w", err)
		}
		size = min(2*size, bodyChunk)
	}
	if len(parts) == 1 {
		return parts[0], nil
	}
	return bytes.Join(parts, nil), nil
}

// pageBodies recycles the bodies of list pages (readPage gives them back once decoded): a
// poll reads a few pages of up to a few hundred KB each, and allocating them anew was a
// quarter of a busy cycle's garbage. Other bodies are left to the collector.
var pageBodies sync.Pool

// pageBody returns a recycled body's memory, or nil.
func pageBody() []byte {
	if b, ok := pageBodies.Get().(*[]byte); ok {
		return *b
	}
	return nil
}

// recycleBody gives a page's body back once nothing refers to it (the decoders copy what they
// keep: encoding/json never aliases its input). Bodies over bodyChunk are left to the
// collector, so a huge page does not stay pinned.
func recycleBody(b []byte) {
	if b == nil || cap(b) > bodyChunk {
		return
	}
	b = b[:0]
	pageBodies.Put(&b)
}

// ban starts the cool-down after an HTML 403 and saves its end (Config.Bans), so a restart
// during it sends nothing either. A failed save is logged: the cool-down still holds in this
// process.
func (c *Client) ban(ctx context.Context, apiErr *APIError) error {
	c.banMu.Lock()
	until := c.clock.Now().Add(c.cfg.BanCooldown)
	c.bannedUntil = until
	c.banMu.Unlock()
	c.log.Warn("amo ban: pausing all calls", "endpoint", apiErr.Endpoint, "until", until)
	if c.cfg.Bans != nil {
		if err := c.cfg.Bans.SaveBan(context.WithoutCancel(ctx), until); err != nil {
			c.log.Warn("amo ban: the cool-down is not saved, a restart would call amoCRM before it ends", "err", err)
		}
	}
	return fmt.Errorf("%w: calls paused until %s: %w", ErrBanned, until.UTC().Format(time.RFC3339), apiErr)
}

// checkBan fails while a ban cool-down runs, including one saved before a restart.
func (c *Client) checkBan(ctx context.Context) error {
	c.banMu.Lock()
	defer c.banMu.Unlock()
	if err := c.loadBan(ctx); err != nil {
		return err
	}
	if c.clock.Now().Before(c.bannedUntil) {
		return fmt.Errorf("%w: calls paused until %s", ErrBanned, c.bannedUntil.UTC().Format(time.RFC3339))
	}
	return nil
}

// loadBan reads the saved cool-down once. Until it could be read no request is sent: it may
// hold a ban. Called with banMu held.
func (c *Client) loadBan(ctx context.Context) error {
	if c.banLoaded || c.cfg.Bans == nil {
		return nil
	}
	until, err := c.cfg.Bans.LoadBan(ctx)
	if err != nil {
		return fmt.Errorf("load ban cool-down: %w", err)
	}
	if until.After(c.bannedUntil) {
		c.bannedUntil = until
	}
	c.banLoaded = true
	return nil
}
