package checks

import (
	"cmp"
	"slices"
	"time"

	"salesguard/amo"
	"salesguard/workset"
)

// Kinds of R6 findings.
const (
	KindUnjustifiedClosure = "unjustified_closure"
	KindNoAttemptToday     = "no_attempt_today"
)

// R6 reasons (Finding.Reason): why a closure is audited.
const (
	ReasonCantReach       = "cant_reach"
	ReasonMissedCallStage = "missed_call_stage"
)

// noAttemptNudge is how long before the end of the working day R6 lists the deals in a
// missed-call stage with no attempt today: early enough to call, late enough to be fair.
const noAttemptNudge = time.Hour

// Call statuses that mean the client was not reached (API.md §4.8): not available, no answer, busy.
var missedStatuses = [...]uint8{3, 6, 7}

// attempt is one outgoing call: a call_out note, or an outgoing_call event with no note.
type attempt struct {
	at     time.Time
	missed bool // known not to have reached the client
}

// r6 checks that unreachable clients got enough attempts before closing (shared/RULES.md R6).
// A deal lost recently with a "can't reach" reason, or closed straight from a missed-call
// stage, must have had at least Total attempts within Window of the first one, PerDay attempts
// on each of its first FirstDays working days, attempts at DistinctHours different hours and a
// written message after the first missed call. An unjustified closure goes to the manager as a
// warning and to the head as an escalation (closing a live client is lost revenue). Daily, the
// deals sitting in a missed-call stage with no attempt today are listed an hour before the end
// of the working day.
func r6(v *view, o *out) {
	noAttemptToday(v, o)
	in, d := v.in, v.d
	if in.health.missing(d.Responsible) || !v.recentlyLost(o) {
		return
	}
	reason := ""
	switch {
	case in.Meaning.CantReach[d.LossReason]:
		reason = ReasonCantReach
	case closedFromMissedCall(v):
		reason = ReasonMissedCallStage
	default:
		return
	}
	n, hours, failed := auditAttempts(v)
	if failed == 0 {
		return
	}
	f := v.base(R6, LevelWarning)
	f.Due, f.Kind = closedTime(d), KindUnjustifiedClosure
	f.Value, f.Limit, f.Unit = float64(n), float64(in.Settings.R6.Total), UnitCount
	f.Count, f.Extra, f.Failed, f.Reason = n, hours, failed, reason
	esc := f
	esc.Level = LevelEscalation
	o.add(f)
	o.add(esc)
}

// closedFromMissedCall reports whether the last move of a deal into "lost" came from a
// missed-call stage.
func closedFromMissedCall(v *view) bool {
	var last *workset.Move
	v.d.EachMove(func(m workset.Move) bool {
		if to, ok := v.in.stageOf(m.To); ok && to.StatusID == amo.StatusLost {
			last = &m
		}
		return true
	})
	if last == nil {
		return false
	}
	from, ok := v.in.stageOf(last.From)
	return ok && v.in.Meaning.MissedCall[from]
}

// outgoingAttempts returns the outgoing calls on a deal and its contacts up to until (all when
// until is zero), sorted by time. outgoing_call events name their note; an event whose note
// is not known still counts as an attempt.
func outgoingAttempts(v *view, until time.Time) []attempt {
	realTouch := v.in.Settings.R7.RealTouch.D()
	limit := int64(1<<62 - 1)
	if !until.IsZero() {
		limit = until.Unix()
	}
	var notes, events []workset.Attempt
	v.trails(func(t *workset.Trail) {
		t.EachAttempt(func(a workset.Attempt) bool {
			switch {
			case a.At > limit:
				return false
			case a.Event:
				events = append(events, a)
			default:
				notes = append(notes, a)
			}
			return true
		})
	})
	seen := map[int64]bool{}
	var out []attempt
	slices.SortStableFunc(notes, func(a, b workset.Attempt) int { return cmp.Or(cmp.Compare(a.At, b.At), cmp.Compare(a.Key, b.Key)) })
	for _, a := range notes {
		if seen[a.Key] {
			continue
		}
		seen[a.Key] = true
		missed := time.Duration(max(a.Dur, 0))*time.Second < realTouch || slices.Contains(missedStatuses[:], a.Status)
		out = append(out, attempt{at: workset.Time(a.At), missed: missed})
	}
	slices.SortStableFunc(events, func(a, b workset.Attempt) int { return cmp.Compare(a.At, b.At) })
	for _, a := range events {
		if a.NoteKey && seen[a.Key] {
			continue
		}
		if a.NoteKey {
			seen[a.Key] = true
		}
		out = append(out, attempt{at: workset.Time(a.At)})
	}
	slices.SortStableFunc(out, func(a, b attempt) int { return a.at.Compare(b.at) })
	return out
}

// auditAttempts measures the attempts made on a closed deal and returns their number within
// the window, the number of distinct local hours, and the criteria that failed.
func auditAttempts(v *view) (n, hours int, failed uint8) {
	in, d := v.in, v.d
	s, loc := in.Settings.R6, in.Cal.Location()
	closed := closedTime(d)
	atts := outgoingAttempts(v, closed)
	start := d.CreatedAt()
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
		failed |= FailTotal
	}
	if !firstDaysCovered(in, d.Responsible, DateOf(start.In(loc)), perDay) {
		failed |= FailPerDay
	}
	if len(hourSet) < s.DistinctHours {
		failed |= FailHours
	}
	if s.MessageAfterMiss && !messagedAfterMiss(v, atts, closed) {
		failed |= FailMessage
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

// messagedAfterMiss reports whether a written message (chat, SMS, e-mail) went to the client
// between the first missed call and the closing; true when no call is known to have missed.
// The working set keeps each trail's latest messages: when they all came after the closing,
// an earlier one is assumed.
func messagedAfterMiss(v *view, atts []attempt, closed time.Time) bool {
	i := slices.IndexFunc(atts, func(a attempt) bool { return a.missed })
	if i < 0 {
		return true
	}
	first, last := atts[i].at.Unix(), closed.Unix()
	found := false
	v.trails(func(t *workset.Trail) { found = found || t.MessageIn(first, last) })
	return found
}

// noAttemptToday lists, from an hour before the end of today's working day, an open deal in
// a missed-call stage with no outgoing call today. Absent managers and days off are skipped.
func noAttemptToday(v *view, o *out) {
	in, d := v.in, v.d
	if !v.open() || !v.watched() || !in.Meaning.MissedCall[d.Stage] {
		return
	}
	o.wakeAt(in.nextDay) // a new day, a new list
	_, end, ok := in.Cal.DayBounds(in.today)
	if !ok {
		return
	}
	if from := end.Add(-noAttemptNudge); in.Now.Before(from) {
		o.wakeAt(from)
		return
	}
	m := d.Responsible
	if in.health.missing(m) || in.Cal.IsAbsent(m, in.today) {
		return
	}
	atts := outgoingAttempts(v, in.Now)
	if len(atts) > 0 && !atts[len(atts)-1].at.Before(in.dayStart) {
		return
	}
	f := v.base(R6, LevelWarning)
	f.Due, f.Value, f.Limit, f.Unit, f.Kind, f.Day = end, 0, 1, UnitCount, KindNoAttemptToday, in.today
	o.add(f)
}
