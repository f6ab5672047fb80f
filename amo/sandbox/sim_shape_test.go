package sandbox

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"salesguard/amo"
)

func TestSimWorkingClock(t *testing.T) {
	s := NewSim(NewWorld(time.Time{}), SimConfig{TimeZone: "Europe/Moscow", Quiet: true})
	msk := s.Location()
	at := func(day, h, m int) time.Time { return time.Date(2026, 3, day, h, m, 0, 0, msk) } // 2 March 2026 is a Monday
	tests := []struct {
		name string
		from time.Time
		add  time.Duration
		want time.Time
	}{
		{"inside the day", at(2, 10, 0), 15 * time.Minute, at(2, 10, 15)},
		{"before opening", at(2, 7, 30), 15 * time.Minute, at(2, 9, 15)},
		{"over the evening", at(2, 17, 50), 15 * time.Minute, at(3, 9, 5)},
		{"at night", at(2, 23, 0), 15 * time.Minute, at(3, 9, 15)},
		{"friday to monday", at(6, 17, 0), 2 * time.Hour, at(9, 10, 0)},
		{"saturday", at(7, 12, 0), time.Minute, at(9, 9, 1)},
		{"a full day", at(2, 9, 0), 9 * time.Hour, at(2, 18, 0)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := s.addWorking(tt.from.UTC(), tt.add); !got.Equal(tt.want) {
				t.Errorf("addWorking(%v, %v) = %v, want %v", tt.from, tt.add, got.In(msk), tt.want)
			}
		})
	}
}

func TestShapeByName(t *testing.T) {
	tests := []struct {
		name string
		want Shape
	}{
		{"small", Shape{Leads: 1_000, Tasks: 3_000, Notes: 3_000, Events: 10_000}},
		{"medium", Shape{Leads: 10_000, Tasks: 30_000, Notes: 30_000, Events: 100_000}},
		{"large", Shape{Leads: 100_000, Tasks: 300_000, Notes: 300_000, Events: 1_000_000}},
	}
	for _, tt := range tests {
		if got, err := ShapeByName(tt.name); err != nil || got != tt.want {
			t.Errorf("ShapeByName(%q) = %+v, %v; want %+v", tt.name, got, err, tt.want)
		}
	}
	_, err := ShapeByName("huge")
	if err == nil || !strings.Contains(err.Error(), "small, medium, large") {
		t.Errorf("ShapeByName(huge) error = %v, want the valid names", err)
	}
}

func TestBuildShapeCounts(t *testing.T) {
	tests := []struct {
		name  string
		shape Shape
	}{
		{"custom", Shape{Leads: 500, Tasks: 1500, Notes: 1000, Events: 1000}},
		{"small", mustShape(t, "small")},
		{"no leads", Shape{Tasks: 10, Notes: 10, Events: 10}},
		{"few events", Shape{Leads: 3, Tasks: 1, Notes: 1, Events: 2}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := NewWorld(simStart)
			s := BuildShape(w, tt.shape, 1)
			d := snapshot(w)
			want := tt.shape
			if want.Leads == 0 {
				want = Shape{}
			}
			got := Shape{Leads: len(d.Leads), Tasks: len(d.Tasks), Notes: len(d.Notes), Events: len(d.Events)}
			if got != want || len(d.Contacts) != want.Leads {
				t.Fatalf("built %+v and %d contacts, want %+v", got, len(d.Contacts), want)
			}
			if len(s.Managers()) != 20 || !d.Now.Equal(simStart) {
				t.Fatalf("%d managers, now %v", len(s.Managers()), d.Now)
			}
			checkInvariants(t, &d)
			checkShapeTimes(t, &d)
		})
	}
}

