package checks

// r12 implements R12 (shared/RULES.md) for one deal: no open deal is left in the unsorted or
// first stage of a watched pipeline. It reports the state as of Input.Now; the app runs it at
// the end of the working day.
func r12(v *view, o *out) {
	if !v.open() || !v.watched() || !v.in.Meaning.First[v.d.Stage] {
		return
	}
	f := v.base(R12, LevelWarning)
	f.Due = v.d.CreatedAt()
	o.add(f)
}
