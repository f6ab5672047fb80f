package checks

import (
	"slices"
	"time"

	"salesguard/amo"
	"salesguard/workset"
)

// R1 finding kinds.
const (
	// KindNotTaken marks a lead with no manager action yet, past its deadline (warning) or past
	// the escalation deadline (escalation).
	KindNotTaken = "not_taken"
	// KindTakenLate marks a lead taken after its deadline: an info finding for the daily table
	// and the response-time report, not an alert.
	KindTakenLate = "taken_late"
	// KindDirector marks the last step of the escalation ladder: a lead still not taken at
	// Escalation.DirectorFactor × the limit, for the director chat (Escalation.DirectorChat).
	KindDirector = "director"
)

// r1Lookback is how far back R1 looks at created leads (calendar time). It covers the longest
// run of days off (the Russian New Year holidays) with a margin.
const r1Lookback = 14 * 24 * time.Hour

// r1 implements R1 (shared/RULES.md) for one deal: a new lead is taken within Limit working
// time.
//
//   - Not taken and now ≥ due (= created + Limit working time): a warning to the manager; at
//     created + Limit×EscalateFactor also an escalation to the head (Due is that moment; Limit
//     stays R1's, the norm the message quotes); with a director chat set
//     (Settings.Escalation), at created + Limit×DirectorFactor a third finding, Kind
//     KindDirector, for it. Value = working minutes since creation, at the evaluation.
//   - Taken after due: an info finding (Kind KindTakenLate, Due = the deadline, Value = the
//     response in working minutes) that the daily table counts as a violation on the day of
//     the deadline; it is never an alert.
//
// A lead created by a user (created_by ≠ 0) was entered by a manager and counts as taken at
// creation.
func r1(v *view, o *out) {
	in, d := v.in, v.d
	created := d.CreatedAt()
	if !v.watched() {
		return
	}
	if created.After(in.Now) {
		o.wakeAt(created)
		return
	}
	if created.Before(in.Now.Add(-r1Lookback)) {
		return
	}
	o.wakeAfter(created.Add(r1Lookback)) // the lead leaves R1's look-back
	limit := in.Settings.R1.Limit.D()
	due := in.Cal.AddWorking(created, limit).In(in.Cal.Location())
	if in.Now.Before(due) {
		o.wakeAt(due)
		return
	}
	taken, ok := firstAction(v)
	f := v.base(R1, LevelWarning)
	f.Due, f.Limit, f.Unit = due, limit.Minutes(), UnitMinutes
	switch {
	case ok && !taken.After(due):
		return
	case ok:
		f.Level, f.Kind = LevelInfo, KindTakenLate
		f.Value = roundMinutes(in.Cal.WorkingDuration(created, taken))
		o.add(f)
		return
	}
	f.Kind = KindNotTaken
	f.Value = roundMinutes(in.Cal.WorkingDuration(created, in.Now))
	o.add(f)
	esc := time.Duration(float64(limit) * in.Settings.R1.EscalateFactor)
	escDue := in.Cal.AddWorking(created, esc).In(in.Cal.Location())
	if in.Now.Before(escDue) {
		o.wakeAt(escDue)
		return
	}
	e := f // Limit stays R1's: the head reads "waiting 40 min, the limit is 15 min"
	e.Level, e.Due = LevelEscalation, escDue
	o.add(e)
	ladder := in.Settings.Escalation
	if ladder.DirectorChat == 0 || ladder.DirectorFactor <= in.Settings.R1.EscalateFactor {
		return
	}
	dirDue := in.Cal.AddWorking(created, time.Duration(float64(limit)*ladder.DirectorFactor)).In(in.Cal.Location())
	if in.Now.Before(dirDue) {
		o.wakeAt(dirDue)
		return
	}
	top := e // the ladder's last step, a finding of its own: its own alert, its own "fixed"
	top.Kind, top.Due = KindDirector, dirDue
	o.add(top)
}

func roundMinutes(d time.Duration) float64 { return float64(d.Round(time.Minute) / time.Minute) }

// firstAction returns the moment of the first manager action on a lead at or after its
// creation (RULES.md R1 "taken"): an outgoing call, chat message, SMS or e-mail, a note by a
// user, a completed task, or a move by a user out of a first stage (accepting an unsorted lead
// counts). ok is false when there is none.
func firstAction(v *view) (time.Time, bool) {
	d := v.d
	if d.ByUser {
		return d.CreatedAt(), true
	}
	best := int64(0)
	consider := func(at int64) {
		if at >= d.Created && (best == 0 || at < best) {
			best = at
		}
	}
	for _, a := range v.activity() {
		if best != 0 && a.At > best {
			break // sorted by time
		}
		if isTaking(v.in, a.Act) {
			consider(a.At)
		}
	}
	v.d.EachMove(func(m workset.Move) bool {
		if best != 0 && m.At > best {
			return false
		}
		if isTakingMove(v.in, m) {
			consider(m.At)
		}
		return true
	})
	v.tasks(func(t *workset.Task) {
		if t.Completed && t.Updated != 0 {
			consider(t.Updated)
		}
	})
	if d.FirstDone != 0 {
		consider(d.FirstDone)
	}
	if d.FirstTake != 0 {
		consider(d.FirstTake)
	}
	return workset.Time(best), best != 0
}

// isTaking reports whether an item takes a lead (see firstAction).
func isTaking(_ *Input, a *workset.Act) bool { return a.Taking() }

// isTakingMove reports whether a status move is a user taking the lead: out of a first stage,
// or from the unsorted stage into another first stage (accepting it).
func isTakingMove(in *Input, m workset.Move) bool {
	from, okFrom := in.stageOf(m.From)
	if !m.ByUser || !okFrom || !in.Meaning.First[from] {
		return false
	}
	to, okTo := in.stageOf(m.To)
	if !okTo || !in.Meaning.First[to] {
		return true
	}
	return in.isUnsorted(from)
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
	loc := in.Cal.Location()
	from, to := day.In(loc).Unix(), day.AddDays(1).In(loc).Unix()
	deals := in.WS.Deals()
	for i := range deals {
		d := &deals[i]
		if !d.Live() || d.Created < from || d.Created >= to || !in.Meaning.IsWatched(d) || d.CreatedAt().After(in.Now) {
			continue
		}
		v := newView(in, int32(i))
		end, taken := firstAction(v)
		if !taken {
			end = in.Now
		}
		dur := in.Cal.WorkingDuration(d.CreatedAt(), end)
		st := out[d.Responsible]
		st.Count++
		if taken && dur <= limit {
			st.WithinLimit++
		}
		out[d.Responsible] = st
		times[d.Responsible] = append(times[d.Responsible], dur)
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
