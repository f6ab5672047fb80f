package amo

import (
	"cmp"
	"slices"
	"sort"
	"time"
)

// Apply merges the changes of a sync into the snapshot: dictionaries that were read replace
// the old ones (a nil dictionary, such as users on a forbidden /users, is kept); on a full
// sync the entity lists are replaced, otherwise entities are upserted by id; deleted ids are
// removed. Every list stays sorted by id. Apply runs in O((n+m) log(n+m)) for n held and m
// changed items.
func (s *Snapshot) Apply(ch *Changes) {
	if ch == nil {
		return
	}
	if ch.TakenAt.After(s.TakenAt) {
		s.TakenAt = ch.TakenAt
	}
	if ch.Account != nil {
		s.Account = *ch.Account
	}
	if ch.Users != nil {
		s.Users = sortedBy(slices.Clone(ch.Users), func(u *User) UserID { return u.ID })
	}
	if ch.Pipelines != nil {
		s.Pipelines = slices.Clone(ch.Pipelines)
	}
	if ch.LossReasons != nil {
		s.LossReasons = slices.Clone(ch.LossReasons)
	}
	if ch.CustomFields != nil {
		s.CustomFields = slices.Clone(ch.CustomFields)
	}
	if ch.Full {
		s.Leads, s.Contacts, s.Tasks, s.Notes, s.Events = nil, nil, nil, nil, nil
	}
	s.Leads = merge(s.Leads, ch.Leads, ch.DeletedLeads, func(l *Lead) LeadID { return l.ID })
	s.Contacts = merge(s.Contacts, ch.Contacts, ch.DeletedContacts, func(c *Contact) ContactID { return c.ID })
	s.Tasks = merge(s.Tasks, ch.Tasks, ch.DeletedTasks, func(t *Task) TaskID { return t.ID })
	s.Notes = merge(s.Notes, ch.Notes, nil, func(n *Note) NoteID { return n.ID })
	s.Events = merge(s.Events, ch.Events, nil, func(e *Event) string { return e.ID })
}

// PruneEvents drops the events created before the given time (for example TakenAt minus the
// event history) and reports how many were dropped.
func (s *Snapshot) PruneEvents(before time.Time) int {
	n := len(s.Events)
	s.Events = slices.DeleteFunc(s.Events, func(e Event) bool { return e.CreatedAt.Before(before) })
	return n - len(s.Events)
}

// merge upserts upd into cur, removes the deleted ids and returns the result sorted by id.
// cur is expected sorted (it is re-sorted when it is not); the merge is linear after sorting.
func merge[T any, K cmp.Ordered](cur, upd []T, del []K, id func(*T) K) []T {
	if len(upd) == 0 && len(del) == 0 {
		return sortedBy(cur, id)
	}
	cur = sortedBy(cur, id)
	upd = sortedBy(slices.Clone(upd), id)
	gone := make(map[K]struct{}, len(del))
	for _, k := range del {
		gone[k] = struct{}{}
	}
	out := make([]T, 0, len(cur)+len(upd))
	push := func(t T) {
		if _, ok := gone[id(&t)]; ok {
			return
		}
		if n := len(out); n > 0 && id(&out[n-1]) == id(&t) {
			out[n-1] = t // a later duplicate in upd wins
			return
		}
		out = append(out, t)
	}
	i, j := 0, 0
	for i < len(cur) || j < len(upd) {
		switch {
		case j >= len(upd):
			push(cur[i])
			i++
		case i >= len(cur):
			push(upd[j])
			j++
		case id(&cur[i]) < id(&upd[j]):
			push(cur[i])
			i++
		case id(&cur[i]) > id(&upd[j]):
			push(upd[j])
			j++
		default: // same id: the update replaces the held item
			push(upd[j])
			i++
			j++
		}
	}
	return out
}

// sortedBy sorts s by id in place when it is not sorted yet, and returns it.
func sortedBy[T any, K cmp.Ordered](s []T, id func(*T) K) []T {
	for i := 1; i < len(s); i++ {
		if id(&s[i]) < id(&s[i-1]) {
			sortByID(s, id)
			break
		}
	}
	return s
}

// sortByID sorts s by id, stable. It compares through pointers into s: a comparator taking
// elements by value would copy (and allocate) every compared entity.
func sortByID[T any, K cmp.Ordered](s []T, id func(*T) K) {
	sort.SliceStable(s, func(i, j int) bool { return id(&s[i]) < id(&s[j]) })
}
