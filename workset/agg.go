package workset

import (
	"iter"
	"slices"
)

// A trail's aggregates live in one packed []uint64 (Trail.agg), a few words per item and one
// slice header per trail: word 0 holds how many items each section has, the sections follow
// in order. Times are Unix seconds in the low atBits bits of a word.
//
//	attempts  2 words: at | dur<<35 | status<<51 | event<<59 | notekey<<60, key
//	messages  1 word:  at
//	peaks     2 words: at | dur<<35, note id
//	entered   1 word:  at | stage<<35
//	touches   1 word:  quarter-hour (Unix/900)
//	moves     1 word:  at | (from+1)<<35 | (to+1)<<49 | by-user<<63

type section uint8

const (
	secAttempts section = iota
	secMessages
	secPeaks
	secEntered
	secTouches
	secMoves
	nSections
)

var (
	secWidth  = [nSections]int{2, 1, 2, 1, 1, 1}
	countBits = [nSections]uint{10, 6, 8, 8, 16, 16} // 64 in all
)

const (
	atBits   = 35
	atMask   = 1<<atBits - 1
	slotMask = 1<<14 - 1
)

func countShift(s section) uint {
	var sh uint
	for i := section(0); i < s; i++ {
		sh += countBits[i]
	}
	return sh
}

// count returns how many items section s holds.
func (t *Trail) count(s section) int {
	if t.agg.n == 0 {
		return 0
	}
	return int(*t.head() >> countShift(s) & (1<<countBits[s] - 1))
}

// head returns the word of counts (agg must hold one).
func (t *Trail) head() *uint64 { return (*uint64)(ptrAt(t.agg.p)) }

func (t *Trail) setCount(s section, n int) {
	sh, mask := countShift(s), uint64(1<<countBits[s]-1)
	*t.head() = *t.head()&^(mask<<sh) | uint64(n)&mask<<sh
}

// offset returns where section s starts in agg.
func (t *Trail) offset(s section) int {
	off := 1
	for i := section(0); i < s; i++ {
		off += t.count(i) * secWidth[i]
	}
	return off
}

// section returns the words of section s (shared with agg: read only).
func (t *Trail) section(s section) []uint64 {
	n := t.count(s)
	if n == 0 {
		return nil
	}
	off := t.offset(s)
	return t.agg.s()[off : off+n*secWidth[s]]
}

// insert puts one item (its words) at position i of section s, unless the section is full.
func (t *Trail) insert(m *mem, s section, i int, words ...uint64) bool {
	n := t.count(s)
	if n >= 1<<countBits[s]-1 {
		return false
	}
	if t.agg.n == 0 { // the word of counts first
		m.words.grow(&t.agg, 1+len(words))
		t.agg.n = 1
		*t.head() = 0
	}
	m.words.grow(&t.agg, len(words))
	pos := t.offset(s) + i*secWidth[s]
	m.words.store(&t.agg, slices.Insert(t.agg.s(), pos, words...))
	t.setCount(s, n+1)
	return true
}

// remove deletes item i of section s.
func (t *Trail) remove(m *mem, s section, i int) {
	pos := t.offset(s) + i*secWidth[s]
	m.words.store(&t.agg, slices.Delete(t.agg.s(), pos, pos+secWidth[s]))
	t.setCount(s, t.count(s)-1)
	if t.agg.n == 1 && *t.head() == 0 {
		m.words.store(&t.agg, nil)
	}
}

// dropWords deletes the items of section s for which drop, given an item's first word, says
// so, in one pass.
func (t *Trail) dropWords(m *mem, s section, drop func(w uint64) bool) {
	n := t.count(s)
	if n == 0 {
		return
	}
	width, off := secWidth[s], t.offset(s)
	agg := t.agg.s()
	words := agg[off : off+n*width]
	kept := 0
	for i := range n {
		item := words[i*width : (i+1)*width]
		if drop(item[0]) {
			continue
		}
		copy(words[kept*width:], item)
		kept++
	}
	if kept == n {
		return
	}
	m.words.store(&t.agg, append(agg[:off+kept*width], agg[off+n*width:]...))
	t.setCount(s, kept)
	if t.agg.n == 1 && *t.head() == 0 {
		m.words.store(&t.agg, nil)
	}
}

