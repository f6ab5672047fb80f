//go:build !linux

package storage

// dontNeed does nothing where the page advice is not available.
func dontNeed(uintptr, int) error { return nil }

// residentFile is not known here: ReleaseGrown releases every time (which does nothing).
func residentFile() (int64, bool) { return 0, false }
