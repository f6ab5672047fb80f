package sandbox

import (
	"time"
)

// legacyDays is how long before the history window the account already existed. Leads arrive
// then at a tenth of the normal rate, so the account has old, closed and forgotten deals (R11).
const legacyDays = 60

// maxAttempts is how many calls a manager makes to a silent client before closing the deal as
// "can't reach": 3 a day for 5 days (seed 004).
const maxAttempts = 15

// scheduleArrivals queues the requests clients send during the local day that starts at day:
// most in working hours on weekdays, some at night and at weekends.
func (s *Sim) scheduleArrivals(day time.Time) { s.scheduleArrivalsFrom(day, time.Time{}) }

// scheduleArrivalsFrom is scheduleArrivals without the requests before from; they are drawn
// all the same, so the rest of the day is the one a whole day would have.
func (s *Sim) scheduleArrivalsFrom(day, from time.Time) {
	n := s.cfg.LeadsPerDay
	if !s.isWorkday(day) {
		n /= 4
	}
	if day.Before(s.histFrom) {
		n /= 10
	}
	n = n * (85 + s.arr.IntN(31)) / 100
	start, _ := s.dayBounds(day)
	for range n {
		at := day.Add(time.Duration(s.arr.Int64N(24*3600)) * time.Second)
		if s.isWorkday(day) && s.arr.Float64() < 0.85 {
			at = start.Add(time.Duration(s.arr.Int64N(9*3600)) * time.Second)
		}
		if at.Before(from) {
			continue
		}
		s.schedule(at, actArrive, 0, 0)
	}
}

// do performs one scheduled action.
func (s *Sim) do(d *Data, a action) {
	if a.kind == actArrive {
		s.arrive(d, a.at)
		return
	}
	l := s.leads[a.lead]
	if l == nil || d.Leads[l.id] == nil {
		return
	}
	switch {
	case a.kind == actNote:
		s.comment(d, l, a.at, pick(s.rng, s.cat.callNotes))
	case l.idle:
	case a.kind == actTake:
		s.take(d, l, a.at)
	case a.kind == actAttempt:
		s.attempt(d, l, a.at)
	case a.kind == actShortRun:
		s.shortRun(d, l, a.at, a.n)
	case a.kind == actWork:
		s.work(d, l, a.at)
	case a.kind == actDeleteDup:
		s.deleteLead(d, l, a.at)
	}
}

// breaks reports whether the deal's manager breaks a rule on this occasion; factor scales
// the manager's sloppiness for rules that have many occasions per deal.
func (s *Sim) breaks(l *leadState, factor float64) bool {
	return s.chance(l.mgr.sloppiness * factor)
}

// pickManager spreads leads: of two random managers, the one with fewer open deals.
func (s *Sim) pickManager() *manager {
	a, b := pick(s.rng, s.managers), pick(s.rng, s.managers)
	if b.load < a.load {
		return b
	}
	return a
}

// arrive creates a new lead and schedules the first response (R1, R12).
func (s *Sim) arrive(d *Data, at time.Time) {
	pipe, stage := 0, StageNew
	if s.chance(0.25) {
		pipe = 1
	}
	if s.chance(0.3) {
		stage = StageUnsorted
	}
	l := s.createLead(d, at, s.pickManager(), pipe, stage, 0)
	if s.chance(0.5) {
		ld := d.Leads[l.id]
		ld.CustomFields = append(ld.CustomFields, s.value(FieldProduct))
	}
	if s.chance(0.01) {
		s.schedule(s.addWorking(at, s.between(30*time.Minute, 2*time.Hour)), actDeleteDup, l.id, 0)
		return
	}
	deadline := s.addWorking(at, 15*time.Minute)
	take := s.addWorking(at, s.between(time.Minute, 12*time.Minute))
	if s.breaks(l, 1) {
		take = s.addWorking(at, s.between(25*time.Minute, 150*time.Minute))
	}
	if _, end := s.dayBounds(at); s.isWorking(at) && s.breaks(l, 0.5) {
		take = s.addWorking(end, s.between(5*time.Minute, 40*time.Minute))
	}
	if take.After(deadline) {
		s.plant("R1", l, deadline, "first response after the limit")
	}
	if _, end := s.dayBounds(at); s.isWorking(at) && take.After(end) {
		s.plant("R12", l, end, "left in the first stage at the end of the day")
	}
	s.schedule(take, actTake, l.id, 0)
}

