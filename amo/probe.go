package amo

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"sync/atomic"
	"time"
)

// Filter probe timing: a probe is due FilterProbeEvery after a successful one, and
// FilterProbeRetry after one that failed, so it costs a couple of requests a day even while
// amoCRM answers it with errors.
const (
	FilterProbeEvery = 24 * time.Hour
	FilterProbeRetry = time.Hour
)

// probeSecond is the window the probe asks for: one second of 2000-01-01 UTC, before any
// amoCRM account existed, so an account that applies the filter has nothing in it.
var probeSecond = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// FilterProbe is what ProbeFilters found.
type FilterProbe struct {
	// State is the new FilterState: what was found, CheckedAt now and NextAt a day later.
	State FilterState
	// Requests is how many HTTP requests the probe made.
	Requests int
}

// ProbeFilters checks that the account applies the time filters the incremental sync relies
// on (API.md §3.4: filtering on /leads is "alpha"): filter[updated_at] on the leads and
// filter[created_at] on the events. Each check asks for one item of a one-second window of
// the year 2000: an account that applies the filter answers 204, and any item outside the
// window proves the filter ignored. It costs two requests, made through the rate limiter like
// any other. An empty account (nothing to send either way) passes.
//
// API: GET /api/v4/leads?filter[updated_at][from]=…&filter[updated_at][to]=…&limit=1
// API: GET /api/v4/events?filter[created_at][from]=…&filter[created_at][to]=…&limit=1
func (c *Client) ProbeFilters(ctx context.Context) (FilterProbe, error) {
	var n atomic.Int64
	ctx = withCounter(ctx, &n)
	now := c.clock.Now().UTC().Truncate(time.Second)
	st := FilterState{CheckedAt: now, NextAt: now.Add(FilterProbeEvery)}
	var err error
	st.UpdatedAtIgnored, err = c.probeFilter(ctx, c.defs[ListKeyLeads])
	if err == nil {
		st.CreatedAtIgnored, err = c.probeFilter(ctx, c.defs[ListKeyEvents])
	}
	p := FilterProbe{State: st, Requests: int(n.Load())}
	if err != nil {
		return p, fmt.Errorf("amo filter probe: %w", err)
	}
	return p, nil
}

// probeFilter reports whether list d ignores the filter on its time field.
func (c *Client) probeFilter(ctx context.Context, d listDef) (bool, error) {
	at := strconv.FormatInt(probeSecond.Unix(), 10)
	q := url.Values{
		"filter[" + d.field + "][from]": {at},
		"filter[" + d.field + "][to]":   {at},
		"limit":                         {"1"},
	}
	body, err := c.get(ctx, d.path, q)
	if err != nil || body == nil {
		return false, err
	}
	info, err := d.decode(body, &Changes{})
	if err != nil {
		return false, fmt.Errorf("decode GET %s: %w", d.path, err)
	}
	return info.before(probeSecond) || info.seen.After(probeSecond), nil
}
