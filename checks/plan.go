package checks

import (
	"cmp"
	"math"
	"slices"
	"time"

	"salesguard/amo"
	"salesguard/workset"
)

// PlanItem is one task of a manager's day (RULES.md "Priorities").
type PlanItem struct {
	Manager amo.UserID `json:"manager"`
	TaskID  amo.TaskID `json:"task_id"`
	Text    string     `json:"text"`
	Till    time.Time  `json:"till"`
	// DealID is the task's deal, 0 for a task on no (known) deal; DealName its name.
	DealID   amo.LeadID    `json:"deal_id,omitempty"`
	DealName string        `json:"deal_name,omitempty"`
	Stage    amo.StatusRef `json:"stage"`
	// Priority is the stage's place in the plan order (lower first; math.MaxInt when none).
	Priority int `json:"priority"`
	// Overdue reports that the deadline had passed when the plan was made: before the day, or
	// before the evaluation's moment when that is within the day (/today at 14:38 marks the
	// 10:00 task).
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
// tasks due that day or earlier, overdue ones first (by deadline), then the rest by stage
// priority (Meaning.Priority), then deadline, then task id. Tasks on deals that are closed, deleted or outside the watched pipelines are
// left out. Managers absent on day (Calendar absences) get no plan. Plans are in manager order.
func Plan(in *Input, day Date) []ManagerPlan {
	end := day.AddDays(1).In(in.Cal.Location())
	start := day.In(in.Cal.Location())
	cut := start // what is due before cut is overdue
	if in.Now.After(start) && in.Now.Before(end) {
		cut = in.Now
	}
	by := map[amo.UserID][]PlanItem{}
	deals := in.WS.Deals()
	for _, t := range in.WS.Tasks() {
		till := workset.Time(t.Till)
		if !t.Live() || t.Completed || t.Till == 0 || !till.Before(end) || in.Cal.IsAbsent(t.Responsible, day) {
			continue
		}
		it := PlanItem{Manager: t.Responsible, TaskID: t.ID, Text: in.WS.TaskText(&t), Till: till, Priority: math.MaxInt,
			Overdue: till.Before(cut)}
		if slot := t.Deal(); slot >= 0 {
			d := &deals[slot]
			if !d.IsOpen() || !in.Meaning.IsWatched(d) {
				continue
			}
			it.DealID, it.DealName, it.Stage = d.ID, in.WS.DealName(d), d.Stage
			if p, ok := in.Meaning.Priority[it.Stage]; ok {
				it.Priority = p
			}
		}
		by[it.Manager] = append(by[it.Manager], it)
	}
	out := make([]ManagerPlan, 0, len(by))
	for m, items := range by {
		slices.SortFunc(items, func(a, b PlanItem) int {
			if a.Overdue != b.Overdue {
				if a.Overdue {
					return -1
				}
				return 1
			}
			if a.Overdue { // the oldest debt first, whatever its stage
				return cmp.Or(a.Till.Compare(b.Till), cmp.Compare(a.TaskID, b.TaskID))
			}
			return cmp.Or(cmp.Compare(a.Priority, b.Priority), cmp.Compare(a.Stage.PipelineID, b.Stage.PipelineID),
				cmp.Compare(a.Stage.StatusID, b.Stage.StatusID), a.Till.Compare(b.Till), cmp.Compare(a.TaskID, b.TaskID))
		})
		out = append(out, ManagerPlan{Manager: m, Items: items,
			Total: time.Duration(len(items)*in.Settings.Plan.MinutesPerTask) * time.Minute})
	}
	slices.SortFunc(out, func(a, b ManagerPlan) int { return cmp.Compare(a.Manager, b.Manager) })
	return out
}
