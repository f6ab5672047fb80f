package sandbox

import (
	"net/http"
	"strconv"

	"salesguard/amo"
)

func tasksCol() collection[amo.Task] {
	return collection[amo.Task]{
		name: "tasks",
		all:  func(d *Data) []*amo.Task { return mapValues(d.Tasks) },
		key: func(t *amo.Task, f string) int64 {
			switch f {
			case "created_at":
				return unix(t.CreatedAt)
			case "updated_at":
				return unix(t.UpdatedAt)
			case "complete_till":
				return unix(t.CompleteTill)
			}
			return int64(t.ID)
		},
	}
}

// tasks serves GET /api/v4/tasks (API.md §4.7). filter[updated_at]=ts means "updated from ts".
func (s *Server) tasks(r *http.Request) *response {
	raw := r.URL.Query()
	q := parseQuery(raw)
	pg, bad := parsePage(raw, maxLimit)
	if bad != nil {
		return bad
	}
	ids, b1 := q.ints("id")
	resp, b2 := q.ints("responsible_user_id")
	ents, b3 := q.ints("entity_id")
	types, b4 := q.ints("task_type")
	typeIDs, b5 := q.ints("task_type_id")
	cby, b6 := q.ints("created_by")
	updated, b7 := q.timeRange("updated_at")
	done, hasDone, b8 := q.boolFilter("is_completed")
	if b := firstBad(b1, b2, b3, b4, b5, b6, b7, b8); b != nil {
		return b
	}
	entTypes := strSet(q.strs("entity_type"))
	sel := selection[amo.Task]{order: q.order(orderBy{field: "id"}, "id", "created_at", "complete_till", "updated_at")}
	sel.window, sel.span = pickWindow(updated, span{})
	sel.match = func(t *amo.Task) bool {
		return inSet(ids, int64(t.ID)) && inSet(resp, int64(t.ResponsibleUserID)) && inSet(ents, t.EntityID) &&
			inSet(types, t.TaskTypeID) && inSet(typeIDs, t.TaskTypeID) && inSet(cby, int64(t.CreatedBy)) &&
			(!hasDone || t.IsCompleted == done) && (entTypes == nil || entTypes[t.EntityType]) &&
			updated.has(unix(t.UpdatedAt))
	}
	col := tasksCol()
	return s.read(func(d *Data, ver uint64) *response {
		items := selectAll(s, ver, d, col, resultKey(r.URL.Path, raw), sel)
		return listPage(s, r, "tasks", items, pg, listNoTotals, s.wctx(r, d).task)
	})
}

// task serves GET /api/v4/tasks/{id}: 204 when there is no such task.
func (s *Server) task(r *http.Request) *response {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return problem(http.StatusNotFound, "Not Found", "unknown route")
	}
	return s.read(func(d *Data, _ uint64) *response {
		t, ok := d.Tasks[amo.TaskID(id)]
		if !ok {
			return noContent()
		}
		return halJSON(s.wctx(r, d).task(t))
	})
}

func strSet(ss []string) map[string]bool {
	if len(ss) == 0 {
		return nil
	}
	m := make(map[string]bool, len(ss))
	for _, s := range ss {
		m[s] = true
	}
	return m
}

func notesCol(entity string) collection[amo.Note] {
	return collection[amo.Note]{
		name: "notes:" + entity,
		all: func(d *Data) []*amo.Note {
			out := make([]*amo.Note, 0, len(d.Notes)/2)
			for _, n := range mapValues(d.Notes) {
				if n.EntityType == entity {
					out = append(out, n)
				}
			}
			return out
		},
		key: func(n *amo.Note, f string) int64 {
			switch f {
			case "created_at":
				return unix(n.CreatedAt)
			case "updated_at":
				return unix(n.UpdatedAt)
			}
			return int64(n.ID)
		},
	}
}

// notes serves GET /api/v4/{leads|contacts}/notes and /api/v4/{leads|contacts}/{id}/notes (API.md §4.8).
func (s *Server) notes(entity string) func(r *http.Request) *response {
	col := notesCol(entity)
	return func(r *http.Request) *response {
		raw := r.URL.Query()
		q := parseQuery(raw)
		pg, bad := parsePage(raw, maxLimit)
		if bad != nil {
			return bad
		}
		if id := r.PathValue("id"); id != "" { // GET /api/v4/{entity}/{id}/notes
			q.filters["entity_id"] = []string{id}
		}
		ids, b1 := q.ints("id")
		ents, b2 := q.ints("entity_id")
		updated, b3 := q.timeRange("updated_at")
		if b := firstBad(b1, b2, b3); b != nil {
			return b
		}
		types := strSet(q.strs("note_type"))
		sel := selection[amo.Note]{order: q.order(orderBy{field: "id"}, "id", "updated_at")}
		sel.window, sel.span = pickWindow(updated, span{})
		sel.match = func(n *amo.Note) bool {
			return inSet(ids, int64(n.ID)) && inSet(ents, n.EntityID) && (types == nil || types[n.NoteType]) &&
				updated.has(unix(n.UpdatedAt))
		}
		return s.read(func(d *Data, ver uint64) *response {
			items := selectAll(s, ver, d, col, resultKey(r.URL.Path, raw), sel)
			return listPage(s, r, "notes", items, pg, listNoTotals, s.wctx(r, d).note)
		})
	}
}
