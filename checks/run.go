package checks

import (
	"cmp"
	"fmt"
	"runtime"
	"slices"
	"sync"
	"time"

	"salesguard/amo"
	"salesguard/workset"
)

// ruleMask is a set of rules: bit i for AllRuleIDs[i], bit len(AllRuleIDs) for data health.
type ruleMask uint32

func maskOf(ids ...RuleID) ruleMask {
	var m ruleMask
	for _, id := range ids {
		m |= 1 << ruleOrder(id)
	}
	return m
}

func (m ruleMask) has(id RuleID) bool { return m&(1<<ruleOrder(id)) != 0 }

// allRules is every rule, data health included.
var allRules = maskOf(append(slices.Clone(AllRuleIDs), RuleDataHealth)...)

// enabledRules returns the rules the settings switch on.
func enabledRules(s Settings) ruleMask {
	m := allRules
	for _, d := range s.Disabled {
		m &^= maskOf(d)
	}
	return m
}

// dealRules are the rules evaluated deal by deal, in rulebook order.
var dealRules = []struct {
	id   RuleID
	eval func(*view, *out)
}{
	{R1, r1}, {R2, r2}, {R3, r3}, {R4, r4}, {R5, r5}, {R6, r6}, {R7, r7Faked},
	{R8, r8}, {R9, r9}, {R10, r10}, {R11, r11}, {R12, r12},
}

// usesHealth reports whether a set of rules reads the call-data health.
func usesHealth(m ruleMask) bool { return m&maskOf(R6, R7, R9, RuleDataHealth) != 0 }

// evalDeal evaluates the rules of m on the deal in a slot, into o.
func evalDeal(in *Input, slot int32, m ruleMask, o *out) {
	v := &in.dv // one view per evaluation, reset per deal: no allocation per deal
	v.reset(in, slot)
	for _, r := range dealRules {
		if m.has(r.id) {
			r.eval(v, o)
		}
	}
}

// evalAccount evaluates the account-wide rules of m into o: R7's telephony trouble, R13's
// sample and data health.
func evalAccount(in *Input, m ruleMask, o *out) {
	if m.has(R7) {
		r7Trouble(in, o)
	}
	if m.has(R13) {
		r13(in, o)
	}
	if m.has(RuleDataHealth) {
		dataHealth(in, o)
	}
}

// Run evaluates every enabled rule on a snapshot at now and returns the findings, with the
// account id set, in SortFindings order. Equal inputs give equal outputs. It builds a working
// set of the whole snapshot (no window applies): it is the reference path of tests and of
// `salesguard check`.
func Run(snap *amo.Snapshot, s Settings, now time.Time) ([]Finding, error) {
	if snap == nil {
		return nil, fmt.Errorf("checks: no snapshot")
	}
	in, err := NewInput(workset.FromSnapshot(snap), s, now)
	if err != nil {
		return nil, err
	}
	return EvaluateMask(in, enabledRules(s)), nil
}

// Evaluate runs the given rules (every rule when none is given, whether enabled or not) over
// the whole working set: the reference the incremental engine must agree with. Findings come
// in SortFindings order.
func Evaluate(in *Input, only ...RuleID) []Finding {
	m := allRules
	if len(only) > 0 {
		m = maskOf(only...)
	}
	return EvaluateMask(in, m)
}

// EvaluateMask is Evaluate for a set of rules.
func EvaluateMask(in *Input, m ruleMask) []Finding {
	// Findings are large: keep the slices the evaluation hands over (they are not reused, see
	// evaluateAll), then copy each finding once, into its sorted place in a slice of their size.
	// The deals are evaluated in slot order (their memory in order); their findings are put in
	// the order gatherSorted wants, by manager, before the copy.
	deals := make([]dealPart, 0, len(in.WS.Deals())) // one per deal with findings, at most
	var others [][]Finding
	total := 0
	var l lent
	defer l.giveBack() // after gatherSorted's copies
	evaluateAll(in, m, &l, func(s Scope, fs []Finding, _ time.Time) {
		if len(fs) == 0 {
			return
		}
		if s.Kind == ScopeDeal {
			deals = append(deals, dealPart{fs[0].ManagerID, fs})
		} else {
			others = append(others, fs)
		}
		total += len(fs)
	})
	if total == 0 {
		return nil
	}
	return gatherSorted(append(byManager(deals), others...), total)
}

// dealPart is the findings of one deal, and the manager they are for.
type dealPart struct {
	manager amo.UserID
	fs      []Finding
}

