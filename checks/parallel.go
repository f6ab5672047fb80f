package checks

import (
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// Evaluating every deal (a first cycle, a restart, a settings change, the reference path) is
// split in chunks of deals evaluated on every core; the results are handed over in order, so
// the outcome is the same as one loop's. Each worker reads the working set and the input's
// shared parts (they are not written during an evaluation) and has its own scratch space.
const chunkDeals = 512 // deals per chunk

// parallelFloor is the fewest deals evaluated on several cores (tests lower it).
var parallelFloor = 4096

// dealResult is one deal's findings and wake-up time, within its chunk's findings.
type dealResult struct {
	slot     int32
	from, to int32 // the deal's findings: chunk.fs[from:to]
	wake     time.Time
}

// chunk is the evaluation of a run of deals.
type chunk struct {
	fs    []Finding
	deals []dealResult
	done  chan struct{}
}

// forWorker returns a copy of in for one more goroutine: the shared parts are built first and
// shared, the scratch space is its own.
func (in *Input) forWorker() *Input {
	w := *in
	w.buf, w.spare, w.dv = nil, nil, view{}
	return &w
}

// prepareShared builds what the rules build lazily on first use, so workers only read it.
func (in *Input) prepareShared() {
	in.trivial()
	in.fields()
}

// findingBufs holds the chunks' findings arrays that callers of forDeals gave back (see
// lent): a full evaluation hands over as many findings as it keeps, and a second set of that
// size for every evaluation is what the garbage collector would otherwise have to reclaim.
var findingBufs sync.Pool // of *[]Finding

// lent collects the findings arrays forDeals lends to a caller that copies the findings out
// before it lets go of them (EvaluateMask): giveBack returns them for the next evaluation.
type lent struct{ bufs []*[]Finding }

// takeBuf returns an empty findings array of the pool, or nil.
func takeBuf() []Finding {
	if b, ok := findingBufs.Get().(*[]Finding); ok {
		return (*b)[:0]
	}
	return nil
}

// giveBack returns the arrays; the findings read from them must not be used afterwards.
func (l *lent) giveBack() {
	for _, b := range l.bufs {
		findingBufs.Put(b)
	}
	l.bufs = nil
}

// forDeals evaluates the deals in slots with the rules of m and calls f with each deal's
// findings and wake-up time, in the order of slots. The findings are never written again by
// forDeals: f may keep them; with l, only until l.giveBack. An error from f stops the
// evaluation and is returned.
func forDeals(in *Input, m ruleMask, slots []int32, l *lent, f func(slot int32, fs []Finding, wake time.Time) error) error {
	workers := runtime.GOMAXPROCS(0)
	if workers < 2 || len(slots) < parallelFloor {
		o := &out{now: in.Now}
		for _, slot := range slots {
			o.fs, o.wake = o.fs[len(o.fs):], time.Time{} // after the last deal's: f may keep them
			evalDeal(in, slot, m, o)
			if err := f(slot, o.fs, o.wake); err != nil {
				return err
			}
		}
		return nil
	}
	in.prepareShared()
	n := (len(slots) + chunkDeals - 1) / chunkDeals
	chunks := make([]chunk, n)
	for i := range chunks {
		chunks[i].done = make(chan struct{})
	}
	var next atomic.Int64
	var stop atomic.Bool
	// ahead bounds the chunks evaluated and not consumed yet: a worker takes a token before it
	// claims a chunk, the consumer gives one back per chunk consumed. Chunks are claimed in
	// order, so the chunk the consumer waits for is always claimed.
	ahead := make(chan struct{}, 2*workers)
	quit := make(chan struct{})
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			win := in.forWorker()
			o := &out{now: in.Now} // o.fs: this worker's scratch, the findings of one chunk
			for {
				select {
				case ahead <- struct{}{}:
				case <-quit:
					return
				}
				c := int(next.Add(1)) - 1
				if c >= n || stop.Load() {
					return
				}
				ch := &chunks[c]
				part := slots[c*chunkDeals : min((c+1)*chunkDeals, len(slots))]
				ch.deals = make([]dealResult, 0, len(part))
				if l != nil { // the chunk keeps the scratch, the next takes another
					if o.fs = takeBuf(); o.fs == nil {
						o.fs = make([]Finding, 0, 2*len(part))
					}
				}
				o.fs = o.fs[:0]
				for _, slot := range part { // rules only append: each deal's findings follow the last's
					from := int32(len(o.fs))
					o.wake = time.Time{}
					evalDeal(win, slot, m, o)
					ch.deals = append(ch.deals, dealResult{slot: slot, from: from, to: int32(len(o.fs)), wake: o.wake})
				}
				if l != nil {
					ch.fs = o.fs
				} else { // findings are large: the chunk keeps a copy of their size
					ch.fs = slices.Clone(o.fs)
				}
				close(ch.done)
			}
		}()
	}
	var err error
	for c := range chunks {
		<-chunks[c].done
		ch := &chunks[c]
		for _, d := range ch.deals {
			if err = f(d.slot, ch.fs[d.from:d.to:d.to], d.wake); err != nil {
				break
			}
		}
		if l != nil && cap(ch.fs) > 0 {
			b := ch.fs
			l.bufs = append(l.bufs, &b)
		}
		chunks[c] = chunk{}
		<-ahead
		if err != nil {
			stop.Store(true)
			close(quit)
			break
		}
	}
	wg.Wait()
	return err
}
