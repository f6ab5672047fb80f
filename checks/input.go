package checks

import (
	"fmt"
	"time"

	"salesguard/amo"
	"salesguard/workset"
)

// Input is what every rule reads: the working set, the settings resolved against the account
// (stage and reason meanings), the working calendar and the moment of evaluation.
type Input struct {
	WS       *workset.Set
	Now      time.Time
	Settings Settings
	Cal      *Calendar
	Meaning  *Meaning
	// Statuses, Users and Reasons index the dictionaries.
	Statuses map[amo.StatusRef]*amo.Status
	Users    map[amo.UserID]*amo.User

	// health is the call-data health the rules of one evaluation share (nil until needed).
	health *callHealth
	// today is the local date of Now; dayStart and nextDay bound it; r8From starts R8's
	// look-back.
	today                     Date
	dayStart, nextDay, r8From time.Time
	// buf is scratch space for one deal's merged activity, spare the other half of its merges;
	// dv is the view evalDeal reuses.
	buf, spare []item
	dv         view
	// stageTime holds how the R4 limits that say so count time (working or calendar time).
	stageTime map[amo.StatusRef]StageTime
	// lastEnd is the latest end of a working day at or before Now (zero when none), nextEnd
	// the first one after it (R12).
	lastEnd, nextEnd time.Time
	// work sums the working time of the days up to today (R4's stays in working time).
	work workSpan
	// trivialSet and fieldPlan are built once per input (R8, R10).
	trivialSet map[string]bool
	trivialMax int // the most letters of a trivial phrase: a result with more is not one
	fieldPlan  *fieldPlan
}

// Meaning is what the account's stages and loss reasons mean for the rules, either configured
// by id or auto-detected by name (see autodetect.go).
type Meaning struct {
	// Watched holds the pipelines the rules look at.
	Watched map[amo.PipelineID]bool
	// First holds the first (incoming) stage of each watched pipeline, unsorted included.
	First map[amo.StatusRef]bool
	// MissedCall holds the "missed call / can't reach" stages.
	MissedCall map[amo.StatusRef]bool
	// CantReach holds the loss reasons meaning "can't reach the client".
	CantReach map[amo.LossReasonID]bool
	// Other holds the loss reasons meaning "other" (a free-text reason is expected in a note).
	Other map[amo.LossReasonID]bool
	// StageLimits holds the R4 time limit of each stage that has one.
	StageLimits map[amo.StatusRef]time.Duration
	// Priority orders stages for the morning plan: lower is earlier; missing = last.
	Priority map[amo.StatusRef]int
}

// IsWatched reports whether a deal is in a watched pipeline and not deleted.
func (m *Meaning) IsWatched(d *workset.Deal) bool {
	return !d.Deleted && m.Watched[d.Stage.PipelineID]
}

// NewInput validates the settings and prepares everything the rules read: the calendar (in
// the settings' zone, else the account's), the meaning of stages and reasons, and the indexes
// of the dictionaries.
func NewInput(ws *workset.Set, s Settings, now time.Time) (*Input, error) {
	if ws == nil {
		return nil, fmt.Errorf("checks: no working set")
	}
	if err := s.Validate(); err != nil {
		return nil, err
	}
	dict := ws.Dict()
	cal, err := NewCalendar(s.Calendar, dict.Account.TimeZone)
	if err != nil {
		return nil, fmt.Errorf("account %d: %w", dict.Account.ID, err)
	}
	in := &Input{
		WS: ws, Now: now, Settings: s, Cal: cal, Meaning: Resolve(s, dict),
		Statuses: map[amo.StatusRef]*amo.Status{}, Users: make(map[amo.UserID]*amo.User, len(dict.Users)),
		stageTime: stageTimes(s.R4),
	}
	for i := range dict.Pipelines {
		for j := range dict.Pipelines[i].Statuses {
			st := &dict.Pipelines[i].Statuses[j]
			in.Statuses[amo.StatusRef{PipelineID: dict.Pipelines[i].ID, StatusID: st.ID}] = st
		}
	}
	for i := range dict.Users {
		in.Users[dict.Users[i].ID] = &dict.Users[i]
	}
	in.setNow(now)
	return in, nil
}

// At returns a copy of the input evaluated at another moment (the settings, calendar and
// meaning are shared).
func (in *Input) At(now time.Time) *Input {
	out := &Input{WS: in.WS, Settings: in.Settings, Cal: in.Cal, Meaning: in.Meaning,
		Statuses: in.Statuses, Users: in.Users, stageTime: in.stageTime}
	out.setNow(now)
	return out
}

func (in *Input) setNow(now time.Time) {
	in.Now = now
	loc := in.Cal.Location()
	in.today = DateOf(now.In(loc))
	in.dayStart = in.today.In(loc)
	in.nextDay = in.today.AddDays(1).In(loc)
	in.r8From = in.today.AddDays(-r8LookbackDays).In(loc)
	in.lastEnd, in.nextEnd = time.Time{}, time.Time{}
	if _, e, ok := in.Cal.LastDayEnd(now); ok {
		in.lastEnd = e
	}
	if _, e, ok := in.Cal.NextDayEnd(now); ok {
		in.nextEnd = e
	}
	in.work = newWorkSpan(in.Cal, in.today.AddDays(-spanDays), in.today)
}

// AccountID returns the account's id.
func (in *Input) AccountID() amo.AccountID { return in.WS.Dict().Account.ID }

// DealURL returns the link to a deal's card.
func (in *Input) DealURL(id amo.LeadID) string { return amo.DealURL(in.WS.BaseURL, id) }

// isUnsorted reports whether a stage is an unsorted (incoming) one.
func (in *Input) isUnsorted(r amo.StatusRef) bool {
	st := in.Statuses[r]
	return st != nil && st.Type == amo.StatusTypeUnsorted
}

// stageOf returns a stage slot's stage and whether it is known.
func (in *Input) stageOf(slot int32) (amo.StatusRef, bool) { return in.WS.Stage(slot) }
