//go:build !unix

package checks

import "time"

// processCPU is 0 where the system does not say (see cpu_unix_test.go).
func processCPU() time.Duration { return 0 }
