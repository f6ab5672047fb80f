//go:build linux

package storage

import (
	"os"

	"golang.org/x/sys/unix"
)

// willNeed starts reading [off, off+n) of f into the page cache and returns without waiting.
func willNeed(f *os.File, off, n int64) error {
	return unix.Fadvise(int(f.Fd()), off, n, unix.FADV_WILLNEED)
}
