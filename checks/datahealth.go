package checks

import (
	"cmp"
	"slices"
	"strconv"
	"time"

	"salesguard/amo"
)

// Data health. The call rules (R6, R7, R9) read call notes, and some telephony widgets write
// none. With an empty call log those rules would call every deal a violation, so instead the
// admin is told that the data is missing and the call rules stay quiet for that scope: the
// whole account, or one manager whose calls never reach amoCRM.

const (
	// healthWindow is how far back call notes are looked for.
	healthWindow = 7 * 24 * time.Hour
	// healthMinOpenDeals is how many open deals a manager needs before "no calls at all" is
	// taken as missing data rather than a quiet week.
	healthMinOpenDeals = 5
	// recentClosed is how long after closing a deal is still checked by R5, R6 and R10, so
	// alerts stay about fresh closures.
	recentClosed = 7 * 24 * time.Hour
)

// Kinds of data-health findings.
const (
	KindNoCallData        = "no_call_data"
	KindNoCallDataManager = "no_call_data_manager"
)

// callHealth says where call data is missing; build it once per evaluation with callHealthOf.
type callHealth struct {
	from       time.Time
	calls      int
	openDeals  int
	open       map[amo.UserID]int
	accountOff bool
	managerOff map[amo.UserID]bool
}

// callDataMissing reports whether call data is missing for the whole account or for manager
// m, so call rules must not report violations there. It scans the snapshot: rules that ask
// for many managers build callHealthOf once instead.
func callDataMissing(in *Input, m amo.UserID) bool { return callHealthOf(in).missing(m) }

func (h *callHealth) missing(m amo.UserID) bool { return h.accountOff || h.managerOff[m] }

// callHealthOf counts the call notes of the last healthWindow, attributing each call to its
// author, its responsible user and the responsible users of the deals it lands on, so a widget
// that writes under one technical user does not make everyone else look silent.
func callHealthOf(in *Input) *callHealth {
	if in.health != nil {
		return in.health // computed once for the rules of this Evaluate call
	}
	h := &callHealth{from: in.Now.Add(-healthWindow), open: map[amo.UserID]int{}, managerOff: map[amo.UserID]bool{}}
	by := map[amo.UserID]int{}
	for i := range in.Snap.Notes {
		n := &in.Snap.Notes[i]
		if !n.IsCall() || n.CreatedAt.Before(h.from) || n.CreatedAt.After(in.Now) {
			continue
		}
		h.calls++
		by[n.CreatedBy]++
		by[n.ResponsibleUserID]++
	}
	for i := range in.Snap.Leads {
		l := &in.Snap.Leads[i]
		if l.IsOpen() && in.Meaning.IsWatched(l) {
			h.openDeals++
			h.open[l.ResponsibleUserID]++
		}
		if h.calls > 0 && by[l.ResponsibleUserID] == 0 && hasCallSince(in.Ix.notesSince(i, l, h.from), h.from, in.Now) {
			by[l.ResponsibleUserID]++
		}
	}
	h.accountOff = h.calls == 0 && h.openDeals > 0
	if h.calls == 0 {
		return h
	}
	for m, n := range h.open {
		if m != 0 && n >= healthMinOpenDeals && by[m] == 0 && isActiveUser(in, m) && hasWorkday(in, m, h.from) {
			h.managerOff[m] = true
		}
	}
	return h
}

func isActiveUser(in *Input, m amo.UserID) bool {
	u := in.Ix.Users[m]
	return u == nil || u.IsActive
}

// hasWorkday reports whether manager m had a working day, not absent, between from and now.
func hasWorkday(in *Input, m amo.UserID, from time.Time) bool {
	loc := in.Cal.Location()
	last := DateOf(in.Now.In(loc))
	for d := DateOf(from.In(loc)); !last.Before(d); d = d.AddDays(1) {
		if in.Cal.IsWorkingDay(d) && !in.Cal.IsAbsent(m, d) {
			return true
		}
	}
	return false
}

