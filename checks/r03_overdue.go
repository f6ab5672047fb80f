package checks

import "strconv"

// evalR3 implements R3 (shared/RULES.md): no open task is past its complete_till.
//
// Tasks on a deal give one finding per deal (Value = overdue tasks, Due = the earliest
// deadline, ManagerID = the responsible of the earliest overdue task). Tasks on deals that are
// deleted or outside the watched pipelines are skipped. Tasks on no deal (a contact, a company,
// nothing, or a deal missing from the snapshot) give one finding each, with Subject
// "task:<id>" (and DealID 0 unless the task names a deal).
func evalR3(in *Input) []Finding {
	var out []Finding
	for i := range in.Snap.Leads {
		l := &in.Snap.Leads[i]
		if !in.Meaning.IsWatched(l) {
			continue
		}
		var f *Finding
		for _, t := range in.Ix.tasksOf(i, l) { // sorted by deadline: overdue ones first
			if !t.CompleteTill.Before(in.Now) {
				break
			}
			if t.IsCompleted || t.CompleteTill.IsZero() {
				continue
			}
			if f != nil {
				f.Value++
				continue
			}
			args := dealArgs(in, l)
			args["task"] = t.Text
			out = addFinding(out, Finding{Rule: R3, Level: LevelWarning, DealID: l.ID, ManagerID: t.ResponsibleUserID,
				Due: t.CompleteTill, Value: 1, Unit: UnitCount, Args: args})
			f = &out[len(out)-1]
		}
		if f != nil {
			f.Args["count"] = strconv.Itoa(int(f.Value))
		}
	}
	for i := range in.Snap.Tasks {
		t := &in.Snap.Tasks[i]
		if t.IsCompleted || t.CompleteTill.IsZero() || !t.CompleteTill.Before(in.Now) {
			continue
		}
		id := t.LeadID()
		if id != 0 {
			l, ok := in.Ix.taskLead(in.Snap.Tasks, i)
			if !ok {
				l = in.Ix.Leads[id]
			}
			if l != nil {
				continue // counted per deal above
			}
		}
		out = addFinding(out, Finding{Rule: R3, Level: LevelWarning, DealID: id, ManagerID: t.ResponsibleUserID,
			Due: t.CompleteTill, Value: 1, Unit: UnitCount, Subject: taskSubject(t.ID),
			Args: map[string]string{"task": t.Text, "count": "1"}})
	}
	return out
}
