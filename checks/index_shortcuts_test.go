package checks

import (
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
	"time"

	"salesguard/amo"
)

// orderVariants returns a synthetic account as generated (event log and notes in time order),
// with both reversed, and with both shuffled. Some events are moved to contacts so the
// contact mapping is exercised too, and some events and notes are repeated at the same
// instant in another zone, so ties must resolve as the walks resolve them.
func orderVariants(t *testing.T, n int, now time.Time) map[string]*amo.Snapshot {
	t.Helper()
	base := synthAccount(n, now)
	loc := loadLoc(t, tAccountTZ)
	for i := range base.Events {
		if e := &base.Events[i]; i%17 == 0 && isContactEventType(e.Type) {
			e.EntityType = "contact" // contact i+1 belongs to deal i+1
		}
	}
	var events []amo.Event
	for i, e := range base.Events {
		events = append(events, e)
		if i%7 == 0 {
			twin := e
			twin.ID, twin.CreatedAt = e.ID+"~", e.CreatedAt.In(loc)
			events = append(events, twin)
		}
	}
	stray := event("stray", amo.EventIncomingChatMessage, 0, now.Add(time.Minute)) // last: keeps the log sorted
	stray.EntityType, stray.EntityID = "contact", int64(10*n)                      // a contact missing from the snapshot
	base.Events = append(events, stray)
	base.Tasks = append(base.Tasks, task(amo.TaskID(10*n), 0, now.Add(-time.Hour), false), // on no deal
		task(amo.TaskID(10*n+1), amo.LeadID(10*n), now.Add(-time.Hour), false)) // on a missing deal
	var notes []amo.Note
	for i, nt := range base.Notes {
		notes = append(notes, nt)
		if i%7 == 0 {
			twin := nt
			twin.ID, twin.CreatedAt = nt.ID+amo.NoteID(10*n), nt.CreatedAt.In(loc)
			notes = append(notes, twin)
		}
	}
	base.Notes = notes
	clone := func() *amo.Snapshot {
		s := *base
		s.Events, s.Notes, s.Tasks = slices.Clone(base.Events), slices.Clone(base.Notes), slices.Clone(base.Tasks)
		return &s
	}
	rev := clone()
	slices.Reverse(rev.Events)
	slices.Reverse(rev.Notes)
	shuf := clone()
	r := rand.New(rand.NewPCG(1, 2))
	r.Shuffle(len(shuf.Events), func(i, j int) { shuf.Events[i], shuf.Events[j] = shuf.Events[j], shuf.Events[i] })
	r.Shuffle(len(shuf.Notes), func(i, j int) { shuf.Notes[i], shuf.Notes[j] = shuf.Notes[j], shuf.Notes[i] })
	r.Shuffle(len(shuf.Tasks), func(i, j int) { shuf.Tasks[i], shuf.Tasks[j] = shuf.Tasks[j], shuf.Tasks[i] })
	return map[string]*amo.Snapshot{"sorted": base, "reversed": rev, "shuffled": shuf}
}

