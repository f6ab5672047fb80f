package workset

import (
	"math/bits"
	"unsafe"

	"salesguard/amo"
)

// pool keeps the memory of a set's lists of one element type (vec.go): blocks carved from
// large chunks, reused when a list moves to a larger block or goes. A list is carved to its
// length when the set is loaded or re-carved (carve); a list that changes later gets a block
// of a power-of-two class (store), and the block it leaves is filed as spare for the next list
// of that class. A list of more than the largest class is an allocation of its own (big).
//
// The chunks live as long as the pool: Recarve moves every live list into a new pool and lets
// the old one go, which gives back what spare blocks and the ends of chunks hold. Chunks and
// spare lists hold no pointer (the element types have none), so the collector marks a pool's
// few hundred objects without scanning them.
type pool[T any] struct {
	chunks [][]T
	rest   []T                    // the unused end of the newest chunk
	spare  [poolClasses][]uintptr // spare blocks by class: class k holds 1<<k elements
	big    map[uintptr][]T        // lists longer than the largest class, by address
}

const (
	// poolClasses is how many block classes a pool has: 1 … 1024 elements.
	poolClasses = 11
	// poolChunk is how many elements a chunk holds.
	poolChunk = 1 << 14
)

// maxClassLen is the longest list a class block holds.
const maxClassLen = 1 << (poolClasses - 1)

// bump returns n elements from the newest chunk, starting a chunk when they do not fit (the
// old chunk's end is filed as spare blocks).
func (p *pool[T]) bump(n int) []T {
	if len(p.rest) < n {
		p.spareRest()
		p.rest = make([]T, poolChunk)
		p.chunks = append(p.chunks, p.rest)
	}
	b := p.rest[:n:n]
	p.rest = p.rest[n:]
	return b
}

// spareRest files the unused end of the newest chunk as spare blocks, largest first.
func (p *pool[T]) spareRest() {
	for len(p.rest) > 0 {
		k := min(bits.Len(uint(len(p.rest)))-1, poolClasses-1)
		p.spare[k] = append(p.spare[k], addr(p.rest))
		p.rest = p.rest[1<<k:]
	}
	p.rest = nil
}

// own returns a block of n elements of its own, kept in big.
func (p *pool[T]) own(n int) []T {
	b := make([]T, n)
	if p.big == nil {
		p.big = map[uintptr][]T{}
	}
	p.big[addr(b)] = b
	return b
}

// classOf returns the smallest class holding n elements (n ≤ maxClassLen).
func classOf(n int) int { return bits.Len(uint(n - 1)) }

// alloc returns a block of at least n elements: a spare one of n's class, else a new one.
// Its contents are undefined.
func (p *pool[T]) alloc(n int) []T {
	if n > maxClassLen {
		return p.own(n + n/4)
	}
	k := classOf(n)
	if m := len(p.spare[k]); m > 0 {
		a := p.spare[k][m-1]
		p.spare[k] = p.spare[k][:m-1]
		return unsafe.Slice((*T)(ptrAt(a)), 1<<k)
	}
	return p.bump(1 << k)
}

// release gives a vec's block back to the pool. The vec must not be read again.
func (p *pool[T]) release(v vec[T]) {
	switch {
	case v.p == 0:
	case v.c > maxClassLen:
		delete(p.big, v.p)
	default:
		k := bits.Len(uint(v.c)) - 1 // a carved block of any length holds its class's floor
		p.spare[k] = append(p.spare[k], v.p)
	}
}

// carve returns a vec holding a copy of s in a block of its own length (a load, a recarve).
func (p *pool[T]) carve(s []T) vec[T] {
	if len(s) == 0 {
		return vec[T]{}
	}
	b := p.carveLen(len(s))
	copy(b, s)
	return vecAt(b, len(s))
}

// carveLen returns a block of exactly n elements (n > 0), to be filled and held by a vec.
func (p *pool[T]) carveLen(n int) []T {
	if n > maxClassLen {
		return p.own(n)
	}
	return p.bump(n)
}

// store makes v hold s. s may be v's own block changed in place (an insert or a delete that
// fit), or any other slice, which is copied: into v's block when it fits, else into a block
// of s's class, and v's old block is given back.
func (p *pool[T]) store(v *vec[T], s []T) {
	if len(s) == 0 {
		p.release(*v)
		*v = vec[T]{}
		return
	}
	if v.p != 0 && len(s) <= int(v.c) {
		if addr(s) != v.p {
			copy(v.block(), s) // a memmove: s may be a part of the block
		}
		v.n = uint32(len(s))
		return
	}
	b := p.alloc(len(s))
	copy(b, s)
	p.release(*v)
	*v = vecAt(b, len(s))
}

// grow makes room in v's block for extra more elements, moving the list to a block of a larger
// class when it is full, so that an insert or an append that follows works in place (no
// allocation on the collector's heap, no second copy).
func (p *pool[T]) grow(v *vec[T], extra int) {
	n := int(v.n) + extra
	if n <= int(v.c) {
		return
	}
	b := p.alloc(n)
	copy(b, v.s())
	p.release(*v)
	*v = vecAt(b, int(v.n))
}

// push appends x to v, in place when its block has room.
func (p *pool[T]) push(v *vec[T], x T) {
	p.grow(v, 1)
	p.store(v, append(v.s(), x))
}

// fit moves v to a smaller block when its block could hold twice as many elements (a trimmed
// list gives back what growing left).
func (p *pool[T]) fit(v *vec[T]) {
	if v.n == 0 {
		p.release(*v)
		*v = vec[T]{}
		return
	}
	if v.c < 2*v.n || v.c <= 1 {
		return
	}
	b := p.alloc(int(v.n))
	if cap(b) >= int(v.c) { // no smaller class holds it
		p.release(vecAt(b, 0))
		return
	}
	copy(b, v.s())
	p.release(*v)
	*v = vecAt(b, int(v.n))
}

// reset empties the pool for reuse (a scratch pool): every block becomes free again.
func (p *pool[T]) reset() {
	for k := range p.spare {
		p.spare[k] = p.spare[k][:0]
	}
	clear(p.big)
	if len(p.chunks) > 0 {
		p.chunks = p.chunks[:1]
		p.rest = p.chunks[0]
	}
}

// mem is a set's memory for lists: a pool per element type, and the text arena the raw items'
// texts are in. The trails' writers take it.
type mem struct {
	acts     *pool[Act]
	words    *pool[uint64]
	leads    *pool[amo.LeadID]
	contacts *pool[amo.ContactID]
	fields   *pool[amo.FieldID]
	links    *pool[int32]
	texts    *textArena
}

// newMem returns empty pools using the text arena texts.
func newMem(texts *textArena) mem {
	return mem{&pool[Act]{}, &pool[uint64]{}, &pool[amo.LeadID]{}, &pool[amo.ContactID]{},
		&pool[amo.FieldID]{}, &pool[int32]{}, texts}
}

// releaseTrail gives back a trail's blocks; the trail is left empty.
func (m *mem) releaseTrail(t *Trail) {
	m.acts.release(t.acts)
	m.words.release(t.agg)
	t.acts, t.agg = vec[Act]{}, vec[uint64]{}
}

// carveTrail moves a trail's lists into m, in blocks of their own length.
func (m *mem) carveTrail(t *Trail) {
	t.acts = m.acts.carve(t.acts.s())
	t.agg = m.words.carve(t.agg.s())
}
