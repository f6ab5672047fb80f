package checks

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"salesguard/amo"
)

// Rules returns the rules in rulebook order, data health last. The slice is new on each call.
func Rules() []Rule {
	return []Rule{
		{R1, evalR1}, {R2, evalR2}, {R3, evalR3}, {R4, evalR4}, {R5, evalR5}, {R6, evalR6},
		{R7, evalR7}, {R8, evalR8}, {R9, evalR9}, {R10, evalR10}, {R11, evalR11}, {R12, evalR12},
		{R13, evalR13}, {RuleDataHealth, evalDataHealth},
	}
}

// NewInput validates the settings and prepares everything the rules read: the calendar (in
// the settings' zone, else the account's), the index and the meaning of stages and reasons.
func NewInput(snap *amo.Snapshot, s Settings, now time.Time) (*Input, error) {
	if snap == nil {
		return nil, fmt.Errorf("checks: no snapshot")
	}
	if err := s.Validate(); err != nil {
		return nil, err
	}
	cal, err := NewCalendar(s.Calendar, snap.Account.TimeZone)
	if err != nil {
		return nil, fmt.Errorf("account %d: %w", snap.Account.ID, err)
	}
	return &Input{
		Snap:     snap,
		Now:      now,
		Settings: s,
		Cal:      cal,
		Ix:       BuildIndex(snap),
		Meaning:  Resolve(s, snap),
	}, nil
}

// Run evaluates every enabled rule on a snapshot at now and returns the findings, with the
// account id set, in SortFindings order. Equal inputs give equal outputs.
func Run(snap *amo.Snapshot, s Settings, now time.Time) ([]Finding, error) {
	in, err := NewInput(snap, s, now)
	if err != nil {
		return nil, err
	}
	var ids []RuleID
	for _, r := range Rules() {
		if s.Enabled(r.ID) {
			ids = append(ids, r.ID)
		}
	}
	if len(ids) == 0 {
		return nil, nil
	}
	return Evaluate(in, ids...), nil
}

// Evaluate runs the given rules (every rule when none is given, whether enabled or not) on a
// prepared input and returns their findings with the account id set, in SortFindings order.
func Evaluate(in *Input, only ...RuleID) []Finding {
	type part struct {
		fs  []Finding
		idx []int32 // the order of fs, nil when fs is in order
	}
	var parts []part
	total := 0
	// The rules see a copy of the input carrying the call-data health several of them read,
	// so it is computed once and never outlives this call.
	local := *in
	local.health = nil
	in = &local
	for _, r := range Rules() {
		if len(only) > 0 && !slices.Contains(only, r.ID) {
			continue
		}
		if in.health == nil && usesCallHealth(r.ID) {
			in.health = callHealthOf(in)
		}
		// Rules run in rulebook order, so sorting each rule's findings by the rest of the
		// SortFindings key yields the same order as sorting everything, for less work.
		fs := r.Eval(in)
		parts = append(parts, part{fs, orderWithinRule(fs)})
		total += len(fs)
	}
	out := make([]Finding, 0, total)
	for _, p := range parts {
		if p.idx == nil {
			out = append(out, p.fs...)
			continue
		}
		for _, j := range p.idx {
			out = append(out, p.fs[j])
		}
	}
	sorted := true
	for i := range out {
		out[i].AccountID = in.Snap.Account.ID
		sorted = sorted && (i == 0 || compareFindingsAt(&out[i-1], &out[i]) <= 0)
	}
	if !sorted {
		SortFindings(out) // only when a rule yields findings of another rule
	}
	return out
}

// sortOneRule returns the findings of one rule in SortFindings order, moving each finding
// once (see orderWithinRule); it may reuse fs.
func sortOneRule(fs []Finding) []Finding {
	idx := orderWithinRule(fs)
	if idx == nil {
		return fs
	}
	out := make([]Finding, len(fs))
	for i, j := range idx {
		out[i] = fs[j]
	}
	return out
}

// usesCallHealth reports whether a rule reads callHealthOf.
func usesCallHealth(id RuleID) bool {
	return id == R6 || id == R7 || id == R9 || id == RuleDataHealth
}

// compareWithinRule is SortFindings' order without the rule, comparing lazily.
func compareWithinRule(a, b *Finding) int {
	if c := cmp.Compare(a.ManagerID, b.ManagerID); c != 0 {
		return c
	}
	if c := cmp.Compare(a.DealID, b.DealID); c != 0 {
		return c
	}
	if c := strings.Compare(string(a.Level), string(b.Level)); c != 0 {
		return c
	}
	if c := strings.Compare(a.Kind, b.Kind); c != 0 {
		return c
	}
	return strings.Compare(a.Subject, b.Subject)
}

// compareFindingsAt is SortFindings' order.
func compareFindingsAt(a, b *Finding) int {
	if a.Rule != b.Rule {
		return cmp.Compare(ruleOrder(a.Rule), ruleOrder(b.Rule))
	}
	return compareWithinRule(a, b)
}

// orderWithinRule returns the permutation that sorts findings by compareWithinRule (so
// whole findings move once, into the result), or nil when they already are in order. Rules
// walking the deals yield findings in deal order, so the permutation is built by bucketing by
// manager (stable), sorting only the buckets that are not in order already.
func orderWithinRule(fs []Finding) []int32 {
	sorted := true
	for i := 1; i < len(fs) && sorted; i++ {
		sorted = compareWithinRule(&fs[i-1], &fs[i]) <= 0
	}
	if sorted {
		return nil
	}
	counts := map[amo.UserID]int32{}
	for i := range fs {
		counts[fs[i].ManagerID]++
	}
	managers := slices.Sorted(maps.Keys(counts))
	start := make(map[amo.UserID]int32, len(managers))
	off := int32(0)
	for _, m := range managers {
		start[m] = off
		off += counts[m]
	}
	idx := make([]int32, len(fs))
	var m amo.UserID
	next := int32(-1)
	for i := range fs {
		if next < 0 || fs[i].ManagerID != m { // runs of one manager are common: fewer lookups
			if next >= 0 {
				start[m] = next
			}
			m = fs[i].ManagerID
			next = start[m]
		}
		idx[next] = int32(i)
		next++
	}
	byKey := func(a, b int32) int { return compareWithinRule(&fs[a], &fs[b]) }
	off = 0
	for _, m := range managers {
		bucket := idx[off : off+counts[m]]
		off += counts[m]
		if !slices.IsSortedFunc(bucket, byKey) {
			slices.SortFunc(bucket, byKey)
		}
	}
	return idx
}
