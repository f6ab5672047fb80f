package sandbox

import (
	"net/http"
	"slices"
	"strconv"

	"salesguard/amo"
)

// mapValues returns the map's values sorted by id: the base order of a collection.
func mapValues[K ~int64, T any](m map[K]*T) []*T {
	keys := make([]K, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	out := make([]*T, len(keys))
	for i, k := range keys {
		out[i] = m[k]
	}
	return out
}

func leadsCol() collection[amo.Lead] {
	return collection[amo.Lead]{
		name: "leads",
		all:  func(d *Data) []*amo.Lead { return mapValues(d.Leads) },
		key: func(l *amo.Lead, f string) int64 {
			switch f {
			case "created_at":
				return unix(l.CreatedAt)
			case "updated_at":
				return unix(l.UpdatedAt)
			}
			return int64(l.ID)
		},
	}
}

func deletedLeadsCol() collection[amo.Lead] {
	c := leadsCol()
	c.name = "leads:deleted"
	c.all = func(d *Data) []*amo.Lead { return mapValues(d.DeletedLeads) }
	return c
}

// leadSelection turns the lead filters of API.md §4.4 into a selection.
func leadSelection(q *query) (selection[amo.Lead], *response) {
	var sel selection[amo.Lead]
	ids, bad := q.ints("id")
	pipes, bad2 := q.ints("pipeline_id")
	resp, bad3 := q.ints("responsible_user_id")
	cby, bad4 := q.ints("created_by")
	uby, bad5 := q.ints("updated_by")
	sts, bad6 := q.statuses()
	created, bad7 := q.timeRange("created_at")
	updated, bad8 := q.timeRange("updated_at")
	closed, bad9 := q.timeRange("closed_at")
	if r := firstBad(bad, bad2, bad3, bad4, bad5, bad6, bad7, bad8, bad9); r != nil {
		return sel, r
	}
	sel.order = q.order(orderBy{field: "id"}, "id", "created_at", "updated_at")
	sel.window, sel.span = pickWindow(updated, created)
	sel.match = func(l *amo.Lead) bool {
		return inSet(ids, int64(l.ID)) && inSet(pipes, int64(l.PipelineID)) &&
			inSet(resp, int64(l.ResponsibleUserID)) && inSet(cby, int64(l.CreatedBy)) &&
			inSet(uby, int64(l.UpdatedBy)) && statusIn(sts, l) &&
			created.has(unix(l.CreatedAt)) && updated.has(unix(l.UpdatedAt)) &&
			(!closed.set || (!l.ClosedAt.IsZero() && closed.has(unix(l.ClosedAt))))
	}
	return sel, nil
}

// pickWindow chooses the range filter to cut the index with: updated_at first.
func pickWindow(updated, created span) (string, span) {
	if updated.set {
		return "updated_at", updated
	}
	if created.set {
		return "created_at", created
	}
	return "", span{}
}

func firstBad(rs ...*response) *response {
	for _, r := range rs {
		if r != nil {
			return r
		}
	}
	return nil
}

// inSet reports whether v is in set; an absent filter (nil set) matches everything.
func inSet(set map[int64]bool, v int64) bool { return set == nil || set[v] }

func statusIn(sts []statusPair, l *amo.Lead) bool {
	if len(sts) == 0 {
		return true
	}
	for _, s := range sts {
		if s.pipeline == int64(l.PipelineID) && s.status == int64(l.StatusID) {
			return true
		}
	}
	return false
}

// leads serves GET /api/v4/leads (API.md §4.4).
func (s *Server) leads(r *http.Request) *response {
	raw := r.URL.Query()
	q := parseQuery(raw)
	pg, bad := parsePage(raw, maxLimit)
	if bad != nil {
		return bad
	}
	sel, bad := leadSelection(q)
	if bad != nil {
		return bad
	}
	col := leadsCol()
	if q.with["only_deleted"] {
		col = deletedLeadsCol()
	}
	return s.read(func(d *Data, ver uint64) *response {
		items := selectAll(s, ver, d, col, resultKey(r.URL.Path, raw), sel)
		c := s.wctx(r, d)
		if q.with["only_deleted"] {
			return listPage(s, r, "leads", items, pg, listNoTotals, c.deletedLead)
		}
		with := leadOptions(q, d)
		return listPage(s, r, "leads", items, pg, listNoTotals, func(l *amo.Lead) wireLead { return c.lead(l, with) })
	})
}

func leadOptions(q *query, d *Data) leadWith {
	w := leadWith{contacts: q.with["contacts"], lossReason: q.with["loss_reason"], lossAt: d.Now}
	if w.lossReason {
		w.lossReasons = make(map[amo.LossReasonID]*amo.LossReason, len(d.LossReasons))
		for i := range d.LossReasons {
			w.lossReasons[d.LossReasons[i].ID] = &d.LossReasons[i]
		}
	}
	return w
}

// lead serves GET /api/v4/leads/{id}: 204 when there is no such lead.
func (s *Server) lead(r *http.Request) *response {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return problem(http.StatusNotFound, "Not Found", "unknown route")
	}
	q := parseQuery(r.URL.Query())
	return s.read(func(d *Data, _ uint64) *response {
		l, ok := d.Leads[amo.LeadID(id)]
		if !ok {
			return noContent()
		}
		return halJSON(s.wctx(r, d).lead(l, leadOptions(q, d)))
	})
}

