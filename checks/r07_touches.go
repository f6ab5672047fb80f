package checks

import (
	"cmp"
	"slices"
	"strconv"
	"time"

	"salesguard/amo"
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

// evalR7 separates real touches from noise in the last week's call log (shared/RULES.md R7).
// A manager with many calls in the TroubleMin–TroubleMax band is reported as probable
// telephony trouble (info for the head and the table). A run of ShortRun or more outgoing calls
// shorter than ShortCall to one deal on one day, with no real touch in between, is reported as
// faked activity: a warning to the manager and info for the head.
func evalR7(in *Input) []Finding {
	h := callHealthOf(in)
	out := telephonyTrouble(in, h)
	out = append(out, fakedActivity(in, h)...)
	return sortOneRule(out)
}

// telephonyTrouble counts each manager's calls of the last week and those in the trouble band.
func telephonyTrouble(in *Input, h *callHealth) []Finding {
	s := in.Settings.R7
	from := in.Now.Add(-touchWindow)
	total, band := map[amo.UserID]int{}, map[amo.UserID]int{}
	for i := range in.Snap.Notes {
		n := &in.Snap.Notes[i]
		if !n.IsCall() || n.CreatedAt.Before(from) || n.CreatedAt.After(in.Now) {
			continue
		}
		m := callAuthor(n)
		total[m]++
		if d := callLen(n); d >= s.TroubleMin.D() && d <= s.TroubleMax.D() {
			band[m]++
		}
	}
	today := DateOf(in.Now.In(in.Cal.Location())).String()
	var out []Finding
	for m, k := range band {
		share := float64(k) / float64(total[m])
		if m == 0 || k < troubleMinCalls || share < troubleShare || h.missing(m) {
			continue
		}
		out = append(out, Finding{
			Rule: R7, Level: LevelInfo, AccountID: in.Snap.Account.ID, ManagerID: m, Due: in.Now,
			Value: share * 100, Limit: troubleShare * 100, Unit: UnitNone, Kind: KindTelephonyTrouble,
			Subject: "manager:" + strconv.FormatInt(int64(m), 10) + "/day:" + today,
			Args:    map[string]string{"calls": strconv.Itoa(total[m]), "trouble_calls": strconv.Itoa(k)},
		})
	}
	return out
}

// fakedActivity finds, per deal and local day of the last week, the longest run of very short
// outgoing calls not broken by a real touch or by an outgoing call of ShortCall or more.
func fakedActivity(in *Input, h *callHealth) []Finding {
	from := in.Now.Add(-touchWindow)
	seen := map[amo.NoteID]bool{}
	var out []Finding
	var calls []*amo.Note // reused from deal to deal
	for _, i := range dealOrder(in) {
		l := &in.Snap.Leads[i]
		if h.missing(l.ResponsibleUserID) {
			continue
		}
		calls = calls[:0]
		for _, n := range in.Ix.notesSince(i, l, from) {
			if n.IsCall() && !n.CreatedAt.After(in.Now) && firstVisit(in, seen, n) {
				calls = append(calls, n)
			}
		}
		out = append(out, shortRuns(in, l, calls)...)
	}
	return out
}

// shortRuns reports the days on which calls (sorted by time) hold a run of ShortRun or more
// very short outgoing calls.
func shortRuns(in *Input, l *amo.Lead, calls []*amo.Note) []Finding {
	s, loc := in.Settings.R7, in.Cal.Location()
	var out []Finding
	var day Date
	var due time.Time
	run, best := 0, 0
	flush := func() {
		if s.ShortRun > 0 && best >= s.ShortRun {
			out = append(out, fakedFindings(in, l, day, best, due)...)
		}
		run, best, due = 0, 0, time.Time{}
	}
	for _, n := range calls {
		if d := DateOf(n.CreatedAt.In(loc)); d != day {
			flush()
			day = d
		}
		switch d := callLen(n); {
		case n.IsOutgoingCall() && d < s.ShortCall.D():
			run++
			best = max(best, run)
			if run == s.ShortRun && due.IsZero() {
				due = n.CreatedAt
			}
		case d >= s.RealTouch.D() || n.IsOutgoingCall():
			run = 0
		}
	}
	flush()
	return out
}

func fakedFindings(in *Input, l *amo.Lead, day Date, run int, due time.Time) []Finding {
	f := Finding{
		Rule: R7, Level: LevelWarning, AccountID: in.Snap.Account.ID, DealID: l.ID,
		ManagerID: l.ResponsibleUserID, Due: due, Value: float64(run),
		Limit: float64(in.Settings.R7.ShortRun), Unit: UnitCount, Kind: KindFakedActivity,
		Subject: "day:" + day.String(),
	}
	info := f
	info.Level = LevelInfo
	return []Finding{f, info}
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
	for i := range in.Snap.Notes {
		n := &in.Snap.Notes[i]
		m := callAuthor(n)
		if !n.IsCall() || m == 0 || n.Call == nil || n.Call.Link == "" || callLen(n) < s.ReviewMin.D() ||
			n.CreatedAt.Before(from) || !n.CreatedAt.Before(to) {
			continue
		}
		cands[m] = append(cands[m], ReviewCall{
			NoteID: n.ID, DealID: owner[n.ID], ManagerID: m, At: n.CreatedAt,
			Duration: callLen(n), Incoming: !n.IsOutgoingCall(), Link: n.Call.Link,
		})
	}
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

// callOwners maps the call notes created in [from, to) to the deal they count on (dealOrder).
func callOwners(in *Input, from, to time.Time) map[amo.NoteID]amo.LeadID {
	out := map[amo.NoteID]amo.LeadID{}
	for _, i := range dealOrder(in) {
		l := &in.Snap.Leads[i]
		for _, n := range in.Ix.notesSince(i, l, from) {
			if !n.CreatedAt.Before(to) {
				break
			}
			if _, ok := out[n.ID]; !ok && n.IsCall() {
				out[n.ID] = l.ID
			}
		}
	}
	return out
}
