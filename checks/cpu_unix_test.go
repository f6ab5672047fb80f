//go:build unix

package checks

import (
	"syscall"
	"time"
)

// processCPU returns the CPU time (user and system) the process has used so far, 0 when the
// system does not say: a benchmark reports the difference around its loop per op (every
// goroutine's and the collector's).
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
