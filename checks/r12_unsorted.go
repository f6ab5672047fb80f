package checks

// evalR12 implements R12 (shared/RULES.md): no open deal is left in the unsorted or first
// stage of a watched pipeline. It reports the state as of Input.Now; the app runs it at the end
// of the working day.
func evalR12(in *Input) []Finding {
	var out []Finding
	for i := range in.Snap.Leads {
		l := &in.Snap.Leads[i]
		if !l.IsOpen() || !in.Meaning.IsWatched(l) || !in.Meaning.First[l.Status()] {
			continue
		}
		out = addFinding(out, Finding{Rule: R12, Level: LevelWarning, DealID: l.ID,
			ManagerID: l.ResponsibleUserID, Due: l.CreatedAt, Args: dealArgs(in, l)})
	}
	return out
}
