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
// inclusive, so only items of that second are read again, until a scan has read that second
// Config.Settle after it) to the moment the sync started.
// Leads, contacts and notes are read in updated_at order, each request starting at the last
// item read, so items changing during the scan cannot shift pages; tasks and events (which
// cannot be ordered so) by offset within the fixed window. Dictionaries are re-read when
// DictionaryTTL has passed. Deleted leads come from with=only_deleted and lead_deleted
// events, deleted contacts and tasks from contact_deleted and task_deleted events, as Marks.
//
// A list ends at a 204, an empty page or a page without _links.next, whatever its length. On
// an account that ignores the time filters (st.Filters, from ProbeFilters or seen in a scan),
// a windowed scan reads newest first and stops at the first item older than its cursor,
// FallbackPages at most per poll. On error the pages already handed over stay handed over:
// pass the last state the sink got to resume where it stopped (an offset scan resumes one
// page back, to absorb offset drift).
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

// FallbackPages bounds the pages one poll reads of a list scanned newest first (the account
// ignores its time filter, FilterState): a burst of changes larger than that is read over the
// next polls, and a poll never turns into a scan of the whole list.
const FallbackPages = 20

// scanList reads one list from where its state stands, handing every page to emit.
func (c *Client) scanList(ctx context.Context, d listDef, state *SyncState, now time.Time, last bool, emit func(*Changes) error) error {
	ls := state.Lists[d.key]
	sc := c.startScan(d, state, ls, now)
	if sc == nil {
		state.Lists[d.key] = ListState{Cursor: now}
		return nil
	}
	for pages := 0; ; pages++ {
		if pages >= c.cfg.MaxPages {
			return fmt.Errorf("list %s: page cap %d reached at page %d", d.key, c.cfg.MaxPages, sc.Page)
		}
		p, info, err := c.readPage(ctx, d, sc)
		if err != nil {
			return err
		}
		done := d.step(sc, info, p, &state.Filters)
		// A poll's newest-first scan stops after FallbackPages; the next poll goes on.
		paused := !done && sc.Desc && !ls.Cursor.IsZero() && pages+1 >= FallbackPages
		if paused {
			p.Warnings = append(p.Warnings, fmt.Sprintf("%s: %d pages read newest first (the account ignores filter[%s]); the rest is read at the next poll", d.key, FallbackPages, d.field))
		}
		if done {
			ls = ListState{Cursor: finalCursor(ls.Cursor, sc, c.cfg.Settle)}
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
		if done || paused {
			return nil
		}
	}
}

// readPage reads and decodes the page of d that sc stands at; a 204 is a page of no items.
func (c *Client) readPage(ctx context.Context, d listDef, sc *Scan) (*Changes, pageInfo, error) {
	body, err := c.get(ctx, d.path, d.pageQuery(sc))
	if err != nil {
		return nil, pageInfo{}, fmt.Errorf("list %s page %d: %w", d.key, sc.Page, err)
	}
	p := &Changes{List: d.key}
	if body == nil {
		return p, pageInfo{}, nil
	}
	info, err := d.decode(body, p)
	recycleBody(body) // decoded: p holds copies
	if err != nil {
		return nil, info, fmt.Errorf("list %s: decode GET %s page %d: %w", d.key, d.path, sc.Page, err)
	}
	return p, info, nil
}

// startScan returns the scan of d to run: the unfinished one resumed, or a new one from the
// list's cursor; nil when the list is not read (the trash on a first sync).
func (c *Client) startScan(d listDef, state *SyncState, ls ListState, now time.Time) *Scan {
	if ls.Scan != nil {
		sc := *ls.Scan
		switch {
		case sc.Full || d.immutable || sc.Desc:
			// Items never leave these scans (no filter; events do not change; newest first,
			// changed items move to the top): one page back absorbs the drift of a deletion.
			sc.Page = max(sc.Page-1, 1)
		case !d.keyset:
			// Items changed since the interruption left the window and shifted the pages
			// by as many: the window is read again from its start (it is small: a poll's).
			sc.Page = 1
		}
		return &sc
	}
	desc := state.Filters.ignored(d.field)
	switch {
	case ls.Cursor.IsZero() && d.key == ListKeyDeletedLeads:
		return nil // a first read needs no trash: lead_deleted events catch deletions made during it
	case ls.Cursor.IsZero() && d.key == ListKeyEvents:
		return &Scan{From: now.Add(-c.cfg.EventHistory), To: now, Page: 1, Desc: desc}
	case ls.Cursor.IsZero():
		// The whole list in id order and unfiltered: entities updated during the scan do not
		// leave the result set and shift the pages; new ones come last.
		return &Scan{Full: true, To: now, Page: 1}
	}
	return &Scan{From: ls.Cursor, To: now, Page: 1, Desc: desc}
}

// step moves sc past a page read and reports whether the list is done: at a 204, an empty
// page or a page without _links.next, whatever its length (accounts cap pages below the
// limit asked for). A windowed page keeps only its window's items. One holding items older
// than the window proves the filter ignored (recorded in f): a newest-first page then ends
// the scan (what follows is older still), any other restarts it newest first.
func (d listDef) step(sc *Scan, info pageInfo, p *Changes, f *FilterState) bool {
	seen := info.seen
	if !sc.Full {
		seen = p.keepWindow(sc.From, sc.To)
	}
	if seen.After(sc.Seen) {
		sc.Seen = seen
	}
	past := !sc.Full && info.before(sc.From)
	if past && !f.ignored(d.field) {
		f.setIgnored(d.field)
		p.Warnings = append(p.Warnings, fmt.Sprintf("%s: the account ignores filter[%s] (items outside the window asked for): reading newest first down to the cursor", d.key, d.field))
	}
	switch {
	case info.n == 0 || !info.next:
		return true
	case past && info.newestFirst(sc.Desc):
		return true
	case past && !sc.Desc:
		sc.Desc, sc.Page = true, 1
	case d.keyset && !sc.Full && !sc.Desc && info.last.After(sc.From):
		sc.From, sc.Page = info.last, 1 // the next request starts at the last item read
	default:
		sc.Page++
	}
	return false
}

// finalCursor is a list's cursor after a scan: the scan's start for a full scan (everything
// updated since may have been read before the update), else the latest timestamp read, never
// moving back. That second is read again by the next window (an item may have been saved in
// it after this scan read it), unless this scan read it settle or more after it: then every
// item of it was there to be read, and the next window starts at the second after.
func finalCursor(cur time.Time, sc *Scan, settle time.Duration) time.Time {
	next := sc.Seen
	if sc.Full || (!sc.From.IsZero() && cur.IsZero()) {
		next = sc.To
	} else if !next.IsZero() && sc.To.Sub(next) >= settle {
		next = next.Add(time.Second)
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
