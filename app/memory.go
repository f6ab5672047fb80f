package app

import (
	"math"
	"runtime/debug"
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
