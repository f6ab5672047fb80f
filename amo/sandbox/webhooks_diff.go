package sandbox

import (
	"cmp"
	"slices"
	"strconv"
	"time"

	"salesguard/amo"
)

// worldMarks is what the webhook sender last saw of each entity: enough to tell an entity
// added from one changed, a status or responsible change from another update, and a deletion.
// Every change to the World bumps updated_at (or adds an entity), so comparing marks finds
// every change whoever made it: the simulated team, the control API or a test's Update.
type worldMarks struct {
	leads    map[amo.LeadID]leadMark
	contacts map[amo.ContactID]time.Time
	tasks    map[amo.TaskID]taskMark
	notes    map[amo.NoteID]bool
}

type leadMark struct {
	stage   amo.StatusRef
	resp    amo.UserID
	updated time.Time
}

type taskMark struct {
	updated time.Time
	done    bool
	resp    amo.UserID
}

// marksOf records the world as it is.
func marksOf(d *Data) *worldMarks {
	m := &worldMarks{leads: make(map[amo.LeadID]leadMark, len(d.Leads)), contacts: make(map[amo.ContactID]time.Time, len(d.Contacts)),
		tasks: make(map[amo.TaskID]taskMark, len(d.Tasks)), notes: make(map[amo.NoteID]bool, len(d.Notes))}
	for id, l := range d.Leads {
		m.leads[id] = leadMark{l.Status(), l.ResponsibleUserID, l.UpdatedAt}
	}
	for id, c := range d.Contacts {
		m.contacts[id] = c.UpdatedAt
	}
	for id, t := range d.Tasks {
		m.tasks[id] = taskMark{t.UpdatedAt, t.IsCompleted, t.ResponsibleUserID}
	}
	for id := range d.Notes {
		m.notes[id] = true
	}
	return m
}

// hookItem is one entity of a webhook body: the event it answers (a settings value), the
// body's top-level key and action, and its fields in the order amoCRM writes them.
type hookItem struct {
	event, root, action string
	fields              [][2]string
}

// diff returns what changed in d since the marks were taken, in a stable order (leads,
// contacts, tasks, notes; by id), and moves the marks to d.
func (m *worldMarks) diff(d *Data) []hookItem {
	var out []hookItem
	out = append(out, m.diffLeads(d)...)
	out = append(out, m.diffContacts(d)...)
	out = append(out, m.diffTasks(d)...)
	return append(out, m.diffNotes(d)...)
}

func (m *worldMarks) diffLeads(d *Data) []hookItem {
	var out []hookItem
	for _, id := range changedKeys(d.Leads, func(id amo.LeadID, l *amo.Lead) bool {
		was, known := m.leads[id]
		return !known || was != leadMark{l.Status(), l.ResponsibleUserID, l.UpdatedAt}
	}) {
		l := d.Leads[id]
		was, known := m.leads[id]
		now := leadMark{l.Status(), l.ResponsibleUserID, l.UpdatedAt}
		m.leads[id] = now
		if !known {
			out = append(out, hookItem{"add_lead", "leads", "add", leadFields(l)})
			continue
		}
		if was.stage != now.stage {
			f := append(leadFields(l), [2]string{"old_status_id", itoa(int64(was.stage.StatusID))},
				[2]string{"old_pipeline_id", itoa(int64(was.stage.PipelineID))})
			out = append(out, hookItem{"status_lead", "leads", "status", f})
		}
		if was.resp != now.resp {
			f := append(leadFields(l), [2]string{"old_responsible_user_id", itoa(int64(was.resp))})
			out = append(out, hookItem{"responsible_lead", "leads", "responsible", f})
		}
		out = append(out, hookItem{"update_lead", "leads", "update", leadFields(l)})
	}
	for _, id := range changedKeys(m.leads, func(id amo.LeadID, _ leadMark) bool { return d.Leads[id] == nil }) {
		was := m.leads[id]
		delete(m.leads, id)
		out = append(out, hookItem{"delete_lead", "leads", "delete", [][2]string{{"id", itoa(int64(id))},
			{"status_id", itoa(int64(was.stage.StatusID))}, {"pipeline_id", itoa(int64(was.stage.PipelineID))}}})
	}
	return out
}

func (m *worldMarks) diffContacts(d *Data) []hookItem {
	var out []hookItem
	for _, id := range changedKeys(d.Contacts, func(id amo.ContactID, c *amo.Contact) bool {
		was, known := m.contacts[id]
		return !known || !was.Equal(c.UpdatedAt)
	}) {
		c := d.Contacts[id]
		_, known := m.contacts[id]
		m.contacts[id] = c.UpdatedAt
		f := [][2]string{{"id", itoa(int64(c.ID))}, {"name", c.Name}, {"responsible_user_id", itoa(int64(c.ResponsibleUserID))},
			{"date_create", stamp(c.CreatedAt)}, {"last_modified", stamp(c.UpdatedAt)}, {"type", "contact"}}
		if known {
			out = append(out, hookItem{"update_contact", "contacts", "update", f})
		} else {
			out = append(out, hookItem{"add_contact", "contacts", "add", f})
		}
	}
	return out
}

