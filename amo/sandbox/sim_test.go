package sandbox

import (
	"reflect"
	"testing"
	"time"

	"salesguard/amo"
)

// simStart is a Monday morning in Moscow.
var simStart = time.Date(2026, 3, 2, 10, 0, 0, 0, time.FixedZone("MSK", 3*3600))

// mustPopulate builds a world with a populated simulator.
func mustPopulate(t testing.TB, cfg SimConfig) (*World, *Sim) {
	t.Helper()
	if cfg.Start.IsZero() {
		cfg.Start = simStart
	}
	w := NewWorld(time.Time{})
	s := NewSim(w, cfg)
	s.Populate()
	return w, s
}

// snapshot copies the world's data for comparison.
func snapshot(w *World) Data {
	var out Data
	w.Read(func(d *Data) { out = *d })
	return out
}

func TestSimDeterminism(t *testing.T) {
	cfg := SimConfig{Seed: 42, Managers: 6, LeadsPerDay: 40, Days: 10}
	w1, s1 := mustPopulate(t, cfg)
	w2, s2 := mustPopulate(t, cfg)
	s1.AdvanceTo(simStart.Add(26 * time.Hour))
	s2.AdvanceTo(simStart.Add(26 * time.Hour))
	if !reflect.DeepEqual(snapshot(w1), snapshot(w2)) {
		t.Fatal("two simulators with the same seed built different worlds")
	}
	if !reflect.DeepEqual(s1.Planted(), s2.Planted()) {
		t.Fatal("two simulators with the same seed planted different violations")
	}
	cfg.Seed = 43
	w3, _ := mustPopulate(t, cfg)
	if reflect.DeepEqual(snapshot(w1).Leads, snapshot(w3).Leads) {
		t.Fatal("different seeds built the same leads")
	}
}

func TestSimAdvanceInStepsEqualsOneJump(t *testing.T) {
	cfg := SimConfig{Seed: 8, Managers: 5, LeadsPerDay: 40, Days: 3}
	w1, s1 := mustPopulate(t, cfg)
	w2, s2 := mustPopulate(t, cfg)
	until := simStart.Add(3 * 24 * time.Hour)
	s1.AdvanceTo(until)
	for at := simStart; !at.After(until); at = at.Add(17 * time.Minute) {
		s2.AdvanceTo(at)
	}
	s2.AdvanceTo(until)
	if !reflect.DeepEqual(snapshot(w1), snapshot(w2)) {
		t.Fatal("advancing in steps built a different world than one jump")
	}
}

func TestSimPopulateCounts(t *testing.T) {
	tests := []struct {
		name string
		cfg  SimConfig
	}{
		{"defaults", SimConfig{Seed: 1}},
		{"small team en", SimConfig{Seed: 2, Managers: 3, LeadsPerDay: 20, Days: 7, Lang: "en", TimeZone: "America/New_York"}},
		{"es", SimConfig{Seed: 3, Managers: 5, LeadsPerDay: 10, Days: 14, Lang: "es", TimeZone: "Europe/Madrid"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w, s := mustPopulate(t, tt.cfg)
			d := snapshot(w)
			cfg := s.cfg
			if !d.Now.Equal(simStart) {
				t.Errorf("Now = %v, want %v", d.Now, simStart)
			}
			if got, want := len(d.Users), cfg.Managers+2; got != want {
				t.Errorf("users = %d, want %d", got, want)
			}
			if len(d.Pipelines) != 2 || len(d.LossReasons) != int(reasonCount) || len(d.CustomFields) != int(fieldCount)+len(typedFields()) {
				t.Errorf("dictionaries: %d pipelines, %d reasons, %d fields", len(d.Pipelines), len(d.LossReasons), len(d.CustomFields))
			}
			if d.Account.TimeZone != cfg.TimeZone || !d.Account.IsLossReasonEnabled {
				t.Errorf("account = %+v", d.Account)
			}
			from := simStart.AddDate(0, 0, -cfg.Days)
			var inWindow int
			for _, l := range allLeads(&d) {
				if !l.CreatedAt.Before(from) {
					inWindow++
				}
			}
			want := cfg.LeadsPerDay * cfg.Days * 5 / 7 // weekdays; weekends add a quarter rate
			if inWindow < want*7/10 || inWindow > want*16/10 {
				t.Errorf("leads in the window = %d, want about %d", inWindow, want)
			}
			if len(d.Tasks) < inWindow || len(d.Notes) < inWindow || len(d.Events) < 3*inWindow {
				t.Errorf("too little activity: %d tasks, %d notes, %d events for %d leads", len(d.Tasks), len(d.Notes), len(d.Events), inWindow)
			}
		})
	}
}

