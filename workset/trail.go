package workset

import (
	"cmp"
	"slices"
)

// compareActs orders a trail's items: by time, then id, then kind.
func compareActs(a, b *Act) int {
	return cmp.Or(cmp.Compare(a.At, b.At), cmp.Compare(a.ID, b.ID), cmp.Compare(a.Kind, b.Kind))
}

// sameItem reports whether two items are one note or one event, read twice.
func sameItem(a, b *Act) bool { return a.ID == b.ID && a.Kind == b.Kind }

// add folds an item into the trail: the aggregates always, the raw list when raw is set (the
// item is recent enough to keep). It reports whether anything the rules read changed.
func (t *Trail) add(m *mem, a Act, raw bool) bool {
	changed := false
	if a.Kind == EvMove {
		from, to := a.Move()
		changed = t.putMove(m, Move{At: a.At, From: from, To: to, ByUser: a.By != 0}, raw)
		if to >= 0 {
			changed = t.putEntry(m, a.At, to) || changed
		}
		return changed
	}
	if raw {
		changed = t.putAct(m, a) || changed
	}
	if a.Kind.IsComm() && a.At > t.LastComm {
		t.LastComm, changed = a.At, true
	}
	switch {
	case a.Kind == NoteCallOut:
		changed = t.putAttempt(m, Attempt{At: a.At, Key: a.ID, Dur: a.Dur, Status: a.CallStatus}) || changed
	case a.Kind == EvOutCall && a.Aux != 0:
		changed = t.putAttempt(m, Attempt{At: a.At, Key: a.Aux, Event: true, NoteKey: true}) || changed
	case a.Kind == EvOutCall:
		changed = t.putAttempt(m, Attempt{At: a.At, Key: a.ID, Event: true}) || changed
	}
	if a.Kind.IsMessage() {
		changed = t.putMessage(m, a.At) || changed
	}
	if a.Kind.IsCall() {
		changed = t.putPeak(m, Peak{At: a.At, Note: a.ID, Dur: a.Dur}) || changed
	}
	return changed
}

// putAct inserts or replaces a raw item, keeping the order.
func (t *Trail) putAct(m *mem, a Act) bool {
	texts := m.texts
	acts := t.acts.s()
	for i := range acts { // an item read again: same id and kind
		if sameItem(&acts[i], &a) {
			if same := acts[i]; texts.str(same.str) == texts.str(a.str) {
				same.str = a.str
				if same == a { // unchanged (the text compared by content, not by where it is)
					return false
				}
			}
			acts = slices.Delete(acts, i, i+1)
			break
		}
	}
	i, _ := slices.BinarySearchFunc(acts, &a, func(x Act, y *Act) int { return compareActs(&x, y) })
	if len(acts) == cap(acts) { // full (nothing was deleted): a larger block first
		m.acts.grow(&t.acts, 1)
		acts = t.acts.s()
	}
	m.acts.store(&t.acts, slices.Insert(acts, i, a))
	return true
}

// trim drops the raw items, touches and moves older than their windows: items older than
// actFrom, moves older than moveFrom.
func (t *Trail) trim(m *mem, actFrom, moveFrom int64) {
	n, acts := 0, t.acts.s()
	for _, a := range acts {
		if a.At >= actFrom {
			acts[n] = a
			n++
		}
	}
	clear(acts[n:])
	m.acts.store(&t.acts, acts[:n])
	q := actFrom / 900
	t.dropWords(m, secTouches, func(w uint64) bool { return int64(w) < q })
	t.dropWords(m, secMoves, func(w uint64) bool { return int64(w&atMask) < moveFrom })
	// Give back what growing left unused: trails are many and small.
	m.acts.fit(&t.acts)
	m.words.fit(&t.agg)
}

// merge folds another trail (a pending one) into t.
func (t *Trail) merge(m *mem, o *Trail) {
	for _, a := range o.Acts() {
		t.putAct(m, a)
	}
	t.LastComm = max(t.LastComm, o.LastComm)
	o.EachAttempt(func(a Attempt) bool { t.putAttempt(m, a); return true })
	for _, w := range o.section(secMessages) {
		t.putMessage(m, int64(w))
	}
	for p := range o.peaks() {
		t.putPeak(m, p)
	}
	for _, w := range o.section(secEntered) {
		t.putEntry(m, int64(w&atMask), int32(w>>atBits))
	}
	for _, q := range o.section(secTouches) {
		t.putTouch(m, int32(q))
	}
	o.EachMove(func(mv Move) bool { t.putMove(m, mv, true); return true })
}

// newest returns the time of the trail's latest item, raw or aggregated (0 for none).
func (t *Trail) newest() int64 {
	n := t.LastComm
	if acts := t.Acts(); len(acts) > 0 {
		n = max(n, acts[len(acts)-1].At)
	}
	if as := t.section(secAttempts); len(as) > 0 {
		n = max(n, int64(as[len(as)-2]&atMask))
	}
	if ts := t.section(secTouches); len(ts) > 0 {
		n = max(n, int64(ts[len(ts)-1])*900)
	}
	t.EachMove(func(m Move) bool { n = max(n, m.At); return true })
	return n
}

// IsEmpty reports whether the trail holds nothing.
func (t *Trail) IsEmpty() bool { return t.acts.len() == 0 && t.LastComm == 0 && t.agg.len() <= 1 }

// Move returns a status move event's stages as stage slots, -1 for an unknown side.
func (a *Act) Move() (from, to int32) {
	return int32(a.Aux>>32) - 1, int32(uint32(a.Aux)) - 1
}

// moveAux packs a move's stage slots (-1 for none) into Act.Aux.
func moveAux(from, to int32) int64 { return int64(from+1)<<32 | int64(uint32(to+1)) }
