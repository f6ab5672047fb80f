package checks

import (
	"cmp"
	"math/rand/v2"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"testing"

	"salesguard/amo"
)

// TestSortFindingsLarge checks the permutation sort of large slices against a plain sort.
func TestSortFindingsLarge(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	rules := append(slices.Clone(AllRuleIDs), RuleDataHealth)
	for _, n := range []int{0, 1, 63, 64, 65, 500, 4096, -4096} { // negative: ids that do not pack
		low := 0
		if n < 0 {
			n, low = -n, -2
		}
		fs := make([]Finding, n)
		for i := range fs {
			fs[i] = Finding{Rule: rules[r.IntN(len(rules))], ManagerID: amo.UserID(low + r.IntN(5)), DealID: amo.LeadID(r.IntN(50)),
				Level: []Level{LevelWarning, LevelEscalation}[r.IntN(2)], Task: amo.TaskID(r.IntN(1000))}
		}
		total := func(a, b Finding) int { // compareFindings, then every field set here
			return cmp.Or(compareFindings(&a, &b), cmp.Compare(a.Task, b.Task), strings.Compare(string(a.Level), string(b.Level)))
		}
		want := slices.Clone(fs)
		slices.SortFunc(want, total)
		SortFindings(fs)
		for i := 1; i < len(fs); i++ {
			if compareFindings(&fs[i-1], &fs[i]) > 0 {
				t.Fatalf("n=%d: out of order at %d", n, i)
			}
		}
		got := slices.Clone(fs)
		slices.SortFunc(got, total)
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("n=%d: the sort lost or changed findings", n)
		}
	}
}

// TestRuleOrder checks the parsed order against AllRuleIDs.
func TestRuleOrder(t *testing.T) {
	for i, r := range AllRuleIDs {
		if got := ruleOrder(r); got != i {
			t.Errorf("ruleOrder(%s) = %d, want %d", r, got, i)
		}
	}
	for _, r := range []RuleID{RuleDataHealth, "", "R", "R0", "R14", "Rx", "R1x", "R100"} {
		if got := ruleOrder(r); got != len(AllRuleIDs) {
			t.Errorf("ruleOrder(%q) = %d, want %d", r, got, len(AllRuleIDs))
		}
	}
}

// TestGatherSorted checks the reference path's gathering (findings spread by rule on every
// core, a rule sorted again only when out of order) against SortFindings, on parts in deal
// order, in an order the rules' findings do not follow (R3's manager is a task's), and in a
// random order, with one to four cores.
func TestGatherSorted(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	rules := append(slices.Clone(AllRuleIDs), RuleDataHealth)
	for _, procs := range []int{1, 2, 3, 4} {
		for _, floor := range []int{1, 4096} {
			for _, shape := range []string{"by deal", "random"} {
				old, oldProcs := parallelFloor, runtime.GOMAXPROCS(procs)
				parallelFloor = floor
				var parts [][]Finding
				var all []Finding
				total := 0
				for deal := range 3000 {
					var fs []Finding
					for range r.IntN(4) {
						f := Finding{Rule: rules[r.IntN(len(rules))], ManagerID: amo.UserID(deal / 500), DealID: amo.LeadID(deal + 1),
							Level: []Level{LevelWarning, LevelEscalation}[r.IntN(2)], Task: amo.TaskID(r.IntN(1000))}
						if f.Rule == R3 || shape == "random" {
							f.ManagerID = amo.UserID(r.IntN(7))
						}
						fs = append(fs, f)
					}
					if len(fs) > 0 {
						parts = append(parts, fs)
						all = append(all, fs...)
						total += len(fs)
					}
				}
				if shape == "random" {
					r.Shuffle(len(parts), func(i, j int) { parts[i], parts[j] = parts[j], parts[i] })
				}
				got := gatherSorted(parts, total)
				want := slices.Clone(all)
				SortFindings(want)
				parallelFloor = old
				runtime.GOMAXPROCS(oldProcs)
				if len(got) != len(want) {
					t.Fatalf("%d cores, floor %d, %s: %d findings, want %d", procs, floor, shape, len(got), len(want))
				}
				for i := range got {
					if compareFindings(&got[i], &want[i]) != 0 {
						t.Fatalf("%d cores, floor %d, %s: finding %d is %+v, want %+v", procs, floor, shape, i, got[i], want[i])
					}
				}
			}
		}
	}
}

// TestByManager checks the order EvaluateMask hands the deals' findings to gatherSorted in:
// by manager id, each manager's deals in the order they were evaluated, and deals whose
// findings neighbour in memory joined in one slice.
func TestByManager(t *testing.T) {
	chunk := make([]Finding, 6) // one chunk's findings: deals 1–3 of manager 7, 4 of manager 2
	for i := range chunk {
		chunk[i].DealID = amo.LeadID(i + 1)
	}
	other := []Finding{{DealID: 10}}
	deals := []dealPart{
		{7, chunk[0:1]}, {7, chunk[1:3]}, {2, chunk[3:4]}, {7, chunk[4:5]}, {2, other}, {5, chunk[5:6]},
	}
	var got [][]amo.LeadID
	for _, p := range byManager(deals) {
		var ids []amo.LeadID
		for _, f := range p {
			ids = append(ids, f.DealID)
		}
		got = append(got, ids)
	}
	want := [][]amo.LeadID{{4}, {10}, {6}, {1, 2, 3}, {5}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("byManager: %v, want %v", got, want)
	}
}
