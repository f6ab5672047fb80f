package checks

import (
	"time"

	"salesguard/workset"
)

// r11 implements R11 (shared/RULES.md) for one deal: an open deal has some communication (a
// call, a chat message, an SMS or e-mail, a note) at least every Days days. A deal with none at
// all counts from its creation. Value = whole days since the last communication, at the
// evaluation.
func r11(v *view, o *out) {
	if !v.open() || !v.watched() {
		return
	}
	in := v.in
	limit := time.Duration(in.Settings.R11.Days) * 24 * time.Hour
	last := workset.Time(max(v.d.Created, v.lastComm()))
	if in.Now.Sub(last) < limit {
		o.wakeAt(last.Add(limit))
		return
	}
	f := v.base(R11, LevelWarning)
	f.Due, f.Value = last.Add(limit), float64(int(in.Now.Sub(last)/(24*time.Hour)))
	f.Limit, f.Unit = float64(in.Settings.R11.Days), UnitDays
	o.add(f)
}
