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
