package sandbox

import (
	"slices"
	"testing"
	"time"

	"salesguard/amo"
)

// mustQuiet returns a quiet simulator with dictionaries only, at simStart.
func mustQuiet(t *testing.T) (*World, *Sim) {
	t.Helper()
	return mustPopulate(t, SimConfig{Seed: 9, Managers: 3, Quiet: true})
}

// eventsOf returns the types of the events about an entity, in order.
func eventsOf(w *World, entity string, id int64) []string {
	var out []string
	w.Read(func(d *Data) {
		for _, e := range d.Events {
			if e.EntityType == entity && e.EntityID == id {
				out = append(out, e.Type)
			}
		}
	})
	return out
}

func TestSimScriptLeadLifecycle(t *testing.T) {
	w, s := mustQuiet(t)
	mgr := s.Managers()[0]
	at := simStart.Add(time.Hour)
	id := s.NewLead(at, mgr)
	note := s.TakeLead(id, at.Add(7*time.Minute))
	task := s.AddTask(id, at.Add(8*time.Minute), at.Add(26*time.Hour), "call back")
	s.AddTask(id, at.Add(8*time.Minute), at.Add(50*time.Hour), "meeting")

	w.Read(func(d *Data) {
		l := d.Leads[id]
		if l.ResponsibleUserID != mgr || l.Status() != s.Stage(StageTaken) {
			t.Fatalf("lead = %+v", l)
		}
		if want := at.Add(26 * time.Hour).UTC(); !l.ClosestTaskAt.Equal(want) {
			t.Fatalf("closest_task_at = %v, want %v", l.ClosestTaskAt, want)
		}
		if n := d.Notes[note]; n == nil || n.NoteType != amo.NoteCallOut || n.Call.Duration != 45 || n.Call.Link == "" {
			t.Fatalf("take note = %+v", n)
		}
		var found bool
		for _, e := range d.Events {
			if e.Type == amo.EventLeadStatusChanged && e.EntityID == int64(id) {
				found = *e.StatusBefore == s.Stage(StageNew) && *e.StatusAfter == s.Stage(StageTaken)
			}
			if e.Type == amo.EventOutgoingCall && e.NoteID != note {
				t.Errorf("outgoing_call names note %d, want %d", e.NoteID, note)
			}
		}
		if !found {
			t.Error("no lead_status_changed New → Taken")
		}
	})
	got := eventsOf(w, "lead", int64(id))
	want := []string{amo.EventLeadAdded, amo.EventOutgoingCall, amo.EventLeadStatusChanged}
	if !slices.Equal(got, want) {
		t.Fatalf("lead events = %v, want %v", got, want)
	}

	s.CompleteTask(task, at.Add(25*time.Hour), "talked, sends the plan")
	s.CloseLost(id, at.Add(27*time.Hour), s.Reason(ReasonExpensive), "")
	w.Read(func(d *Data) {
		l := d.Leads[id]
		if l.StatusID != amo.StatusLost || l.LossReasonID != s.Reason(ReasonExpensive) || l.ClosedAt.IsZero() {
			t.Fatalf("closed lead = %+v", l)
		}
		if !l.ClosestTaskAt.IsZero() {
			t.Fatalf("closest_task_at = %v after every task was completed", l.ClosestTaskAt)
		}
		if r := d.Tasks[task].Result; r != "talked, sends the plan" {
			t.Fatalf("result = %q", r)
		}
	})
	if got := eventsOf(w, "task", int64(task)); !slices.Equal(got, []string{amo.EventTaskCompleted, amo.EventTaskResultAdded}) {
		t.Fatalf("task events = %v", got)
	}
	if !w.Now().Equal(simStart) {
		t.Fatalf("scripting moved Now to %v", w.Now())
	}
}

