package amo

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"sync/atomic"
	"time"
)

// Sync reads what changed in the account since st and returns it as Changes, with the state
// to persist in ch.State.
//
// A first sync (zero SyncState) is full: dictionaries, every lead, contact, task and note,
// and the events of the last EventHistory; ch.Full tells Apply to replace the lists. To force
// a new full sync, pass a zero SyncState. Later syncs are incremental: each list is read
// within a closed window [cursor-Overlap, now] fixed when the sync starts, in id order, and
// the cursor moves to the window end. Dictionaries are re-read when DictionaryTTL has passed.
// Deleted leads come from with=only_deleted and lead_deleted events, deleted contacts and
// tasks from contact_deleted and task_deleted events.
//
// On error Sync still returns non-nil Changes holding everything read so far, and a State
// whose Resume points say where each unfinished list stops. The caller should Apply those
// Changes and persist their State: the next Sync resumes each list at its page (one page
// back, to absorb offset drift) within the same window, so nothing is read twice more than
// needed and nothing is lost. A full sync that was interrupted finishes as a merge
// (Full=false) of the remaining lists.
func (c *Client) Sync(ctx context.Context, st SyncState) (*Changes, error) {
	now := c.clock.Now().UTC().Truncate(time.Second)
	fresh := !st.FullDone && len(st.Cursors) == 0 && len(st.Resume) == 0
	ch := &Changes{Full: fresh, TakenAt: now}
	state := SyncState{FullDone: st.FullDone, DictionariesAt: st.DictionariesAt,
		Cursors: maps.Clone(st.Cursors), Resume: maps.Clone(st.Resume)}
	if state.Cursors == nil {
		state.Cursors = map[string]time.Time{}
	}
	if state.Resume == nil {
		state.Resume = map[string]ResumePoint{}
	}
	var n atomic.Int64
	ctx = withCounter(ctx, &n)
	a := newAcc(ch)
	err := c.syncAll(ctx, ch, a, &state, fresh, now)
	a.settle()
	if err == nil && !state.FullDone {
		state.FullDone = true
	}
	ch.State = state
	ch.Requests = int(n.Load())
	if err != nil {
		return ch, fmt.Errorf("amo sync: %w", err)
	}
	return ch, nil
}

// syncAll reads the dictionaries when due and then every list, stopping at the first error.
func (c *Client) syncAll(ctx context.Context, ch *Changes, a *acc, state *SyncState, fresh bool, now time.Time) error {
	if fresh || state.DictionariesAt.IsZero() || now.Sub(state.DictionariesAt) >= c.cfg.DictionaryTTL {
		if err := c.syncDictionaries(ctx, ch); err != nil {
			return err
		}
		state.DictionariesAt = now
	}
	for _, d := range listDefs() {
		if err := c.syncList(ctx, d, a, state, now); err != nil {
			return err
		}
	}
	return nil
}

// syncList scans one list: resuming, incremental from its cursor, or full.
func (c *Client) syncList(ctx context.Context, d listDef, a *acc, state *SyncState, now time.Time) error {
	w, start := Window{To: now}, 1
	if rp, ok := state.Resume[d.key]; ok {
		w, start = Window{From: rp.From, To: rp.To}, max(rp.Page-1, 1)
	} else if cur, ok := state.Cursors[d.key]; ok {
		w.From = cur.Add(-c.cfg.Overlap)
	} else if d.key == ListKeyEvents {
		w.From = now.Add(-c.cfg.EventHistory)
	} else if d.key == ListKeyDeletedLeads {
		// A full read replaces the snapshot, so the trash is not needed; lead_deleted
		// events of the window catch deletions made during the full scan.
		state.Cursors[d.key] = now
		return nil
	}
	send := w
	if w.From.IsZero() {
		// Full entity scan: no updated_at filter, so entities updated during the scan do
		// not leave the result set and shift the pages.
		send = Window{}
	}
	page, err := c.scan(ctx, d, send, start, a)
	if err != nil {
		state.Resume[d.key] = ResumePoint{From: w.From, To: w.To, Page: page}
		return err
	}
	delete(state.Resume, d.key)
	state.Cursors[d.key] = w.To
	return nil
}

// syncDictionaries reads the account, users, pipelines, loss reasons and custom fields. A
// 403 on /users (non-admin token) is a warning: the caller keeps the users it knows.
func (c *Client) syncDictionaries(ctx context.Context, ch *Changes) error {
	acct, err := c.Account(ctx)
	if err != nil {
		return err
	}
	users, err := c.Users(ctx)
	switch {
	case errors.Is(err, ErrForbidden):
		ch.Warnings = append(ch.Warnings, "users: /api/v4/users is forbidden for this token (not an admin); user names are kept from the last successful read")
	case err != nil:
		return err
	}
	pipelines, err := c.Pipelines(ctx)
	if err != nil {
		return err
	}
	reasons, err := c.LossReasons(ctx)
	if err != nil {
		return err
	}
	fields, err := c.CustomFields(ctx, EntityLeads)
	if err != nil {
		return err
	}
	contactFields, err := c.CustomFields(ctx, EntityContacts)
	if err != nil {
		return err
	}
	ch.Account, ch.Users, ch.Pipelines, ch.LossReasons = acct, users, pipelines, reasons
	ch.CustomFields = append(fields, contactFields...)
	ch.Dictionaries = true
	return nil
}