// take is the first response: a call, then the deal moves on (R1).
func (s *Sim) take(d *Data, l *leadState, at time.Time) {
	if s.chance(0.02) {
		s.reassign(d, l, at, pick(s.rng, s.managers))
	}
	if s.chance(0.55) {
		s.talk(d, l, at, true)
		s.enterStage(d, l, at, StageTaken)
		s.nextTask(d, l, at)
		return
	}
	s.call(d, l, at, true, s.rng.Int64N(16), s.chance(0.35))
	s.enterStage(d, l, at, StageMissed)
	if !s.breaks(l, 1) {
		s.chat(d, l, at)
	}
	l.tries = 1
	if s.breaks(l, 1) {
		l.giveUp = 2 + s.rng.IntN(3)
	}
	next := s.addWorking(at, s.between(60*time.Minute, 120*time.Minute))
	s.addTask(d, l, at, next, pick(s.rng, s.cat.taskTexts[:1]), taskTypeCall)
	s.schedule(next, actAttempt, l.id, 0)
}

// talk is a real conversation (≥ 30 s) followed by a note a few minutes later, unless the
// manager skips it (R9); it reports whether a note will follow.
func (s *Sim) talk(d *Data, l *leadState, at time.Time, out bool) bool {
	dur := 60 + s.rng.Int64N(541)
	if s.chance(0.1) {
		dur = 30 + s.rng.Int64N(30)
	}
	s.call(d, l, at, out, dur, s.chance(0.35))
	if s.breaks(l, 0.5) {
		s.plant("R9", l, at.Add(30*time.Minute), "conversation with no note")
		return false
	}
	s.schedule(at.Add(s.between(time.Minute, 10*time.Minute)), actNote, l.id, 0)
	return true
}

// enterStage moves the deal into a stage, filling the fields it requires unless the manager
// skips them (R10).
func (s *Sim) enterStage(d *Data, l *leadState, at time.Time, k StageKey) {
	var missing []FieldKey
	ld := d.Leads[l.id]
	for _, f := range s.required[s.stages[l.pipe][k]] {
		if !hasField(ld, s.fields[f]) {
			missing = append(missing, f)
		}
	}
	if len(missing) > 0 && s.breaks(l, 1) {
		s.plant("R10", l, at, "moved on without a required field")
	} else {
		for _, f := range missing {
			s.setField(d, l, at, f)
		}
	}
	s.moveTo(d, l, at, k)
}

// finishTask completes the deal's open task, sometimes with an empty or trivial result (R8).
func (s *Sim) finishTask(d *Data, l *leadState, at time.Time, result string) {
	if l.task == 0 {
		return
	}
	if s.chance(0.02) {
		s.deleteTask(d, l, l.task, at, l.mgr.id)
		return
	}
	if s.breaks(l, 0.3) {
		result = pick(s.rng, s.cat.trivial)
		s.plant("R8", l, at, "task completed without a result")
	}
	s.completeTask(d, l, l.task, at, result)
}

// nextTask sets the next step of a deal in work and schedules the work on it; sometimes the
// manager sets none and comes back to the deal only a day or so later (R2), or will be late
// with the task (R3).
func (s *Sim) nextTask(d *Data, l *leadState, at time.Time) {
	if s.breaks(l, 0.3) {
		s.plant("R2", l, at, "open deal left without a task")
		s.schedule(s.addWorking(at, s.between(4*time.Hour, 27*time.Hour)), actWork, l.id, 0)
		return
	}
	typ := int64(taskTypeCall)
	if s.chance(0.15) {
		typ = taskTypeMeeting
	}
	due := s.addWorking(at, s.between(3*time.Hour, 20*time.Hour)).Truncate(time.Minute)
	if !s.isWorking(due) {
		due = s.nextWorking(due)
	}
	s.addTask(d, l, at, due, pick(s.rng, s.cat.taskTexts), typ)
	when := due.Add(-s.between(0, 3*time.Hour))
	if start, _ := s.dayBounds(due); when.Before(start) {
		when = start
	}
	if when.Before(at) {
		when = at.Add(time.Minute)
	}
	if s.breaks(l, 0.5) {
		when = s.addWorking(due, s.between(30*time.Minute, 8*time.Hour))
		s.plant("R3", l, due.Add(time.Second), "task done after its deadline")
	}
	s.schedule(when, actWork, l.id, 0)
}

// lose closes the deal as lost with a reason; "other" gets an explaining note, unless the
// manager breaks R5 (no reason, or "other" with no note).
func (s *Sim) lose(d *Data, l *leadState, at time.Time) {
	reasons := []ReasonKey{ReasonExpensive, ReasonExpensive, ReasonElsewhere, ReasonElsewhere, ReasonNoNeed, ReasonOther}
	k := pick(s.rng, reasons)
	reason := s.reasons[k]
	switch {
	case s.breaks(l, 1) && s.chance(0.5):
		reason = 0
		s.plant("R5", l, at, "lost without a reason")
	case k == ReasonOther && s.breaks(l, 2):
		s.plant("R5", l, at, "lost as other with no note")
	case k == ReasonOther:
		s.comment(d, l, at, pick(s.rng, s.cat.otherNotes))
	}
	s.closeDeal(d, l, at, false, reason, pick(s.rng, s.cat.results))
}
