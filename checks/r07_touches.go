package checks

import (
	"cmp"
	"slices"
	"time"

	"salesguard/amo"
	"salesguard/workset"
)

// Kinds of R7 findings.
const (
	KindTelephonyTrouble = "telephony_trouble"
	KindFakedActivity    = "faked_activity"
)

const (
	// touchWindow is the period R7 looks at.
	touchWindow = 7 * 24 * time.Hour
	// troubleShare and troubleMinCalls decide when a manager's calls in the trouble band
	// point at telephony trouble: at least this share of their calls, and at least this many.
	troubleShare    = 0.30
	troubleMinCalls = 5
)

// r7Trouble reports, account-wide, each manager with many calls of the last week in the
// TroubleMin–TroubleMax band: probable telephony trouble (shared/RULES.md R7; info for the head
// and the table).
func r7Trouble(in *Input, o *out) {
	s := in.Settings.R7
	from := in.Now.Add(-touchWindow)
	total, band := map[amo.UserID]int{}, map[amo.UserID]int{}
	eachCall(in, from, in.Now, o, func(a *workset.Act) {
		m := a.Author()
		total[m]++
		if d := a.CallLen(); d >= s.TroubleMin.D() && d <= s.TroubleMax.D() {
			band[m]++
		}
	})
	o.wakeAt(in.nextDay) // the finding is the day's
	for m, k := range band {
		share := float64(k) / float64(total[m])
		if m == 0 || k < troubleMinCalls || share < troubleShare || in.health.missing(m) {
			continue
		}
		o.add(Finding{
			Rule: R7, Level: LevelInfo, AccountID: in.AccountID(), Scope: Scope{Kind: ScopeAccount}, ManagerID: m,
			Due: in.dayStart, Value: share * 100, Limit: troubleShare * 100, Unit: UnitNone, Kind: KindTelephonyTrouble,
			Day: in.today, Count: total[m], Extra: k,
		})
	}
}

// eachCall calls f with every call note of the account created in [from, to] (deals,
// contacts and items waiting for theirs), and wakes the evaluation when the oldest leaves the
// window or a future one comes in.
func eachCall(in *Input, from, to time.Time, o *out, f func(a *workset.Act)) {
	eachCallOf(in, from, to, 0, 1, o, f)
}

// eachCallOf is eachCall over part of parts of the account: the deals and contacts of slots
// part·n/parts to (part+1)·n/parts, and the waiting items in part 0.
func eachCallOf(in *Input, from, to time.Time, part, parts int, o *out, f func(a *workset.Act)) {
	lo, hi := from.Unix(), to.Unix()
	if from.Nanosecond() > 0 {
		lo++
	}
	oldest := int64(0)
	visit := func(t *workset.Trail) {
		acts := t.Acts() // by time: the window is a run of them
		i, _ := slices.BinarySearchFunc(acts, lo, func(a workset.Act, lo int64) int { return cmp.Compare(a.At, lo) })
		for ; i < len(acts); i++ {
			a := &acts[i]
			if !a.Kind.IsCall() {
				continue
			}
			if a.At > hi {
				o.wakeAt(a.Time()) // the earliest future call: the later ones wake later
				break
			}
			if oldest == 0 || a.At < oldest {
				oldest = a.At
			}
			f(a)
		}
	}
	deals := in.WS.Deals()
	for i := len(deals) * part / parts; i < len(deals)*(part+1)/parts; i++ {
		if deals[i].Live() {
			visit(&deals[i].Trail)
		}
	}
	contacts := in.WS.Contacts()
	for i := len(contacts) * part / parts; i < len(contacts)*(part+1)/parts; i++ {
		if contacts[i].Live() {
			visit(&contacts[i].Trail)
		}
	}
	if part == 0 {
		in.WS.Pending(visit)
	}
	if oldest != 0 {
		o.wakeAfter(workset.Time(oldest).Add(to.Sub(from)))
	}
}

// r7Faked finds, for one deal, the local days of the last week holding a run of ShortRun or
// more very short outgoing calls not broken by a real touch or by an outgoing call of ShortCall
// or more: faked activity, a warning to the manager and info for the head.
func r7Faked(v *view, o *out) {
	in := v.in
	if !v.watched() || in.health.missing(v.d.Responsible) {
		return
	}
	from := in.Now.Add(-touchWindow)
	var calls []*workset.Act
	for _, a := range since(v.activity(), from) {
		if !a.Kind.IsCall() {
			continue
		}
		if a.Time().After(in.Now) {
			o.wakeAt(a.Time())
			continue
		}
		if !v.owns(a, true) {
			continue
		}
		if len(calls) == 0 {
			o.wakeAfter(a.Time().Add(touchWindow)) // the oldest leaves the week
		}
		calls = append(calls, a.Act)
	}
	shortRuns(v, calls, o)
}

