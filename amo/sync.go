package amo

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"sync/atomic"
	"time"
)

// PageSink receives each page a sync reads, in order: the dictionaries first (when they are
// due), then every page of every list, each with the SyncState that resumes after it. The sink
// must persist the page and its state before it returns: the next page is read only then, so
// a crash at any moment loses at most the page being read. An error from the sink stops the
// sync.
type PageSink func(ctx context.Context, page *Changes) error

// SyncStats say what one sync did.
type SyncStats struct {
	Full     bool // it was (part of) the first, full sync
	Requests int  // HTTP requests made
	Pages    int  // pages handed to the sink
	Items    int  // items on those pages
}

// SyncPages reads what changed in the account since st, page by page, into sink.
//
// A first sync (no list scanned yet) is full: dictionaries, every lead, contact, task and
// note in id order, and the events of the last EventHistory. Later syncs are incremental:
// each list is read from its cursor (the latest updated_at, events: created_at, read so far,
// inclusive, so only items of that second are read again) to the moment the sync started.
// Leads, contacts and notes are read in updated_at order, each request starting at the last
// item read, so items changing during the scan cannot shift pages; tasks and events (which
// cannot be ordered so) by offset within the fixed window. Dictionaries are re-read when
// DictionaryTTL has passed. Deleted leads come from with=only_deleted and lead_deleted
// events, deleted contacts and tasks from contact_deleted and task_deleted events, as Marks.
//
// A list ends at a 204, an empty page or a page without _links.next, whatever its length. On
// error the pages already handed over stay handed over: pass the last state the sink got to
// resume where it stopped (an offset scan resumes one page back, to absorb offset drift).
func (c *Client) SyncPages(ctx context.Context, st SyncState, sink PageSink) (SyncStats, error) {
	now := c.clock.Now().UTC().Truncate(time.Second)
	state := cloneState(st)
	stats := SyncStats{Full: !state.FullDone}
	var n atomic.Int64
	ctx = withCounter(ctx, &n)
	err := c.syncPages(ctx, &state, now, &stats, sink)
	stats.Requests = int(n.Load())
	if err != nil {
		return stats, fmt.Errorf("amo sync: %w", err)
	}
	return stats, nil
}

func (c *Client) syncPages(ctx context.Context, state *SyncState, now time.Time, stats *SyncStats, sink PageSink) error {
	emit := func(p *Changes) error {
		p.TakenAt = now
		p.State = cloneState(*state)
		stats.Pages++
		stats.Items += len(p.Leads) + len(p.Contacts) + len(p.Tasks) + len(p.Notes) + len(p.Events) + len(p.Marks)
		return sink(ctx, p)
	}
	if state.DictionariesAt.IsZero() || now.Sub(state.DictionariesAt) >= c.cfg.DictionaryTTL {
		p := &Changes{}
		if err := c.syncDictionaries(ctx, p); err != nil {
			return err
		}
		state.DictionariesAt = now
		if err := emit(p); err != nil {
			return err
		}
	}
	defs := listDefs()
	for i, d := range defs {
		last := i == len(defs)-1
		if err := c.scanList(ctx, d, state, now, last, emit); err != nil {
			return err
		}
	}
	return nil
}

// scanList reads one list from where its state stands, handing every page to emit.
func (c *Client) scanList(ctx context.Context, d listDef, state *SyncState, now time.Time, last bool, emit func(*Changes) error) error {
	ls := state.Lists[d.key]
	sc := ls.Scan
	switch {
	case sc != nil:
		sc = new(Scan)
		*sc = *ls.Scan
		switch {
		case sc.Full || d.immutable:
			// Items never leave these scans (no filter; events do not change): one page
			// back absorbs the drift of a deletion.
			sc.Page = max(sc.Page-1, 1)
		case !d.keyset:
			// Items changed since the interruption left the window and shifted the pages
			// by as many: the window is read again from its start (it is small: a poll's).
			sc.Page = 1
		}
	case ls.Cursor.IsZero() && d.key == ListKeyDeletedLeads:
		// A first read needs no trash: lead_deleted events catch deletions made during it.
		ls.Cursor = now
		state.Lists[d.key] = ls
		return nil
	case ls.Cursor.IsZero() && d.key == ListKeyEvents:
		sc = &Scan{From: now.Add(-c.cfg.EventHistory), To: now, Page: 1}
	case ls.Cursor.IsZero():
		// The whole list in id order and unfiltered: entities updated during the scan do not
		// leave the result set and shift the pages; new ones come last.
		sc = &Scan{Full: true, To: now, Page: 1}
	default:
		sc = &Scan{From: ls.Cursor, To: now, Page: 1}
	}
	for pages := 0; ; pages++ {
		if pages >= c.cfg.MaxPages {
			return fmt.Errorf("list %s: page cap %d reached at page %d", d.key, c.cfg.MaxPages, sc.Page)
		}
		body, err := c.get(ctx, d.path, d.pageQuery(sc))
		if err != nil {
			return fmt.Errorf("list %s page %d: %w", d.key, sc.Page, err)
		}
		p := &Changes{List: d.key}
		var info pageInfo
		if body != nil {
			if info, err = d.decode(body, p); err != nil {
				return fmt.Errorf("list %s: decode GET %s page %d: %w", d.key, d.path, sc.Page, err)
			}
		}
		if info.seen.After(sc.Seen) {
			sc.Seen = info.seen
		}
		done := body == nil || info.n == 0 || !info.next
		switch {
		case done:
		case d.keyset && !sc.Full && info.last.After(sc.From):
			sc.From, sc.Page = info.last, 1 // the next request starts at the last item read
		default:
			sc.Page++
		}
		if done {
			ls = ListState{Cursor: finalCursor(ls.Cursor, sc)}
			if last {
				state.FullDone = true
			}
		} else {
			ls.Scan = new(Scan)
			*ls.Scan = *sc
		}
		state.Lists[d.key] = ls
		if err := emit(p); err != nil {
			return err
		}
		if done {
			return nil
		}
	}
}

// finalCursor is a list's cursor after a scan: the scan's start for a full scan (everything
// updated since may have been read before the update), else the latest timestamp read, never
// moving back.
func finalCursor(cur time.Time, sc *Scan) time.Time {
	next := sc.Seen
	if sc.Full || (!sc.From.IsZero() && cur.IsZero()) {
		next = sc.To
	}
	if next.Before(cur) {
		return cur
	}
	return next
}

func cloneState(st SyncState) SyncState {
	out := st
	out.Lists = maps.Clone(st.Lists)
	if out.Lists == nil {
		out.Lists = map[string]ListState{}
	}
	for k, ls := range out.Lists {
		if ls.Scan != nil {
			sc := *ls.Scan
			ls.Scan = &sc
			out.Lists[k] = ls
		}
	}
	return out
}

// Sync reads what changed since st into one Changes (every page collected, de-duplicated,
// deletions applied) with the state to persist in ch.State: SyncPages for callers that hold
// the whole result anyway (tests, one-off tools). A first sync sets ch.Full. On error the
// Changes hold what was read and a State that resumes.
func (c *Client) Sync(ctx context.Context, st SyncState) (*Changes, error) {
	all := &Changes{Full: !st.FullDone && len(st.Lists) == 0}
	all.State = cloneState(st)
	stats, err := c.SyncPages(ctx, st, func(_ context.Context, p *Changes) error {
		all.add(p)
		return nil
	})
	all.settle()
	all.Requests = stats.Requests
	if all.TakenAt.IsZero() {
		all.TakenAt = c.clock.Now().UTC().Truncate(time.Second)
	}
	return all, err
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
