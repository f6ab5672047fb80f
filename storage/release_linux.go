//go:build linux

package storage

import "golang.org/x/sys/unix"

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