func TestSimScriptHelpers(t *testing.T) {
	tests := []struct {
		name  string
		quiet bool // the action does not change the deal itself (a note on the contact)
		do    func(s *Sim, id amo.LeadID, at time.Time)
		check func(t *testing.T, s *Sim, d *Data, id amo.LeadID)
	}{
		{"call on contact", true, func(s *Sim, id amo.LeadID, at time.Time) {
			s.Call(id, at, CallSpec{Duration: 3 * time.Second, OnContact: true})
		}, func(t *testing.T, s *Sim, d *Data, id amo.LeadID) {
			for _, n := range d.Notes {
				if n.EntityType != amo.EntityContacts || n.EntityID != int64(d.Leads[id].ContactIDs[0]) || n.Call.Duration != 3 || n.Call.Link != "" {
					t.Fatalf("note = %+v", n)
				}
			}
		}},
		{"incoming call", false, func(s *Sim, id amo.LeadID, at time.Time) {
			s.Call(id, at, CallSpec{Duration: 2 * time.Minute, Incoming: true})
		}, func(t *testing.T, s *Sim, d *Data, id amo.LeadID) {
			if last := d.Events[len(d.Events)-1]; last.Type != amo.EventIncomingCall || d.Notes[last.NoteID].NoteType != amo.NoteCallIn {
				t.Fatalf("event = %+v", last)
			}
		}},
		{"note", false, func(s *Sim, id amo.LeadID, at time.Time) { s.AddNote(id, at, "agreed") },
			func(t *testing.T, s *Sim, d *Data, id amo.LeadID) {
				if last := d.Events[len(d.Events)-1]; last.Type != amo.EventCommonNoteAdded || d.Notes[last.NoteID].Text != "agreed" {
					t.Fatalf("event = %+v", last)
				}
			}},
		{"won with budget", false, func(s *Sim, id amo.LeadID, at time.Time) { s.CloseWon(id, at, "paid") },
			func(t *testing.T, s *Sim, d *Data, id amo.LeadID) {
				if l := d.Leads[id]; l.StatusID != amo.StatusWon || l.Price == 0 || !hasField(l, s.Field(FieldBudget)) {
					t.Fatalf("lead = %+v", l)
				}
			}},
		{"reassign", false, func(s *Sim, id amo.LeadID, at time.Time) { s.Reassign(id, at, s.Managers()[1]) },
			func(t *testing.T, s *Sim, d *Data, id amo.LeadID) {
				last := d.Events[len(d.Events)-1]
				if d.Leads[id].ResponsibleUserID != s.Managers()[1] || last.ResponsibleAfter != s.Managers()[1] || last.CreatedBy != s.Head() {
					t.Fatalf("event = %+v", last)
				}
			}},
		{"delete", false, func(s *Sim, id amo.LeadID, at time.Time) { s.DeleteLead(id, at) },
			func(t *testing.T, s *Sim, d *Data, id amo.LeadID) {
				if d.Leads[id] != nil || d.DeletedLeads[id] == nil || !d.DeletedLeads[id].IsDeleted {
					t.Fatal("lead not moved to the trash")
				}
			}},
		{"move and chat", false, func(s *Sim, id amo.LeadID, at time.Time) {
			s.MoveLead(id, at, s.Stage(StageMissed))
			s.SendChat(id, at)
		}, func(t *testing.T, s *Sim, d *Data, id amo.LeadID) {
			last := d.Events[len(d.Events)-1]
			if d.Leads[id].Status() != s.Stage(StageMissed) || last.Type != amo.EventOutgoingChatMessage || last.LinkedContactID == 0 {
				t.Fatalf("event = %+v", last)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w, s := mustQuiet(t)
			at := simStart.Add(time.Hour)
			id := s.NewLead(at, s.Managers()[0])
			tt.do(s, id, at.Add(time.Minute))
			w.Read(func(d *Data) {
				tt.check(t, s, d, id)
				if l := d.Leads[id]; l != nil && !tt.quiet && !l.UpdatedAt.Equal(at.Add(time.Minute).UTC()) {
					t.Errorf("updated_at = %v, want the action's time", l.UpdatedAt)
				}
			})
		})
	}
}

func TestSimQuietAdvanceCreatesNothing(t *testing.T) {
	w, s := mustQuiet(t)
	id := s.NewLeadIn(simStart, s.Managers()[2], s.StageIn(1, StageUnsorted))
	before := len(snapshot(w).Events)
	s.AdvanceTo(simStart.Add(72 * time.Hour))
	d := snapshot(w)
	if len(d.Events) != before || len(d.Leads) != 1 {
		t.Fatalf("quiet AdvanceTo made %d events and %d leads", len(d.Events)-before, len(d.Leads))
	}
	if d.Leads[id].Status() != s.StageIn(1, StageUnsorted) {
		t.Fatalf("lead moved to %+v", d.Leads[id].Status())
	}
	s.SetQuiet(false)
	s.AdvanceTo(simStart.Add(96 * time.Hour))
	if len(snapshot(w).Leads) < 10 {
		t.Fatal("no leads after random activity was switched back on")
	}
}

func TestSimUnknownLeadIsIgnored(t *testing.T) {
	w, s := mustQuiet(t)
	if n := s.TakeLead(12345, simStart); n != 0 {
		t.Fatalf("TakeLead on an unknown lead = %d", n)
	}
	if got := len(snapshot(w).Events); got != 0 {
		t.Fatalf("%d events for an unknown lead", got)
	}
}
