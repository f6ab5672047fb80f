package checks

import (
	"cmp"
	"math"
	"slices"
	"time"

	"salesguard/amo"
)

// PlanItem is one task of a manager's day (RULES.md "Priorities").
type PlanItem struct {
	Manager amo.UserID `json:"manager"`
	Task    amo.Task   `json:"task"`
	// Deal is the task's deal, nil for a task on no (known) deal.
	Deal  *amo.Lead     `json:"deal,omitempty"`
	Stage amo.StatusRef `json:"stage"`
	// Priority is the stage's place in the plan order (lower first; math.MaxInt when none).
	Priority int `json:"priority"`
	// Overdue reports that the deadline was before the day.
	Overdue bool `json:"overdue"`
}

// ManagerPlan is one manager's morning plan: the tasks in order and the time they take
// (002 law 4: 45 tasks × 3 min ≈ 2 h 15 min).
type ManagerPlan struct {
	Manager amo.UserID    `json:"manager"`
	Items   []PlanItem    `json:"items"`
	Total   time.Duration `json:"total"`
}

// Plan builds the morning plan of day (in the calendar's zone): for each manager, the open
// tasks due that day or earlier, ordered by stage priority (Meaning.Priority), then deadline,
// then task id. Tasks on deals that are closed, deleted or outside the watched pipelines are
// left out. Managers absent on day (Calendar absences) get no plan. Plans are in manager order.
func Plan(in *Input, day Date) []ManagerPlan {
	end := day.AddDays(1).In(in.Cal.Location())
	start := day.In(in.Cal.Location())
	by := map[amo.UserID][]PlanItem{}
	for i := range in.Snap.Tasks {
		t := &in.Snap.Tasks[i]
		if t.IsCompleted || t.CompleteTill.IsZero() || !t.CompleteTill.Before(end) || in.Cal.IsAbsent(t.ResponsibleUserID, day) {
			continue
		}
		it := PlanItem{Manager: t.ResponsibleUserID, Task: *t, Priority: math.MaxInt, Overdue: t.CompleteTill.Before(start)}
		if id := t.LeadID(); id != 0 {
			l := in.Ix.Leads[id]
			if l != nil && (!l.IsOpen() || !in.Meaning.IsWatched(l)) {
				continue
			}
			if l != nil {
				it.Deal, it.Stage = l, l.Status()
				if p, ok := in.Meaning.Priority[it.Stage]; ok {
					it.Priority = p
				}
			}
		}
		by[it.Manager] = append(by[it.Manager], it)
	}
	out := make([]ManagerPlan, 0, len(by))
	for m, items := range by {
		slices.SortFunc(items, func(a, b PlanItem) int {
			return cmp.Or(cmp.Compare(a.Priority, b.Priority), a.Task.CompleteTill.Compare(b.Task.CompleteTill),
				cmp.Compare(a.Task.ID, b.Task.ID))
		})
		out = append(out, ManagerPlan{Manager: m, Items: items,
			Total: time.Duration(len(items)*in.Settings.Plan.MinutesPerTask) * time.Minute})
	}
	slices.SortFunc(out, func(a, b ManagerPlan) int { return cmp.Compare(a.Manager, b.Manager) })
	return out
}
