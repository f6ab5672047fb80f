//go:build unix

// Package cputime reads the process's CPU time, for the service's per-cycle figures and the
// benchmarks' cpu_ms/op.
package cputime

import (
	"syscall"
	"time"
)

// Process returns the CPU time (user and system) the process has used so far, 0 when the
// system does not say. A cycle's CPU is the difference around it: it counts the collector and
// every other goroutine too, which is what the cycle costs the machine.
func Process() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
