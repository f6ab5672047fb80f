package storage

import (
	"bytes"
	"encoding/json"
	"fmt"
	"runtime"
	"slices"
	"sync"

	bolt "go.etcd.io/bbolt"
)

// bulkChunk is how many entities one parallel task encodes or decodes. Below it the work runs
// on the calling goroutine: an incremental sync stays free of goroutine overhead.
const bulkChunk = 8192

// Blocks of an arena start small, for incremental syncs, and double up to arenaMaxBlock.
const (
	arenaMinBlock = 4 << 10
	arenaMaxBlock = 1 << 20
)

// batch is one entity kind ready for its bucket: keys in ascending order with the JSON of the
// entity under each. Equal keys keep input order, so the last one written wins.
type batch struct {
	name string
	keys [][]byte
	vals [][]byte
}

// keyedItem is an entity's key and its index in the input list.
type keyedItem struct {
	key []byte
	i   int
}

// prepareBatch computes keys, sorts by them and encodes every item as json.Marshal would,
// in parallel chunks. It needs no transaction, so SaveChanges does it before taking the write
// lock. Keys and values are packed into a few large blocks instead of one allocation each.
func prepareBatch[T any](name string, items []T, appendKey func([]byte, *T) []byte) (*batch, error) {
	order := make([]keyedItem, len(items))
	var keys arena
	for i := range items {
		order[i] = keyedItem{key: keys.add(appendKey(keys.tail(), &items[i])), i: i}
	}
	cmp := func(a, b keyedItem) int {
		if c := bytes.Compare(a.key, b.key); c != 0 {
			return c
		}
		return a.i - b.i
	}
	if !slices.IsSortedFunc(order, cmp) {
		slices.SortFunc(order, cmp)
	}
	bt := &batch{name: name, keys: make([][]byte, len(order)), vals: make([][]byte, len(order))}
	for p, o := range order {
		bt.keys[p] = o.key
	}
	err := runChunked(len(order), func(from, to int) error {
		w := &arena{}
		enc := json.NewEncoder(w)
		for p := from; p < to; p++ {
			if err := enc.Encode(&items[order[p].i]); err != nil {
				return fmt.Errorf("encode %s %x: %w", name, order[p].key, err)
			}
			bt.vals[p] = w.last[: len(w.last)-1 : len(w.last)-1] // Encode adds a newline
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return bt, nil
}

// write stores the batch into b, deletes the deleted keys, and with full deletes every stored
// key the batch does not hold. An empty bucket is filled without comparing old values and with
// its pages packed full, since the sorted keys only ever append.
func (bt *batch) write(b *bolt.Bucket, full bool, deleted [][]byte) error {
	k, _ := b.Cursor().First()
	fresh := k == nil
	b.FillPercent = entityFill
	if fresh {
		b.FillPercent = 1.0
	} else if full {
		deleted = append(deleted, missingKeys(b, bt.keys)...)
	}
	for i, key := range bt.keys {
		if fresh {
			if err := b.Put(key, bt.vals[i]); err != nil {
				return fmt.Errorf("%s: put %x: %w", bt.name, key, err)
			}
			continue
		}
		if _, err := putIfChanged(b, key, bt.vals[i]); err != nil {
			return fmt.Errorf("%s: %w", bt.name, err)
		}
	}
	for _, k := range deleted {
		if err := b.Delete(k); err != nil {
			return fmt.Errorf("delete from %s: %w", bt.name, err)
		}
	}
	return nil
}

// missingKeys returns copies of the keys of b that are not in sorted, walking both in order.
func missingKeys(b *bolt.Bucket, sorted [][]byte) [][]byte {
	var drop [][]byte
	j := 0
	c := b.Cursor()
	for k, _ := c.First(); k != nil; k, _ = c.Next() {
		for j < len(sorted) && bytes.Compare(sorted[j], k) < 0 {
			j++
		}
		if j == len(sorted) || !bytes.Equal(sorted[j], k) {
			drop = append(drop, clone(k))
		}
	}
	return drop
}

// loadBucket decodes every value of b into a new slice, in key order, in parallel chunks. The
// values are read from bbolt memory, so it must finish inside the transaction; decoding copies.
func loadBucket[T any](b *bolt.Bucket, name string, out *[]T) error {
	if b == nil {
		return nil
	}
	vals := make([][]byte, 0, b.Stats().KeyN)
	c := b.Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		vals = append(vals, v)
	}
	list := make([]T, len(vals))
	err := runChunked(len(vals), func(from, to int) error {
		for i := from; i < to; i++ {
			if err := json.Unmarshal(vals[i], &list[i]); err != nil {
				return fmt.Errorf("decode %s %q: %w", name, nthKey(b, i), err)
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	*out = list
	return nil
}

// nthKey returns the i-th key of b, for an error message.
func nthKey(b *bolt.Bucket, i int) []byte {
	c := b.Cursor()
	k, _ := c.First()
	for ; k != nil && i > 0; i-- {
		k, _ = c.Next()
	}
	return k
}

// runChunked calls fn over [0, n) in chunks of bulkChunk, on up to GOMAXPROCS goroutines, and
// returns the error of the first failed chunk.
func runChunked(n int, fn func(from, to int) error) error {
	chunks := (n + bulkChunk - 1) / bulkChunk
	if chunks <= 1 {
		return fn(0, n)
	}
	errs := make([]error, chunks)
	next := make(chan int, chunks)
	for c := range chunks {
		next <- c
	}
	close(next)
	var wg sync.WaitGroup
	for range min(chunks, runtime.GOMAXPROCS(0)) {
		wg.Go(func() {
			for c := range next {
				errs[c] = fn(c*bulkChunk, min(n, (c+1)*bulkChunk))
			}
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// arena packs byte strings into large blocks. Handed-out slices are capped at their length, so
// they never overlap, and stay valid as long as they are referenced (bbolt keeps put values
// until commit). It is an io.Writer: every Write becomes one slice, kept in last.
type arena struct {
	block []byte
	last  []byte
}

// tail returns an empty slice at the free end of the current block, to append one value to.
func (a *arena) tail() []byte { return a.block[len(a.block):] }

// add stores p, which may have been appended to tail(), and returns the stored copy.
func (a *arena) add(p []byte) []byte {
	n := len(a.block)
	if len(p) <= cap(a.block)-n && len(p) > 0 && &p[0] == &a.block[:n+1][n] {
		a.block = a.block[:n+len(p)] // appended in place
	} else {
		if len(p) > cap(a.block)-n {
			a.block = make([]byte, 0, max(min(2*cap(a.block), arenaMaxBlock), arenaMinBlock, len(p)))
			n = 0
		}
		a.block = append(a.block, p...)
	}
	a.last = a.block[n : n+len(p) : n+len(p)]
	return a.last
}

// Write stores p as one value.
func (a *arena) Write(p []byte) (int, error) {
	a.add(p)
	return len(p), nil
}
