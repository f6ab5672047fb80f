package workset

import (
	"math"
	"unsafe"
)

// vec is a list of the set kept in 16 bytes and no pointer: the address of its block in one of
// the set's pools (pool.go), its length and the block's capacity. The working set holds a dozen
// small lists per deal and its contact (links, fields, raw items, aggregates), about two
// million in a large account; as slices they were a fifth of its memory, and their pointers
// made the collector scan every deal and contact on every cycle (25 of the 30 MB it scanned in
// a large account). As vecs the deal and contact arrays hold no pointer and are never scanned.
//
// A vec does not keep its block alive: the pool does, until the set is re-carved (Recarve),
// which moves every live list to a new pool. So a vec is only ever written through its pool
// (pool.store, carve, release), lives in the set (a deal's, a contact's or a pending trail's),
// and is read (s) while the set holds it. A slice read from a vec is an ordinary slice, valid
// until the set next changes.
type vec[T any] struct {
	p    uintptr
	n, c uint32
}

// vecAt returns a vec of the first n elements of block b, which a pool keeps.
func vecAt[T any](b []T, n int) vec[T] {
	if cap(b) > math.MaxUint32 {
		panic("workset: list too long")
	}
	return vec[T]{p: addr(b), n: uint32(n), c: uint32(cap(b))}
}

// addr returns the address of a block's first element.
func addr[T any](b []T) uintptr { return uintptr(unsafe.Pointer(unsafe.SliceData(b))) }

// ptrAt returns the pointer an address held in a vec stands for. The pool keeps the block alive,
// and Go's heap does not move objects, so the address is still the block's.
func ptrAt(a uintptr) unsafe.Pointer { return *(*unsafe.Pointer)(unsafe.Pointer(&a)) }

// block returns the vec's whole block (its capacity), nil for none.
func (v vec[T]) block() []T {
	if v.p == 0 {
		return nil
	}
	return unsafe.Slice((*T)(ptrAt(v.p)), v.c)
}

// s returns the list the vec holds (nil for none): its block's memory, valid until the set
// next changes.
func (v vec[T]) s() []T {
	if v.p == 0 {
		return nil
	}
	return unsafe.Slice((*T)(ptrAt(v.p)), v.c)[:v.n:v.c]
}

// len returns how many elements the vec holds.
func (v vec[T]) len() int { return int(v.n) }
