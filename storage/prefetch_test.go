package storage

import (
	"bytes"
	"encoding/binary"
	"os"
	"strings"
	"testing"

	bolt "go.etcd.io/bbolt"

	"salesguard/workset"
)

// fillRecords saves n deal and n task records of size bytes to account, in pages of 500 (as a
// sync does), and returns the database.
func fillRecords(t *testing.T, account string, n, size int) *DB {
	t.Helper()
	db := mustOpen(t)
	data := bytes.Repeat([]byte{7}, size)
	for start := 0; start < n; start += 500 {
		var recs []Record
		for id := start; id < min(n, start+500); id++ {
			recs = append(recs, Record{Kind: workset.RecDeal, ID: int64(id + 1), Op: workset.OpPut, Data: data},
				Record{Kind: workset.RecTask, ID: int64(id + 1), Op: workset.OpPut, Data: data})
		}
		if err := db.SavePage(account, recs, nil, nil, nil); err != nil {
			t.Fatal(err)
		}
	}
	return db
}

// treePages counts the branch and leaf pages of the account's prefetched buckets, as bolt
// itself sees them.
func treePages(t *testing.T, db *DB, account string) (pages int, roots map[string]uint64) {
	t.Helper()
	roots = map[string]uint64{}
	err := db.bolt.View(func(tx *bolt.Tx) error {
		for _, name := range prefetched {
			b, err := accountBucket(tx, account, name)
			if err != nil || b == nil {
				continue
			}
			s := b.Stats()
			pages += s.BranchPageN + s.LeafPageN
			roots[name] = uint64(b.Root())
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return pages, roots
}

// TestPrefetchAsksForEveryPageOfTheWalk: the pages read ahead are the trees' branches and
// leaves (no overflow at this record size), and the data is unchanged after it.
func TestPrefetchAsksForEveryPageOfTheWalk(t *testing.T) {
	db := fillRecords(t, "main", 20000, 120)
	want, roots := treePages(t, db, "main")
	if roots[subWSDeals] == 0 || want < 100 {
		t.Fatalf("the test account is too small to have a tree: %d pages, roots %v", want, roots)
	}
	got, err := db.Prefetch("main")
	if err != nil || got != want {
		t.Fatalf("Prefetch = %d pages, %v; want %d (bolt's branch and leaf pages), nil", got, err, want)
	}
	if n, err := db.Prefetch("nobody"); err != nil || n != 0 {
		t.Errorf("Prefetch of an account with no data = %d, %v; want 0, nil", n, err)
	}
	ws := &countingLoader{}
	if _, err := db.LoadWorkset("main", ws); err != nil || ws.n != 40000 {
		t.Fatalf("load after the prefetch: %d records, %v; want 40000", ws.n, err)
	}
}

// TestPrefetchNamesABadPage: a branch page that is not one is an error naming its bucket and
// page, not a panic or a read of garbage ids.
func TestPrefetchNamesABadPage(t *testing.T) {
	db := fillRecords(t, "main", 20000, 120)
	_, roots := treePages(t, db, "main")
	root := roots[subWSDeals]
	f, err := os.OpenFile(db.path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	flags := make([]byte, 2)
	binary.NativeEndian.PutUint16(flags, 0x99)
	if _, err := f.WriteAt(flags, int64(root)*int64(db.bolt.Info().PageSize)+8); err != nil {
		t.Fatal(err)
	}
	_, err = db.Prefetch("main")
	if err == nil || !strings.Contains(err.Error(), subWSDeals) || !strings.Contains(err.Error(), "flags 0x99") {
		t.Fatalf("Prefetch of a bad page: %v; want an error naming %s and the flags", err, subWSDeals)
	}
}

// TestRunsOf sorts page ids and merges neighbours.
func TestRunsOf(t *testing.T) {
	for _, tc := range []struct {
		ids  []uint64
		want []pageRun
	}{
		{nil, nil},
		{[]uint64{5}, []pageRun{{5, 1}}},
		{[]uint64{7, 5, 6, 9, 9, 2}, []pageRun{{2, 1}, {5, 3}, {9, 1}}},
	} {
		got := runsOf(tc.ids)
		if len(got) != len(tc.want) {
			t.Errorf("runsOf(%v) = %v, want %v", tc.ids, got, tc.want)
			continue
		}
		for i := range got {
			if got[i] != tc.want[i] {
				t.Errorf("runsOf(%v) = %v, want %v", tc.ids, got, tc.want)
				break
			}
		}
	}
}

// branchPage builds a page of the given flags with child ids (for a branch).
func branchPage(id uint64, flags uint16, kids ...uint64) []byte {
	p := make([]byte, 4096)
	binary.NativeEndian.PutUint64(p, id)
	binary.NativeEndian.PutUint16(p[8:], flags)
	binary.NativeEndian.PutUint16(p[10:], uint16(len(kids)))
	for i, k := range kids {
		binary.NativeEndian.PutUint64(p[pageHeaderSize+i*branchElementSize+8:], k)
	}
	return p
}

// FuzzBranchChildren: any page bytes give children, a leaf or an error, never a panic, and
// never more children than fit in the page.
func FuzzBranchChildren(f *testing.F) {
	f.Add(branchPage(3, branchPageFlag, 10, 11, 12), uint64(3))
	f.Add(branchPage(4, leafPageFlag), uint64(4))
	f.Add(branchPage(4, branchPageFlag, 1), uint64(5))
	f.Add([]byte{1, 2, 3}, uint64(0))
	bad := branchPage(6, branchPageFlag)
	binary.NativeEndian.PutUint16(bad[10:], 0xffff)
	f.Add(bad, uint64(6))
	f.Fuzz(func(t *testing.T, p []byte, id uint64) {
		kids, leaf, err := branchChildren(p, id)
		if err != nil && (kids != nil || leaf) {
			t.Fatalf("error %v with a result (%d children, leaf %v)", err, len(kids), leaf)
		}
		if err == nil && !leaf && pageHeaderSize+len(kids)*branchElementSize > len(p) {
			t.Fatalf("%d children from a %d-byte page", len(kids), len(p))
		}
	})
}

// countingLoader counts the records a load feeds it.
type countingLoader struct{ n int }

func (l *countingLoader) UnmarshalMeta([]byte) error                          { return nil }
func (l *countingLoader) Reserve([]byte)                                      {}
func (l *countingLoader) Load(workset.RecordKind, []byte) error               { l.n++; return nil }
func (l *countingLoader) LoadPending(workset.RecordKind, int64, []byte) error { return nil }
func (l *countingLoader) Loaded()                                             {}