// TestBuildShapeSpreadsTime checks that no second of the medium account holds a pile of
// changes (what would have happened after Now happened before it, at random): a real account
// has none, and the first incremental polls after a sync read the sync's start second again.
func TestBuildShapeSpreadsTime(t *testing.T) {
	w := NewWorld(simStart)
	BuildShape(w, mustShape(t, "medium"), 1)
	d := snapshot(w)
	const most = 12 // items of one list stamped at one second, at most
	count := func(list string, at func(yield func(time.Time) bool)) {
		per := map[int64]int{}
		for t := range at {
			per[t.Unix()]++
		}
		for sec, n := range per {
			if n > most {
				t.Errorf("%s: %d items at %v, want at most %d", list, n, time.Unix(sec, 0).UTC(), most)
			}
		}
	}
	count("leads", func(yield func(time.Time) bool) {
		for _, l := range d.Leads {
			if !yield(l.UpdatedAt) {
				return
			}
		}
	})
	count("tasks", func(yield func(time.Time) bool) {
		for _, tk := range d.Tasks {
			if !yield(tk.UpdatedAt) {
				return
			}
		}
	})
	count("events", func(yield func(time.Time) bool) {
		for _, e := range d.Events {
			if !yield(e.CreatedAt) {
				return
			}
		}
	})
}

func TestBuildLargeWrapper(t *testing.T) {
	w := NewWorld(simStart)
	BuildLarge(w, 200, 300, 1001, 2)
	if c := CountData(w, 30*24*time.Hour); c.Leads != 200 || c.Tasks != 300 || c.Notes != 500 || c.Events != 500 {
		t.Fatalf("counts %+v", c)
	}
}

// checkShapeTimes checks that everything was created within the 90 days before Now.
func checkShapeTimes(t *testing.T, d *Data) {
	t.Helper()
	from := d.Now.Add(-shapeSpan)
	in := func(what string, id int64, at time.Time) {
		if at.Before(from) || at.After(d.Now) {
			t.Fatalf("%s %d at %v, outside [%v, %v]", what, id, at, from, d.Now)
		}
	}
	for id, l := range d.Leads {
		in("lead", int64(id), l.CreatedAt)
		in("lead update", int64(id), l.UpdatedAt)
	}
	for id, c := range d.Contacts {
		in("contact update", int64(id), c.UpdatedAt)
	}
	for id, tk := range d.Tasks {
		in("task", int64(id), tk.UpdatedAt)
	}
	for id, n := range d.Notes {
		in("note", int64(id), n.CreatedAt)
	}
	for i, e := range d.Events {
		in("event", int64(i), e.CreatedAt)
		if l := d.Leads[e.LeadID()]; l == nil || e.CreatedAt.Before(l.CreatedAt) {
			t.Fatalf("event %s at %v before its deal", e.ID, e.CreatedAt)
		}
	}
}

func TestBuildShapeDeterministic(t *testing.T) {
	sh := Shape{Leads: 300, Tasks: 600, Notes: 600, Events: 2000}
	w1, w2, w3 := NewWorld(simStart), NewWorld(simStart), NewWorld(simStart)
	BuildShape(w1, sh, 7)
	BuildShape(w2, sh, 7)
	BuildShape(w3, sh, 8)
	if !reflect.DeepEqual(snapshot(w1), snapshot(w2)) {
		t.Fatal("two builds with the same seed differ")
	}
	if reflect.DeepEqual(snapshot(w1).Events, snapshot(w3).Events) {
		t.Fatal("different seeds built the same events")
	}
}

