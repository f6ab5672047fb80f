package checks

import "salesguard/workset"

// r2 implements R2 (shared/RULES.md) for one deal: an open deal in a watched pipeline has an
// open task. The working set's tasks are the truth; only when the account has shown no task at
// all does the deal's closest_task_at stand in for them. Deals still in an unsorted stage are
// left to R1 and R12 (amoCRM does not let tasks be set there).
func r2(v *view, o *out) {
	if !v.open() || !v.watched() || v.in.isUnsorted(v.d.Stage) {
		return
	}
	if v.in.WS.TasksSeen() {
		open := false
		v.tasks(func(t *workset.Task) { open = open || !t.Completed })
		if open {
			return
		}
	} else if v.d.ClosestTask != 0 {
		return
	}
	o.add(v.base(R2, LevelWarning))
}
