package amo

import (
	"bytes"
	"context"
	"fmt"
	"net/url"
	"strconv"
	"time"

	"github.com/segmentio/encoding/json"
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

// pageInfo is what the scan needs to know of a decoded page.
type pageInfo struct {
	n      int       // items on the page, skipped ones included
	next   bool      // _links.next is there
	first  time.Time // the timestamp (updated_at or created_at) of the page's first item
	last   time.Time // the timestamp of the page's last item
	seen   time.Time // the latest timestamp on the page
	oldest time.Time // the earliest timestamp on the page
	rising bool      // some item is later than the one before it (the page is not newest first)
}

// note records an item's timestamp, in page order.
func (p *pageInfo) note(t time.Time) {
	if p.first.IsZero() {
		p.first, p.oldest = t, t
	} else if t.After(p.last) {
		p.rising = true
	}
	p.last = t
	if t.After(p.seen) {
		p.seen = t
	}
	if t.Before(p.oldest) {
		p.oldest = t
	}
}

// before reports whether the page holds an item older than from (a zero from: none is).
func (p *pageInfo) before(from time.Time) bool {
	return !from.IsZero() && !p.oldest.IsZero() && p.oldest.Before(from)
}

// newestFirst reports whether the page is in descending time order: non-increasing when the
// scan asked for it (asked), and visibly descending (first later than last) otherwise.
func (p *pageInfo) newestFirst(asked bool) bool {
	if p.rising {
		return false
	}
	return asked || p.first.After(p.last)
}

// listDef describes one list the sync scans.
type listDef struct {
	key   string // SyncState key
	path  string
	limit int
	field string // the window's timestamp: updated_at or created_at
	query url.Values
	// keyset scans incremental windows by updated_at (order[updated_at]=asc), restarting each
	// request at the last item read, so items changing during the scan cannot shift the pages.
	// Lists that cannot be ordered so (tasks, events) are scanned by offset in id order.
	keyset bool
	// immutable says the list's items never change (events), so none leaves a window.
	immutable bool
	decode    func(body []byte, ch *Changes) (pageInfo, error)
}

// pageQuery builds the request parameters of a scan's next page.
func (d listDef) pageQuery(sc *Scan) url.Values {
	q := make(url.Values, len(d.query)+5)
	for k, v := range d.query {
		q[k] = v
	}
	if !sc.Full {
		if !sc.From.IsZero() {
			q.Set("filter["+d.field+"][from]", strconv.FormatInt(sc.From.Unix(), 10))
		}
		if !sc.To.IsZero() {
			q.Set("filter["+d.field+"][to]", strconv.FormatInt(sc.To.Unix(), 10))
		}
		switch {
		case sc.Desc:
			q.Del("order[id]")
			q.Set("order["+d.field+"]", "desc")
		case d.keyset:
			q.Del("order[id]")
			q.Set("order["+d.field+"]", "asc")
		}
	}
	q.Set("page", strconv.Itoa(sc.Page))
	q.Set("limit", strconv.Itoa(d.limit))
	return q
}

// rawPage is a HAL page with its lists still encoded.
type rawPage struct {
	Links    halLinks            `json:"_links"`
	Embedded map[string]rawBytes `json:"_embedded"`
}

// rawBytes is a JSON value left encoded, like json.RawMessage, but sharing the body it was
// decoded from instead of copying it: valid while that body is.
type rawBytes []byte

// UnmarshalJSON implements json.Unmarshaler.
func (r *rawBytes) UnmarshalJSON(b []byte) error {
	*r = b
	return nil
}

// identified is a wire item that knows whether its id is usable (positive, or a non-empty
// text): an item without one could only collide with others in the working set.
type identified interface{ validID() bool }

func (w *wireLead) validID() bool    { return w.ID > 0 }
func (w *wireContact) validID() bool { return w.ID > 0 }
func (w *wireTask) validID() bool    { return w.ID > 0 }
func (w *wireNote) validID() bool    { return w.ID > 0 }
func (w *wireEvent) validID() bool   { return w.ID != "" }
func (w *wireUser) validID() bool    { return w.ID > 0 }

// decodeItems decodes the items of a page of the list under _embedded[key] one by one, calling
// each with every item that decodes. A malformed item is skipped with a warning in ch naming
// the list and, when it can be read, the item's id: one bad item never fails a page. A body
// that is not a HAL page at all is an error.
func decodeItems[W any](body []byte, key string, ch *Changes, each func(w *W)) (pageInfo, error) {
	var p rawPage
	if err := decodeJSON(body, &p); err != nil {
		return pageInfo{}, err
	}
	info := pageInfo{next: p.Links.Next != nil}
	raw := bytes.TrimSpace(p.Embedded[key])
	if len(raw) == 0 || string(raw) == "null" {
		return info, nil
	}
	// The page decoded, so the list is valid JSON: it is cut into items by nesting alone, and
	// a decode error is one item's (a wrong type).
	rest, ok := bytes.CutPrefix(raw, []byte("["))
	if !ok {
		return info, fmt.Errorf("_embedded.%s is not a list: it starts with %s", key, firstByte(raw))
	}
	for i := 0; ; i++ {
		var it []byte
		if it, rest = nextItem(rest); it == nil {
			break
		}
		info.n++
		var w W
		if err := json.Unmarshal(it, &w); err != nil {
			var id struct {
				ID flexString `json:"id"`
			}
			_ = json.Unmarshal(it, &id)
			ch.Warnings = append(ch.Warnings, fmt.Sprintf("%s: item %d (id %q) skipped: %v", key, i+1, string(id.ID), jsonError(err)))
			continue
		}
		if v, ok := any(&w).(identified); ok && !v.validID() {
			ch.Warnings = append(ch.Warnings, fmt.Sprintf("%s: item %d skipped: no valid id", key, i+1))
			continue
		}
		each(&w)
	}
	return info, nil
}

// nextItem cuts the next element off the inside of a valid JSON array (what follows its
// "["), and returns it and what follows it; nil at the array's end. It looks only at nesting
// and strings: the array is valid, so any value ends where its depth returns to zero.
func nextItem(b []byte) (item, rest []byte) {
	i := skipSpace(b, 0)
	if i < len(b) && b[i] == ',' {
		i = skipSpace(b, i+1)
	}
	if i >= len(b) || b[i] == ']' {
		return nil, nil
	}
	start, depth := i, 0
	for ; i < len(b); i++ {
		switch b[i] {
		case '"':
			for i++; i < len(b) && b[i] != '"'; i++ {
				if b[i] == '\\' {
					i++
				}
			}
		case '[', '{':
			depth++
		case ']', '}':
			if depth == 0 { // the array's own end, after a scalar
				return b[start:i], b[i:]
			}
			if depth--; depth == 0 {
				return b[start : i+1], b[i+1:]
			}
		case ',':
			if depth == 0 {
				return b[start:i], b[i:]
			}
		}
	}
	return b[start:], nil
}

// skipSpace returns the index of the first byte of b at or after i that is not JSON space.
func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// firstByte names how a JSON value starts, for an error.
func firstByte(b []byte) string {
	if len(b) == 0 {
		return "nothing"
	}
	return strconv.Quote(string(b[:1]))
}

// readAll reads every page of d (no window) from page 1, until a 204, an empty page or a page
// without _links.next, whatever its length (some accounts cap pages below the limit asked
// for), or the page cap.
func (c *Client) readAll(ctx context.Context, d listDef, ch *Changes) error {
	sc := &Scan{Full: true, Page: 1}
	for sc.Page <= c.cfg.MaxPages {
		body, err := c.get(ctx, d.path, d.pageQuery(sc))
		if err != nil {
			return fmt.Errorf("list %s page %d: %w", d.key, sc.Page, err)
		}
		if body == nil {
			return nil
		}
		info, err := d.decode(body, ch)
		if err != nil {
			return fmt.Errorf("list %s: decode GET %s page %d: %w", d.key, d.path, sc.Page, err)
		}
		if info.n == 0 || !info.next {
			return nil
		}
		sc.Page++
	}
	return fmt.Errorf("list %s: page cap %d reached", d.key, c.cfg.MaxPages)
}

// list reads a window of d into a fresh Changes, by offset in id order.
func (c *Client) list(ctx context.Context, d listDef, w Window) (*Changes, error) {
	ch := &Changes{}
	sc := &Scan{From: w.From, To: w.To, Page: 1}
	if w.From.IsZero() && w.To.IsZero() {
		sc.Full = true
	}
	d.keyset = false
	for sc.Page <= c.cfg.MaxPages {
		body, err := c.get(ctx, d.path, d.pageQuery(sc))
		if err != nil {
			return nil, fmt.Errorf("list %s page %d: %w", d.key, sc.Page, err)
		}
		if body == nil {
			ch.keepWindow(w.From, w.To)
			return ch, nil
		}
		info, err := d.decode(body, ch)
		if err != nil {
			return nil, fmt.Errorf("list %s: decode GET %s page %d: %w", d.key, d.path, sc.Page, err)
		}
		if info.n == 0 || !info.next {
			ch.keepWindow(w.From, w.To) // what an account that ignores the filter sent beyond it
			return ch, nil
		}
		sc.Page++
	}
	return nil, fmt.Errorf("list %s: page cap %d reached", d.key, c.cfg.MaxPages)
}

// Sync list keys (SyncState.Lists).
const (
	ListKeyLeads        = "leads"
	ListKeyDeletedLeads = "leads:deleted"
	ListKeyContacts     = "contacts"
	ListKeyTasks        = "tasks"
	ListKeyLeadNotes    = "notes:leads"
	ListKeyContactNotes = "notes:contacts"
	ListKeyEvents       = "events"
)

// listDefs returns the lists a sync scans, in order: deals first, so the items that belong to
// them find them.
func listDefs() []listDef {
	byID := func(kv ...string) url.Values {
		q := url.Values{"order[id]": {"asc"}}
		for i := 0; i+1 < len(kv); i += 2 {
			q.Set(kv[i], kv[i+1])
		}
		return q
	}
	return []listDef{
		{key: ListKeyLeads, path: "/api/v4/leads", limit: pageLimit, field: "updated_at", keyset: true, query: byID("with", "contacts,loss_reason"), decode: decodeLeads},
		{key: ListKeyDeletedLeads, path: "/api/v4/leads", limit: pageLimit, field: "updated_at", query: byID("with", "only_deleted"), decode: decodeDeletedLeads},
		{key: ListKeyContacts, path: "/api/v4/contacts", limit: pageLimit, field: "updated_at", keyset: true, query: byID("with", "leads"), decode: decodeContacts},
		{key: ListKeyTasks, path: "/api/v4/tasks", limit: pageLimit, field: "updated_at", query: byID(), decode: decodeTasks},
		{key: ListKeyLeadNotes, path: "/api/v4/leads/notes", limit: pageLimit, field: "updated_at", keyset: true, query: byID(), decode: decodeNotes(EntityLeads)},
		{key: ListKeyContactNotes, path: "/api/v4/contacts/notes", limit: pageLimit, field: "updated_at", keyset: true, query: byID(), decode: decodeNotes(EntityContacts)},
		{key: ListKeyEvents, path: "/api/v4/events", limit: eventPageLimit, field: "created_at", immutable: true, query: url.Values{}, decode: decodeEvents},
	}
}
