package sandbox

import (
	"time"
)

// attempt is another call to a client who has not answered yet (R6, R7).
func (s *Sim) attempt(d *Data, l *leadState, at time.Time) {
	s.finishTask(d, l, at, s.cat.results[3])
	if l.tries >= 2 && s.breaks(l, 0.3) {
		s.plant("R7", l, at, "a run of very short calls")
		s.shortRun(d, l, at, 5+s.rng.IntN(3))
		return
	}
	if s.chance(0.2) {
		s.talk(d, l, at, !s.chance(0.3))
		l.tries = 0
		s.enterStage(d, l, at, StageTaken)
		s.nextTask(d, l, at)
		return
	}
	s.call(d, l, at, true, s.rng.Int64N(16), s.chance(0.35))
	l.tries++
	switch {
	case l.giveUp > 0 && l.tries >= l.giveUp:
		s.plant("R6", l, at, "closed as can't reach after too few attempts")
		s.closeDeal(d, l, at, false, s.reasons[ReasonCantReach], s.cat.results[3])
	case l.tries >= maxAttempts:
		s.comment(d, l, at, pick(s.rng, s.cat.missNotes))
		s.closeDeal(d, l, at, false, s.reasons[ReasonCantReach], s.cat.results[3])
	default:
		s.retry(d, l, at)
	}
}

// retry sets the task for the next attempt, a couple of hours later so the hours differ.
func (s *Sim) retry(d *Data, l *leadState, at time.Time) {
	next := s.addWorking(at, s.between(60*time.Minute, 120*time.Minute))
	s.addTask(d, l, at, next, s.cat.taskTexts[0], taskTypeCall)
	s.schedule(next, actAttempt, l.id, 0)
}

// shortRun makes n very short calls to the same client a minute or two apart: activity for
// show (R7).
func (s *Sim) shortRun(d *Data, l *leadState, at time.Time, n int) {
	s.call(d, l, at, true, s.rng.Int64N(4), false)
	if n > 1 {
		s.schedule(at.Add(s.between(40*time.Second, 2*time.Minute)), actShortRun, l.id, n-1)
		return
	}
	s.retry(d, l, at)
}

// work is the manager working on a deal in progress: the task is done, the client is called,
// and the deal moves on, stays, is won or lost (R2, R3, R4, R8, R9, R10, R11).
func (s *Sim) work(d *Data, l *leadState, at time.Time) {
	s.finishTask(d, l, at, pick(s.rng, s.cat.results[:3]))
	noted := true // a closing comment must not hide a planted R9
	if s.chance(0.75) {
		noted = s.talk(d, l, at, true)
	} else {
		s.call(d, l, at, true, s.rng.Int64N(16), s.chance(0.35))
		s.chat(d, l, at)
	}
	if at.Before(l.stale) {
		s.nextTask(d, l, at)
		return
	}
	path := workPath()[l.pipe]
	r := s.rng.Float64()
	if !noted {
		r = 0.99 // the deal stays where it is this time
	}
	switch {
	case r < 0.08:
		s.lose(d, l, at)
	case l.path >= len(path) && noted:
		if s.chance(0.55) {
			s.closeDeal(d, l, at, true, 0, pick(s.rng, s.cat.results[:3]))
		} else {
			s.lose(d, l, at)
		}
	case l.stage != StageCallBack && s.breaks(l, 0.3):
		s.enterStage(d, l, at, StageCallBack)
		l.stale = at.Add(s.between(60*time.Hour, 150*time.Hour))
		s.plant("R4", l, at.Add(48*time.Hour+time.Minute), "kept in the call-back stage too long")
		s.nextTask(d, l, at)
	case s.breaks(l, 0.2):
		s.forget(d, l, at)
	case r < 0.7 && l.path < len(path):
		s.enterStage(d, l, at, path[l.path])
		l.path++
		s.nextTask(d, l, at)
	default:
		s.nextTask(d, l, at)
	}
}

// forget leaves the deal with a far-off task and no more contact: a forgotten client (R11).
func (s *Sim) forget(d *Data, l *leadState, at time.Time) {
	due := s.addWorking(at, time.Duration(40+s.rng.IntN(30))*9*time.Hour)
	s.addTask(d, l, at, due, s.cat.taskTexts[0], taskTypeCall)
	s.plant("R11", l, at.Add(30*24*time.Hour+15*time.Minute), "no contact with the client for 30 days")
	l.idle = true
}
