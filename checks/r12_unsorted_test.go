package checks

import (
	"slices"
	"testing"

	"salesguard/amo"
)

func TestR12Unsorted(t *testing.T) {
	now := mskAt(t, 2026, 11, 18, 18, 0)
	snap := baseSnap()
	snap.Leads = []amo.Lead{
		lead(1, tUnsorted), lead(2, tNew), lead(3, tMissed), lead(4, amo.StatusWon),
		lead(5, tNew), lead(6, tNew, owner(tManager2)),
	}
	snap.Leads[4].IsDeleted = true
	fs := Evaluate(mustInput(t, snap, DefaultSettings(), now), R12)
	if got := dealIDs(fs); !slices.Equal(got, []amo.LeadID{1, 2, 6}) {
		t.Errorf("deals %v", got)
	}
	s := DefaultSettings()
	s.Stages.First = []amo.StatusRef{ref(tMissed)}
	fs = Evaluate(mustInput(t, snap, s, now), R12)
	if got := dealIDs(fs); !slices.Equal(got, []amo.LeadID{3}) {
		t.Errorf("configured first stage: deals %v", got)
	}
}
