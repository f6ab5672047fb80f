package checks

import (
	"sort"
	"strconv"
	"time"

	"salesguard/amo"
)

// KindNoComment is the kind of R9 findings.
const KindNoComment = "no_comment"

// r9Lookback is how far back R9 looks for calls; older ones have been reported already.
const r9Lookback = 2 * 24 * time.Hour

// evalR9 checks that every conversation is followed by a comment (shared/RULES.md R9): a call
// in or out of at least MinCall on a deal or its contacts needs a text note on the deal or a
// contact written between the start of the call and Within after it. A call is judged only
// once Within has passed, so a manager still typing is not nagged.
func evalR9(in *Input) []Finding {
	s := in.Settings.R9
	h := callHealthOf(in)
	from, until := in.Now.Add(-r9Lookback), in.Now.Add(-s.Within.D())
	seen := map[amo.NoteID]bool{}
	var out []Finding
	for _, i := range dealOrder(in) {
		l := &in.Snap.Leads[i]
		notes := in.Ix.notesOf(i, l)
		for _, n := range in.Ix.notesSince(i, l, from) {
			if n.CreatedAt.After(until) {
				break
			}
			if !n.IsCall() || !firstVisit(in, seen, n) {
				continue
			}
			d := callLen(n)
			if d < s.MinCall.D() || h.missing(l.ResponsibleUserID) {
				continue
			}
			if hasTextNote(notes, n.CreatedAt.Add(-d), n.CreatedAt.Add(s.Within.D())) {
				continue
			}
			out = addFinding(out, Finding{
				Rule: R9, Level: LevelWarning, AccountID: in.Snap.Account.ID, DealID: l.ID,
				ManagerID: l.ResponsibleUserID, Due: n.CreatedAt.Add(s.Within.D()),
				Value: d.Seconds(), Limit: s.MinCall.D().Seconds(), Unit: UnitSeconds,
				Kind: KindNoComment, Subject: "note:" + strconv.FormatInt(int64(n.ID), 10),
				Args: callArgs(n),
			})
		}
	}
	return sortOneRule(out)
}

// callArgs returns the message arguments of a call: when it was, its direction and, when the
// telephony keeps one, the recording link.
func callArgs(n *amo.Note) map[string]string {
	a := map[string]string{"call_at": n.CreatedAt.Format(time.RFC3339), "direction": "in"}
	if n.IsOutgoingCall() {
		a["direction"] = "out"
	}
	if n.Call != nil && n.Call.Link != "" {
		a["recording"] = n.Call.Link
	}
	return a
}

// notesFrom returns the tail of notes (sorted by CreatedAt) created at or after from.
func notesFrom(notes []*amo.Note, from time.Time) []*amo.Note {
	i := sort.Search(len(notes), func(i int) bool { return !notes[i].CreatedAt.Before(from) })
	return notes[i:]
}
