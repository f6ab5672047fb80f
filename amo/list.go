package amo

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"time"
)

// Page sizes (API.md §3.2): 250 for entity lists, 100 for events.
const (
	pageLimit      = 250
	eventPageLimit = 100
)

// Window restricts a list to items updated (events: created) within [From, To]; a zero end
// leaves that side open.
type Window struct {
	From time.Time
	To   time.Time
}

// halLinks is the _links object of a HAL page; only the presence of next matters.
type halLinks struct {
	Next *struct {
		Href string `json:"href"`
	} `json:"next"`
}

// acc accumulates what a sync (or a plain List call) reads.
type acc struct {
	ch *Changes
	// leads, contacts and tasks hold the latest deletion or restoration seen per id (from
	// with=only_deleted or *_deleted/*_restored events), settled against the lists at the end.
	leads, contacts, tasks map[int64]mark
}

// mark is a deletion (or a restoration) of an entity at a time.
type mark struct {
	at      time.Time
	deleted bool
}

func newAcc(ch *Changes) *acc {
	return &acc{ch: ch, leads: map[int64]mark{}, contacts: map[int64]mark{}, tasks: map[int64]mark{}}
}

// mark records a deletion or restoration unless a later one is already known.
func (a *acc) mark(m map[int64]mark, id int64, at time.Time, deleted bool) {
	if old, ok := m[id]; !ok || !at.Before(old.at) {
		m[id] = mark{at: at, deleted: deleted}
	}
}

// deletedIDs returns the ids marked deleted, sorted.
func deletedIDs[ID ~int64](m map[int64]mark) []ID {
	out := make([]ID, 0, len(m))
	for id, mk := range m {
		if mk.deleted {
			out = append(out, ID(id))
		}
	}
	slices.Sort(out)
	return out
}

// listDef describes one list the sync scans.
type listDef struct {
	key   string // SyncState key
	path  string
	limit int
	field string // the window's timestamp: updated_at or created_at
	query url.Values
	// nextOnly ignores short pages: custom_fields may return 50 items per page whatever the limit.
	nextOnly bool
	decode   func(body []byte, a *acc) (n int, next bool, err error)
}

// query builds the request parameters of page p of w.
func (d listDef) pageQuery(w Window, p int) url.Values {
	q := make(url.Values, len(d.query)+4)
	for k, v := range d.query {
		q[k] = v
	}
	if !w.From.IsZero() {
		q.Set("filter["+d.field+"][from]", strconv.FormatInt(w.From.Unix(), 10))
	}
	if !w.To.IsZero() {
		q.Set("filter["+d.field+"][to]", strconv.FormatInt(w.To.Unix(), 10))
	}
	q.Set("page", strconv.Itoa(p))
	q.Set("limit", strconv.Itoa(d.limit))
	return q
}

// scan reads the pages of d within w from page start until a 204, a short page, a page
// without _links.next or the page cap. On error it returns the page to resume from.
func (c *Client) scan(ctx context.Context, d listDef, w Window, start int, a *acc) (resume int, err error) {
	if start < 1 {
		start = 1
	}
	for p := start; p < start+c.cfg.MaxPages; p++ {
		body, err := c.get(ctx, d.path, d.pageQuery(w, p))
		if err != nil {
			return p, fmt.Errorf("list %s page %d: %w", d.key, p, err)
		}
		if body == nil {
			return 0, nil
		}
		n, next, err := d.decode(body, a)
		if err != nil {
			return p, fmt.Errorf("list %s: decode GET %s page %d: %w", d.key, d.path, p, err)
		}
		if !next || (n < d.limit && !d.nextOnly) {
			return 0, nil
		}
	}
	return start + c.cfg.MaxPages, fmt.Errorf("list %s: page cap %d reached at page %d", d.key, c.cfg.MaxPages, start+c.cfg.MaxPages)
}

// list reads a whole window of d into a fresh Changes.
func (c *Client) list(ctx context.Context, d listDef, w Window) (*Changes, error) {
	ch := &Changes{}
	if _, err := c.scan(ctx, d, w, 1, newAcc(ch)); err != nil {
		return nil, err
	}
	return ch, nil
}

// Sync list keys (SyncState.Cursors and Resume).
const (
	ListKeyLeads        = "leads"
	ListKeyDeletedLeads = "leads:deleted"
	ListKeyContacts     = "contacts"
	ListKeyTasks        = "tasks"
	ListKeyLeadNotes    = "notes:leads"
	ListKeyContactNotes = "notes:contacts"
	ListKeyEvents       = "events"
)

// listDefs returns the lists a sync scans, in order. Entity lists are read in id order so
// offset paging is stable while the window is closed.
func listDefs() []listDef {
	byID := func(kv ...string) url.Values {
		q := url.Values{"order[id]": {"asc"}}
		for i := 0; i+1 < len(kv); i += 2 {
			q.Set(kv[i], kv[i+1])
		}
		return q
	}
	return []listDef{
		{key: ListKeyLeads, path: "/api/v4/leads", limit: pageLimit, field: "updated_at", query: byID("with", "contacts,loss_reason"), decode: decodeLeads},
		{key: ListKeyDeletedLeads, path: "/api/v4/leads", limit: pageLimit, field: "updated_at", query: byID("with", "only_deleted"), decode: decodeDeletedLeads},
		{key: ListKeyContacts, path: "/api/v4/contacts", limit: pageLimit, field: "updated_at", query: byID("with", "leads"), decode: decodeContacts},
		{key: ListKeyTasks, path: "/api/v4/tasks", limit: pageLimit, field: "updated_at", query: byID(), decode: decodeTasks},
		{key: ListKeyLeadNotes, path: "/api/v4/leads/notes", limit: pageLimit, field: "updated_at", query: byID(), decode: decodeNotes(EntityLeads)},
		{key: ListKeyContactNotes, path: "/api/v4/contacts/notes", limit: pageLimit, field: "updated_at", query: byID(), decode: decodeNotes(EntityContacts)},
		{key: ListKeyEvents, path: "/api/v4/events", limit: eventPageLimit, field: "created_at", query: url.Values{}, decode: decodeEvents},
	}
}