// byManager returns the deals' findings by manager (stable: each manager's deals stay in slot
// order, which is mostly id order), one slice per run of findings neighbouring in memory.
func byManager(deals []dealPart) [][]Finding {
	index := map[amo.UserID]int{} // manager → its place in managers
	var managers []amo.UserID
	var counts []int
	last, li := amo.UserID(0), -1
	for _, d := range deals {
		if li < 0 || d.manager != last {
			j, ok := index[d.manager]
			if !ok {
				j = len(managers)
				index[d.manager] = j
				managers = append(managers, d.manager)
				counts = append(counts, 0)
			}
			last, li = d.manager, j
		}
		counts[li]++
	}
	order := make([]int, len(managers)) // places in managers, by manager id
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int { return cmp.Compare(managers[a], managers[b]) })
	next := make([]int, len(managers))
	at := 0
	for _, j := range order {
		next[j] = at
		at += counts[j]
	}
	sorted := make([][]Finding, len(deals))
	li = -1
	for _, d := range deals {
		if li < 0 || d.manager != last {
			last, li = d.manager, index[d.manager]
		}
		sorted[next[li]] = d.fs
		next[li]++
	}
	parts := sorted[:0] // merged in place: a part is never longer than the deals it joins
	for _, fs := range sorted {
		if n := len(parts); n > 0 && adjacent(parts[n-1], fs) {
			parts[n-1] = parts[n-1][:len(parts[n-1])+len(fs)] // the next deal of the same chunk
		} else {
			parts = append(parts, fs)
		}
	}
	return parts
}

// adjacent reports whether b starts where a ends, in the same array.
func adjacent(a, b []Finding) bool {
	return cap(a) > len(a) && len(b) > 0 && &a[:len(a)+1][len(a)] == &b[0]
}

// evaluateAll evaluates every scope of the working set, calling f with each scope's findings
// and wake-up time (scopes with no finding included). The slices f gets are never written
// again: f may keep them, until l.giveBack.
func evaluateAll(in *Input, m ruleMask, l *lent, f func(s Scope, fs []Finding, wake time.Time)) {
	if usesHealth(m) {
		in.health = callHealthOf(in)
	}
	o := &out{now: in.Now}
	deals := in.WS.Deals()
	slots := liveSlots(deals)
	// The account-wide rules read what the deal rules read and nothing they write: on a large
	// account they run beside the deals, on their own copy of the input.
	ao := &out{now: in.Now}
	var account sync.WaitGroup
	if len(slots) >= parallelFloor && runtime.GOMAXPROCS(0) > 1 {
		in.prepareShared()
		win := in.forWorker()
		account.Go(func() { evalAccount(win, m, ao) })
	} else {
		evalAccount(in, m, ao)
	}
	_ = forDeals(in, m, slots, l, func(slot int32, fs []Finding, wake time.Time) error {
		f(Scope{Kind: ScopeDeal, ID: int64(deals[slot].ID)}, fs, wake)
		return nil
	})
	if m.has(R3) {
		tasks := in.WS.Tasks()
		for i := range tasks {
			t := &tasks[i]
			if !t.Live() || t.Deal() >= 0 {
				continue
			}
			o.fs, o.wake = o.fs[len(o.fs):], time.Time{} // after the last scope's: f may keep them
			r3Task(in, t, o)
			f(Scope{Kind: ScopeTask, ID: int64(t.ID)}, o.fs, o.wake)
		}
	}
	account.Wait()
	f(Scope{Kind: ScopeAccount}, ao.fs, ao.wake)
}

// liveSlots returns the slots of the live deals, in order.
func liveSlots(deals []workset.Deal) []int32 {
	slots := make([]int32, 0, len(deals))
	for i := range deals {
		if deals[i].Live() {
			slots = append(slots, int32(i))
		}
	}
	return slots
}

// evalScope evaluates one scope.
func evalScope(in *Input, m ruleMask, s Scope, o *out) {
	switch s.Kind {
	case ScopeDeal:
		if slot := in.WS.Deal(amo.LeadID(s.ID)); slot >= 0 {
			evalDeal(in, slot, m, o)
		}
	case ScopeTask:
		if m.has(R3) {
			if t := in.WS.TaskByID(amo.TaskID(s.ID)); t != nil {
				r3Task(in, t, o)
			}
		}
	case ScopeAccount:
		evalAccount(in, m, o)
	}
}

// EvaluateEnabled runs the rules the settings switch on over the whole working set.
func EvaluateEnabled(in *Input) []Finding { return EvaluateMask(in, enabledRules(in.Settings)) }
