package checks

import "salesguard/amo"

// evalR2 implements R2 (shared/RULES.md): an open deal in a watched pipeline has an open task.
// The snapshot's tasks are the truth; only when the snapshot carries no tasks at all does the
// deal's closest_task_at stand in for them. Deals still in an unsorted stage are left to R1
// and R12 (amoCRM does not let tasks be set there).
func evalR2(in *Input) []Finding {
	var out []Finding
	haveTasks := len(in.Snap.Tasks) > 0
	for i := range in.Snap.Leads {
		l := &in.Snap.Leads[i]
		if !l.IsOpen() || !in.Meaning.IsWatched(l) || isUnsorted(in, l.Status()) {
			continue
		}
		if haveTasks {
			if in.Ix.at(i, l) {
				if in.Ix.sum.openTasks[i] > 0 {
					continue
				}
			} else if hasOpenTask(in.Ix.tasksOf(i, l)) {
				continue
			}
		} else if !l.ClosestTaskAt.IsZero() {
			continue
		}
		out = addFinding(out, Finding{Rule: R2, Level: LevelWarning, DealID: l.ID,
			ManagerID: l.ResponsibleUserID, Args: dealArgs(in, l)})
	}
	return out
}

func hasOpenTask(ts []*amo.Task) bool {
	for _, t := range ts {
		if !t.IsCompleted {
			return true
		}
	}
	return false
}

func isUnsorted(in *Input, r amo.StatusRef) bool {
	st := in.Ix.Statuses[r]
	return st != nil && st.Type == amo.StatusTypeUnsorted
}
