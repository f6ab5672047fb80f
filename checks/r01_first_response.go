package checks

import (
	"slices"
	"strconv"
	"time"

	"salesguard/amo"
)

// R1 finding kinds.
const (
	// KindNotTaken marks a lead with no manager action yet, past its deadline (warning) or past
	// the escalation deadline (escalation).
	KindNotTaken = "not_taken"
	// KindTakenLate marks a lead taken after its deadline: an info finding for the daily table
	// and the response-time report, not an alert.
	KindTakenLate = "taken_late"
)

// r1Lookback is how far back R1 looks at created leads (calendar time). It covers the longest
// run of days off (the Russian New Year holidays) with a margin.
const r1Lookback = 14 * 24 * time.Hour

// evalR1 implements R1 (shared/RULES.md): a new lead is taken within Limit working time.
//
//   - Not taken and now ≥ due (= created + Limit working time): a warning to the manager; at
//     created + Limit×EscalateFactor also an escalation to the head. Value = working minutes
//     since creation.
//   - Taken after due: an info finding (Kind KindTakenLate, Due = the deadline, Value = the
//     response in working minutes) that the daily table counts as a violation on the day of
//     the deadline; it is never an alert.
//
// A lead created by a user (created_by ≠ 0) was entered by a manager and counts as taken at
// creation.
func evalR1(in *Input) []Finding {
	var out []Finding
	limit := in.Settings.R1.Limit.D()
	esc := time.Duration(float64(limit) * in.Settings.R1.EscalateFactor)
	since := in.Now.Add(-r1Lookback)
	for i := range in.Snap.Leads {
		l := &in.Snap.Leads[i]
		if !in.Meaning.IsWatched(l) || l.CreatedAt.Before(since) || l.CreatedAt.After(in.Now) {
			continue
		}
		due := in.Cal.AddWorking(l.CreatedAt, limit).In(in.Cal.Location())
		if !in.Now.After(due) && !in.Now.Equal(due) {
			continue
		}
		taken, ok := firstAction(in, i, l)
		f := Finding{Rule: R1, DealID: l.ID, ManagerID: l.ResponsibleUserID, Due: due,
			Limit: limit.Minutes(), Unit: UnitMinutes, Args: dealArgs(in, l)}
		switch {
		case ok && !taken.After(due):
			continue
		case ok:
			f.Level, f.Kind = LevelInfo, KindTakenLate
			f.Value = roundMinutes(in.Cal.WorkingDuration(l.CreatedAt, taken))
			out = addFinding(out, f)
			continue
		}
		f.Level, f.Kind = LevelWarning, KindNotTaken
		f.Value = roundMinutes(in.Cal.WorkingDuration(l.CreatedAt, in.Now))
		out = addFinding(out, f)
		if escDue := in.Cal.AddWorking(l.CreatedAt, esc).In(in.Cal.Location()); !in.Now.Before(escDue) {
			e := f
			e.Level, e.Due, e.Limit = LevelEscalation, escDue, esc.Minutes()
			out = addFinding(out, e)
		}
	}
	return out
}

func roundMinutes(d time.Duration) float64 { return float64(d.Round(time.Minute) / time.Minute) }

// dealArgs are the message arguments every deal finding carries.
func dealArgs(in *Input, l *amo.Lead) map[string]string {
	args := make(map[string]string, 4)
	args["deal"] = l.Name
	if st := in.Ix.Statuses[l.Status()]; st != nil {
		args["stage"] = st.Name
	}
	return args
}

