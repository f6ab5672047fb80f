//go:build !linux

package storage

// dontNeed does nothing where the page advice is not available.
func dontNeed(uintptr, int) error { return nil }
