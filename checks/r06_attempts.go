package checks

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"salesguard/amo"
)

// Kinds of R6 findings.
const (
	KindUnjustifiedClosure = "unjustified_closure"
	KindNoAttemptToday     = "no_attempt_today"
)

// noAttemptNudge is how long before the end of the working day R6 lists the deals in a
// missed-call stage with no attempt today: early enough to call, late enough to be fair.
const noAttemptNudge = time.Hour

// Call statuses that mean the client was not reached (API.md §4.8): not available, no answer, busy.
var missedStatuses = [...]int{3, 6, 7}

// attempt is one outgoing call: a call_out note, or an outgoing_call event with no note.
type attempt struct {
	at     time.Time
	missed bool // known not to have reached the client
}

// evalR6 checks that unreachable clients got enough attempts before closing (shared/RULES.md
// R6). A deal lost recently with a "can't reach" reason, or closed straight from a missed-call
// stage, must have had at least Total attempts within Window of the first one, PerDay attempts
// on each of its first FirstDays working days, attempts at DistinctHours different hours and a
// written message after the first missed call. An unjustified closure goes to the manager as a
// warning and to the head as an escalation (closing a live client is lost revenue). Daily, the
// deals sitting in a missed-call stage with no attempt today are listed an hour before the end
// of the working day.
func evalR6(in *Input) []Finding {
	h := callHealthOf(in)
	var out []Finding
	for i := range in.Snap.Leads {
		l := &in.Snap.Leads[i]
		if h.missing(l.ResponsibleUserID) || !recentlyLost(in, l) {
			continue
		}
		reason := ""
		switch {
		case in.Meaning.CantReach[l.LossReasonID]:
			reason = "cant_reach"
		case closedFromMissedCall(in, l):
			reason = "missed_call_stage"
		default:
			continue
		}
		n, hours, failed := auditAttempts(in, l)
		if len(failed) == 0 {
			continue
		}
		f := Finding{
			Rule: R6, Level: LevelWarning, AccountID: in.Snap.Account.ID, DealID: l.ID,
			ManagerID: l.ResponsibleUserID, Due: closedTime(l), Kind: KindUnjustifiedClosure,
			Value: float64(n), Limit: float64(in.Settings.R6.Total), Unit: UnitCount,
			Args: map[string]string{
				"failed": strings.Join(failed, ","), "attempts": strconv.Itoa(n),
				"hours": strconv.Itoa(hours), "reason": reason,
			},
		}
		esc := f
		esc.Level = LevelEscalation
		out = append(out, f, esc)
	}
	out = append(out, noAttemptToday(in, h)...)
	SortFindings(out)
	return out
}

// closedFromMissedCall reports whether the last move of a deal into "lost" came from a
// missed-call stage.
func closedFromMissedCall(in *Input, l *amo.Lead) bool {
	evs := in.Ix.EventsByLead[l.ID]
	for i := len(evs) - 1; i >= 0; i-- {
		e := evs[i]
		if e.Type != amo.EventLeadStatusChanged || e.StatusAfter == nil || e.StatusAfter.StatusID != amo.StatusLost {
			continue
		}
		return e.StatusBefore != nil && in.Meaning.MissedCall[*e.StatusBefore]
	}
	return false
}

// outgoingAttempts returns the outgoing calls on a deal and its contacts up to until (all when
// until is zero), sorted by time. outgoing_call events name their note; an event whose note
// is not in the snapshot still counts as an attempt.
func outgoingAttempts(in *Input, id amo.LeadID, until time.Time) []attempt {
	realTouch := in.Settings.R7.RealTouch.D()
	seen := map[amo.NoteID]bool{}
	var out []attempt
	for _, n := range in.Ix.NotesByLead[id] {
		if !until.IsZero() && n.CreatedAt.After(until) {
			break
		}
		if !n.IsOutgoingCall() || seen[n.ID] {
			continue
		}
		seen[n.ID] = true
		missed := callLen(n) < realTouch || (n.Call != nil && slices.Contains(missedStatuses[:], n.Call.Status))
		out = append(out, attempt{at: n.CreatedAt, missed: missed})
	}
	for _, e := range in.Ix.EventsByLead[id] {
		if !until.IsZero() && e.CreatedAt.After(until) {
			break
		}
		if e.Type != amo.EventOutgoingCall || (e.NoteID != 0 && seen[e.NoteID]) {
			continue
		}
		seen[e.NoteID] = e.NoteID != 0
		out = append(out, attempt{at: e.CreatedAt})
	}
	slices.SortStableFunc(out, func(a, b attempt) int { return a.at.Compare(b.at) })
	return out
}

