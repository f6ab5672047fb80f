package storage

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"salesguard/amo"
)

// TestPrepareBatchMatchesStoredFormat checks that batches hold exactly the keys and JSON the
// earlier per-entity code wrote (json.Marshal, idKey, joinKey of timeKey): files written by it
// must compare equal, so a re-save rewrites nothing.
func TestPrepareBatchMatchesStoredFormat(t *testing.T) {
	odd := "<b>Tom & Jerry</b> — «сделка»\u2028\n\"quoted\""
	leads := []amo.Lead{lead(7, odd), lead(3, "c"), lead(1<<40, "big id")}
	leads[0].Tags = []string{odd}
	events := []amo.Event{event("b", t0.Add(time.Second)), event("a", t0.In(time.FixedZone("MSK", 3*3600))), event("a", t0.Add(-time.Nanosecond))}
	tests := []struct {
		name string
		got  func() (*batch, error)
		want map[string]any // legacy key → entity
	}{
		{
			name: "leads",
			got: func() (*batch, error) {
				return prepareBatch(subLeads, leads, func(k []byte, l *amo.Lead) []byte { return appendIDKey(k, l.ID) })
			},
			want: map[string]any{string(idKey(leads[0].ID)): leads[0], string(idKey(leads[1].ID)): leads[1], string(idKey(leads[2].ID)): leads[2]},
		},
		{
			name: "events",
			got:  func() (*batch, error) { return prepareBatch(subEvents, events, appendEventKey) },
			want: map[string]any{
				string(joinKey(timeKey(events[0].CreatedAt), []byte("b"))): events[0],
				string(joinKey(timeKey(events[1].CreatedAt), []byte("a"))): events[1],
				string(joinKey(timeKey(events[2].CreatedAt), []byte("a"))): events[2],
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			bt, err := tt.got()
			if err != nil {
				t.Fatal(err)
			}
			if len(bt.keys) != len(tt.want) {
				t.Fatalf("%d keys, want %d", len(bt.keys), len(tt.want))
			}
			for i, k := range bt.keys {
				if i > 0 && bytes.Compare(bt.keys[i-1], k) >= 0 {
					t.Errorf("keys not ascending at %d: %x then %x", i, bt.keys[i-1], k)
				}
				v, ok := tt.want[string(k)]
				if !ok {
					t.Fatalf("unexpected key %q", k)
				}
				legacy, err := json.Marshal(v)
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(bt.vals[i], legacy) {
					t.Errorf("key %q: value\n%s\nwant\n%s", k, bt.vals[i], legacy)
				}
			}
		})
	}
}

// TestSaveChangesBulk runs the parallel paths (more than one chunk) under -race: a full save
// into an empty bucket, a full re-save of an unsorted subset with a duplicate, and the load.
func TestSaveChangesBulk(t *testing.T) {
	const n = 3*bulkChunk + 17
	db := mustOpen(t)
	ch := &amo.Changes{Full: true}
	for i := n; i >= 1; i-- { // descending: the save sorts
		ch.Tasks = append(ch.Tasks, amo.Task{ID: amo.TaskID(i), Text: fmt.Sprintf("task %d", i), CompleteTill: t0})
		ch.Events = append(ch.Events, event(fmt.Sprintf("e%06d", i), t0.Add(time.Duration(i%100)*time.Minute)))
	}
	mustSave(t, db, ch)
	s, _ := mustLoad(t, db)
	if len(s.Tasks) != n || len(s.Events) != n {
		t.Fatalf("loaded %d tasks and %d events, want %d each", len(s.Tasks), len(s.Events), n)
	}
	for i, task := range s.Tasks {
		if task.ID != amo.TaskID(i+1) || task.Text != fmt.Sprintf("task %d", i+1) {
			t.Fatalf("task %d is %+v", i, task)
		}
	}
	for i := 1; i < n; i++ {
		if s.Events[i].CreatedAt.Before(s.Events[i-1].CreatedAt) {
			t.Fatalf("events out of time order at %d", i)
		}
	}

	// Full re-sync keeping the odd ids, one of them twice: the later copy wins.
	next := &amo.Changes{Full: true}
	for i := n; i >= 1; i -= 2 {
		next.Tasks = append(next.Tasks, amo.Task{ID: amo.TaskID(i), Text: fmt.Sprintf("task %d", i), CompleteTill: t0})
	}
	next.Tasks = append(next.Tasks, amo.Task{ID: 1, Text: "renamed", CompleteTill: t0})
	mustSave(t, db, next)
	s, _ = mustLoad(t, db)
	if want := (n + 1) / 2; len(s.Tasks) != want || len(s.Events) != 0 {
		t.Fatalf("after full re-sync: %d tasks and %d events, want %d and 0", len(s.Tasks), len(s.Events), want)
	}
	if s.Tasks[0].Text != "renamed" {
		t.Errorf("duplicate id: stored %q, want the later copy", s.Tasks[0].Text)
	}
	for _, task := range s.Tasks {
		if task.ID%2 == 0 {
			t.Fatalf("task %d should have been deleted by the full sync", task.ID)
		}
	}
}

// TestLoadSnapshotBadValue checks that a value that is not valid JSON fails the load and the
// error names the bucket and key.
func TestLoadSnapshotBadValue(t *testing.T) {
	db := mustOpen(t)
	mustSave(t, db, &amo.Changes{Leads: []amo.Lead{lead(1, "a"), lead(2, "b")}})
	err := db.bolt.Update(func(tx *bolt.Tx) error {
		b, err := accountBucket(tx, "main", subLeads)
		if err != nil {
			return err
		}
		return b.Put(idKey(amo.LeadID(2)), []byte("{not json"))
	})
	if err != nil {
		t.Fatal(err)
	}
	_, _, err = db.LoadSnapshot("main")
	if err == nil || !strings.Contains(err.Error(), "decode leads") || !strings.Contains(err.Error(), `\x02`) {
		t.Fatalf("load of a bad value: %v, want a decode error naming key 2", err)
	}
}
