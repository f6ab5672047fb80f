package main

import (
	"context"

	"salesguard/amo"
	"salesguard/workset"
)

// syncOnce reads a whole account into a fresh working set, page by page (for the one-off
// commands: check, digest). Nothing is persisted.
func syncOnce(ctx context.Context, c *amo.Client, baseURL string) (*workset.Set, amo.SyncStats, error) {
	ws := workset.New()
	ws.BaseURL = baseURL
	stats, err := c.SyncPages(ctx, amo.SyncState{}, func(_ context.Context, p *amo.Changes) error {
		ws.Apply(p)
		ws.TakeChanged()
		return nil
	})
	ws.TakeDirty()
	return ws, stats, err
}
