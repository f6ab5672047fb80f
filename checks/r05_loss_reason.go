package checks

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"salesguard/amo"
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
}

// evalR5 checks that deals lost recently carry a concrete loss reason (shared/RULES.md R5):
// no reason at all; "other" with no explaining note within OtherNoteWithin of closing; and
// "can't reach" contradicted by a long call on record before the closing, which goes to the
// head as well.
func evalR5(in *Input) []Finding {
	var out []Finding
	for i := range in.Snap.Leads {
		if l := &in.Snap.Leads[i]; recentlyLost(in, l) {
			out = append(out, lossReasonFindings(in, l)...)
		}
	}
	SortFindings(out)
	return out
}

// lossReasonFindings judges the loss reason of one recently lost deal.
func lossReasonFindings(in *Input, l *amo.Lead) []Finding {
	s := in.Settings.R5
	closed := closedTime(l)
	f := Finding{
		Rule: R5, Level: LevelWarning, AccountID: in.Snap.Account.ID, DealID: l.ID,
		ManagerID: l.ResponsibleUserID, Due: closed,
	}
	switch {
	case l.LossReasonID == 0:
		if !in.Snap.Account.IsLossReasonEnabled {
			return nil
		}
		f.Kind = KindNoReason
		return []Finding{f}
	case in.Meaning.Other[l.LossReasonID]:
		due := closed.Add(s.OtherNoteWithin.D())
		if in.Now.Before(due) || otherNote(in, l, s.OtherNoteWithin.D()) != nil {
			return nil
		}
		f.Kind, f.Due = KindOtherWithoutNote, due
		f.Limit, f.Unit = s.OtherNoteWithin.D().Hours(), UnitHours
		return []Finding{f}
	case in.Meaning.CantReach[l.LossReasonID]:
		call := longestCall(in.Ix.NotesByLead[l.ID], closed)
		if call == nil || callLen(call) < s.LongCall.D() {
			return nil
		}
		f.Kind = KindCantReachContradicted
		f.Subject = "note:" + strconv.FormatInt(int64(call.ID), 10)
		f.Value, f.Limit, f.Unit = callLen(call).Seconds(), s.LongCall.D().Seconds(), UnitSeconds
		f.Args = callArgs(call)
		esc := f
		esc.Level = LevelEscalation
		return []Finding{f, esc}
	}
	return nil
}

// longestCall returns the longest call (in or out) among notes created up to the closing.
func longestCall(notes []*amo.Note, until time.Time) *amo.Note {
	var best *amo.Note
	for _, n := range notes {
		if n.CreatedAt.After(until) {
			break
		}
		if n.IsCall() && (best == nil || callLen(n) > callLen(best)) {
			best = n
		}
	}
	return best
}

// otherNote returns the note explaining an "other" closing: the first non-blank common note on
// the deal or its contacts written within `within` before or after closing (a manager often
// writes the explanation just before moving the deal).
func otherNote(in *Input, l *amo.Lead, within time.Duration) *amo.Note {
	closed := closedTime(l)
	to := closed.Add(within)
	var before *amo.Note
	for _, n := range notesFrom(in.Ix.NotesByLead[l.ID], closed.Add(-within)) {
		if n.CreatedAt.After(to) {
			break
		}
		if n.NoteType != amo.NoteCommon || blank(n.Text) {
			continue
		}
		if !n.CreatedAt.Before(closed) {
			return n
		}
		before = n
	}
	return before
}

// OtherReasonTexts returns the explanations of deals lost with an "other" reason and closed in
// [from, to), grouped by normalised text, most frequent first, so the head can add new loss
// reasons (shared/RULES.md R5, weekly). Deals with no explanation are left out: R5 reports them.
func OtherReasonTexts(in *Input, from, to time.Time) []OtherText {
	within := in.Settings.R5.OtherNoteWithin.D()
	groups := map[string]*OtherText{}
	for i := range in.Snap.Leads {
		l := &in.Snap.Leads[i]
		closed := closedTime(l)
		if l.StatusID != amo.StatusLost || !in.Meaning.IsWatched(l) || !in.Meaning.Other[l.LossReasonID] ||
			closed.Before(from) || !closed.Before(to) {
			continue
		}
		n := otherNote(in, l, within)
		if n == nil {
			continue
		}
		key := normalizeText(n.Text)
		g := groups[key]
		if g == nil {
			g = &OtherText{Text: strings.TrimSpace(n.Text), Normalized: key}
			groups[key] = g
		}
		g.Count++
		g.Deals = append(g.Deals, l.ID)
	}
	out := make([]OtherText, 0, len(groups))
	for _, g := range groups {
		slices.Sort(g.Deals)
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
