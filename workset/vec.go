package workset

import (
	"math"
	"unsafe"
)

// vec is a slice kept in 16 bytes instead of 24: a pointer to its first element and 32-bit
// length and capacity. The working set holds a dozen small lists per deal and its contact
// (links, fields, raw items, aggregates), about two million in a large account, and their
// headers were a fifth of its memory. A vec is read as a slice (s) and written from one
// (set); the pointer always points at the start of the backing array, so the collector keeps
// it whole.
type vec[T any] struct {
	p    *T
	n, c uint32
}

// vecOf returns a vec holding s (sharing its memory). An empty s gives the zero vec.
func vecOf[T any](s []T) vec[T] {
	if cap(s) == 0 {
		return vec[T]{}
	}
	if cap(s) > math.MaxUint32 {
		panic("workset: list too long")
	}
	return vec[T]{p: unsafe.SliceData(s[:1]), n: uint32(len(s)), c: uint32(cap(s))}
}

// s returns the slice the vec holds (sharing its memory; nil for none).
func (v vec[T]) s() []T {
	if v.p == nil {
		return nil
	}
	return unsafe.Slice(v.p, v.c)[:v.n]
}

// set makes the vec hold s.
func (v *vec[T]) set(s []T) { *v = vecOf(s) }

// len returns how many elements the vec holds.
func (v vec[T]) len() int { return int(v.n) }
