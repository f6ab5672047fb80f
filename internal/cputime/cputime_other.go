//go:build !unix

// Package cputime reads the process's CPU time, for the service's per-cycle figures and the
// benchmarks' cpu_ms/op.
package cputime

import "time"

// Process is not measured on this system: it returns 0.
func Process() time.Duration { return 0 }
