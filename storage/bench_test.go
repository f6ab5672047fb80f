package storage

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"salesguard/amo"
	"salesguard/notify"
)

// Sizes of a large account, from the storage brief.
const (
	bigLeads  = 100_000
	bigTasks  = 300_000
	bigNotes  = 200_000
	bigEvents = 500_000
)

// gen builds realistic entities; ids start at base so successive days do not collide.
type gen struct {
	managers int
	at       time.Time
}

func (g gen) lead(id int64) amo.Lead {
	return amo.Lead{ID: amo.LeadID(id), Name: fmt.Sprintf("Deal #%d — website request", id), Price: 15000 + id%1000,
		ResponsibleUserID: amo.UserID(1 + id%int64(g.managers)), PipelineID: 1, StatusID: amo.StatusID(10 + id%6),
		CreatedBy: 1, UpdatedBy: 1, CreatedAt: g.at, UpdatedAt: g.at, ClosestTaskAt: g.at.Add(24 * time.Hour),
		CustomFields: []amo.FieldValue{
			{FieldID: 1, Name: "Source", Values: []string{"website"}},
			{FieldID: 2, Name: "City", Values: []string{"Moscow"}},
			{FieldID: 3, Name: "Budget", Values: []string{"100000"}},
		},
		ContactIDs: []amo.ContactID{amo.ContactID(id)}, Tags: []string{"inbound"}}
}

func (g gen) task(id, lead int64) amo.Task {
	return amo.Task{ID: amo.TaskID(id), ResponsibleUserID: amo.UserID(1 + lead%int64(g.managers)), EntityID: lead,
		EntityType: amo.EntityLeads, TaskTypeID: 1, Text: "Call the client back and agree on the demo",
		CompleteTill: g.at.Add(24 * time.Hour), CreatedBy: 1, UpdatedBy: 1, CreatedAt: g.at, UpdatedAt: g.at}
}

func (g gen) note(id, lead int64) amo.Note {
	return amo.Note{ID: amo.NoteID(id), EntityID: lead, EntityType: amo.EntityLeads, NoteType: amo.NoteCallOut,
		Call:      &amo.Call{Duration: 95, Phone: "+79990000000", Link: "https://rec.example/" + fmt.Sprint(id)},
		CreatedBy: 1, ResponsibleUserID: 1, CreatedAt: g.at, UpdatedAt: g.at}
}

func (g gen) event(id, lead int64) amo.Event {
	return amo.Event{ID: fmt.Sprintf("01j%013d", id), Type: amo.EventLeadStatusChanged, EntityID: lead, EntityType: "lead",
		CreatedBy: 1, CreatedAt: g.at.Add(time.Duration(id%3600) * time.Second),
		StatusBefore: &amo.StatusRef{PipelineID: 1, StatusID: 10}, StatusAfter: &amo.StatusRef{PipelineID: 1, StatusID: 11}}
}

// changes makes a change set with n leads from id first, and per lead the given numbers of
// tasks, notes and events.
func (g gen) changes(first, n int64, tasks, notes, events int) *amo.Changes {
	ch := &amo.Changes{TakenAt: g.at, State: amo.SyncState{FullDone: true, Cursors: map[string]time.Time{"leads": g.at}}}
	for id := first; id < first+n; id++ {
		ch.Leads = append(ch.Leads, g.lead(id))
		for j := range int64(tasks) {
			ch.Tasks = append(ch.Tasks, g.task(id*10+j, id))
		}
		for j := range int64(notes) {
			ch.Notes = append(ch.Notes, g.note(id*10+j, id))
		}
		for j := range int64(events) {
			ch.Events = append(ch.Events, g.event(id*10+j, id))
		}
	}
	return ch
}

func bigAccount() *amo.Changes {
	ch := gen{managers: 20, at: t0}.changes(1, bigLeads, bigTasks/bigLeads, bigNotes/bigLeads, bigEvents/bigLeads)
	ch.Full = true
	return ch
}

var bigFixture struct {
	once sync.Once
	path string
	err  error
}

// bigFixturePath returns a database file holding bigAccount, built once per test binary.
func bigFixturePath(b *testing.B) string {
	b.Helper()
	bigFixture.once.Do(func() {
		dir, err := os.MkdirTemp("", "storage-bench-")
		if err != nil {
			bigFixture.err = err
			return
		}
		bigFixture.path = filepath.Join(dir, "big.db")
		db, err := Open(bigFixture.path, Options{NoSync: true})
		if err != nil {
			bigFixture.err = err
			return
		}
		defer db.Close()
		bigFixture.err = db.SaveChanges("main", bigAccount())
	})
	if bigFixture.err != nil {
		b.Fatal(bigFixture.err)
	}
	return bigFixture.path
}