// Attempt is one outgoing call: a call_out note, or an outgoing_call event (R6).
type Attempt struct {
	At int64
	// Key is the note id for a note; for an event, the note it names (NoteKey) or the
	// event's hash: a note and the event naming it are one call.
	Key     int64
	Dur     int32
	Status  uint8
	Event   bool
	NoteKey bool
}

func (a Attempt) words() (uint64, uint64) {
	w := uint64(a.At)&atMask | uint64(min(max(a.Dur, 0), 1<<16-1))<<35 | uint64(a.Status)<<51
	if a.Event {
		w |= 1 << 59
	}
	if a.NoteKey {
		w |= 1 << 60
	}
	return w, uint64(a.Key)
}

func attemptOf(w0, w1 uint64) Attempt {
	return Attempt{At: int64(w0 & atMask), Dur: int32(w0 >> 35 & (1<<16 - 1)), Status: uint8(w0 >> 51),
		Event: w0>>59&1 == 1, NoteKey: w0>>60&1 == 1, Key: int64(w1)}
}

// EachAttempt calls f with each outgoing call attempt, by time, until f returns false.
func (t *Trail) EachAttempt(f func(Attempt) bool) {
	ws := t.section(secAttempts)
	for i := 0; i+1 < len(ws); i += 2 {
		if !f(attemptOf(ws[i], ws[i+1])) {
			return
		}
	}
}

// putAttempt inserts or updates an attempt, keeping the earliest MaxAttempts.
func (t *Trail) putAttempt(m *mem, a Attempt) bool {
	w0, w1 := a.words()
	ws := t.section(secAttempts)
	for i := 0; i+1 < len(ws); i += 2 {
		old := attemptOf(ws[i], ws[i+1])
		if old.Key == a.Key && old.Event == a.Event {
			if ws[i] == w0 && ws[i+1] == w1 {
				return false
			}
			t.remove(m, secAttempts, i/2)
			break
		}
	}
	ws = t.section(secAttempts)
	i := 0
	for i < len(ws)/2 && int64(ws[2*i]&atMask) <= a.At {
		i++
	}
	if i >= MaxAttempts {
		return false
	}
	if !t.insert(m, secAttempts, i, w0, w1) {
		return false
	}
	if t.count(secAttempts) > MaxAttempts {
		t.remove(m, secAttempts, t.count(secAttempts)-1)
	}
	return true
}

// putMessage records a written message's time, keeping the latest MaxMessages, distinct.
func (t *Trail) putMessage(m *mem, at int64) bool {
	ws := t.section(secMessages)
	i, found := slices.BinarySearch(ws, uint64(at))
	if found || (i == 0 && len(ws) >= MaxMessages) {
		return false
	}
	t.insert(m, secMessages, i, uint64(at))
	if t.count(secMessages) > MaxMessages {
		t.remove(m, secMessages, 0)
	}
	return true
}

// MessageIn reports whether a written message went out in [from, to]. The trail keeps the
// latest MaxMessages: when they all came after to and the trail is full, an earlier one is
// assumed.
func (t *Trail) MessageIn(from, to int64) bool {
	ws := t.section(secMessages)
	j, _ := slices.BinarySearch(ws, uint64(from))
	return (j < len(ws) && int64(ws[j]) <= to) || (j == 0 && len(ws) >= MaxMessages && int64(ws[0]) > to)
}

// Peak is a call longer than every call before it (R5: the longest call as of any moment).
type Peak struct {
	At   int64
	Note int64
	Dur  int32
}

func (t *Trail) peaks() iter.Seq[Peak] {
	return func(yield func(Peak) bool) {
		ws := t.section(secPeaks)
		for i := 0; i+1 < len(ws); i += 2 {
			if !yield(Peak{At: int64(ws[i] & atMask), Dur: int32(ws[i] >> 35), Note: int64(ws[i+1])}) {
				return
			}
		}
	}
}

