package checks

import (
	"cmp"
	"slices"
	"strings"
	"time"
	"unicode"

	"salesguard/amo"
	"salesguard/workset"
)

// Kinds of R5 findings.
const (
	KindNoReason              = "no_reason"
	KindOtherWithoutNote      = "other_without_note"
	KindCantReachContradicted = "cant_reach_contradicted"
)

// OtherText is one explanation given for closing deals with the "other" loss reason, with the
// deals that gave it. Texts equal after normalisation (case, spacing, punctuation) are grouped.
type OtherText struct {
	// Text is the first wording seen (trimmed); Normalized is the grouping key.
	Text       string       `json:"text"`
	Normalized string       `json:"normalized"`
	Count      int          `json:"count"`
	Deals      []amo.LeadID `json:"deals"`
	// Names are the deals' names, by the order of Deals.
	Names []string `json:"names"`
}

// r5 checks that a deal lost recently carries a concrete loss reason (shared/RULES.md R5): no
// reason at all; "other" with no explaining note within OtherNoteWithin of closing; and "can't
// reach" contradicted by a long call on record before the closing, which goes to the head as
// well.
func r5(v *view, o *out) {
	if !v.recentlyLost(o) {
		return
	}
	in, d := v.in, v.d
	s := in.Settings.R5
	closed := closedTime(d)
	f := v.base(R5, LevelWarning)
	f.Due = closed
	switch {
	case d.LossReason == 0:
		if !in.WS.Dict().Account.IsLossReasonEnabled {
			return
		}
		f.Kind = KindNoReason
		o.add(f)
	case in.Meaning.Other[d.LossReason]:
		due := closed.Add(s.OtherNoteWithin.D())
		if in.Now.Before(due) {
			o.wakeAt(due)
			return
		}
		if otherNote(v, s.OtherNoteWithin.D()) != nil {
			return
		}
		f.Kind, f.Due = KindOtherWithoutNote, due
		f.Limit, f.Unit = s.OtherNoteWithin.D().Hours(), UnitHours
		o.add(f)
	case in.Meaning.CantReach[d.LossReason]:
		call, ok := longestCall(v, workset.Sec(closed))
		if !ok || time.Duration(call.Dur)*time.Second < s.LongCall.D() {
			return
		}
		f.Kind = KindCantReachContradicted
		f.Note = amo.NoteID(call.Note)
		f.Value, f.Limit, f.Unit = float64(call.Dur), s.LongCall.D().Seconds(), UnitSeconds
		f.CallAt = workset.Time(call.At)
		esc := f
		esc.Level = LevelEscalation
		o.add(f)
		o.add(esc)
	}
}

// longestCall returns the longest call (in or out) on the deal and its contacts made at or
// before the moment: the earliest of the longest.
func longestCall(v *view, until int64) (workset.Peak, bool) {
	var best workset.Peak
	found := false
	v.trails(func(t *workset.Trail) {
		p, ok := t.LongestBefore(until)
		if ok && (!found || p.Dur > best.Dur || (p.Dur == best.Dur && (p.At < best.At || (p.At == best.At && p.Note < best.Note)))) {
			best, found = p, true
		}
	})
	return best, found
}

// otherNote returns the note explaining an "other" closing: the first non-blank common note on
// the deal or its contacts written within `within` before or after closing (a manager often
// writes the explanation just before moving the deal).
func otherNote(v *view, within time.Duration) *workset.Act {
	closed := closedTime(v.d)
	to := closed.Add(within).Unix()
	c := closed.Unix()
	var before *workset.Act
	for _, a := range since(v.activity(), closed.Add(-within)) {
		if a.At > to {
			break
		}
		if a.Kind != workset.NoteCommon || blank(v.in.WS.ActText(a.Act)) {
			continue
		}
		if a.At >= c {
			return a.Act
		}
		before = a.Act
	}
	return before
}

// OtherReasonTexts returns the explanations of deals lost with an "other" reason and closed in
// [from, to), grouped by normalised text, most frequent first, so the head can add new loss
// reasons (shared/RULES.md R5, weekly). Deals with no explanation are left out: R5 reports them.
func OtherReasonTexts(in *Input, from, to time.Time) []OtherText {
	within := in.Settings.R5.OtherNoteWithin.D()
	groups := map[string]*OtherText{}
	names := map[amo.LeadID]string{}
	deals := in.WS.Deals()
	for i := range deals {
		d := &deals[i]
		if !d.Live() || d.Stage.StatusID != amo.StatusLost || !in.Meaning.IsWatched(d) || !in.Meaning.Other[d.LossReason] {
			continue
		}
		closed := closedTime(d)
		if closed.Before(from) || !closed.Before(to) {
			continue
		}
		n := otherNote(newView(in, int32(i)), within)
		if n == nil {
			continue
		}
		text := in.WS.ActText(n)
		key := normalizeText(text)
		g := groups[key]
		if g == nil {
			g = &OtherText{Text: strings.TrimSpace(text), Normalized: key}
			groups[key] = g
		}
		g.Count++
		g.Deals = append(g.Deals, d.ID)
		names[d.ID] = in.WS.DealName(d)
	}
	out := make([]OtherText, 0, len(groups))
	for _, g := range groups {
		slices.Sort(g.Deals)
		for _, id := range g.Deals {
			g.Names = append(g.Names, names[id])
		}
		out = append(out, *g)
	}
	slices.SortFunc(out, func(a, b OtherText) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.Normalized, b.Normalized))
	})
	return out
}

// normalizeText lowercases a text, turns punctuation and symbols into spaces and collapses
// runs of spaces, so "Дорого!" and "  дорого " group together.
func normalizeText(s string) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsPunct(r) || unicode.IsSymbol(r) {
			return ' '
		}
		return unicode.ToLower(r)
	}, s)
	return strings.Join(strings.Fields(s), " ")
}

// blank reports whether s has no visible text.
func blank(s string) bool { return strings.TrimSpace(s) == "" }
