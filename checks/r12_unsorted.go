package checks

import "time"

// r12 implements R12 (shared/RULES.md) for one deal: no open deal is left in the unsorted or
// first stage of a watched pipeline at the end of the working day. It is checked at the ends
// of the calendar's working days only, never during the day: a deal that entered such a stage
// is reported once a working day ends with it still there (Due is that end), and stays
// reported, with the same key, while it stays in the stage, so the daily table counts it at
// every end of day and its alert is sent once. Until then the deal waits for that end in the
// deadline queue.
func r12(v *view, o *out) {
	in := v.in
	if !v.open() || !v.watched() || !in.Meaning.First[v.d.Stage] {
		return
	}
	end := leftAt(in, enteredStage(v))
	if end.IsZero() || end.After(in.Now) {
		o.wakeAt(end)
		return
	}
	f := v.base(R12, LevelWarning)
	f.Due = end
	o.add(f)
}

// leftAt returns the first end of a working day at or after since: the moment a deal that
// entered a stage at since and stayed is left there at the end of the day (zero for never).
// The evaluation's own ends spare the common cases a walk over the calendar.
func leftAt(in *Input, since time.Time) time.Time {
	switch {
	case !in.lastEnd.IsZero() && since.Equal(in.lastEnd):
		return in.lastEnd
	case since.After(in.lastEnd) && !since.After(in.Now): // came in since the last end of day
		return in.nextEnd
	}
	if _, end, ok := in.Cal.NextDayEnd(since.Add(-time.Nanosecond)); ok {
		return end
	}
	return time.Time{}
}

// UnsortedAtDayEnd returns what R12 will report at the end of the working day in progress (or
// the next one) if nothing moves before it: every open deal of a watched pipeline in an
// unsorted or first stage, with Due at that end. It is for the pre-close nudge, which comes
// before R12 is checked; the findings R12 reports already are among them.
func UnsortedAtDayEnd(in *Input) []Finding {
	if in.nextEnd.IsZero() {
		return nil
	}
	at := in.At(in.nextEnd)
	o := &out{now: at.Now}
	deals := in.WS.Deals()
	for i := range deals {
		if deals[i].Live() {
			r12(newView(at, int32(i)), o)
		}
	}
	SortFindings(o.fs)
	return o.fs
}