// auditAttempts measures the attempts made on a closed deal and returns their number within
// the window, the number of distinct local hours, and the criteria that failed.
func auditAttempts(in *Input, l *amo.Lead) (n, hours int, failed []string) {
	s, loc := in.Settings.R6, in.Cal.Location()
	closed := closedTime(l)
	atts := outgoingAttempts(in, l.ID, closed)
	start := l.CreatedAt
	if len(atts) > 0 {
		start = atts[0].at
	}
	end := start.Add(s.Window.D())
	perDay := map[Date]int{}
	hourSet := map[int]bool{}
	for _, a := range atts {
		if a.at.Before(start) || a.at.After(end) {
			continue
		}
		n++
		t := a.at.In(loc)
		perDay[DateOf(t)]++
		hourSet[t.Hour()] = true
	}
	if n < s.Total {
		failed = append(failed, "total")
	}
	if !firstDaysCovered(in, l.ResponsibleUserID, DateOf(start.In(loc)), perDay) {
		failed = append(failed, "per_day")
	}
	if len(hourSet) < s.DistinctHours {
		failed = append(failed, "hours")
	}
	if s.MessageAfterMiss && !messagedAfterMiss(in, l.ID, atts, closed) {
		failed = append(failed, "message")
	}
	return n, len(hourSet), failed
}

// maxDayScan bounds the search for working days (a long vacation or a broken calendar).
const maxDayScan = 60

// firstDaysCovered reports whether each of the first FirstDays working days of the manager
// from day on had at least PerDay attempts.
func firstDaysCovered(in *Input, m amo.UserID, day Date, perDay map[Date]int) bool {
	s := in.Settings.R6
	for checked, scanned := 0, 0; checked < s.FirstDays && scanned < maxDayScan; scanned++ {
		if in.Cal.IsWorkingDay(day) && !in.Cal.IsAbsent(m, day) {
			if perDay[day] < s.PerDay {
				return false
			}
			checked++
		}
		day = day.AddDays(1)
	}
	return true
}

// messageEvents and messageNotes are the written outgoing messages R6 accepts after a missed call.
var (
	messageEvents = [...]string{amo.EventOutgoingChatMessage, amo.EventOutgoingSMS, amo.EventOutgoingMail}
	messageNotes  = [...]string{amo.NoteSMSOut, amo.NoteMail}
)

// messagedAfterMiss reports whether a written message (chat, SMS, e-mail) went to the client
// between the first missed call and the closing; true when no call is known to have missed.
func messagedAfterMiss(in *Input, id amo.LeadID, atts []attempt, closed time.Time) bool {
	i := slices.IndexFunc(atts, func(a attempt) bool { return a.missed })
	if i < 0 {
		return true
	}
	first := atts[i].at
	for _, e := range in.Ix.EventsByLead[id] {
		if !e.CreatedAt.Before(first) && !e.CreatedAt.After(closed) && slices.Contains(messageEvents[:], e.Type) {
			return true
		}
	}
	for _, n := range notesFrom(in.Ix.NotesByLead[id], first) {
		if n.CreatedAt.After(closed) {
			break
		}
		if slices.Contains(messageNotes[:], n.NoteType) {
			return true
		}
	}
	return false
}

// noAttemptToday lists, from an hour before the end of today's working day, the open deals in
// a missed-call stage with no outgoing call today. Absent managers and days off are skipped.
func noAttemptToday(in *Input, h *callHealth) []Finding {
	loc := in.Cal.Location()
	today := DateOf(in.Now.In(loc))
	_, end, ok := in.Cal.DayBounds(today)
	if !ok || in.Now.Before(end.Add(-noAttemptNudge)) {
		return nil
	}
	dayStart := today.In(loc)
	var out []Finding
	for i := range in.Snap.Leads {
		l := &in.Snap.Leads[i]
		m := l.ResponsibleUserID
		if !l.IsOpen() || !in.Meaning.IsWatched(l) || !in.Meaning.MissedCall[l.Status()] ||
			h.missing(m) || in.Cal.IsAbsent(m, today) {
			continue
		}
		atts := outgoingAttempts(in, l.ID, in.Now)
		if len(atts) > 0 && !atts[len(atts)-1].at.Before(dayStart) {
			continue
		}
		out = append(out, Finding{
			Rule: R6, Level: LevelWarning, AccountID: in.Snap.Account.ID, DealID: l.ID, ManagerID: m,
			Due: end, Value: 0, Limit: 1, Unit: UnitCount, Kind: KindNoAttemptToday,
			Subject: "day:" + today.String(),
		})
	}
	return out
}
