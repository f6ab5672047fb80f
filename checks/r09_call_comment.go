package checks

import (
	"time"

	"salesguard/amo"
	"salesguard/workset"
)

// KindNoComment is the kind of R9 findings.
const KindNoComment = "no_comment"

// r9Lookback is how far back R9 looks for calls; older ones have been reported already.
const r9Lookback = 2 * 24 * time.Hour

// r9 checks that every conversation on a deal is followed by a comment (shared/RULES.md R9): a
// call in or out of at least MinCall on the deal or its contacts needs a text note on the deal
// or a contact written between the start of the call and Within after it. A call is judged only
// once Within has passed, so a manager still typing is not nagged. A call on a contact counts
// on the contact's first watched deal.
func r9(v *view, o *out) {
	in := v.in
	if !v.watched() {
		return
	}
	s := in.Settings.R9
	within := s.Within.D()
	acts := v.activity()
	for _, a := range since(acts, in.Now.Add(-r9Lookback)) {
		if !a.Kind.IsCall() {
			continue
		}
		at := a.Time()
		if judged := at.Add(within); in.Now.Before(judged) {
			o.wakeAt(judged)
			continue
		}
		o.wakeAfter(at.Add(r9Lookback)) // leaves the look-back
		if !v.owns(a, false) {
			continue
		}
		d := a.CallLen()
		if d < s.MinCall.D() || in.health.missing(v.d.Responsible) {
			continue
		}
		if hasTextNote(v.in.WS, acts, at.Add(-d), at.Add(within)) {
			continue
		}
		f := v.base(R9, LevelWarning)
		f.Due, f.Value, f.Limit, f.Unit, f.Kind = at.Add(within), d.Seconds(), s.MinCall.D().Seconds(), UnitSeconds, KindNoComment
		f.Note, f.CallAt, f.Incoming, f.Link = amo.NoteID(a.ID), at, a.Kind == workset.NoteCallIn, v.in.WS.ActText(a.Act)
		o.add(f)
	}
}

// hasTextNote reports whether a non-blank common note among acts (sorted by time) was created
// in [from, to].
func hasTextNote(ws *workset.Set, acts []item, from, to time.Time) bool {
	hi := to.Unix()
	for _, a := range since(acts, from) {
		if a.At > hi {
			return false
		}
		if a.Kind == workset.NoteCommon && !blank(ws.ActText(a.Act)) {
			return true
		}
	}
	return false
}
