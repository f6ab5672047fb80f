package workset

import (
	"cmp"
	"slices"

	"salesguard/amo"
)

// dirtySet collects what changed for the evaluation since the last TakeDirty.
type dirtySet struct {
	deals   map[amo.LeadID]struct{}
	tasks   map[amo.TaskID]struct{}
	account bool
	all     bool
}

func newDirtySet() dirtySet {
	return dirtySet{deals: map[amo.LeadID]struct{}{}, tasks: map[amo.TaskID]struct{}{}}
}

// reset empties the set, keeping its maps (Load resets it after every record).
func (d *dirtySet) reset() {
	if len(d.deals) > 0 {
		clear(d.deals)
	}
	if len(d.tasks) > 0 {
		clear(d.tasks)
	}
	d.account, d.all = false, false
}

// Dirty is what changed since the last TakeDirty: what an incremental evaluation must look at
// again besides the deadlines that passed.
type Dirty struct {
	// Deals are the deals whose findings may have changed, removed deals included, sorted.
	Deals []amo.LeadID
	// Tasks are the tasks on no deal of the set whose findings may have changed, sorted.
	Tasks []amo.TaskID
	// Account says the account-wide rules must run again (calls or deals changed).
	Account bool
	// All says everything must be evaluated again (the dictionaries changed).
	All bool
}

// IsZero reports whether nothing changed.
func (d Dirty) IsZero() bool { return len(d.Deals) == 0 && len(d.Tasks) == 0 && !d.Account && !d.All }

// TakeDirty returns what changed since the last call and starts collecting anew.
func (s *Set) TakeDirty() Dirty {
	d := Dirty{Account: s.dirty.account, All: s.dirty.all}
	for id := range s.dirty.deals {
		d.Deals = append(d.Deals, id)
	}
	for id := range s.dirty.tasks {
		d.Tasks = append(d.Tasks, id)
	}
	slices.Sort(d.Deals)
	slices.Sort(d.Tasks)
	s.dirty = newDirtySet()
	return d
}

// MarkAll makes the next TakeDirty ask for a full evaluation (the settings changed).
func (s *Set) MarkAll() { s.dirty.all = true }

// dirtyDeal marks a deal, and the deals sharing a contact with it (a call on a shared contact
// counts on one of them, chosen by their state), as of now: before a removal or an unlink.
func (s *Set) dirtyDeal(slot int32) {
	if s.loading {
		return
	}
	s.dirty.deals[s.deals[slot].ID] = struct{}{}
	s.dirty.account = true
	for _, c := range s.deals[slot].cs.s() {
		s.dirtyContact(c)
	}
}

func (s *Set) dirtyContact(slot int32) {
	if s.loading {
		return
	}
	s.dirty.account = true
	for _, d := range s.contacts[slot].ds.s() {
		s.dirty.deals[s.deals[d].ID] = struct{}{}
	}
}

// RecordKind says what a persisted record holds.
type RecordKind uint8

// Record kinds.
const (
	RecDeal RecordKind = iota + 1
	RecContact
	RecTask
	RecPendingDeal    // items of a deal the set does not hold
	RecPendingContact // items of a contact the set does not hold
)

// Op says what to do with a persisted record.
type Op uint8

// Record operations: write the record (hot), move it to cold storage (evicted: restored when
// amoCRM shows it again), or delete it.
const (
	OpPut Op = iota + 1
	OpCold
	OpDelete
)

// Change is one record to persist.
type Change struct {
	Kind RecordKind
	ID   int64
	Op   Op
	// Data is an evicted record (OpCold), encoded when it left the set.
	Data []byte
}

type recKey struct {
	kind RecordKind
	id   int64
}

// TakeChanged returns the records changed since the last call, in kind and id order; the
// caller encodes the OpPut and OpCold ones with Encode and persists them.
func (s *Set) TakeChanged() []Change {
	out := make([]Change, 0, len(s.changed))
	for k, o := range s.changed {
		c := Change{Kind: k.kind, ID: k.id, Op: o}
		if o == OpCold {
			c.Data = s.cold[k]
		}
		out = append(out, c)
	}
	if len(s.changed) > compactMin { // an eviction of many: give the room back
		s.changed, s.cold = map[recKey]Op{}, map[recKey][]byte{}
	} else {
		clear(s.changed)
		clear(s.cold)
	}
	slices.SortFunc(out, func(a, b Change) int { return cmp.Or(cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.ID, b.ID)) })
	return out
}

func (s *Set) change(kind RecordKind, id int64, o Op) { s.changed[recKey{kind, id}] = o }

// evict encodes a deal or contact about to leave the set, so TakeChanged can hand it over to
// be persisted cold.
func (s *Set) evict(kind RecordKind, id int64) {
	if data, ok := s.Encode(kind, id); ok {
		s.cold[recKey{kind, id}] = data
	}
}
