package checks

import (
	"slices"
	"testing"
	"time"

	"salesguard/amo"
)

func TestPlan(t *testing.T) {
	now := mskAt(t, 2026, 11, 18, 8, 0)
	at := func(h int) time.Time { return mskAt(t, 2026, 11, 18, h, 0) }
	snap := baseSnap()
	snap.Leads = []amo.Lead{lead(1, tWork), lead(2, tHot), lead(3, tNew), lead(4, amo.StatusWon)}
	snap.Tasks = []amo.Task{
		task(1, 1, at(10), false),                  // "ОП взял в работу": last of the named
		task(2, 2, at(15), false),                  // "Горячие": first
		task(3, 3, at(9), false),                   // new lead: between
		task(4, 3, at(9).AddDate(0, 0, -2), false), // overdue
		task(5, 0, at(11), false),                  // no deal: after every stage
		task(6, 1, at(10).AddDate(0, 0, 1), false), // tomorrow
		task(7, 1, at(12), true),                   // done
		task(8, 4, at(12), false),                  // closed deal
	}
	snap.Tasks[4].ResponsibleUserID = tManager
	absent := snap.Tasks[0]
	absent.ID, absent.ResponsibleUserID = 9, tManager2
	snap.Tasks = append(snap.Tasks, absent)
	s := DefaultSettings()
	s.Calendar.Absences = []Absence{{Manager: tManager2, From: Date{2026, 11, 18}, To: Date{2026, 11, 18}}}
	plans := Plan(mustInput(t, snap, s, now), Date{2026, 11, 18})
	if len(plans) != 1 || plans[0].Manager != tManager {
		t.Fatalf("plans: %+v", plans)
	}
	var ids []amo.TaskID
	for _, it := range plans[0].Items {
		ids = append(ids, it.TaskID)
	}
	// The overdue task first, then by stage priority.
	if want := []amo.TaskID{4, 2, 3, 1, 5}; !slices.Equal(ids, want) {
		t.Errorf("order %v, want %v", ids, want)
	}
	if plans[0].Total != 15*time.Minute || !plans[0].Items[0].Overdue || plans[0].Items[1].Overdue || plans[0].Items[1].DealID != 2 {
		t.Errorf("plan: %+v", plans[0])
	}
	// /today at 14:00: what was due at 9, 10 and 11 is overdue too, oldest first.
	plans = Plan(mustInput(t, snap, s, at(14)), Date{2026, 11, 18})
	ids = ids[:0]
	var overdue []bool
	for _, it := range plans[0].Items {
		ids, overdue = append(ids, it.TaskID), append(overdue, it.Overdue)
	}
	if want := []amo.TaskID{4, 3, 1, 5, 2}; !slices.Equal(ids, want) {
		t.Errorf("at 14:00: order %v, want %v", ids, want)
	}
	if want := []bool{true, true, true, true, false}; !slices.Equal(overdue, want) {
		t.Errorf("at 14:00: overdue %v, want %v", overdue, want)
	}
}