// TestIndexShortcutsMatchWalks checks the index's by-position slices and per-deal summaries
// against the map lookups and walks they replace (position -1 takes the walking path).
func TestIndexShortcutsMatchWalks(t *testing.T) {
	now := time.Date(2026, 11, 18, 12, 0, 0, 0, time.UTC)
	for name, snap := range orderVariants(t, 2000, now) {
		t.Run(name, func(t *testing.T) {
			in, err := NewInput(snap, DefaultSettings(), now)
			if err != nil {
				t.Fatal(err)
			}
			for i := range snap.Tasks {
				if got, ok := in.Ix.taskLead(snap.Tasks, i); !ok || got != in.Ix.Leads[snap.Tasks[i].LeadID()] {
					t.Fatalf("task %d: deal %v (%v), the map gives %v", snap.Tasks[i].ID, got, ok, in.Ix.Leads[snap.Tasks[i].LeadID()])
				}
			}
			froms := []time.Time{now.Add(-48 * time.Hour), now.Add(-7 * 24 * time.Hour), now.Add(-time.Hour)}
			for i := range snap.Leads {
				l := &snap.Leads[i]
				if !slices.Equal(in.Ix.tasksOf(i, l), in.Ix.TasksByLead[l.ID]) ||
					!slices.Equal(in.Ix.notesOf(i, l), in.Ix.NotesByLead[l.ID]) ||
					!slices.Equal(in.Ix.eventsOf(i, l), in.Ix.EventsByLead[l.ID]) {
					t.Fatalf("deal %d: by-position slices differ from the maps", l.ID)
				}
				if got, want := in.Ix.sum.openTasks[i] > 0, hasOpenTask(in.Ix.TasksByLead[l.ID]); got != want {
					t.Errorf("deal %d: open tasks %v, walking gives %v", l.ID, got, want)
				}
				if got, want := enteredStage(in, i, l), enteredStage(in, -1, l); !sameTime(got, want) {
					t.Errorf("deal %d: enteredStage %v, walking gives %v", l.ID, got, want)
				}
				if got, want := lastCommunication(in, i, l), lastCommunication(in, -1, l); !sameTime(got, want) {
					t.Errorf("deal %d: lastCommunication %v, walking gives %v", l.ID, got, want)
				}
				for _, from := range froms {
					if got, want := in.Ix.notesSince(i, l, from), notesFrom(in.Ix.NotesByLead[l.ID], from); len(got) != len(want) ||
						(len(got) > 0 && !slices.Equal(got, want)) {
						t.Errorf("deal %d: notesSince(%v) = %d notes, want %d", l.ID, from, len(got), len(want))
					}
				}
			}
		})
	}
}

// sameTime reports whether a and b are the same instant in the same zone.
func sameTime(a, b time.Time) bool { return a.Equal(b) && a.Location() == b.Location() }

// TestRunIgnoresInputOrder checks that the order of the event log, notes and tasks does not
// change the findings (the index sorts what does not arrive sorted).
func TestRunIgnoresInputOrder(t *testing.T) {
	now := time.Date(2026, 11, 18, 12, 0, 0, 0, time.UTC)
	vs := orderVariants(t, 1500, now)
	want, err := Run(vs["sorted"], DefaultSettings(), now)
	if err != nil {
		t.Fatal(err)
	}
	if len(want) == 0 {
		t.Fatal("no findings: the comparison would prove nothing")
	}
	for _, name := range []string{"reversed", "shuffled"} {
		got, err := Run(vs[name], DefaultSettings(), now)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s input: %d findings differ from the sorted input's %d", name, len(got), len(want))
		}
	}
}

func TestOrderWithinRule(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	levels := []Level{LevelWarning, LevelEscalation, LevelInfo}
	cases := []struct {
		name string
		n    int
	}{{"empty", 0}, {"one", 1}, {"few", 7}, {"many", 5000}}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			fs := make([]Finding, c.n)
			for i := range fs {
				fs[i] = Finding{ManagerID: amo.UserID(r.IntN(6)), DealID: amo.LeadID(r.IntN(c.n + 1)),
					Level: levels[r.IntN(len(levels))], Subject: "task:" + string(rune('a'+r.IntN(26)))}
			}
			want := slices.Clone(fs)
			slices.SortStableFunc(want, func(a, b Finding) int { return compareWithinRule(&a, &b) })
			idx := orderWithinRule(fs)
			got := fs
			if idx != nil {
				got = make([]Finding, len(fs))
				for i, j := range idx {
					got[i] = fs[j]
				}
			}
			for i := range got {
				if compareWithinRule(&got[i], &want[i]) != 0 {
					t.Fatalf("position %d: %+v, want %+v", i, got[i], want[i])
				}
			}
		})
	}
}

// TestRepeatedDealIDs checks that a snapshot listing a deal twice is evaluated by the maps
// (the by-position shortcuts are off) without failing.
func TestRepeatedDealIDs(t *testing.T) {
	now := time.Date(2026, 11, 18, 12, 0, 0, 0, time.UTC)
	snap := synthAccount(50, now)
	snap.Leads = append(snap.Leads, snap.Leads[3])
	in, err := NewInput(snap, DefaultSettings(), now)
	if err != nil {
		t.Fatal(err)
	}
	if in.Ix.leads != nil || in.Ix.at(3, &snap.Leads[3]) {
		t.Error("by-position shortcuts on despite a repeated deal id")
	}
	if _, err := Run(snap, DefaultSettings(), now); err != nil {
		t.Fatal(err)
	}
}
