//go:build !linux

package storage

import "os"

// willNeed does nothing where the kernel takes no read-ahead advice.
func willNeed(*os.File, int64, int64) error { return nil }