func contactsCol() collection[amo.Contact] {
	return collection[amo.Contact]{
		name: "contacts",
		all:  func(d *Data) []*amo.Contact { return mapValues(d.Contacts) },
		key: func(c *amo.Contact, f string) int64 {
			switch f {
			case "created_at":
				return unix(c.CreatedAt)
			case "updated_at":
				return unix(c.UpdatedAt)
			}
			return int64(c.ID)
		},
	}
}

// contacts serves GET /api/v4/contacts (API.md §4.10).
func (s *Server) contacts(r *http.Request) *response {
	raw := r.URL.Query()
	q := parseQuery(raw)
	pg, bad := parsePage(raw, maxLimit)
	if bad != nil {
		return bad
	}
	ids, bad1 := q.ints("id")
	resp, bad2 := q.ints("responsible_user_id")
	created, bad3 := q.timeRange("created_at")
	updated, bad4 := q.timeRange("updated_at")
	if b := firstBad(bad1, bad2, bad3, bad4); b != nil {
		return b
	}
	sel := selection[amo.Contact]{order: q.order(orderBy{field: "id"}, "id", "updated_at", "created_at")}
	sel.window, sel.span = pickWindow(updated, created)
	sel.match = func(c *amo.Contact) bool {
		return inSet(ids, int64(c.ID)) && inSet(resp, int64(c.ResponsibleUserID)) &&
			created.has(unix(c.CreatedAt)) && updated.has(unix(c.UpdatedAt))
	}
	col := contactsCol()
	return s.read(func(d *Data, ver uint64) *response {
		items := selectAll(s, ver, d, col, resultKey(r.URL.Path, raw), sel)
		c := s.wctx(r, d)
		withLeads := q.with["leads"]
		return listPage(s, r, "contacts", items, pg, listNoTotals,
			func(ct *amo.Contact) wireContact { return c.contact(ct, withLeads) })
	})
}

// contact serves GET /api/v4/contacts/{id}: 204 when there is no such contact.
func (s *Server) contact(r *http.Request) *response {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return problem(http.StatusNotFound, "Not Found", "unknown route")
	}
	q := parseQuery(r.URL.Query())
	return s.read(func(d *Data, _ uint64) *response {
		ct, ok := d.Contacts[amo.ContactID(id)]
		if !ok {
			return noContent()
		}
		return halJSON(s.wctx(r, d).contact(ct, q.with["leads"]))
	})
}
