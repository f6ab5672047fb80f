package storage

import (
	"encoding/binary"
	"fmt"
	"os"
	"slices"

	bolt "go.etcd.io/bbolt"
)

// A restart reads the working set's buckets and the ledger's open keys through bbolt's file
// mapping, in key order. Their pages lie all over the file (a sync writes in many small
// transactions, each where the freelist has room), so from a cold page cache (after a reboot,
// or once the kernel has reclaimed an idle service's file pages) the walk waits for one random
// read per page: 30k of them, two seconds, in a large account. Prefetch asks the kernel for
// exactly those pages first, all at once and in file order, so the disk serves them as one deep
// queue of mostly sequential reads while the walk begins. Only those buckets' pages are read:
// the rest of the file (history, outbox, evicted records) stays out of the cache, and so out
// of what the walk's faults map around them.

// bolt's page layout (go.etcd.io/bbolt/internal/common/page.go, unchanged since boltdb): a
// 16-byte header (id u64, flags u16, count u16, overflow u32), then on a branch page count
// elements of (pos u32, ksize u32, pgid u64), in the machine's byte order.
const (
	pageHeaderSize    = 16
	branchElementSize = 16
	branchPageFlag    = 0x01
	leafPageFlag      = 0x02
)

// prefetched are the buckets Prefetch reads ahead: what LoadWorkset and OpenKeys walk.
var prefetched = []string{subWSMeta, subWSDeals, subWSContacts, subWSTasks, subWSPending, subLedgerOpen}

// Prefetch asks the kernel to read into its page cache the pages an account's load walks
// (LoadWorkset, OpenKeys), and returns how many it asked for. It reads only the trees' branch
// pages itself, a level at a time, through its own file descriptor (so they add nothing to the
// process's resident memory), and returns without waiting for the leaves. It is advice: on an
// error the load reads the pages itself, only slower.
func (db *DB) Prefetch(account string) (pages int, err error) {
	f, err := os.Open(db.path)
	if err != nil {
		return 0, fmt.Errorf("prefetch account %s: %w", account, err)
	}
	defer f.Close()
	pageSize := int64(db.bolt.Info().PageSize)
	err = db.bolt.View(func(tx *bolt.Tx) error {
		for _, name := range prefetched {
			b, err := accountBucket(tx, account, name)
			if err != nil || b == nil {
				if err != nil {
					return err
				}
				continue
			}
			n, err := prefetchTree(f, pageSize, uint64(b.Root()))
			pages += n
			if err != nil {
				return fmt.Errorf("bucket %s: %w", name, err)
			}
		}
		return nil
	})
	if err != nil {
		return pages, fmt.Errorf("prefetch account %s: %w", account, err)
	}
	return pages, nil
}

// prefetchTree advises the pages of the tree rooted at page root, level by level: each level
// is asked for at once, then its branch pages are read for the next level's ids, so a
// four-level tree costs four round trips to the disk, not one per page. bolt's trees are
// balanced: once a level's first page is a leaf, the whole level is leaves, and they are left
// to the kernel (their overflow pages, rare for records, are not asked for). root 0 is an
// inline bucket: nothing to read.
func prefetchTree(f *os.File, pageSize int64, root uint64) (int, error) {
	if root == 0 {
		return 0, nil
	}
	buf := make([]byte, pageSize)
	pages := 0
	for level := []uint64{root}; len(level) > 0; {
		for _, r := range runsOf(level) {
			if err := willNeed(f, int64(r.first)*pageSize, int64(r.n)*pageSize); err != nil {
				return pages, err
			}
		}
		pages += len(level)
		var next []uint64
		for i, id := range level {
			if _, err := f.ReadAt(buf, int64(id)*pageSize); err != nil {
				return pages, fmt.Errorf("read page %d: %w", id, err)
			}
			kids, leaf, err := branchChildren(buf, id)
			if err != nil {
				return pages, err
			}
			if leaf {
				if i == 0 {
					break
				}
				continue // not in a balanced tree; the walk reads it anyway
			}
			next = append(next, kids...)
		}
		level = next
	}
	return pages, nil
}

// branchChildren returns the child page ids of branch page p (id: the page's number), or
// leaf true when p is a leaf. Anything else is an error.
func branchChildren(p []byte, id uint64) (kids []uint64, leaf bool, err error) {
	if len(p) < pageHeaderSize {
		return nil, false, fmt.Errorf("page %d: short", id)
	}
	if got := binary.NativeEndian.Uint64(p); got != id {
		return nil, false, fmt.Errorf("page %d: its header says page %d", id, got)
	}
	flags, count := binary.NativeEndian.Uint16(p[8:]), int(binary.NativeEndian.Uint16(p[10:]))
	switch flags {
	case leafPageFlag:
		return nil, true, nil
	case branchPageFlag:
	default:
		return nil, false, fmt.Errorf("page %d: flags %#x, neither a branch nor a leaf", id, flags)
	}
	if binary.NativeEndian.Uint32(p[12:]) != 0 || pageHeaderSize+count*branchElementSize > len(p) {
		return nil, false, fmt.Errorf("branch page %d: %d elements do not fit in it", id, count)
	}
	kids = make([]uint64, count)
	for i := range kids {
		kids[i] = binary.NativeEndian.Uint64(p[pageHeaderSize+i*branchElementSize+8:])
	}
	return kids, false, nil
}

// pageRun is a run of consecutive pages of the file: [first, first+n).
type pageRun struct{ first, n uint64 }

// runsOf returns ids as runs of consecutive pages, in file order.
func runsOf(ids []uint64) []pageRun {
	sorted := slices.Clone(ids)
	slices.Sort(sorted)
	var runs []pageRun
	for _, id := range sorted {
		if n := len(runs); n > 0 && runs[n-1].first+runs[n-1].n >= id {
			runs[n-1].n = max(runs[n-1].n, id-runs[n-1].first+1)
			continue
		}
		runs = append(runs, pageRun{id, 1})
	}
	return runs
}
