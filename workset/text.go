package workset

import (
	"hash/maphash"
	"math"
	"unsafe"
)

// strRef is a string kept in a set's text arena: where its bytes start and how many.
type strRef struct{ off, n uint32 }

// textArena keeps the tasks' texts and results and the raw items' texts (a common note's,
// a call's recording link) as bytes of one array, referred to by offset. Held as strings they
// were a pointer in each of 120k items and two in each of 100k tasks for the collector to
// follow on every collection; as refs neither array holds a pointer and neither is scanned.
// Bytes once written are never written again (append copies into a new array when it grows,
// and leaves the old one as it was), so a string read from the arena stays valid and
// immutable. What nothing refers to any more (an edited note, a dropped task) stays until
// Recarve builds a new arena. Task texts are kept once, found by their hash (put); notes'
// texts, seldom repeated, are appended (add).
type textArena struct {
	b    []byte
	at   map[uint64]strRef // hash of a text → where it is; at most maxTexts
	seed maphash.Seed
}

// maxTexts is how many distinct texts the arena remembers to store each once; more are
// stored every time (an account with that many distinct task texts has few repeats).
const maxTexts = 1 << 17

func newTextArena() textArena {
	return textArena{at: map[uint64]strRef{}, seed: maphash.MakeSeed()}
}

// str returns the string r refers to ("" for the zero ref).
func (a *textArena) str(r strRef) string {
	if r.n == 0 {
		return ""
	}
	return unsafe.String(&a.b[r.off], int(r.n))
}

// put stores v (once: an equal text put before is reused) and returns its ref.
func (a *textArena) put(v string) strRef {
	if v == "" {
		return strRef{}
	}
	h := maphash.String(a.seed, v)
	if r, ok := a.at[h]; ok && a.str(r) == v {
		return r
	}
	r := a.add(v)
	if len(a.at) < maxTexts {
		a.at[h] = r
	}
	return r
}

// add stores v without looking for an equal text (notes' texts and recording links are
// seldom repeated: remembering them would only grow the map).
func (a *textArena) add(v string) strRef {
	if v == "" {
		return strRef{}
	}
	if len(a.b)+len(v) > math.MaxUint32 {
		panic("workset: texts over 4 GiB")
	}
	r := strRef{off: uint32(len(a.b)), n: uint32(len(v))}
	a.b = append(a.b, v...)
	return r
}

// addBytes is add of a decoded text.
func (a *textArena) addBytes(b []byte) strRef {
	return a.add(unsafe.String(unsafe.SliceData(b), len(b)))
}

// putBytes is put of a decoded text.
func (a *textArena) putBytes(b []byte) strRef {
	return a.put(unsafe.String(unsafe.SliceData(b), len(b)))
}

// reput returns old when it already holds v, else v stored.
func (a *textArena) reput(old strRef, v string) strRef {
	if a.str(old) == v {
		return old
	}
	return a.put(v)
}

// readd returns old when it already holds v, else v added.
func (a *textArena) readd(old strRef, v string) strRef {
	if a.str(old) == v {
		return old
	}
	return a.add(v)
}

// TaskText returns the task's text.
func (s *Set) TaskText(t *Task) string { return s.texts.str(t.text) }

// TaskResult returns the result a completed task was closed with.
func (s *Set) TaskResult(t *Task) string { return s.texts.str(t.result) }

// DealName returns the deal's name.
func (s *Set) DealName(d *Deal) string { return s.texts.str(d.name) }

// ActText returns a common note's text, or a call's recording link ("" for other items).
func (s *Set) ActText(a *Act) string { return s.texts.str(a.str) }

// recarveTexts moves the texts of the live tasks and of every raw item (deals', contacts' and
// pending trails') into a new arena, leaving behind what nothing refers to.
func (s *Set) recarveTexts() {
	fresh := newTextArena()
	for i := range s.tasks {
		if t := &s.tasks[i]; t.live {
			t.text, t.result = fresh.put(s.texts.str(t.text)), fresh.put(s.texts.str(t.result))
		}
	}
	for i := range s.deals {
		if d := &s.deals[i]; d.live {
			d.name = fresh.add(s.texts.str(d.name))
		}
	}
	moveActs := func(t *Trail) {
		acts := t.acts.s()
		for i := range acts {
			acts[i].str = fresh.add(s.texts.str(acts[i].str))
		}
	}
	for i := range s.deals {
		if d := &s.deals[i]; d.live {
			moveActs(&d.Trail)
		}
	}
	for i := range s.contacts {
		if c := &s.contacts[i]; c.live {
			moveActs(&c.Trail)
		}
	}
	for _, t := range s.pending {
		moveActs(t)
	}
	fresh.trim()
	s.texts = fresh
}

// trim moves the arena to an array of its own length (appends leave up to half of it spare).
// Refs stay valid: offsets do not change.
func (a *textArena) trim() {
	if cap(a.b)-len(a.b) > len(a.b)/8 {
		a.b = append(make([]byte, 0, len(a.b)), a.b...)
	}
}
