package app

import (
	"math"
	"runtime/debug"
	"testing"
)

func TestSyncMemoryLowersTheLimitWhileFirstSyncsRun(t *testing.T) {
	prev := debug.SetMemoryLimit(100 << 20)
	defer debug.SetMemoryLimit(prev)
	var m syncMemory
	leaveA := m.enter()
	if got := debug.SetMemoryLimit(-1); got != int64(float64(100<<20)*firstSyncLimit) {
		t.Fatalf("during a first sync the limit is %d", got)
	}
	leaveB := m.enter() // a second account's first sync, side by side
	leaveA()
	if got := debug.SetMemoryLimit(-1); got == 100<<20 {
		t.Fatal("the limit came back while a first sync still runs")
	}
	leaveB()
	if got := debug.SetMemoryLimit(-1); got != 100<<20 {
		t.Fatalf("after the first syncs the limit is %d, want it back", got)
	}
	debug.SetMemoryLimit(math.MaxInt64) // no limit: left alone
	var n syncMemory
	n.enter()()
	if got := debug.SetMemoryLimit(-1); got != math.MaxInt64 {
		t.Errorf("a process without a limit got %d", got)
	}
}