func TestMain(m *testing.M) {
	code := m.Run()
	if bigFixture.path != "" {
		_ = os.RemoveAll(filepath.Dir(bigFixture.path))
	}
	os.Exit(code)
}

// copyFixture copies the big fixture into a fresh temp file and opens it (fsync on).
func openBigCopy(b *testing.B) *DB {
	b.Helper()
	src := bigFixturePath(b)
	dst := filepath.Join(b.TempDir(), "db")
	in, err := os.Open(src)
	if err != nil {
		b.Fatal(err)
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_WRONLY, 0o600)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		b.Fatal(err)
	}
	_ = out.Close()
	db, err := Open(dst, Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = db.Close() })
	return db
}

// BenchmarkSaveChangesFull saves a full sync of a 100k-lead account (300k tasks, 200k notes,
// 500k events) into an empty database.
func BenchmarkSaveChangesFull(b *testing.B) {
	ch := bigAccount()
	for b.Loop() {
		b.StopTimer()
		db, err := Open(filepath.Join(b.TempDir(), "db"), Options{})
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		if err := db.SaveChanges("main", ch); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		_ = db.Close()
		b.StartTimer()
	}
}

// BenchmarkSaveChangesFullUnchanged re-saves the same full sync over itself (a periodic full
// re-sync): nothing is rewritten.
func BenchmarkSaveChangesFullUnchanged(b *testing.B) {
	db := openBigCopy(b)
	ch := bigAccount()
	for b.Loop() {
		if err := db.SaveChanges("main", ch); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSaveChangesIncremental applies a typical poll to the big account: 200 changed and
// 20 new leads, with their tasks, notes and events.
func BenchmarkSaveChangesIncremental(b *testing.B) {
	db := openBigCopy(b)
	g := gen{managers: 20, at: t0.Add(time.Hour)}
	i := int64(0)
	for b.Loop() {
		ch := g.changes(1+(i*200)%bigLeads, 200, 1, 1, 3)
		more := g.changes(bigLeads+1+i*20, 20, 2, 1, 3)
		ch.Leads = append(ch.Leads, more.Leads...)
		ch.Tasks = append(ch.Tasks, more.Tasks...)
		ch.Events = append(ch.Events, more.Events...)
		if err := db.SaveChanges("main", ch); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchmarkLoadSnapshot rebuilds the big account's snapshot (a restart).
func BenchmarkLoadSnapshot(b *testing.B) {
	db := openBigCopy(b)
	for b.Loop() {
		if _, _, err := db.LoadSnapshot("main"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkThirtyDays simulates 30 days of a 20-manager team: 100 new leads a day, each with
// 3 tasks, 4 notes and 10 events, synced every 15 minutes during a 10-hour day, 150 messages
// a day through the outbox, events and sent messages pruned after 30 and 14 days. It reports
// the file size and the part of it in use.
func BenchmarkThirtyDays(b *testing.B) {
	for b.Loop() {
		path := filepath.Join(b.TempDir(), "db")
		db, err := Open(path, Options{NoSync: true})
		if err != nil {
			b.Fatal(err)
		}
		simulateDays(b, db, 30)
		var used int64
		_ = db.bolt.View(func(tx *bolt.Tx) error { used = tx.Size(); return nil })
		_ = db.Close()
		fi, err := os.Stat(path)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(fi.Size())/(1<<20), "file_MB")
		b.ReportMetric(float64(used)/(1<<20), "used_MB") // bbolt grows the file ahead of use
	}
}

func simulateDays(b *testing.B, db *DB, days int) {
	const polls, leadsPerDay = 40, 100
	next := int64(1)
	for d := range days {
		day := t0.AddDate(0, 0, d)
		for p := range polls {
			g := gen{managers: 20, at: day.Add(time.Duration(p) * 15 * time.Minute)}
			ch := g.changes(next, leadsPerDay/polls+int64(p%2), 3, 4, 10) // 2 or 3 new leads a poll
			next += int64(len(ch.Leads))
			touched := g.changes(max(1, next-500), 10, 0, 0, 0) // work on recent deals
			ch.Leads = append(ch.Leads, touched.Leads...)
			if err := db.SaveChanges("main", ch); err != nil {
				b.Fatal(err)
			}
			for m := range 4 {
				id, err := db.Enqueue(notify.Message{ChatID: int64(m), Kind: notify.KindAlert, Text: "Deal #1: overdue task"}, g.at)
				if err != nil {
					b.Fatal(err)
				}
				if err := db.MarkSent(id, notify.SentRef{ChatID: int64(m), MessageID: int(id)}, g.at); err != nil {
					b.Fatal(err)
				}
			}
		}
		if _, err := db.PruneEvents("main", day.AddDate(0, 0, -30)); err != nil {
			b.Fatal(err)
		}
		if _, err := db.PruneSent(day.AddDate(0, 0, -14)); err != nil {
			b.Fatal(err)
		}
	}
}
