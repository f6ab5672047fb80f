package checks

import (
	"math"
	"time"

	"salesguard/amo"
)

// dealSummaries hold, by deal position in the snapshot, what rules would otherwise learn by
// walking each deal's notes or events, touching items spread all over memory. BuildIndex
// fills them while grouping, in compact arrays that stay in cache.
type dealSummaries struct {
	events []amo.Event // the snapshot's events, which entered points into
	leads  []amo.Lead  // the snapshot's deals, which positions point into
	tasks  []amo.Task  // the snapshot's tasks, which taskDeal follows
	// taskDeal is, by task index, the position of the task's deal, or noDeal.
	taskDeal []int32
	// openTasks counts each deal's open tasks.
	openTasks []int32
	status    []amo.StatusRef // the deal's current status
	// lastNoteSec is the Unix second of the deal's latest note (math.MinInt64 for none).
	lastNoteSec []int64
	// entered is the index in events of the latest lead_status_changed into the deal's
	// current status, by the order of the index's slices; -1 for none.
	entered []int32
}

func newDealSummaries(leads []amo.Lead, events []amo.Event) *dealSummaries {
	n := len(leads)
	sum := &dealSummaries{leads: leads, events: events, status: make([]amo.StatusRef, n), lastNoteSec: make([]int64, n),
		entered: make([]int32, n), openTasks: make([]int32, n)}
	for i := range leads {
		sum.status[i] = leads[i].Status()
		sum.lastNoteSec[i] = math.MinInt64
		sum.entered[i] = -1
	}
	return sum
}

// addNote takes note n of the deal at position p into account.
func (s *dealSummaries) addNote(p int32, n *amo.Note) {
	s.lastNoteSec[p] = max(s.lastNoteSec[p], n.CreatedAt.Unix())
}

// addEvent takes event i of the deal at position p into account; of equal events the one
// seen last wins, as when walking the deal's events from the end. sorted says the events so
// far are in the index's order, so event i is the latest yet.
func (s *dealSummaries) addEvent(p int32, i int, sorted bool) {
	e := &s.events[i]
	if e.Type != amo.EventLeadStatusChanged || e.StatusAfter == nil || *e.StatusAfter != s.status[p] {
		return
	}
	if cur := s.entered[p]; cur < 0 || sorted || compareEvents(&s.events[cur], e) <= 0 {
		s.entered[p] = int32(i)
	}
}

// enteredAt returns when the deal at position p entered its current status (enteredStage),
// and false when no event says so.
func (s *dealSummaries) enteredAt(p int) (time.Time, bool) {
	if i := s.entered[p]; i >= 0 {
		return s.events[i].CreatedAt, true
	}
	return time.Time{}, false
}

// taskLead returns the deal of task i of tasks (nil when the snapshot lacks it) as the Leads
// map would; ok is false when the index was built from other tasks (then use the map).
func (ix *Index) taskLead(tasks []amo.Task, i int) (l *amo.Lead, ok bool) {
	s := ix.sum
	if s == nil || len(tasks) != len(s.tasks) || len(tasks) == 0 || &tasks[0] != &s.tasks[0] {
		return nil, false
	}
	if p := s.taskDeal[i]; p >= 0 {
		return &s.leads[p], true
	}
	return nil, true
}
