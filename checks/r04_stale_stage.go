package checks

import (
	"time"

	"salesguard/amo"
)

// evalR4 implements R4 (shared/RULES.md): a deal does not sit in a stage longer than the
// stage's limit (Meaning.StageLimits; stages without a limit are not checked). Time in stage
// is calendar time since the last move into the current status, or since creation. Value and
// Limit are in hours below a day's limit and in days from it (unrounded).
func evalR4(in *Input) []Finding {
	var out []Finding
	for i := range in.Snap.Leads {
		l := &in.Snap.Leads[i]
		if !l.IsOpen() || !in.Meaning.IsWatched(l) {
			continue
		}
		limit, ok := in.Meaning.StageLimits[l.Status()]
		if !ok || limit <= 0 {
			continue
		}
		since := enteredStage(in, i, l)
		stay := in.Now.Sub(since)
		if stay <= limit {
			continue
		}
		unit, per := UnitHours, time.Hour
		if limit >= 24*time.Hour {
			unit, per = UnitDays, 24*time.Hour
		}
		out = addFinding(out, Finding{Rule: R4, Level: LevelWarning, DealID: l.ID,
			ManagerID: l.ResponsibleUserID, Due: since.Add(limit),
			Value: float64(stay) / float64(per), Limit: float64(limit) / float64(per),
			Unit: unit, Args: dealArgs(in, l)})
	}
	return out
}

// enteredStage returns when a deal entered its current status: the last lead_status_changed
// into it, or its creation.
func enteredStage(in *Input, i int, l *amo.Lead) time.Time {
	if in.Ix.at(i, l) && in.Ix.sum.status[i] == l.Status() {
		if at, ok := in.Ix.sum.enteredAt(i); ok {
			return at
		}
		return l.CreatedAt
	}
	es := in.Ix.eventsOf(i, l)
	cur := l.Status()
	for i := len(es) - 1; i >= 0; i-- {
		e := es[i]
		if e.Type == amo.EventLeadStatusChanged && e.StatusAfter != nil && *e.StatusAfter == cur {
			return e.CreatedAt
		}
	}
	return l.CreatedAt
}