func (m *worldMarks) diffTasks(d *Data) []hookItem {
	var out []hookItem
	for _, id := range changedKeys(d.Tasks, func(id amo.TaskID, t *amo.Task) bool {
		was, known := m.tasks[id]
		return !known || was != taskMark{t.UpdatedAt, t.IsCompleted, t.ResponsibleUserID}
	}) {
		t := d.Tasks[id]
		was, known := m.tasks[id]
		now := taskMark{t.UpdatedAt, t.IsCompleted, t.ResponsibleUserID}
		m.tasks[id] = now
		switch {
		case !known:
			out = append(out, hookItem{"add_task", "task", "add", taskFields(t)})
		case was.resp != now.resp:
			out = append(out, hookItem{"responsible_task", "task", "responsible", taskFields(t)})
			fallthrough
		default:
			out = append(out, hookItem{"update_task", "task", "update", taskFields(t)})
		}
	}
	for _, id := range changedKeys(m.tasks, func(id amo.TaskID, _ taskMark) bool { return d.Tasks[id] == nil }) {
		delete(m.tasks, id)
		out = append(out, hookItem{"delete_task", "task", "delete", [][2]string{{"id", itoa(int64(id))}}})
	}
	return out
}

func (m *worldMarks) diffNotes(d *Data) []hookItem {
	fresh := changedKeys(d.Notes, func(id amo.NoteID, _ *amo.Note) bool { return !m.notes[id] })
	out := make([]hookItem, 0, len(fresh))
	for _, id := range fresh {
		m.notes[id] = true
		n := d.Notes[id]
		event, root, elem := "note_lead", "leads", "2"
		if n.EntityType == amo.EntityContacts {
			event, root, elem = "note_contact", "contacts", "1"
		}
		f := [][2]string{{"id", itoa(int64(n.ID))}, {"element_id", itoa(n.EntityID)}, {"element_type", elem},
			{"note_type", noteTypeCode(n.NoteType)}, {"text", n.Text}, {"date_create", stamp(n.CreatedAt)},
			{"last_modified", stamp(n.UpdatedAt)}, {"created_by", itoa(int64(n.CreatedBy))},
			{"main_user_id", itoa(int64(n.ResponsibleUserID))}}
		if n.Call != nil {
			f = append(f, [2]string{"params[DURATION]", itoa(n.Call.Duration)}, [2]string{"params[UNIQ]", n.Call.Uniq},
				[2]string{"params[SRC]", n.Call.Source})
		}
		out = append(out, hookItem{event, root, "note", f})
	}
	return out
}

// leadFields are a lead's fields in a webhook body: v2-style names, every value a string.
func leadFields(l *amo.Lead) [][2]string {
	f := [][2]string{{"id", itoa(int64(l.ID))}, {"name", l.Name}, {"status_id", itoa(int64(l.StatusID))},
		{"price", itoa(l.Price)}, {"responsible_user_id", itoa(int64(l.ResponsibleUserID))},
		{"last_modified", stamp(l.UpdatedAt)}, {"modified_user_id", itoa(int64(l.UpdatedBy))},
		{"created_user_id", itoa(int64(l.CreatedBy))}, {"date_create", stamp(l.CreatedAt)},
		{"pipeline_id", itoa(int64(l.PipelineID))}, {"created_at", stamp(l.CreatedAt)}, {"updated_at", stamp(l.UpdatedAt)}}
	for i, v := range l.CustomFields {
		p := "custom_fields[" + strconv.Itoa(i) + "]"
		f = append(f, [2]string{p + "[id]", itoa(int64(v.FieldID))})
		for j, val := range v.Values {
			f = append(f, [2]string{p + "[values][" + strconv.Itoa(j) + "][value]", val})
		}
	}
	return f
}

// taskFields are a task's fields in a webhook body; a completed task says action_close.
func taskFields(t *amo.Task) [][2]string {
	elem := "2"
	if t.EntityType == amo.EntityContacts {
		elem = "1"
	}
	status := "0"
	if t.IsCompleted {
		status = "1"
	}
	f := [][2]string{{"id", itoa(int64(t.ID))}, {"element_id", itoa(t.EntityID)}, {"element_type", elem},
		{"task_type", itoa(t.TaskTypeID)}, {"text", t.Text}, {"status", status}, {"complete_till", stamp(t.CompleteTill)},
		{"responsible_user_id", itoa(int64(t.ResponsibleUserID))}, {"created_user_id", itoa(int64(t.CreatedBy))},
		{"date_create", stamp(t.CreatedAt)}, {"last_modified", stamp(t.UpdatedAt)}}
	if t.IsCompleted {
		f = append(f, [2]string{"action_close", "1"})
		if t.Result != "" {
			f = append(f, [2]string{"result[text]", t.Result})
		}
	}
	return f
}

// noteTypeCode is the v2 numeric note type webhooks carry.
func noteTypeCode(t string) string {
	switch t {
	case amo.NoteCallIn:
		return "10"
	case amo.NoteCallOut:
		return "11"
	}
	return "4" // common
}

// changedKeys returns the keys of m that pick selects, sorted: only the few changed ones are
// sorted, not the whole account.
func changedKeys[K cmp.Ordered, V any](m map[K]V, pick func(K, V) bool) []K {
	var keys []K
	for k, v := range m {
		if pick(k, v) {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	return keys
}

// stamp is a time as webhook bodies carry it: Unix seconds as text, "0" for none.
func stamp(t time.Time) string { return itoa(unix(t)) }
