//go:build linux

package storage

import (
	"bytes"
	"os"
	"strconv"

	"golang.org/x/sys/unix"
)

// dontNeed advises the kernel that the mapped range [data, data+size) is not needed now (the
// range is bbolt's read-only file mapping: the pages are re-read from the page cache).
func dontNeed(data uintptr, size int) error {
	if data == 0 || size <= 0 {
		return nil
	}
	if _, _, errno := unix.Syscall(unix.SYS_MADVISE, data, uintptr(size), unix.MADV_DONTNEED); errno != 0 {
		return errno
	}
	return nil
}

// residentFile returns the process's resident memory backed by files (and shared memory):
// the third field of /proc/self/statm, in pages.
func residentFile() (int64, bool) {
	b, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		return 0, false
	}
	f := bytes.Fields(b)
	if len(f) < 3 {
		return 0, false
	}
	pages, err := strconv.ParseInt(string(f[2]), 10, 64)
	if err != nil {
		return 0, false
	}
	return pages * int64(os.Getpagesize()), true
}