// putPeak adds a call to the staircase of record calls: kept when no call at or before it
// (by time, then note id) was at least as long, and dropping the later calls it outlasts.
func (t *Trail) putPeak(m *mem, p Peak) bool {
	p.Dur = min(max(p.Dur, 0), 1<<28)
	before := func(x Peak) bool { return x.At < p.At || (x.At == p.At && x.Note <= p.Note) }
	var keep []Peak
	inserted := false
	for x := range t.peaks() {
		if x == p || (before(x) && x.Dur >= p.Dur) {
			return false
		}
		if !inserted && !before(x) {
			keep = append(keep, p)
			inserted = true
		}
		if inserted && x.Dur <= p.Dur {
			continue // outlasted by p
		}
		keep = append(keep, x)
	}
	if !inserted {
		keep = append(keep, p)
	}
	for t.count(secPeaks) > 0 {
		t.remove(m, secPeaks, 0)
	}
	for i, x := range keep {
		t.insert(m, secPeaks, i, uint64(x.At)&atMask|uint64(x.Dur)<<35, uint64(x.Note))
	}
	return true
}

// LongestBefore returns the longest call at or before the moment (by the staircase): the
// earliest of the longest. ok is false when there was no call.
func (t *Trail) LongestBefore(at int64) (Peak, bool) {
	var best Peak
	ok := false
	for p := range t.peaks() {
		if p.At > at {
			break
		}
		best, ok = p, true
	}
	return best, ok
}

// putEntry records a move into a stage slot, keeping the latest per stage.
func (t *Trail) putEntry(m *mem, at int64, stage int32) bool {
	ws := t.section(secEntered)
	for i, w := range ws {
		if int32(w>>atBits) == stage {
			if int64(w&atMask) >= at {
				return false
			}
			ws[i] = uint64(at)&atMask | uint64(stage)<<atBits
			return true
		}
	}
	return t.insert(m, secEntered, len(ws), uint64(at)&atMask|uint64(stage)<<atBits)
}

// EnteredAt returns when the trail's deal last moved into a stage slot.
func (t *Trail) EnteredAt(stage int32) (int64, bool) {
	for _, w := range t.section(secEntered) {
		if int32(w>>atBits) == stage {
			return int64(w & atMask), true
		}
	}
	return 0, false
}

// putTouch records a quarter-hour with activity of another kind.
func (t *Trail) putTouch(m *mem, q int32) bool {
	ws := t.section(secTouches)
	i, found := slices.BinarySearch(ws, uint64(q))
	if found {
		return false
	}
	return t.insert(m, secTouches, i, uint64(q))
}

// TouchedIn reports whether a touch (activity the trail keeps no item of) falls in [lo, hi):
// quarter-hours, so lo should be on a quarter-hour (a local midnight is).
func (t *Trail) TouchedIn(lo, hi int64) bool {
	ws := t.section(secTouches)
	i, _ := slices.BinarySearch(ws, uint64(lo/900))
	return i < len(ws) && int64(ws[i])*900 < hi
}

// Move is a status change of a deal (R1, R4, R6, the funnel).
type Move struct {
	At       int64
	From, To int32 // stage slots, -1 for unknown
	ByUser   bool  // made by a user, not a robot
}

func (m Move) word() uint64 {
	w := uint64(m.At)&atMask | uint64(m.From+1)&slotMask<<35 | uint64(m.To+1)&slotMask<<49
	if m.ByUser {
		w |= 1 << 63
	}
	return w
}

func moveOf(w uint64) Move {
	return Move{At: int64(w & atMask), From: int32(w>>35&slotMask) - 1, To: int32(w>>49&slotMask) - 1, ByUser: w>>63 == 1}
}

// EachMove calls f with each status move of the window, by time, until f returns false.
func (t *Trail) EachMove(f func(Move) bool) {
	for _, w := range t.section(secMoves) {
		if !f(moveOf(w)) {
			return
		}
	}
}

// putMove records a status move (raw: within the window; an older one only feeds Entered).
func (t *Trail) putMove(mm *mem, m Move, raw bool) bool {
	if !raw {
		return false
	}
	w := m.word()
	ws := t.section(secMoves)
	i := 0
	for i < len(ws) && int64(ws[i]&atMask) <= m.At {
		if ws[i] == w {
			return false
		}
		i++
	}
	return t.insert(mm, secMoves, i, w)
}

// AggWords returns how many words a trail's aggregates take (for measurements).
func (t *Trail) AggWords() int { return t.agg.len() }
