package app

import (
	"bytes"
	"log/slog"
	"math"
	"runtime/debug"
	"strings"
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

// TestHeapWatchWarnsOnce: a live heap above 90 % of the limit is told once, again only after
// it fell under half of it; no limit, no warning.
func TestHeapWatchWarnsOnce(t *testing.T) {
	var buf bytes.Buffer
	log := slog.New(slog.NewTextHandler(&buf, nil))
	live, limit := uint64(80<<20), uint64(100<<20)
	w := heapWatch{read: func() (uint64, uint64) { return live, limit }}
	warnings := func() int { return strings.Count(buf.String(), "raise SALESGUARD_MEMORY_LIMIT") }
	for _, step := range []struct {
		live, limit uint64
		want        int
	}{
		{80 << 20, 100 << 20, 0},
		{95 << 20, 100 << 20, 1},
		{99 << 20, 100 << 20, 1}, // told already
		{60 << 20, 100 << 20, 1}, // not under half yet
		{40 << 20, 100 << 20, 1},
		{96 << 20, 100 << 20, 2}, // grew again
		{1 << 40, math.MaxInt64, 2},
	} {
		live, limit = step.live, step.limit
		w.check(log)
		if got := warnings(); got != step.want {
			t.Fatalf("live %d MiB of %d: %d warnings, want %d\n%s", live>>20, limit>>20, got, step.want, buf.String())
		}
	}
	if !strings.Contains(buf.String(), "suggested_mib=144") {
		t.Errorf("the warning suggests no limit: %s", buf.String())
	}
}
