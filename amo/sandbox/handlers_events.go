package sandbox

import (
	"net/http"

	"salesguard/amo"
)

// Events filter limits of API.md §4.9.
const maxEventFilterIDs = 10

func eventsCol() collection[amo.Event] {
	return collection[amo.Event]{
		name: "events",
		all: func(d *Data) []*amo.Event {
			out := make([]*amo.Event, len(d.Events))
			for i := range d.Events {
				out[i] = &d.Events[i]
			}
			return out
		},
		key: func(e *amo.Event, f string) int64 {
			if f == "created_at" {
				return unix(e.CreatedAt)
			}
			return 0 // no numeric id: ties keep creation order
		},
	}
}

// events serves GET /api/v4/events (API.md §4.9): limit ≤ 100, newest first unless
// order[created_at]=asc. filter[created_at] takes a scalar (from), [from]/[to] or "FROM,TO".
func (s *Server) events(r *http.Request) *response {
	raw := r.URL.Query()
	q := parseQuery(raw)
	pg, bad := parsePage(raw, maxEventsLimit)
	if bad != nil {
		return bad
	}
	sel, bad := eventSelection(q)
	if bad != nil {
		return bad
	}
	col := eventsCol()
	return s.read(func(d *Data, ver uint64) *response {
		items := selectAll(s, ver, d, col, resultKey(r.URL.Path, raw), sel)
		return listPage(s, r, "events", items, pg, listNoTotals, s.wctx(r, d).event)
	})
}

func eventSelection(q *query) (selection[amo.Event], *response) {
	var sel selection[amo.Event]
	ents, b1 := q.ints("entity_id")
	cby, b2 := q.ints("created_by")
	created, b3 := q.timeRange("created_at")
	if b := firstBad(b1, b2, b3); b != nil {
		return sel, b
	}
	entities := strSet(q.strs("entity"))
	switch {
	case len(ents) > maxEventFilterIDs:
		return sel, badRequest("filter.entity_id", "This collection should contain 10 elements or less.")
	case ents != nil && len(entities) != 1:
		return sel, badRequest("filter.entity", "filter[entity_id] requires exactly one filter[entity].")
	case len(cby) > maxEventFilterIDs:
		return sel, badRequest("filter.created_by", "This collection should contain 10 elements or less.")
	}
	ids, types := strSet(q.strs("id")), strSet(q.strs("type"))
	sel.order = q.order(orderBy{field: "created_at", desc: true}, "created_at")
	sel.window, sel.span = pickWindow(span{}, created)
	sel.match = func(e *amo.Event) bool {
		return (ids == nil || ids[e.ID]) && (types == nil || types[e.Type]) &&
			(entities == nil || entities[e.EntityType]) && inSet(ents, e.EntityID) &&
			inSet(cby, int64(e.CreatedBy)) && created.has(unix(e.CreatedAt))
	}
	return sel, nil
}
