package workset

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestPoolStore grows a list one element at a time, shrinks it, and moves it: the list is
// always what was stored, a list that fits stays in its block, a block left is reused by the
// next list of its class, and a list longer than the largest class is a block of its own.
func TestPoolStore(t *testing.T) {
	p := &pool[int32]{}
	var v vec[int32]
	var want []int32
	for i := range int32(maxClassLen + 300) {
		before := v
		want = append(want, i)
		p.store(&v, append(v.s(), i))
		if !slices.Equal(v.s(), want) {
			t.Fatalf("after %d appends the list is %v", i+1, v.s()[:min(8, v.len())])
		}
		if before.p != 0 && int(before.c) > int(i) && v.p != before.p {
			t.Fatalf("append %d moved a list that fitted its block (cap %d)", i+1, before.c)
		}
	}
	if _, ok := p.big[v.p]; !ok || len(p.big) != 1 {
		t.Fatalf("a list of %d is not a block of its own: %d big blocks", v.len(), len(p.big))
	}
	p.store(&v, v.s()[:5]) // shrinks in place
	if !slices.Equal(v.s(), want[:5]) || v.c <= maxClassLen {
		t.Fatalf("shrunk to %v (cap %d)", v.s(), v.c)
	}
	p.fit(&v) // gives the big block back for a class-8 one
	if !slices.Equal(v.s(), want[:5]) || v.c != 8 || len(p.big) != 0 {
		t.Fatalf("fitted to %v (cap %d), %d big blocks left", v.s(), v.c, len(p.big))
	}
	old := v.p
	var w vec[int32]
	p.store(&v, nil)
	p.store(&w, []int32{7, 8, 9, 10, 11, 12})
	if w.p != old || !slices.Equal(w.s(), []int32{7, 8, 9, 10, 11, 12}) || v.p != 0 {
		t.Fatalf("the released block of class 8 was not reused: %#x, want %#x", w.p, old)
	}
	p.store(&w, w.s()[2:4]) // a part of its own block, moved to its start
	if !slices.Equal(w.s(), []int32{9, 10}) || w.p != old {
		t.Fatalf("stored a part of its own block: %v", w.s())
	}
}

// TestPoolRandomLists keeps many lists of one pool through random stores, growths, cuts and
// releases, and checks after each step that every list holds what was stored and that no two
// lists, or a list and a spare block, share memory.
func TestPoolRandomLists(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	p := &pool[uint64]{}
	vs := make([]vec[uint64], 200)
	want := make([][]uint64, len(vs))
	for step := range 20000 {
		i := r.IntN(len(vs))
		switch k := r.IntN(10); {
		case k < 5: // insert somewhere
			n := r.IntN(4) + 1
			at := r.IntN(len(want[i]) + 1)
			words := make([]uint64, n)
			for j := range words {
				words[j] = r.Uint64()
			}
			want[i] = slices.Insert(slices.Clone(want[i]), at, words...)
			p.store(&vs[i], slices.Insert(vs[i].s(), at, words...))
		case k < 7 && len(want[i]) > 0: // delete a run
			lo := r.IntN(len(want[i]))
			hi := lo + r.IntN(len(want[i])-lo) + 1
			want[i] = slices.Delete(slices.Clone(want[i]), lo, hi)
			p.store(&vs[i], slices.Delete(vs[i].s(), lo, hi))
		case k < 8:
			p.fit(&vs[i])
		case k < 9: // a list replaced by another (a deal read again)
			n := r.IntN(3000)
			if r.IntN(4) != 0 {
				n %= 40
			}
			next := make([]uint64, n)
			for j := range next {
				next[j] = r.Uint64()
			}
			want[i] = next
			p.store(&vs[i], next)
		default:
			p.release(vs[i])
			vs[i], want[i] = vec[uint64]{}, nil
		}
		if !slices.Equal(vs[i].s(), want[i]) {
			t.Fatalf("step %d: list %d holds %d words, want %d", step, i, vs[i].len(), len(want[i]))
		}
		if step%500 == 0 || step == 19999 {
			var used []span
			for j := range vs {
				used = spanOf(used, vs[j])
				if !slices.Equal(vs[j].s(), want[j]) {
					t.Fatalf("step %d: list %d changed under another's store", step, j)
				}
			}
			if err := checkPool("words", p, used); err != nil {
				t.Fatalf("step %d: %v", step, err)
			}
		}
	}
}
