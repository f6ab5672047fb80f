package main

import (
	"context"
	"time"

	"salesguard/amo"
	"salesguard/workset"
)

// syncOnce reads a whole account into a fresh working set, page by page (for the one-off
// commands: check, digest). Nothing is persisted. A non-zero at is the moment the commands look
// from (check --at, digest --date): the working set's windows are kept around it instead of now,
// so a look into the past keeps what the rules read then.
func syncOnce(ctx context.Context, c *amo.Client, baseURL string, at time.Time) (*workset.Set, amo.SyncStats, error) {
	ws := workset.New()
	ws.BaseURL = baseURL
	stats, err := c.SyncPages(ctx, amo.SyncState{}, func(_ context.Context, p *amo.Changes) error {
		if !at.IsZero() {
			p.TakenAt = at
		}
		ws.Apply(p)
		ws.TakeChanged()
		return nil
	})
	ws.TakeDirty()
	return ws, stats, err
}

// syncAsOf reads a whole account and turns it back to the moment at (check --at): the
// account as it stood then, as far as amoCRM's events allow (amo.AsOf). Unlike syncOnce it
// holds the whole read in memory before folding it in, since the events that say what a deal
// was at at come last; a one-off command can afford that, the service never does it. The
// client must read events from before at (amo.Config.EventHistory reaching past it).
func syncAsOf(ctx context.Context, c *amo.Client, baseURL string, at, eventsFrom time.Time) (*workset.Set, amo.SyncStats, amo.AsOfReport, error) {
	ch, err := c.Sync(ctx, amo.SyncState{})
	stats := amo.SyncStats{Full: true, Requests: ch.Requests}
	if err != nil {
		return nil, stats, amo.AsOfReport{}, err
	}
	rep := amo.AsOf(ch, at, eventsFrom)
	ws := workset.New()
	ws.BaseURL = baseURL
	ws.Apply(ch)
	ws.TakeChanged()
	ws.TakeDirty()
	return ws, stats, rep, nil
}
