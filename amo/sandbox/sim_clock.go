package sandbox

import (
	"container/heap"
	"time"

	"salesguard/amo"
)

// The simulated team works Mon–Fri 09:00–18:00 in the account's time zone, the rulebook's
// default calendar; clients send requests at any hour.
const (
	workStartHour = 9
	workEndHour   = 18
)

// localMidnight returns the start of t's local day.
func (s *Sim) localMidnight(t time.Time) time.Time {
	l := t.In(s.loc)
	return time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, s.loc).UTC()
}

// isWorkday reports whether t's local day is Monday to Friday.
func (s *Sim) isWorkday(t time.Time) bool {
	wd := t.In(s.loc).Weekday()
	return wd != time.Saturday && wd != time.Sunday
}

// dayBounds returns the working interval of t's local day.
func (s *Sim) dayBounds(t time.Time) (start, end time.Time) {
	l := t.In(s.loc)
	start = time.Date(l.Year(), l.Month(), l.Day(), workStartHour, 0, 0, 0, s.loc).UTC()
	end = time.Date(l.Year(), l.Month(), l.Day(), workEndHour, 0, 0, 0, s.loc).UTC()
	return start, end
}

// isWorking reports whether t falls in working time.
func (s *Sim) isWorking(t time.Time) bool {
	if !s.isWorkday(t) {
		return false
	}
	start, end := s.dayBounds(t)
	return !t.Before(start) && t.Before(end)
}

// nextWorking returns t when it is working time, else the start of the next working interval.
func (s *Sim) nextWorking(t time.Time) time.Time {
	for i := 0; i < 14; i++ {
		start, end := s.dayBounds(t)
		if s.isWorkday(t) {
			if t.Before(start) {
				return start
			}
			if t.Before(end) {
				return t
			}
		}
		t = s.localMidnight(s.localMidnight(t).Add(36 * time.Hour))
	}
	return t
}

// addWorking returns the moment d of working time after t (t itself is first moved into
// working time). The result always lies in a working interval, its end included.
func (s *Sim) addWorking(t time.Time, d time.Duration) time.Time {
	t = s.nextWorking(t)
	for {
		_, end := s.dayBounds(t)
		if left := end.Sub(t); d <= left {
			return t.Add(d)
		} else {
			d -= left
		}
		t = s.nextWorking(end.Add(time.Second))
	}
}

// actionKind says what a scheduled action does.
type actionKind int

const (
	actArrive    actionKind = iota // a client sends a request: a new lead
	actTake                        // the manager's first response
	actAttempt                     // another call to a client who did not answer
	actShortRun                    // the next call of a run of very short calls (R7)
	actWork                        // the manager works on the deal's task
	actNote                        // the note written after a conversation
	actDeleteDup                   // the head deletes a spam or duplicate lead
)

// action is something the team will do at a given moment.
type action struct {
	at   time.Time
	seq  uint64
	kind actionKind
	lead amo.LeadID
	n    int // kind-specific counter
}

// actionQueue is a min-heap of actions by (at, seq).
type actionQueue []action

func (q actionQueue) Len() int { return len(q) }
func (q actionQueue) Less(i, j int) bool {
	if c := q[i].at.Compare(q[j].at); c != 0 {
		return c < 0
	}
	return q[i].seq < q[j].seq
}
func (q actionQueue) Swap(i, j int) { q[i], q[j] = q[j], q[i] }
func (q *actionQueue) Push(x any)   { *q = append(*q, x.(action)) }
func (q *actionQueue) Pop() any {
	old := *q
	a := old[len(old)-1]
	*q = old[:len(old)-1]
	return a
}
func (q actionQueue) peek() action { return q[0] }
func (q *actionQueue) pop() action { return heap.Pop(q).(action) }

// schedule queues an action. Arrivals take their tie-breakers from their own counter, below
// the team's, so the order of actions does not depend on when days were generated.
func (s *Sim) schedule(at time.Time, kind actionKind, lead amo.LeadID, n int) {
	seq := teamSeqBase + s.seq
	if kind == actArrive {
		s.arrSeq++
		seq = s.arrSeq
	} else {
		s.seq++
	}
	heap.Push(&s.queue, action{at: at.UTC().Truncate(time.Second), seq: seq, kind: kind, lead: lead, n: n})
}

// teamSeqBase puts the team's actions after the arrivals at the same second.
const teamSeqBase = 1 << 62
