package app

import (
	"log/slog"
	"math"
	"runtime/debug"
	"runtime/metrics"
	"sync"
)

// firstSyncLimit is the share of the Go memory limit the process keeps to while an account's
// first full sync runs. A full sync streams pages through a working set that grows to its final
// size, and the collector, allowed the whole limit, lets garbage fill it: the sync would set the
// service's peak RSS. The evaluation that follows needs the room; the sync, bound by the rate
// limit, does not miss the CPU the tighter limit costs.
const firstSyncLimit = 0.82

// syncMemory lowers the runtime's soft memory limit while at least one first sync runs and
// puts it back when the last one ends. A process without a limit (math.MaxInt64) is left
// alone. The zero value is ready.
type syncMemory struct {
	mu     sync.Mutex
	n      int
	before int64
}

// enter notes a first sync starting and returns the func that notes its end.
func (m *syncMemory) enter() func() {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.n == 0 {
		m.before = debug.SetMemoryLimit(-1)
		if m.before != math.MaxInt64 {
			debug.SetMemoryLimit(int64(float64(m.before) * firstSyncLimit))
		}
	}
	m.n++
	return m.leave
}

func (m *syncMemory) leave() {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.n--
	if m.n == 0 && m.before != math.MaxInt64 {
		debug.SetMemoryLimit(m.before)
	}
}

// active reports whether a first sync runs (the limit is lowered then).
func (m *syncMemory) active() bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.n > 0
}

// heapNear is the share of the soft memory limit the live heap may reach before heapWatch
// warns: above it the collector runs more and more often, up to half the CPU.
const heapNear = 0.9

// heapWatch warns, once until the heap falls back under half the limit, when the live heap
// nears the runtime's soft memory limit: the accounts need more than SALESGUARD_MEMORY_LIMIT
// gives them, and nothing else would tell (the limit fails no allocation). The zero value
// reads the runtime's metrics.
type heapWatch struct {
	mu     sync.Mutex
	warned bool
	// read returns the live heap after the last collection and the limit (tests set it).
	read func() (live, limit uint64)
}

// readHeap returns the runtime's live heap after the last collection and its memory limit.
func readHeap() (live, limit uint64) {
	s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}, {Name: "/gc/gomemlimit:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64(), s[1].Value.Uint64()
}

// check looks at the heap after a cycle.
func (w *heapWatch) check(log *slog.Logger) {
	read := w.read
	if read == nil {
		read = readHeap
	}
	live, limit := read()
	if limit == 0 || limit >= math.MaxInt64 {
		return // no limit
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	switch {
	case !w.warned && float64(live) > heapNear*float64(limit):
		w.warned = true
		log.Warn("the working sets need nearly all the memory limit: the collector runs often; raise SALESGUARD_MEMORY_LIMIT",
			"live_heap_mib", live>>20, "limit_mib", limit>>20, "suggested_mib", (live*3/2)>>20)
	case w.warned && live < limit/2:
		w.warned = false
	}
}