// allLeads returns live and deleted leads.
func allLeads(d *Data) []*amo.Lead {
	out := make([]*amo.Lead, 0, len(d.Leads)+len(d.DeletedLeads))
	for _, l := range d.Leads {
		out = append(out, l)
	}
	for _, l := range d.DeletedLeads {
		out = append(out, l)
	}
	return out
}

func TestSimInvariants(t *testing.T) {
	w, s := mustPopulate(t, SimConfig{Seed: 7})
	s.AdvanceTo(simStart.Add(50 * time.Hour))
	d := snapshot(w)
	checkInvariants(t, &d)
}

// checkInvariants verifies references, closest_task_at, updated_at and closing fields.
func checkInvariants(t *testing.T, d *Data) {
	t.Helper()
	checkTasksAndLeads(t, d)
	checkNotes(t, d)
	checkEvents(t, d)
}

// exists reports whether an entity a note or an event names is in the world (deals may be
// in the trash).
func exists(d *Data, entity string, id int64) bool {
	switch entity {
	case amo.EntityLeads, "lead":
		return d.Leads[amo.LeadID(id)] != nil || d.DeletedLeads[amo.LeadID(id)] != nil
	case amo.EntityContacts, "contact":
		return d.Contacts[amo.ContactID(id)] != nil
	}
	return true
}

func checkTasksAndLeads(t *testing.T, d *Data) {
	t.Helper()
	closest := map[amo.LeadID]time.Time{}
	for _, tk := range d.Tasks {
		l := d.Leads[tk.LeadID()]
		if l == nil {
			t.Fatalf("task %d is on a missing lead %d", tk.ID, tk.EntityID)
		}
		if tk.UpdatedAt.Before(tk.CreatedAt) || l.UpdatedAt.Before(tk.UpdatedAt) {
			t.Fatalf("task %d: updated_at %v, created_at %v, lead updated_at %v", tk.ID, tk.UpdatedAt, tk.CreatedAt, l.UpdatedAt)
		}
		if c := closest[l.ID]; !tk.IsCompleted && (c.IsZero() || tk.CompleteTill.Before(c)) {
			closest[l.ID] = tk.CompleteTill
		}
	}
	for id, l := range d.Leads {
		if !l.ClosestTaskAt.Equal(closest[id]) {
			t.Fatalf("lead %d: closest_task_at %v, want %v", id, l.ClosestTaskAt, closest[id])
		}
		if l.UpdatedAt.Before(l.CreatedAt) {
			t.Fatalf("lead %d: updated_at before created_at", id)
		}
		if l.IsOpen() == !l.ClosedAt.IsZero() {
			t.Fatalf("lead %d: status %d with closed_at %v", id, l.StatusID, l.ClosedAt)
		}
		for _, c := range l.ContactIDs {
			if d.Contacts[c] == nil {
				t.Fatalf("lead %d: missing contact %d", id, c)
			}
		}
	}
}

func checkNotes(t *testing.T, d *Data) {
	t.Helper()
	for id, n := range d.Notes {
		if !exists(d, n.EntityType, n.EntityID) {
			t.Fatalf("note %d is on a missing %s %d", id, n.EntityType, n.EntityID)
		}
		if l := d.Leads[amo.LeadID(n.EntityID)]; n.EntityType == amo.EntityLeads && l != nil && l.UpdatedAt.Before(n.CreatedAt) {
			t.Fatalf("lead %d: updated_at %v before its note at %v", l.ID, l.UpdatedAt, n.CreatedAt)
		}
		if n.IsCall() != (n.Call != nil) {
			t.Fatalf("note %d: type %s, call %v", id, n.NoteType, n.Call)
		}
	}
}

func checkEvents(t *testing.T, d *Data) {
	t.Helper()
	for i, e := range d.Events {
		if !exists(d, e.EntityType, e.EntityID) {
			t.Fatalf("event %s is about a missing %s %d", e.ID, e.EntityType, e.EntityID)
		}
		if e.NoteID != 0 && d.Notes[e.NoteID] == nil {
			t.Fatalf("event %s names a missing note %d", e.ID, e.NoteID)
		}
		if i > 0 && e.CreatedAt.Before(d.Events[i-1].CreatedAt) {
			t.Fatalf("event %s is out of time order", e.ID)
		}
		if l := d.Leads[e.LeadID()]; l != nil && l.UpdatedAt.Before(e.CreatedAt) {
			t.Fatalf("lead %d: updated_at %v before event %s at %v", l.ID, l.UpdatedAt, e.Type, e.CreatedAt)
		}
	}
}

