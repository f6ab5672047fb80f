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
		if e := &base.Events[i]; i%17 == 0 && isContactEvent(e.Type) {
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

// TestRepeatedDealIDs checks that a snapshot listing a deal twice is evaluated as one deal
// (the later copy wins) without failing.
func TestRepeatedDealIDs(t *testing.T) {
	now := time.Date(2026, 11, 18, 12, 0, 0, 0, time.UTC)
	snap := synthAccount(50, now)
	once, err := Run(snap, DefaultSettings(), now)
	if err != nil {
		t.Fatal(err)
	}
	snap.Leads = append(snap.Leads, snap.Leads[3])
	twice, err := Run(snap, DefaultSettings(), now)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(once, twice) {
		t.Errorf("a repeated deal changed the findings: %d, then %d", len(once), len(twice))
	}
}

// isContactEvent reports whether events of a type logged on a contact count for its deals.
func isContactEvent(t string) bool {
	switch t {
	case amo.EventOutgoingChatMessage, amo.EventIncomingChatMessage, amo.EventOutgoingCall,
		amo.EventIncomingCall, amo.EventOutgoingSMS, amo.EventOutgoingMail, amo.EventCommonNoteAdded:
		return true
	}
	return false
}