// evalDataHealth reports missing call data to the admin: the account-wide gap as one finding,
// otherwise one finding per silent manager.
func evalDataHealth(in *Input) []Finding {
	h := callHealthOf(in)
	base := Finding{
		Rule: RuleDataHealth, Level: LevelDataHealth, AccountID: in.Snap.Account.ID,
		Due: h.from, Value: 0, Limit: 1, Unit: UnitCount,
	}
	days := strconv.Itoa(int(healthWindow / (24 * time.Hour)))
	if h.accountOff {
		f := base
		f.Kind = KindNoCallData
		f.Args = map[string]string{"open_deals": strconv.Itoa(h.openDeals), "window_days": days}
		return []Finding{f}
	}
	var out []Finding
	for m := range h.managerOff {
		f := base
		f.Kind = KindNoCallDataManager
		f.ManagerID = m
		f.Subject = "manager:" + strconv.FormatInt(int64(m), 10)
		f.Args = map[string]string{"open_deals": strconv.Itoa(h.open[m]), "window_days": days}
		out = append(out, f)
	}
	SortFindings(out)
	return out
}

// callLen returns the duration of a call note (zero when it carries no call parameters).
func callLen(n *amo.Note) time.Duration {
	if n.Call == nil || n.Call.Duration < 0 {
		return 0
	}
	return time.Duration(n.Call.Duration) * time.Second
}

// callAuthor returns the manager who made a call: its author, else its responsible user.
func callAuthor(n *amo.Note) amo.UserID {
	if n.CreatedBy != 0 {
		return n.CreatedBy
	}
	return n.ResponsibleUserID
}

// hasCallSince reports whether notes (sorted by time) hold a call created in [from, to].
func hasCallSince(notes []*amo.Note, from, to time.Time) bool {
	for _, n := range notesFrom(notes, from) {
		if n.CreatedAt.After(to) {
			return false
		}
		if n.IsCall() {
			return true
		}
	}
	return false
}

// dealOrder returns the watched deals, open ones first, then by id. Rules that walk the notes
// of each deal walk them in this order and skip notes already seen, so a call on a contact
// shared by several deals counts once, on the contact's open deal with the lowest id.
// The deals are given by their position in the snapshot.
func dealOrder(in *Input) []int {
	leads := in.Snap.Leads
	open, closed := make([]int, 0, len(leads)), []int(nil)
	for i := range leads {
		if l := &leads[i]; in.Meaning.IsWatched(l) {
			if l.IsOpen() {
				open = append(open, i)
			} else {
				closed = append(closed, i)
			}
		}
	}
	byID := func(a, b int) int { return cmp.Compare(leads[a].ID, leads[b].ID) }
	for _, ps := range [][]int{open, closed} {
		if !slices.IsSortedFunc(ps, byID) { // the snapshot usually lists deals by id already
			slices.SortFunc(ps, byID)
		}
	}
	return append(open, closed...)
}

// firstVisit reports whether a walk in dealOrder meets note n for the first time, and marks
// it in seen. Only a note on a contact can sit on several deals, so only those are tracked
// (when the index knows each deal's notes by position, i.e. deal ids do not repeat).
func firstVisit(in *Input, seen map[amo.NoteID]bool, n *amo.Note) bool {
	if n.EntityType == amo.EntityLeads && in.Ix.leads != nil {
		return true
	}
	if seen[n.ID] {
		return false
	}
	seen[n.ID] = true
	return true
}

// closedTime returns when a closed deal was closed (updated_at when closed_at is missing).
func closedTime(l *amo.Lead) time.Time {
	if !l.ClosedAt.IsZero() {
		return l.ClosedAt
	}
	return l.UpdatedAt
}

// recentlyLost reports whether a watched deal was lost within recentClosed before now.
func recentlyLost(in *Input, l *amo.Lead) bool {
	if l.StatusID != amo.StatusLost || !in.Meaning.IsWatched(l) {
		return false
	}
	at := closedTime(l)
	return !at.After(in.Now) && in.Now.Sub(at) <= recentClosed
}

// hasTextNote reports whether a non-blank common note among notes (sorted by time) was
// created in [from, to].
func hasTextNote(notes []*amo.Note, from, to time.Time) bool {
	for _, n := range notesFrom(notes, from) {
		if n.CreatedAt.After(to) {
			return false
		}
		if n.NoteType == amo.NoteCommon && !blank(n.Text) {
			return true
		}
	}
	return false
}