// shortRuns reports the days on which calls (sorted by time) hold a run of ShortRun or more
// very short outgoing calls.
func shortRuns(v *view, calls []*workset.Act, o *out) {
	s, loc := v.in.Settings.R7, v.in.Cal.Location()
	var day Date
	var due time.Time
	run, best := 0, 0
	flush := func() {
		if s.ShortRun > 0 && best >= s.ShortRun {
			f := v.base(R7, LevelWarning)
			f.Due, f.Value, f.Limit, f.Unit = due, float64(best), float64(s.ShortRun), UnitCount
			f.Kind, f.Day = KindFakedActivity, day
			info := f
			info.Level = LevelInfo
			o.add(f)
			o.add(info)
		}
		run, best, due = 0, 0, time.Time{}
	}
	for _, n := range calls {
		if d := DateOf(n.Time().In(loc)); d != day {
			flush()
			day = d
		}
		switch d := n.CallLen(); {
		case n.Kind == workset.NoteCallOut && d < s.ShortCall.D():
			run++
			best = max(best, run)
			if run == s.ShortRun && due.IsZero() {
				due = n.Time()
			}
		case d >= s.RealTouch.D() || n.Kind == workset.NoteCallOut:
			run = 0
		}
	}
	flush()
}

// ReviewCall is a call picked for the head to listen to against the script.
type ReviewCall struct {
	NoteID    amo.NoteID    `json:"note_id"`
	DealID    amo.LeadID    `json:"deal_id"` // 0 when the call is on no watched deal
	ManagerID amo.UserID    `json:"manager_id"`
	At        time.Time     `json:"at"`
	Duration  time.Duration `json:"duration"`
	Incoming  bool          `json:"incoming"`
	Link      string        `json:"link"` // the recording
}

// ReviewSample picks, for each manager, ReviewSample calls of at least ReviewMin with a
// recording made in the week starting on weekStart (local days), for the weekly call review
// (shared/RULES.md R7). The pick is reproducible: candidates are ordered by note id and drawn
// with a generator seeded by a hash of seed, the week and the manager. The calls of a manager
// are returned in time order.
func ReviewSample(in *Input, weekStart Date, seed uint64) map[amo.UserID][]ReviewCall {
	s, loc := in.Settings.R7, in.Cal.Location()
	from, to := weekStart.In(loc), weekStart.AddDays(7).In(loc)
	owner := callOwners(in, from, to)
	cands := map[amo.UserID][]ReviewCall{}
	seen := map[amo.NoteID]bool{}
	eachCall(in, from, to.Add(-time.Nanosecond), &out{now: in.Now}, func(a *workset.Act) {
		m := a.Author()
		id := amo.NoteID(a.ID)
		link := in.WS.ActText(a)
		if m == 0 || link == "" || a.CallLen() < s.ReviewMin.D() || seen[id] {
			return
		}
		seen[id] = true
		cands[m] = append(cands[m], ReviewCall{
			NoteID: id, DealID: owner[id], ManagerID: m, At: a.Time(),
			Duration: a.CallLen(), Incoming: a.Kind == workset.NoteCallIn, Link: link,
		})
	})
	out := make(map[amo.UserID][]ReviewCall, len(cands))
	for m, cs := range cands {
		slices.SortFunc(cs, func(a, b ReviewCall) int { return cmp.Compare(a.NoteID, b.NoteID) })
		picked := pickN(cs, s.ReviewSample, sampleSeed(seed, "review", weekStart, m))
		slices.SortFunc(picked, func(a, b ReviewCall) int {
			return cmp.Or(a.At.Compare(b.At), cmp.Compare(a.NoteID, b.NoteID))
		})
		out[m] = picked
	}
	return out
}

// callOwners maps the call notes created in [from, to) to the deal they count on: a call on a
// watched deal counts on it, a call on a contact on the contact's first watched deal.
func callOwners(in *Input, from, to time.Time) map[amo.NoteID]amo.LeadID {
	out := map[amo.NoteID]amo.LeadID{}
	lo, hi := from.Unix(), to.Unix()
	deals := in.WS.Deals()
	for i := range deals {
		d := &deals[i]
		if !d.Live() || !in.Meaning.IsWatched(d) {
			continue
		}
		for _, a := range d.Acts() {
			if a.Kind.IsCall() && a.At >= lo && a.At < hi {
				out[amo.NoteID(a.ID)] = d.ID
			}
		}
	}
	contacts := in.WS.Contacts()
	for i := range contacts {
		c := &contacts[i]
		if !c.Live() {
			continue
		}
		owner := int32(-2)
		for _, a := range c.Acts() {
			if !a.Kind.IsCall() || a.At < lo || a.At >= hi {
				continue
			}
			if owner == -2 {
				owner = contactOwner(in, int32(i), false)
			}
			if _, ok := out[amo.NoteID(a.ID)]; !ok && owner >= 0 {
				out[amo.NoteID(a.ID)] = deals[owner].ID
			}
		}
	}
	return out
}
