package checks

import (
	"cmp"
	"slices"
	"time"

	"salesguard/amo"
	"salesguard/workset"
)

// out collects the findings of one scope's evaluation, and the earliest moment after the
// evaluation at which they may change by the passing of time alone (a deadline, a window
// edge, a day boundary): the deadline queue re-evaluates the scope then.
type out struct {
	now  time.Time
	fs   []Finding
	wake time.Time
}

func (o *out) add(f Finding) { o.fs = append(o.fs, f) }

// wakeAt asks for a re-evaluation once the clock reaches t (ignored when t is not later than
// the evaluation).
func (o *out) wakeAt(t time.Time) {
	if t.After(o.now) && (o.wake.IsZero() || t.Before(o.wake)) {
		o.wake = t
	}
}

// wakeAfter asks for a re-evaluation once the clock is past t: for conditions written
// t.Before(now).
func (o *out) wakeAfter(t time.Time) { o.wakeAt(t.Add(time.Nanosecond)) }

// item is one note or event of a deal's activity, with where it lives: -1 on the deal, else
// the slot of the contact it is on.
type item struct {
	*workset.Act
	src int32
}

// view is one deal as its rules read it: the deal, the slot of it in the working set and,
// merged once on first use, the activity on it and on its contacts.
type view struct {
	in     *Input
	slot   int32
	d      *workset.Deal
	acts   []item
	merged bool
	watch  bool // the deal is watched: every rule asks first
}

func newView(in *Input, slot int32) *view {
	v := &view{}
	v.reset(in, slot)
	return v
}

// reset makes v the view of another deal.
func (v *view) reset(in *Input, slot int32) {
	d := &in.WS.Deals()[slot]
	*v = view{in: in, slot: slot, d: d, watch: in.Meaning.IsWatched(d)}
}

// activity returns the notes and events of the deal and of its contacts, by time (then id).
// Each trail is in that order already: they are merged, not sorted. The slice is scratch
// space shared by one evaluation: it is valid until the next deal.
func (v *view) activity() []item {
	if v.merged {
		return v.acts
	}
	buf := v.in.buf[:0]
	acts := v.d.Acts()
	for i := range acts {
		buf = append(buf, item{&acts[i], -1})
	}
	contacts := v.in.WS.Contacts()
	for _, c := range v.in.WS.ContactsOf(v.slot) {
		cacts := contacts[c].Acts()
		if len(cacts) == 0 {
			continue
		}
		if len(buf) == 0 || compareItems(buf[len(buf)-1], item{&cacts[0], c}) <= 0 {
			for i := range cacts { // all later than what is merged so far
				buf = append(buf, item{&cacts[i], c})
			}
			continue
		}
		merged := v.in.spare[:0]
		i, j := 0, 0
		for i < len(buf) && j < len(cacts) {
			if next := (item{&cacts[j], c}); compareItems(next, buf[i]) < 0 {
				merged = append(merged, next)
				j++
			} else {
				merged = append(merged, buf[i])
				i++
			}
		}
		merged = append(merged, buf[i:]...)
		for ; j < len(cacts); j++ {
			merged = append(merged, item{&cacts[j], c})
		}
		v.in.spare, buf = buf, merged
	}
	v.in.buf, v.acts, v.merged = buf, buf, true
	return buf
}

func compareItems(a, b item) int {
	return cmp.Or(cmp.Compare(a.At, b.At), cmp.Compare(a.ID, b.ID), cmp.Compare(a.Kind, b.Kind))
}

// since returns the tail of items (sorted by time) created at or after from.
func since(acts []item, from time.Time) []item {
	s := from.Unix()
	if from.Nanosecond() > 0 {
		s++ // an item at second s is before from
	}
	i, _ := slices.BinarySearchFunc(acts, s, func(a item, s int64) int { return cmp.Compare(a.At, s) })
	return acts[i:]
}

// trails calls f with the deal's trail and those of its contacts.
func (v *view) trails(f func(t *workset.Trail)) {
	f(&v.d.Trail)
	for _, c := range v.in.WS.ContactsOf(v.slot) {
		f(&v.in.WS.Contacts()[c].Trail)
	}
}

// lastComm returns the latest communication on the deal or its contacts (0 for none).
func (v *view) lastComm() int64 {
	var last int64
	v.trails(func(t *workset.Trail) { last = max(last, t.LastComm) })
	return last
}

// tasks calls f with each task of the deal.
func (v *view) tasks(f func(t *workset.Task)) {
	all := v.in.WS.Tasks()
	for _, i := range v.in.WS.TasksOf(v.slot) {
		f(&all[i])
	}
}

// base returns a finding about the deal with the fields every deal finding carries.
func (v *view) base(rule RuleID, level Level) Finding {
	return Finding{Rule: rule, Level: level, AccountID: v.in.AccountID(), Scope: Scope{Kind: ScopeDeal, ID: int64(v.d.ID)},
		DealID: v.d.ID, ManagerID: v.d.Responsible, DealName: v.in.WS.DealName(v.d), Stage: v.d.Stage}
}

// watched reports whether the deal is in a watched pipeline and not deleted.
func (v *view) watched() bool { return v.watch }

// open reports whether the deal is open.
func (v *view) open() bool { return v.d.IsOpen() }

// contactOwner returns the deal a call on contact slot c counts on: the first of the
// contact's watched deals, open ones first, then by id; skipMissing leaves out deals whose
// manager has no call data (R7 skips those before it looks at their calls). -1 for none.
func contactOwner(in *Input, c int32, skipMissing bool) int32 {
	best := int32(-1)
	deals := in.WS.Deals()
	for _, di := range in.WS.DealsOf(c) {
		d := &deals[di]
		if !in.Meaning.IsWatched(d) || (skipMissing && in.health.missing(d.Responsible)) {
			continue
		}
		if best < 0 || dealBefore(d, &deals[best]) {
			best = di
		}
	}
	return best
}

// dealBefore orders deals as the call rules walk them: open first, then by id.
func dealBefore(a, b *workset.Deal) bool {
	if a.IsOpen() != b.IsOpen() {
		return a.IsOpen()
	}
	return a.ID < b.ID
}

// owns reports whether an item counts on this deal: items on the deal itself do, items on a
// contact count on the contact's first deal (contactOwner).
func (v *view) owns(it item, skipMissing bool) bool {
	return it.src < 0 || contactOwner(v.in, it.src, skipMissing) == v.slot
}

// closedTime returns when a closed deal was closed (updated_at when closed_at is missing).
func closedTime(d *workset.Deal) time.Time { return d.ClosedAt() }

// recentlyLost reports whether the deal was lost within recentClosed before now, and asks to
// be woken when that changes.
func (v *view) recentlyLost(o *out) bool {
	if v.d.Stage.StatusID != amo.StatusLost || !v.watched() {
		return false
	}
	return recentClosure(v.in, v.d, o)
}

// recentClosure reports whether a closed deal closed within recentClosed before now, waking
// the evaluation when it closes in the future or leaves the window.
func recentClosure(in *Input, d *workset.Deal, o *out) bool {
	at := closedTime(d)
	if at.After(in.Now) {
		o.wakeAfter(at)
		return false
	}
	if in.Now.Sub(at) > recentClosed {
		return false
	}
	o.wakeAfter(at.Add(recentClosed))
	return true
}