func TestSimPlantsEveryRule(t *testing.T) {
	w, s := mustPopulate(t, SimConfig{Seed: 11})
	d := snapshot(w)
	seen := map[string]int{}
	for _, p := range s.Planted() {
		seen[p.Rule]++
		if p.At.After(d.Now) {
			t.Errorf("%s planted at %v after Now", p.Rule, p.At)
		}
		if d.Leads[p.LeadID] == nil && d.DeletedLeads[p.LeadID] == nil {
			t.Errorf("%s planted on a missing lead %d", p.Rule, p.LeadID)
		}
	}
	for _, rule := range []string{"R1", "R2", "R3", "R4", "R5", "R6", "R7", "R8", "R9", "R10", "R11", "R12"} {
		if seen[rule] == 0 {
			t.Errorf("rule %s was never planted (planted: %v)", rule, seen)
		}
	}
	t.Logf("planted: %v", seen)
}

func TestSimAdvanceToActsInWorkingHours(t *testing.T) {
	w, s := mustPopulate(t, SimConfig{Seed: 5, Managers: 8, LeadsPerDay: 60, Days: 5})
	before := len(snapshot(w).Events)
	until := simStart.Add(4 * 24 * time.Hour) // Friday, through the night to Saturday is not reached
	s.AdvanceTo(until)
	d := snapshot(w)
	if !d.Now.Equal(until) {
		t.Fatalf("Now = %v, want %v", d.Now, until)
	}
	if len(d.Events) <= before {
		t.Fatal("AdvanceTo created no activity")
	}
	loc := s.Location()
	for _, e := range d.Events[before:] {
		if e.CreatedAt.Before(simStart) || e.CreatedAt.After(until) {
			t.Fatalf("event %s at %v outside (%v, %v]", e.Type, e.CreatedAt, simStart, until)
		}
		if e.CreatedBy == 0 {
			continue // clients' requests arrive at any hour
		}
		l := e.CreatedAt.In(loc)
		mins := l.Hour()*60 + l.Minute()
		if wd := l.Weekday(); wd == time.Saturday || wd == time.Sunday || mins < 9*60 || mins > 18*60+30 {
			t.Fatalf("manager activity %s at %v", e.Type, l)
		}
	}
	s.AdvanceTo(simStart)
	if !w.Now().Equal(until) {
		t.Fatal("AdvanceTo into the past moved the clock")
	}
	checkInvariants(t, &d)
}

func TestSimLanguages(t *testing.T) {
	tests := []struct {
		lang, missed, other, cantReach string
	}{
		{"ru", "Недозвон", "Другое", "Недозвон"},
		{"en", "Missed call", "Other", "Can't reach"},
		{"es", "Llamada perdida", "Otro", "No contesta"},
		{"xx", "Недозвон", "Другое", "Недозвон"},
	}
	for _, tt := range tests {
		t.Run(tt.lang, func(t *testing.T) {
			w, s := mustPopulate(t, SimConfig{Seed: 1, Lang: tt.lang, Quiet: true})
			d := snapshot(w)
			if len(d.Leads) != 0 {
				t.Fatalf("a quiet populate created %d leads", len(d.Leads))
			}
			names := map[amo.StatusID]string{}
			for _, p := range d.Pipelines {
				for _, st := range p.Statuses {
					names[st.ID] = st.Name
				}
				if p.Statuses[0].Type != amo.StatusTypeUnsorted {
					t.Errorf("pipeline %s: first stage type %d", p.Name, p.Statuses[0].Type)
				}
			}
			if got := names[s.Stage(StageMissed).StatusID]; got != tt.missed {
				t.Errorf("missed-call stage = %q, want %q", got, tt.missed)
			}
			reasons := map[amo.LossReasonID]string{}
			for _, r := range d.LossReasons {
				reasons[r.ID] = r.Name
			}
			if reasons[s.Reason(ReasonOther)] != tt.other || reasons[s.Reason(ReasonCantReach)] != tt.cantReach {
				t.Errorf("reasons = %v", reasons)
			}
		})
	}
}
