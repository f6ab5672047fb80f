package checks

import (
	"maps"
	"runtime"
	"slices"
	"time"

	"salesguard/amo"
	"salesguard/workset"
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
	// wake is when the health may change by time alone.
	wake time.Time
}

func (h *callHealth) missing(m amo.UserID) bool {
	return h != nil && (h.accountOff || h.managerOff[m])
}

// sameAs reports whether two healths silence the same managers.
func (h *callHealth) sameAs(o *callHealth) bool {
	if h == nil || o == nil {
		return h == o
	}
	return h.accountOff == o.accountOff && maps.Equal(h.managerOff, o.managerOff)
}

// callHealthOf counts the call notes of the last healthWindow, attributing each call to its
// author, its responsible user and the responsible users of the deals it lands on, so a widget
// that writes under one technical user does not make everyone else look silent.
func callHealthOf(in *Input) *callHealth {
	h := &callHealth{from: in.Now.Add(-healthWindow), open: map[amo.UserID]int{}, managerOff: map[amo.UserID]bool{}}
	o := &out{now: in.Now}
	// Both passes go over the whole account: on a large one, in one part per core, each with
	// its own counts and scratch space, added up after each pass.
	deals := in.WS.Deals()
	parts := 1
	if len(deals) >= parallelFloor {
		parts = runtime.GOMAXPROCS(0)
	}
	type part struct {
		in        *Input
		o         out
		calls     int
		by        map[amo.UserID]int
		open      map[amo.UserID]int
		openDeals int
	}
	ps := make([]part, parts)
	for p := range ps {
		ps[p] = part{in: in.forWorker(), o: out{now: in.Now}, by: map[amo.UserID]int{}, open: map[amo.UserID]int{}}
	}
	forEach(parts, len(deals), func(p int) {
		pt := &ps[p]
		eachCallOf(in, h.from, in.Now, p, parts, &pt.o, func(a *workset.Act) {
			pt.calls++
			pt.by[a.By]++
			pt.by[a.Resp()]++
		})
	})
	by := map[amo.UserID]int{}
	for p := range ps {
		h.calls += ps[p].calls
		for m, n := range ps[p].by {
			by[m] += n
		}
		if !ps[p].o.wake.IsZero() {
			o.wakeAt(ps[p].o.wake)
		}
	}
	forEach(parts, len(deals), func(p int) {
		pt := &ps[p]
		clear(pt.by) // now: the managers this part found a call of, the window's calls missed
		for i := len(deals) * p / parts; i < len(deals)*(p+1)/parts; i++ {
			d := &deals[i]
			if !d.Live() {
				continue
			}
			if d.IsOpen() && in.Meaning.IsWatched(d) {
				pt.openDeals++
				pt.open[d.Responsible]++
			}
			if h.calls > 0 && by[d.Responsible] == 0 && pt.by[d.Responsible] == 0 && hasCallSince(newView(pt.in, int32(i)), h.from, in.Now) {
				pt.by[d.Responsible]++
			}
		}
	})
	for p := range ps {
		h.openDeals += ps[p].openDeals
		for m, n := range ps[p].open {
			h.open[m] += n
		}
		for m, n := range ps[p].by {
			by[m] += n
		}
	}
	o.wakeAt(in.nextDay) // hasWorkday looks at local days
	h.wake = o.wake
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
	u := in.Users[m]
	return u == nil || u.IsActive
}

// hasWorkday reports whether manager m had a working day, not absent, between from and now.
func hasWorkday(in *Input, m amo.UserID, from time.Time) bool {
	loc := in.Cal.Location()
	for d := DateOf(from.In(loc)); !in.today.Before(d); d = d.AddDays(1) {
		if in.Cal.IsWorkingDay(d) && !in.Cal.IsAbsent(m, d) {
			return true
		}
	}
	return false
}

// dataHealth reports missing call data to the admin: the account-wide gap as one finding,
// otherwise one finding per silent manager.
func dataHealth(in *Input, o *out) {
	h := in.health
	o.wakeAt(h.wake)
	base := Finding{
		Rule: RuleDataHealth, Level: LevelDataHealth, AccountID: in.AccountID(), Scope: Scope{Kind: ScopeAccount},
		Due: in.dayStart.Add(-healthWindow), Value: 0, Limit: 1, Unit: UnitCount, Extra: int(healthWindow / (24 * time.Hour)),
	}
	if h.accountOff {
		f := base
		f.Kind, f.Count = KindNoCallData, h.openDeals
		o.add(f)
		return
	}
	for _, m := range slices.Sorted(maps.Keys(h.managerOff)) {
		f := base
		f.Kind, f.ManagerID, f.Count = KindNoCallDataManager, m, h.open[m]
		o.add(f)
	}
}

// hasCallSince reports whether the deal or its contacts hold a call created in [from, to].
func hasCallSince(v *view, from, to time.Time) bool {
	hi := to.Unix()
	for _, a := range since(v.activity(), from) {
		if a.At > hi {
			return false
		}
		if a.Kind.IsCall() {
			return true
		}
	}
	return false
}
