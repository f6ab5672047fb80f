package amo

import (
	"cmp"
	"slices"
	"time"
)

// settle de-duplicates what a sync read (overlapping windows and resumed pages read some
// items twice), applies the deletions seen, and sorts every list by id.
func (a *acc) settle() {
	ch := a.ch
	ch.Leads = dedupe(ch.Leads, func(l *Lead) LeadID { return l.ID }, func(l *Lead) time.Time { return l.UpdatedAt })
	ch.Contacts = dedupe(ch.Contacts, func(c *Contact) ContactID { return c.ID }, func(c *Contact) time.Time { return c.UpdatedAt })
	ch.Tasks = dedupe(ch.Tasks, func(t *Task) TaskID { return t.ID }, func(t *Task) time.Time { return t.UpdatedAt })
	ch.Notes = dedupe(ch.Notes, func(n *Note) NoteID { return n.ID }, func(n *Note) time.Time { return n.UpdatedAt })
	ch.Events = dedupe(ch.Events, func(e *Event) string { return e.ID }, func(e *Event) time.Time { return e.CreatedAt })
	ch.Leads, ch.DeletedLeads = applyMarks(ch.Leads, a.leads, func(l *Lead) LeadID { return l.ID }, func(l *Lead) time.Time { return l.UpdatedAt })
	ch.Contacts, ch.DeletedContacts = applyMarks(ch.Contacts, a.contacts, func(c *Contact) ContactID { return c.ID }, func(c *Contact) time.Time { return c.UpdatedAt })
	ch.Tasks, ch.DeletedTasks = applyMarks(ch.Tasks, a.tasks, func(t *Task) TaskID { return t.ID }, func(t *Task) time.Time { return t.UpdatedAt })
}

// dedupe sorts s by id and keeps one item per id: the most recently updated, the later read
// on a tie.
func dedupe[T any, K cmp.Ordered](s []T, id func(*T) K, updated func(*T) time.Time) []T {
	if len(s) == 0 {
		return nil
	}
	sortByID(s, id)
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
func applyMarks[T any, ID ~int64](s []T, marks map[int64]mark, id func(*T) ID, updated func(*T) time.Time) ([]T, []ID) {
	if len(marks) == 0 {
		return s, nil
	}
	var deleted []ID
	gone := map[ID]bool{}
	for raw, mk := range marks {
		if !mk.deleted {
			continue
		}
		k := ID(raw)
		i, found := slices.BinarySearchFunc(s, k, func(t T, k ID) int { return cmp.Compare(id(&t), k) })
		if found && updated(&s[i]).After(mk.at) {
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
