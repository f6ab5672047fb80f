package workset

import (
	"cmp"
	"slices"
)

// compareActs orders a trail's items: by time, then kind, then id.
func compareActs(a, b *Act) int {
	return cmp.Or(cmp.Compare(a.At, b.At), cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.ID, b.ID))
}

// sameItem reports whether two items are one note or one event, read twice.
func sameItem(a, b *Act) bool {
	return a.ID == b.ID && a.Kind.IsNote() == b.Kind.IsNote() && a.Kind == b.Kind
}

// add folds an item into the trail: the aggregates always, the raw list when raw is set (the
// item is recent enough to keep). It reports whether anything the rules read changed.
func (t *Trail) add(a Act, raw bool) bool {
	changed := false
	if raw {
		changed = t.putAct(a) || changed
	}
	if a.Kind.IsComm() && a.At > t.LastComm {
		t.LastComm, changed = a.At, true
	}
	switch {
	case a.Kind == NoteCallOut:
		changed = t.putAttempt(Attempt{At: a.At, ID: a.ID, Dur: a.Dur, Status: a.CallStatus}) || changed
	case a.Kind == EvOutCall:
		changed = t.putAttempt(Attempt{At: a.At, ID: a.ID, Note: a.Aux, Event: true}) || changed
	}
	if a.Kind.IsMessage() {
		changed = t.putMessage(a.At) || changed
	}
	if a.Kind.IsCall() {
		changed = t.putPeak(Peak{At: a.At, Note: a.ID, Dur: a.Dur, In: a.Kind == NoteCallIn, Link: a.Str}) || changed
	}
	if a.Kind == EvMove {
		if _, to := a.Move(); to >= 0 {
			changed = t.putEntry(Entry{At: a.At, Stage: to}) || changed
		}
	}
	return changed
}

// putAct inserts or replaces a raw item, keeping the order.
func (t *Trail) putAct(a Act) bool {
	for i := range t.Acts { // an item read again: same id and kind, same time
		if sameItem(&t.Acts[i], &a) {
			if t.Acts[i] == a {
				return false
			}
			t.Acts = slices.Delete(t.Acts, i, i+1)
			break
		}
	}
	i, _ := slices.BinarySearchFunc(t.Acts, &a, func(x Act, y *Act) int { return compareActs(&x, y) })
	t.Acts = slices.Insert(t.Acts, i, a)
	return true
}

// putAttempt inserts or updates an outgoing call attempt, keeping the earliest MaxAttempts.
func (t *Trail) putAttempt(at Attempt) bool {
	for i := range t.Attempts {
		if t.Attempts[i].ID == at.ID && t.Attempts[i].Event == at.Event {
			if t.Attempts[i] == at {
				return false
			}
			t.Attempts = slices.Delete(t.Attempts, i, i+1)
			break
		}
	}
	i, _ := slices.BinarySearchFunc(t.Attempts, at.At, func(x Attempt, at int64) int { return cmp.Compare(x.At, at) })
	if i >= MaxAttempts {
		return false
	}
	t.Attempts = slices.Insert(t.Attempts, i, at)
	if len(t.Attempts) > MaxAttempts {
		t.Attempts = t.Attempts[:MaxAttempts]
	}
	return true
}

// putMessage records a written message's time, keeping the latest MaxMessages.
func (t *Trail) putMessage(at int64) bool {
	i, found := slices.BinarySearch(t.Messages, at)
	if found || (i == 0 && len(t.Messages) >= MaxMessages) {
		return false
	}
	t.Messages = slices.Insert(t.Messages, i, at)
	if n := len(t.Messages); n > MaxMessages {
		t.Messages = slices.Delete(t.Messages, 0, n-MaxMessages)
	}
	return true
}

// putPeak adds a call to the staircase of record calls: kept when no call at or before it
// (by time, then note id) was at least as long, and dropping the later calls it outlasts.
func (t *Trail) putPeak(p Peak) bool {
	before := func(x Peak) bool { return x.At < p.At || (x.At == p.At && x.Note <= p.Note) }
	for i, x := range t.Peaks {
		if x.At == p.At && x.Note == p.Note && x.Dur == p.Dur {
			if x != p { // the same call, its recording or direction filled in later
				t.Peaks[i] = p
				return true
			}
			return false
		}
		if before(x) && x.Dur >= p.Dur {
			return false
		}
	}
	out := t.Peaks[:0]
	inserted := false
	for _, x := range t.Peaks {
		if !inserted && !before(x) {
			out = append(out, p)
			inserted = true
		}
		if inserted && x.Dur <= p.Dur {
			continue // outlasted by p
		}
		out = append(out, x)
	}
	if !inserted {
		out = append(out, p)
	}
	t.Peaks = out
	return true
}

