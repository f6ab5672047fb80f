package sandbox

import (
	"time"

	"salesguard/amo"
)

// The scripting helpers below let tests and the demo write exact scenarios. Each acts at the
// given moment as the deal's responsible manager, keeps updated_at and closest_task_at right,
// writes the events the checks read, and leaves the world's Now alone. Use them with
// SetQuiet(true) (or SimConfig.Quiet) so random activity does not interfere. An unknown lead
// id makes them do nothing and return 0.

// CallSpec describes a scripted call.
type CallSpec struct {
	Duration  time.Duration // talk time; ≥ 30 s gets a recording link and call_status 4
	Incoming  bool          // call_in from the client instead of call_out
	OnContact bool          // the note lands on the contact card, as telephony often does
}

// NewLead creates a deal for manager in the first normal stage ("Новый лид") of the main
// pipeline, with a contact and a lead_added event, and no action. A manager id the simulator
// does not know is still used as the responsible user.
func (s *Sim) NewLead(at time.Time, manager amo.UserID) amo.LeadID {
	return s.NewLeadIn(at, manager, s.stages[0][StageNew])
}

// NewLeadIn is NewLead in a given stage, e.g. Stage(StageUnsorted) or StageIn(1, StageNew).
func (s *Sim) NewLeadIn(at time.Time, manager amo.UserID, stage amo.StatusRef) amo.LeadID {
	m := s.managerByID(manager)
	pipe, key := 0, StageNew
	for p := range s.stages {
		for k, ref := range s.stages[p] {
			if ref == stage {
				pipe, key = p, StageKey(k)
			}
		}
	}
	var id amo.LeadID
	s.w.Update(func(d *Data) { id = s.createLead(d, at, m, pipe, key, 0).id })
	return id
}

// TakeLead is a first response: a 45 s outgoing call on the deal, its outgoing_call event and
// a move to the next stage ("ОП взял в работу"). It returns the call note.
func (s *Sim) TakeLead(id amo.LeadID, at time.Time) amo.NoteID {
	var n amo.NoteID
	s.script(id, func(d *Data, l *leadState) {
		n = s.call(d, l, at, true, 45, false)
		s.moveTo(d, l, at, StageTaken)
	})
	return n
}

// Call writes a call note (on the deal or its contact) with its outgoing_call/incoming_call
// event and returns the note.
func (s *Sim) Call(id amo.LeadID, at time.Time, c CallSpec) amo.NoteID {
	var n amo.NoteID
	s.script(id, func(d *Data, l *leadState) {
		n = s.call(d, l, at, !c.Incoming, int64(c.Duration/time.Second), c.OnContact)
	})
	return n
}

// AddNote writes a text note on the deal with its common_note_added event.
func (s *Sim) AddNote(id amo.LeadID, at time.Time, text string) amo.NoteID {
	var n amo.NoteID
	s.script(id, func(d *Data, l *leadState) { n = s.comment(d, l, at, text) })
	return n
}

// SendChat records an outgoing chat message to the deal's contact.
func (s *Sim) SendChat(id amo.LeadID, at time.Time) {
	s.script(id, func(d *Data, l *leadState) { s.chat(d, l, at) })
}

// AddTask creates an open call task on the deal, due at due, and returns it.
func (s *Sim) AddTask(id amo.LeadID, at, due time.Time, text string) amo.TaskID {
	var t amo.TaskID
	s.script(id, func(d *Data, l *leadState) { t = s.addTask(d, l, at, due, text, taskTypeCall) })
	return t
}

// CompleteTask completes a task with a result text ("" = no result).
func (s *Sim) CompleteTask(task amo.TaskID, at time.Time, result string) {
	s.w.Update(func(d *Data) {
		t := d.Tasks[task]
		if t == nil {
			return
		}
		if l := s.leads[t.LeadID()]; l != nil {
			s.completeTask(d, l, task, at, result)
		}
	})
}

// MoveLead moves the deal to a stage with a lead_status_changed event.
func (s *Sim) MoveLead(id amo.LeadID, at time.Time, to amo.StatusRef) {
	s.script(id, func(d *Data, l *leadState) {
		for k, ref := range s.stages[l.pipe] {
			if ref == to {
				l.stage = StageKey(k)
			}
		}
		s.move(d, l, at, to, l.mgr.id)
	})
}

// SetField fills a deal field with a plausible value (the budget also sets the price).
func (s *Sim) SetField(id amo.LeadID, at time.Time, k FieldKey) {
	s.script(id, func(d *Data, l *leadState) { s.setField(d, l, at, k) })
}

// CloseLost closes the deal as lost with a reason (0 = none), completing its open tasks with
// result; CloseWon closes it as won.
func (s *Sim) CloseLost(id amo.LeadID, at time.Time, reason amo.LossReasonID, result string) {
	s.script(id, func(d *Data, l *leadState) { s.closeDeal(d, l, at, false, reason, result) })
}

// CloseWon closes the deal as won, completing its open tasks with result.
func (s *Sim) CloseWon(id amo.LeadID, at time.Time, result string) {
	s.script(id, func(d *Data, l *leadState) { s.closeDeal(d, l, at, true, 0, result) })
}

// Reassign hands the deal to another manager, as the head does (entity_responsible_changed).
func (s *Sim) Reassign(id amo.LeadID, at time.Time, to amo.UserID) {
	s.script(id, func(d *Data, l *leadState) { s.reassign(d, l, at, s.managerByID(to)) })
}

// DeleteLead moves the deal to the trash, as the head does with spam (lead_deleted).
func (s *Sim) DeleteLead(id amo.LeadID, at time.Time) {
	s.script(id, func(d *Data, l *leadState) { s.deleteLead(d, l, at) })
}

// script runs f on a deal the simulator knows and that still exists.
func (s *Sim) script(id amo.LeadID, f func(d *Data, l *leadState)) {
	s.w.Update(func(d *Data) {
		if l := s.leads[id]; l != nil && d.Leads[id] != nil {
			f(d, l)
		}
	})
}

// managerByID returns the simulated manager with the id, or a stand-in for an unknown user.
func (s *Sim) managerByID(id amo.UserID) *manager {
	for _, m := range s.managers {
		if m.id == id {
			return m
		}
	}
	return &manager{id: id}
}
