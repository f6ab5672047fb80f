package amo

import (
	"cmp"
	"slices"
	"sort"
	"time"
)

// add appends a page to the collected changes.
func (ch *Changes) add(p *Changes) {
	if p.Dictionaries {
		ch.Account, ch.Users, ch.Pipelines, ch.LossReasons, ch.CustomFields = p.Account, p.Users, p.Pipelines, p.LossReasons, p.CustomFields
		ch.Dictionaries = true
	}
	ch.TakenAt = p.TakenAt
	ch.Leads = append(ch.Leads, p.Leads...)
	ch.Contacts = append(ch.Contacts, p.Contacts...)
	ch.Tasks = append(ch.Tasks, p.Tasks...)
	ch.Notes = append(ch.Notes, p.Notes...)
	ch.Events = append(ch.Events, p.Events...)
	ch.Marks = append(ch.Marks, p.Marks...)
	ch.Warnings = append(ch.Warnings, p.Warnings...)
	ch.State = p.State
}

// settle de-duplicates what a sync read (cursor overlaps and resumed pages read some items
// twice), applies the deletions seen, and sorts every list by id.
func (ch *Changes) settle() {
	ch.Leads = dedupe(ch.Leads, func(l *Lead) LeadID { return l.ID }, func(l *Lead) time.Time { return l.UpdatedAt })
	ch.Contacts = dedupe(ch.Contacts, func(c *Contact) ContactID { return c.ID }, func(c *Contact) time.Time { return c.UpdatedAt })
	ch.Tasks = dedupe(ch.Tasks, func(t *Task) TaskID { return t.ID }, func(t *Task) time.Time { return t.UpdatedAt })
	ch.Notes = dedupe(ch.Notes, func(n *Note) NoteID { return n.ID }, func(n *Note) time.Time { return n.UpdatedAt })
	ch.Events = dedupe(ch.Events, func(e *Event) string { return e.ID }, func(e *Event) time.Time { return e.CreatedAt })
	marks := map[string]map[int64]Mark{EntityLeads: {}, EntityContacts: {}, EntityTasks: {}}
	for _, m := range ch.Marks {
		if old, ok := marks[m.Entity][m.ID]; !ok || !m.At.Before(old.At) {
			marks[m.Entity][m.ID] = m
		}
	}
	ch.Leads, ch.DeletedLeads = applyMarks(ch.Leads, marks[EntityLeads], func(l *Lead) LeadID { return l.ID }, func(l *Lead) time.Time { return l.UpdatedAt })
	ch.Contacts, ch.DeletedContacts = applyMarks(ch.Contacts, marks[EntityContacts], func(c *Contact) ContactID { return c.ID }, func(c *Contact) time.Time { return c.UpdatedAt })
	ch.Tasks, ch.DeletedTasks = applyMarks(ch.Tasks, marks[EntityTasks], func(t *Task) TaskID { return t.ID }, func(t *Task) time.Time { return t.UpdatedAt })
}

// dedupe sorts s by id and keeps one item per id: the most recently updated, the later read
// on a tie.
func dedupe[T any, K cmp.Ordered](s []T, id func(*T) K, updated func(*T) time.Time) []T {
	if len(s) == 0 {
		return nil
	}
	sort.SliceStable(s, func(i, j int) bool { return id(&s[i]) < id(&s[j]) })
	out := s[:0]
	for i := range s {
		if len(out) > 0 && id(&out[len(out)-1]) == id(&s[i]) {
			if !updated(&s[i]).Before(updated(&out[len(out)-1])) {
				out[len(out)-1] = s[i]
			}
			continue
		}
		out = append(out, s[i])
	}
	return out
}

// applyMarks drops from s (sorted by id) the entities marked deleted, unless the entity was
// updated after its deletion (restored), and returns the deleted ids sorted.
func applyMarks[T any, ID ~int64](s []T, marks map[int64]Mark, id func(*T) ID, updated func(*T) time.Time) ([]T, []ID) {
	var deleted []ID
	gone := map[ID]bool{}
	for raw, mk := range marks {
		if !mk.Deleted {
			continue
		}
		k := ID(raw)
		i, found := slices.BinarySearchFunc(s, k, func(t T, k ID) int { return cmp.Compare(id(&t), k) })
		if found && updated(&s[i]).After(mk.At) {
			continue
		}
		gone[k] = true
		deleted = append(deleted, k)
	}
	slices.Sort(deleted)
	if len(gone) == 0 {
		return s, deleted
	}
	out := s[:0]
	for i := range s {
		if !gone[id(&s[i])] {
			out = append(out, s[i])
		}
	}
	return out, deleted
}

// keepWindow drops from a page of one list the items outside [from, to] (a zero bound is
// open), by the time the list is windowed on (updated_at; events and marks: their time):
// what an account that ignores the time filters sends beyond the window asked for. It
// returns the latest time kept.
func (ch *Changes) keepWindow(from, to time.Time) time.Time {
	var latest time.Time
	in := func(t time.Time) bool {
		if (!from.IsZero() && t.Before(from)) || (!to.IsZero() && t.After(to)) {
			return false
		}
		if t.After(latest) {
			latest = t
		}
		return true
	}
	ch.Leads = keepIf(ch.Leads, func(l *Lead) bool { return in(l.UpdatedAt) })
	ch.Contacts = keepIf(ch.Contacts, func(c *Contact) bool { return in(c.UpdatedAt) })
	ch.Tasks = keepIf(ch.Tasks, func(t *Task) bool { return in(t.UpdatedAt) })
	ch.Notes = keepIf(ch.Notes, func(n *Note) bool { return in(n.UpdatedAt) })
	ch.Events = keepIf(ch.Events, func(e *Event) bool { return in(e.CreatedAt) })
	ch.Marks = keepIf(ch.Marks, func(m *Mark) bool { return in(m.At) })
	return latest
}

// keepIf keeps the items of s for which keep is true, in place and in order. It passes
// pointers, so no entity is copied to be tested.
func keepIf[T any](s []T, keep func(*T) bool) []T {
	out := s[:0]
	for i := range s {
		if keep(&s[i]) {
			out = append(out, s[i])
		}
	}
	clear(s[len(out):])
	return out
}
