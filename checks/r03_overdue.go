package checks

import (
	"salesguard/workset"
)

// r3 implements R3 (shared/RULES.md) for one deal: no open task is past its complete_till.
// Tasks on a deal give one finding per deal (Value = overdue tasks, Due = the earliest deadline,
// ManagerID = the responsible of the earliest overdue task, Task = that task). Deals outside the
// watched pipelines or deleted are skipped; closed deals are not (an open task on a won deal is
// still a promise).
func r3(v *view, o *out) {
	if !v.watched() {
		return
	}
	var first *workset.Task
	n := 0
	v.tasks(func(t *workset.Task) {
		if t.Completed || t.Till == 0 {
			return
		}
		till := workset.Time(t.Till)
		if !till.Before(v.in.Now) {
			o.wakeAfter(till)
			return
		}
		n++
		if first == nil || t.Till < first.Till || (t.Till == first.Till && t.ID < first.ID) {
			first = t
		}
	})
	if first == nil {
		return
	}
	f := v.base(R3, LevelWarning)
	f.ManagerID, f.Due, f.Value, f.Unit = first.Responsible, workset.Time(first.Till), float64(n), UnitCount
	f.Task, f.TaskText, f.Count = first.ID, v.in.WS.TaskText(first), n
	o.add(f)
}

// r3Task implements R3 for a task on no deal of the working set (a contact, a company,
// nothing, or a deal amoCRM does not show): one finding per overdue task, with the deal id the
// task names (0 when none).
func r3Task(in *Input, t *workset.Task, o *out) {
	if !t.Live() || t.Completed || t.Till == 0 || t.Deal() >= 0 {
		return
	}
	till := workset.Time(t.Till)
	if !till.Before(in.Now) {
		o.wakeAfter(till)
		return
	}
	o.add(Finding{Rule: R3, Level: LevelWarning, AccountID: in.AccountID(), Scope: Scope{Kind: ScopeTask, ID: int64(t.ID)},
		DealID: t.LeadID(), ManagerID: t.Responsible, Due: till, Value: 1, Unit: UnitCount,
		Task: t.ID, TaskText: in.WS.TaskText(t), Count: 1})
}
