package checks

import (
	"time"

	"salesguard/amo"
	"salesguard/workset"
)

// r4 implements R4 (shared/RULES.md) for one deal: a deal does not sit in a stage longer than
// the stage's limit (Meaning.StageLimits; stages without a limit are not checked). Time in
// stage runs since the last move into the current status, or since creation. It counts
// working time or calendar time as the stage's limit says (StageLimit.Time; by default working
// time for limits up to WorkingTimeUpTo, so a lead that came at 23:00 is not stale at 09:10
// with a 1h limit and a day that starts at 09:00). Value (at the evaluation) and Limit are in
// working minutes for working time, else in hours below a day's limit and in days from it.
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
	if in.stageTime[d.Stage].Working(limit) {
		r4Working(v, o, since, limit)
		return
	}
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

// r4Working is R4 for a limit of working time: the deal is stale once more than limit of
// working time has passed since it entered the stage. That moment (Due) is where the limit is
// reached, or, when it is reached just as a working day ends, the start of the next working
// period: the evening and the night do not count. The deadline queue wakes the deal then.
func r4Working(v *view, o *out, since time.Time, limit time.Duration) {
	cal := v.in.Cal
	due := cal.NextWorking(cal.AddWorking(since, limit))
	if !v.in.Now.After(due) {
		o.wakeAfter(due)
		return
	}
	stay := v.in.workingDuration(since, v.in.Now)
	f := v.base(R4, LevelWarning)
	f.Due, f.Value, f.Limit, f.Unit = due, stay.Minutes(), limit.Minutes(), UnitMinutes
	o.add(f)
}

// stageTimes indexes the limits that say how they count time; the others choose by length.
func stageTimes(s StageTimeSettings) map[amo.StatusRef]StageTime {
	out := map[amo.StatusRef]StageTime{}
	for _, l := range s.Limits {
		if l.Time != StageTimeAuto {
			out[l.Stage] = l.Time
		}
	}
	return out
}

// enteredStage returns when a deal entered its current status: the last move into it, or its
// creation.
func enteredStage(v *view) time.Time {
	if at, ok := v.d.EnteredAt(v.in.WS.StageSlotOf(v.d.Stage)); ok {
		return workset.Time(at)
	}
	return v.d.CreatedAt()
}