// TestBuildShapeTripsRules checks that the account holds what each rule looks for.
func TestBuildShapeTripsRules(t *testing.T) {
	w := NewWorld(simStart)
	s := BuildShape(w, mustShape(t, "small"), 1)
	d := snapshot(w)
	found := map[string]int{}
	touched := map[amo.LeadID]bool{}
	for _, e := range d.Events {
		touched[e.LeadID()] = true
		if e.Type == amo.EventLeadStatusChanged && e.StatusBefore != nil && e.StatusAfter != nil && *e.StatusBefore != *e.StatusAfter {
			found["status change"]++
		}
	}
	for _, n := range d.Notes {
		if n.EntityType == amo.EntityContacts {
			found["contact note"]++
		}
		if n.Call != nil && n.Call.Duration >= 60 && n.Call.Link != "" {
			found["long call with a recording"]++
		}
		touched[amo.LeadID(n.EntityID)] = true
	}
	openTask := map[amo.LeadID]bool{}
	for _, tk := range d.Tasks {
		touched[tk.LeadID()] = true
		switch {
		case tk.IsCompleted && len(strings.TrimSpace(tk.Result)) <= 1:
			found["task without result"]++
		case !tk.IsCompleted && tk.CompleteTill.Before(d.Now):
			found["overdue task"]++
		case !tk.IsCompleted:
			found["task ahead"]++
		}
		openTask[tk.LeadID()] = openTask[tk.LeadID()] || !tk.IsCompleted
	}
	first := map[amo.StatusID]bool{s.Stage(StageUnsorted).StatusID: true, s.Stage(StageNew).StatusID: true,
		s.StageIn(1, StageUnsorted).StatusID: true, s.StageIn(1, StageNew).StatusID: true}
	for id, l := range d.Leads {
		switch {
		case l.IsOpen() && l.CreatedBy == 0 && first[l.StatusID] && !touched[id]:
			found["unanswered new lead"]++
		case l.IsOpen() && !openTask[id]:
			found["open deal without task"]++
		case l.StatusID == amo.StatusLost && l.LossReasonID == 0:
			found["lost without reason"]++
		case l.StatusID == amo.StatusLost:
			found["lost with reason"]++
		case l.StatusID == amo.StatusWon:
			found["won"]++
		}
	}
	for _, k := range []string{"status change", "contact note", "long call with a recording", "task without result",
		"overdue task", "task ahead", "unanswered new lead", "open deal without task", "lost without reason",
		"lost with reason", "won"} {
		if found[k] == 0 {
			t.Errorf("no %s in the account (found %v)", k, found)
		}
	}
	if got, want := found["contact note"], len(d.Notes)/3; got < want || got > want+1 {
		t.Errorf("%d of %d notes on contacts, want a third", got, len(d.Notes))
	}
}

func TestBuildShapeLive(t *testing.T) {
	w := NewWorld(simStart)
	s := BuildShape(w, Shape{Leads: 300, Tasks: 600, Notes: 600, Events: 2000}, 3)
	s.AdvanceTo(simStart.Add(time.Hour))
	if d := snapshot(w); len(d.Leads) != 300 || len(d.Events) != 2000 {
		t.Fatalf("a quiet simulator changed the account: %d leads, %d events", len(d.Leads), len(d.Events))
	}
	s.Live()
	s.AdvanceTo(simStart.Add(26 * time.Hour))
	d := snapshot(w)
	if len(d.Leads) <= 300 || len(d.Events) <= 2000 {
		t.Fatalf("a live simulator did nothing: %d leads, %d events", len(d.Leads), len(d.Events))
	}
	for _, e := range d.Events[2000:] {
		if e.CreatedAt.Before(simStart.Add(time.Hour)) {
			t.Fatalf("live event %s at %v, before the simulator went live", e.Type, e.CreatedAt)
		}
	}
	checkInvariants(t, &d)
}

func TestMinFullSyncRequests(t *testing.T) {
	w := newTestWorld()
	if got := MinFullSyncRequests(w, 30*24*time.Hour); got != 12 {
		t.Errorf("empty account: %d requests, want 6 dictionaries + 6 empty lists", got)
	}
	addLeads(w, 251)
	addEvents(w, 150)
	w.Update(func(d *Data) {
		d.Now = t0.Add(200 * time.Minute)
		d.Events[0].CreatedAt = d.Now.Add(-31 * 24 * time.Hour) // outside the history
		d.Events[1].CreatedAt = d.Now.Add(-31 * 24 * time.Hour)
	})
	// leads 2 pages, contacts 1, tasks 1, notes 1 + 1, 148 events in 2 pages, 6 dictionaries
	if got := MinFullSyncRequests(w, 30*24*time.Hour); got != 14 {
		t.Errorf("%d requests, want 14", got)
	}
}

func mustShape(t testing.TB, name string) Shape {
	t.Helper()
	sh, err := ShapeByName(name)
	if err != nil {
		t.Fatal(err)
	}
	return sh
}

func BenchmarkPopulate(b *testing.B) {
	for b.Loop() {
		mustPopulate(b, SimConfig{Seed: 1, Managers: 20, LeadsPerDay: 100, Days: 30})
	}
}

func BenchmarkBuildShape(b *testing.B) {
	for _, name := range ShapeNames() {
		b.Run(name, func(b *testing.B) {
			if name == "large" && testing.Short() {
				b.Skip("large takes seconds; run without -short")
			}
			sh := mustShape(b, name)
			for b.Loop() {
				BuildShape(NewWorld(simStart), sh, 1)
			}
		})
	}
}