// putEntry records a move into a stage, keeping the latest per stage.
func (t *Trail) putEntry(e Entry) bool {
	for i := range t.Entered {
		if t.Entered[i].Stage == e.Stage {
			if t.Entered[i].At >= e.At {
				return false
			}
			t.Entered[i].At = e.At
			return true
		}
	}
	t.Entered = append(t.Entered, e)
	return true
}

// putTouch records a quarter-hour with activity of another kind.
func (t *Trail) putTouch(q int32) bool {
	i, found := slices.BinarySearch(t.Touches, q)
	if found {
		return false
	}
	t.Touches = slices.Insert(t.Touches, i, q)
	return true
}

// trim drops the raw items older than their windows. Moves older than moveFrom and other items
// older than actFrom go; touches older than actFrom too.
func (t *Trail) trim(actFrom, moveFrom int64) {
	n := 0
	for _, a := range t.Acts {
		from := actFrom
		if a.Kind == EvMove {
			from = moveFrom
		}
		if a.At >= from {
			t.Acts[n] = a
			n++
		}
	}
	clear(t.Acts[n:])
	t.Acts = t.Acts[:n]
	if len(t.Acts) == 0 {
		t.Acts = nil
	}
	q := int32(actFrom / 900)
	i, _ := slices.BinarySearch(t.Touches, q)
	t.Touches = slices.Delete(t.Touches, 0, i)
	if len(t.Touches) == 0 {
		t.Touches = nil
	}
}

// merge folds another trail (a pending one) into t.
func (t *Trail) merge(o *Trail) {
	for _, a := range o.Acts {
		t.putAct(a)
	}
	t.LastComm = max(t.LastComm, o.LastComm)
	for _, at := range o.Attempts {
		t.putAttempt(at)
	}
	for _, m := range o.Messages {
		t.putMessage(m)
	}
	for _, p := range o.Peaks {
		t.putPeak(p)
	}
	for _, e := range o.Entered {
		t.putEntry(e)
	}
	for _, q := range o.Touches {
		t.putTouch(q)
	}
	if o.FirstDone != 0 && (t.FirstDone == 0 || o.FirstDone < t.FirstDone) {
		t.FirstDone = o.FirstDone
	}
}

// newest returns the time of the trail's latest item, raw or aggregated (0 for none).
func (t *Trail) newest() int64 {
	n := t.LastComm
	if len(t.Acts) > 0 {
		n = max(n, t.Acts[len(t.Acts)-1].At)
	}
	if len(t.Attempts) > 0 {
		n = max(n, t.Attempts[len(t.Attempts)-1].At)
	}
	if len(t.Touches) > 0 {
		n = max(n, int64(t.Touches[len(t.Touches)-1])*900)
	}
	return n
}

// IsEmpty reports whether the trail holds nothing.
func (t *Trail) IsEmpty() bool {
	return len(t.Acts) == 0 && t.LastComm == 0 && len(t.Attempts) == 0 && len(t.Messages) == 0 &&
		len(t.Peaks) == 0 && len(t.Entered) == 0 && len(t.Touches) == 0 && t.FirstDone == 0
}

// Move returns a status move's stages as stage slots, -1 for an unknown side.
func (a *Act) Move() (from, to int32) {
	return int32(a.Aux>>32) - 1, int32(uint32(a.Aux)) - 1
}

// moveAux packs a move's stage slots (-1 for none) into Act.Aux.
func moveAux(from, to int32) int64 { return int64(from+1)<<32 | int64(uint32(to+1)) }

// LongestBefore returns the longest call at or before the moment (by the staircase): the
// earliest of the longest. ok is false when there was no call.
func (t *Trail) LongestBefore(at int64) (Peak, bool) {
	i, _ := slices.BinarySearchFunc(t.Peaks, at+1, func(p Peak, at int64) int { return cmp.Compare(p.At, at) })
	if i == 0 {
		return Peak{}, false
	}
	return t.Peaks[i-1], true
}
