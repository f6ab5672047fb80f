package sandbox

import (
	"slices"
	"time"

	"salesguard/amo"
)

// Task types of amoCRM (API.md §4.7).
const (
	taskTypeCall    = 1
	taskTypeMeeting = 2
)

// addTask creates an open task on the deal and updates closest_task_at.
func (s *Sim) addTask(d *Data, l *leadState, at, due time.Time, text string, typ int64) amo.TaskID {
	at = at.UTC()
	t := &amo.Task{ID: amo.TaskID(d.ID()), ResponsibleUserID: l.mgr.id, EntityID: int64(l.id), EntityType: amo.EntityLeads,
		TaskTypeID: typ, Text: text, CompleteTill: due.UTC().Truncate(time.Minute), Duration: 900,
		CreatedBy: l.mgr.id, UpdatedBy: l.mgr.id, CreatedAt: at, UpdatedAt: at}
	if t.CompleteTill.Before(at) {
		t.CompleteTill = at
	}
	d.Tasks[t.ID] = t
	s.tasks[l.id] = append(s.tasks[l.id], t.ID)
	l.task = t.ID
	s.refreshLead(d, l.id, at, l.mgr.id)
	return t.ID
}

// completeTask closes a task with a result text; a non-empty result adds task_result_added.
func (s *Sim) completeTask(d *Data, l *leadState, id amo.TaskID, at time.Time, result string) {
	t := d.Tasks[id]
	if t == nil || t.IsCompleted {
		return
	}
	at = at.UTC()
	t.IsCompleted, t.Result, t.UpdatedAt, t.UpdatedBy = true, result, at, l.mgr.id
	s.event(d, at, amo.EventTaskCompleted, "task", int64(id), l.mgr.id)
	if result != "" {
		s.event(d, at, amo.EventTaskResultAdded, "task", int64(id), l.mgr.id)
	}
	if l.task == id {
		l.task = 0
	}
	s.refreshLead(d, l.id, at, l.mgr.id)
}

// deleteTask removes a task (the head cleans up), with a task_deleted event.
func (s *Sim) deleteTask(d *Data, l *leadState, id amo.TaskID, at time.Time, by amo.UserID) {
	if d.Tasks[id] == nil {
		return
	}
	delete(d.Tasks, id)
	s.event(d, at, amo.EventTaskDeleted, "task", int64(id), by)
	if l.task == id {
		l.task = 0
	}
	s.refreshLead(d, l.id, at, by)
}

// refreshLead recomputes closest_task_at (the earliest deadline of the open tasks, zero when
// there is none) and bumps updated_at.
func (s *Sim) refreshLead(d *Data, id amo.LeadID, at time.Time, by amo.UserID) {
	ld := d.Leads[id]
	if ld == nil {
		return
	}
	var closest time.Time
	ids := s.tasks[id][:0]
	for _, tid := range s.tasks[id] {
		t := d.Tasks[tid]
		if t == nil {
			continue
		}
		ids = append(ids, tid)
		if !t.IsCompleted && (closest.IsZero() || t.CompleteTill.Before(closest)) {
			closest = t.CompleteTill
		}
	}
	s.tasks[id] = ids
	ld.ClosestTaskAt = closest
	touch(d, id, at, by)
}

// move changes the deal's stage with a lead_status_changed event.
func (s *Sim) move(d *Data, l *leadState, at time.Time, to amo.StatusRef, by amo.UserID) {
	ld := d.Leads[l.id]
	if ld == nil || ld.Status() == to {
		return
	}
	before := ld.Status()
	ld.PipelineID, ld.StatusID = to.PipelineID, to.StatusID
	ev := s.event(d, at, amo.EventLeadStatusChanged, "lead", int64(l.id), by)
	ev.StatusBefore, ev.StatusAfter = &before, &to
	if !ld.IsOpen() {
		ld.ClosedAt = at.UTC()
	}
	touch(d, l.id, at, by)
}

// moveTo moves the deal to a stage of its pipeline.
func (s *Sim) moveTo(d *Data, l *leadState, at time.Time, k StageKey) {
	l.stage = k
	s.move(d, l, at, s.stages[l.pipe][k], l.mgr.id)
}

// closeDeal closes the deal as won or lost (reason 0 = none) and completes its open tasks.
func (s *Sim) closeDeal(d *Data, l *leadState, at time.Time, won bool, reason amo.LossReasonID, result string) {
	for _, tid := range slices.Clone(s.tasks[l.id]) {
		if t := d.Tasks[tid]; t != nil && !t.IsCompleted {
			s.completeTask(d, l, tid, at, result)
		}
	}
	ld := d.Leads[l.id]
	status := amo.StatusLost
	if won {
		status = amo.StatusWon
		if ld != nil && ld.Price == 0 {
			s.setField(d, l, at, FieldBudget)
		}
	} else if ld != nil {
		ld.LossReasonID = reason
	}
	s.move(d, l, at, amo.StatusRef{PipelineID: s.pipes[l.pipe], StatusID: status}, l.mgr.id)
	l.idle = true
	l.mgr.load--
}

// reassign hands the deal to another manager (the head does it), with its event.
func (s *Sim) reassign(d *Data, l *leadState, at time.Time, to *manager) {
	ld := d.Leads[l.id]
	if ld == nil || to == l.mgr {
		return
	}
	from := l.mgr.id
	l.mgr.load--
	to.load++
	l.mgr = to
	ld.ResponsibleUserID = to.id
	ev := s.event(d, at, amo.EventResponsibleChanged, "lead", int64(l.id), s.head)
	ev.ResponsibleAfter, ev.ResponsibleBefore = to.id, from
	touch(d, l.id, at, s.head)
	for _, tid := range s.tasks[l.id] {
		if t := d.Tasks[tid]; t != nil && !t.IsCompleted {
			t.ResponsibleUserID, t.UpdatedAt, t.UpdatedBy = to.id, at.UTC(), s.head
		}
	}
}

// deleteLead moves the deal to the trash (lead_deleted) as the head does with spam.
func (s *Sim) deleteLead(d *Data, l *leadState, at time.Time) {
	ld := d.Leads[l.id]
	if ld == nil {
		return
	}
	for _, tid := range slices.Clone(s.tasks[l.id]) {
		s.deleteTask(d, l, tid, at, s.head)
	}
	delete(d.Leads, l.id)
	ld.IsDeleted, ld.UpdatedAt, ld.UpdatedBy = true, at.UTC(), s.head
	d.DeletedLeads[l.id] = ld
	s.event(d, at, amo.EventLeadDeleted, "lead", int64(l.id), s.head)
	l.idle = true
	l.mgr.load--
}
