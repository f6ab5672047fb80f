package checks

import (
	"time"

	"salesguard/workset"
)

// r4 implements R4 (shared/RULES.md) for one deal: a deal does not sit in a stage longer than
// the stage's limit (Meaning.StageLimits; stages without a limit are not checked). Time in
// stage is calendar time since the last move into the current status, or since creation. Value
// (at the evaluation) and Limit are in hours below a day's limit and in days from it.
func r4(v *view, o *out) {
	in, d := v.in, v.d
	if !v.open() || !v.watched() {
		return
	}
	limit, ok := in.Meaning.StageLimits[d.Stage]
	if !ok || limit <= 0 {
		return
	}
	since := enteredStage(v)
	stay := in.Now.Sub(since)
	if stay <= limit {
		o.wakeAfter(since.Add(limit))
		return
	}
	unit, per := UnitHours, time.Hour
	if limit >= 24*time.Hour {
		unit, per = UnitDays, 24*time.Hour
	}
	f := v.base(R4, LevelWarning)
	f.Due, f.Value, f.Limit, f.Unit = since.Add(limit), float64(stay)/float64(per), float64(limit)/float64(per), unit
	o.add(f)
}

// enteredStage returns when a deal entered its current status: the last move into it, or its
// creation.
func enteredStage(v *view) time.Time {
	if at, ok := v.d.EnteredAt(v.in.WS.StageSlotOf(v.d.Stage)); ok {
		return workset.Time(at)
	}
	return v.d.CreatedAt()
}