// firstAction returns the moment of the first manager action on a lead at or after its
// creation (RULES.md R1 "taken"): an outgoing call, chat message, SMS or e-mail, a note by a
// user, a completed task, or a move by a user out of a first stage (accepting an unsorted lead
// counts). ok is false when there is none.
func firstAction(in *Input, i int, l *amo.Lead) (time.Time, bool) {
	if l.CreatedBy != 0 {
		return l.CreatedAt, true
	}
	var best time.Time
	consider := func(t time.Time) {
		if !t.Before(l.CreatedAt) && (best.IsZero() || t.Before(best)) {
			best = t
		}
	}
	for _, e := range in.Ix.eventsOf(i, l) {
		if !best.IsZero() && e.CreatedAt.After(best) {
			break // sorted by time
		}
		if isTakingEvent(in, e) {
			consider(e.CreatedAt)
		}
	}
	for _, n := range in.Ix.notesOf(i, l) {
		if !best.IsZero() && n.CreatedAt.After(best) {
			break
		}
		if isTakingNote(n) {
			consider(n.CreatedAt)
		}
	}
	for _, t := range in.Ix.tasksOf(i, l) {
		if t.IsCompleted && !t.UpdatedAt.IsZero() {
			consider(t.UpdatedAt)
		}
	}
	return best, !best.IsZero()
}

func isTakingEvent(in *Input, e *amo.Event) bool {
	switch e.Type {
	case amo.EventOutgoingCall, amo.EventOutgoingChatMessage, amo.EventOutgoingSMS, amo.EventOutgoingMail,
		amo.EventTaskCompleted:
		return true
	case amo.EventCommonNoteAdded:
		return e.CreatedBy != 0
	case amo.EventLeadStatusChanged:
		if e.CreatedBy == 0 || e.StatusBefore == nil || !in.Meaning.First[*e.StatusBefore] {
			return false
		}
		if e.StatusAfter == nil || !in.Meaning.First[*e.StatusAfter] {
			return true
		}
		st := in.Ix.Statuses[*e.StatusBefore]
		return st != nil && st.Type == amo.StatusTypeUnsorted
	}
	return false
}

func isTakingNote(n *amo.Note) bool {
	switch n.NoteType {
	case amo.NoteCallOut, amo.NoteSMSOut:
		return true
	case amo.NoteCommon:
		return n.CreatedBy != 0
	}
	return false
}

// ResponseStat is one manager's first-response figures for a day (RULES.md R1 "Reported").
type ResponseStat struct {
	// Count is the number of leads created that day in watched pipelines.
	Count int `json:"count"`
	// WithinLimit is how many of them were taken within the R1 limit.
	WithinLimit int `json:"within_limit"`
	// Median is the median response in working time; a lead not taken yet counts with the
	// working time elapsed until the evaluation.
	Median time.Duration `json:"median"`
}

// Share returns WithinLimit/Count, or 1 when there were no leads.
func (r ResponseStat) Share() float64 {
	if r.Count == 0 {
		return 1
	}
	return float64(r.WithinLimit) / float64(r.Count)
}

// ResponseStats returns, per responsible manager, the response figures of the leads created on
// day (in the calendar's zone).
func ResponseStats(in *Input, day Date) map[amo.UserID]ResponseStat {
	limit := in.Settings.R1.Limit.D()
	times := map[amo.UserID][]time.Duration{}
	out := map[amo.UserID]ResponseStat{}
	for i := range in.Snap.Leads {
		l := &in.Snap.Leads[i]
		if !in.Meaning.IsWatched(l) || DateOf(l.CreatedAt.In(in.Cal.Location())) != day || l.CreatedAt.After(in.Now) {
			continue
		}
		end, taken := firstAction(in, i, l)
		if !taken {
			end = in.Now
		}
		d := in.Cal.WorkingDuration(l.CreatedAt, end)
		st := out[l.ResponsibleUserID]
		st.Count++
		if taken && d <= limit {
			st.WithinLimit++
		}
		out[l.ResponsibleUserID] = st
		times[l.ResponsibleUserID] = append(times[l.ResponsibleUserID], d)
	}
	for m, ds := range times {
		slices.Sort(ds)
		st := out[m]
		if n := len(ds); n%2 == 1 {
			st.Median = ds[n/2]
		} else {
			st.Median = (ds[n/2-1] + ds[n/2]) / 2
		}
		out[m] = st
	}
	return out
}

// taskSubject names a task in Finding.Subject.
func taskSubject(id amo.TaskID) string { return "task:" + strconv.FormatInt(int64(id), 10) }
