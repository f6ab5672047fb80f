package sandbox

import (
	"math/rand/v2"
	"time"

	"salesguard/amo"
)

// SimConfig configures the simulated sales department. Zero fields take the defaults below.
type SimConfig struct {
	// Seed drives every random choice; the same seed and the same calls give the same world.
	Seed int64
	// Managers is the number of sales managers (default 20, seed 004).
	Managers int
	// LeadsPerDay is the number of leads the whole account receives on a working day
	// (default 100, seed 004); weekends get about a quarter of it.
	LeadsPerDay int
	// Days is how many days of history Populate simulates before Start (default 30; negative
	// means none). Before them comes a 60-day quiet period at a tenth of the lead rate, so the
	// account also holds old and forgotten deals (R11).
	Days int
	// Start is the simulated "now" after Populate (default 2026-03-02 10:00 in TimeZone).
	Start time.Time
	// TimeZone is the account's IANA time zone (default Europe/Moscow; an unknown name gives UTC).
	TimeZone string
	// Lang picks names and texts: "ru" (default), "en" or "es".
	Lang string
	// Quiet starts the simulator with random activity off (see Sim.SetQuiet).
	Quiet bool
}

// Planted is a rule violation the simulator made on purpose.
type Planted struct {
	Rule      string     // "R1".."R12"
	LeadID    amo.LeadID // the deal, or 0
	ManagerID amo.UserID // the responsible manager
	At        time.Time  // when the violation becomes visible to the checks
	Note      string     // what was done, for humans reading a test failure
}

// Sim is the simulated sales department of one World: a head, an admin and managers who
// take leads, call, write notes, set and complete tasks and close deals, mostly by the rules
// of shared/RULES.md and sometimes not. Everything is driven by a seeded generator, never by
// the wall clock. A Sim is not safe for concurrent use; the World it writes to is.
type Sim struct {
	w     *World
	cfg   SimConfig
	loc   *time.Location
	rng   *rand.Rand
	arr   *rand.Rand // arrivals only, so chunking AdvanceTo does not change the story
	cat   *catalog
	quiet bool

	head     amo.UserID
	admin    amo.UserID
	managers []*manager
	stages   [2][stageCount]amo.StatusRef // zero where a pipeline lacks the stage
	pipes    [2]amo.PipelineID
	reasons  [reasonCount]amo.LossReasonID
	fields   [fieldCount]amo.FieldID
	required map[amo.StatusRef][]FieldKey // lead fields a stage requires

	leads    map[amo.LeadID]*leadState
	contacts []amo.ContactID             // in creation order, for returning clients
	tasks    map[amo.LeadID][]amo.TaskID // tasks of each lead, for closest_task_at
	queue    actionQueue
	seq      uint64    // tie-breaker of actions scheduled by the team
	arrSeq   uint64    // tie-breaker of arrivals, which go first at equal times
	genUntil time.Time // arrivals are generated for local days starting before genUntil
	histFrom time.Time // start of the history window; earlier days are the quiet legacy period
	leadNo   int
	planted  []Planted
}

// NewSim returns a simulator for w. Call Populate once before AdvanceTo.
func NewSim(w *World, cfg SimConfig) *Sim {
	if cfg.Managers <= 0 {
		cfg.Managers = 20
	}
	if cfg.LeadsPerDay <= 0 {
		cfg.LeadsPerDay = 100
	}
	if cfg.Days < 0 {
		cfg.Days = 0
	} else if cfg.Days == 0 && !cfg.Quiet {
		cfg.Days = 30
	}
	if cfg.TimeZone == "" {
		cfg.TimeZone = "Europe/Moscow"
	}
	if cfg.Lang == "" {
		cfg.Lang = "ru"
	}
	loc, err := time.LoadLocation(cfg.TimeZone)
	if err != nil {
		loc = time.UTC
		cfg.TimeZone = "UTC"
	}
	if cfg.Start.IsZero() {
		cfg.Start = time.Date(2026, 3, 2, 10, 0, 0, 0, loc)
	}
	seed := uint64(cfg.Seed)
	return &Sim{
		w:        w,
		cfg:      cfg,
		loc:      loc,
		rng:      rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)),
		arr:      rand.New(rand.NewPCG(seed^0x51ed, seed+1)),
		cat:      catalogFor(cfg.Lang),
		quiet:    cfg.Quiet,
		required: map[amo.StatusRef][]FieldKey{},
		leads:    map[amo.LeadID]*leadState{},
		tasks:    map[amo.LeadID][]amo.TaskID{},
	}
}

// SetQuiet turns random activity off (true) or on. A quiet simulator creates no leads and lets
// nobody act: AdvanceTo only moves the clock, and what was scheduled meanwhile is dropped, so
// scripted tests built with NewLead, TakeLead and friends are exact.
func (s *Sim) SetQuiet(quiet bool) { s.quiet = quiet }

// Populate creates the account, its users, pipelines, loss reasons and custom fields, then
// simulates Days days of history (plus some older deals) ending at Start, and sets the
// world's Now to Start. With Quiet or Days 0 only the dictionaries are created.
func (s *Sim) Populate() {
	start := s.cfg.Start.UTC()
	from := s.localMidnight(start).In(s.loc).AddDate(0, 0, -s.cfg.Days).UTC()
	s.w.Update(func(d *Data) {
		s.histFrom = from
		s.genUntil = from
		if s.cfg.Days > 0 && !s.quiet {
			s.genUntil = from.In(s.loc).AddDate(0, 0, -legacyDays).UTC()
		}
		s.setup(d, s.genUntil)
		s.run(d, start)
		d.Now = start
	})
}

// AdvanceTo simulates the team from the world's Now up to t and sets Now to t. A t before
// Now does nothing. Advancing in one step or in many small ones gives the same world.
func (s *Sim) AdvanceTo(t time.Time) {
	t = t.UTC()
	s.w.Update(func(d *Data) {
		if t.Before(d.Now) {
			return
		}
		s.run(d, t)
		d.Now = t
	})
}

// Planted returns the violations made on purpose that are visible at the world's Now, in the
// order they were decided.
func (s *Sim) Planted() []Planted {
	now := s.w.Now()
	out := make([]Planted, 0, len(s.planted))
	for _, p := range s.planted {
		if !p.At.After(now) {
			out = append(out, p)
		}
	}
	return out
}

// Managers returns the ids of the simulated managers.
func (s *Sim) Managers() []amo.UserID {
	ids := make([]amo.UserID, len(s.managers))
	for i, m := range s.managers {
		ids[i] = m.id
	}
	return ids
}

// Head returns the id of the head of sales; Admin the id of the account administrator.
func (s *Sim) Head() amo.UserID { return s.head }

// Admin returns the id of the account administrator.
func (s *Sim) Admin() amo.UserID { return s.admin }

// Stage returns a stage of the main pipeline (pipeline 0) by its meaning.
func (s *Sim) Stage(k StageKey) amo.StatusRef { return s.stages[0][k] }

// StageIn returns a stage of pipeline 0 (main, roofing) or 1 (courses); the zero StatusRef
// when that pipeline has no such stage.
func (s *Sim) StageIn(pipeline int, k StageKey) amo.StatusRef { return s.stages[pipeline&1][k] }

// Reason returns the id of a loss reason by its meaning.
func (s *Sim) Reason(k ReasonKey) amo.LossReasonID { return s.reasons[k] }

// Field returns the id of a custom field by its meaning.
func (s *Sim) Field(k FieldKey) amo.FieldID { return s.fields[k] }

// Location returns the account's time zone.
func (s *Sim) Location() *time.Location { return s.loc }

// run generates arrivals and performs every scheduled action up to t, in time order.
func (s *Sim) run(d *Data, t time.Time) {
	for !s.genUntil.After(t) {
		day := s.genUntil
		s.genUntil = s.localMidnight(day.Add(36 * time.Hour))
		if !s.quiet {
			s.scheduleArrivals(day)
		}
	}
	for s.queue.Len() > 0 && !s.queue.peek().at.After(t) {
		a := s.queue.pop()
		if s.quiet {
			continue
		}
		d.Now = a.at
		s.do(d, a)
	}
}

// plant records a deliberate violation.
func (s *Sim) plant(rule string, l *leadState, at time.Time, note string) {
	p := Planted{Rule: rule, At: at.UTC(), Note: note}
	if l != nil {
		p.LeadID, p.ManagerID = l.id, l.mgr.id
	}
	s.planted = append(s.planted, p)
}

// pick returns a random element of a non-empty list.
func pick[T any](r *rand.Rand, list []T) T { return list[r.IntN(len(list))] }

// between returns a random duration in [lo, hi].
func (s *Sim) between(lo, hi time.Duration) time.Duration {
	if hi <= lo {
		return lo
	}
	return lo + time.Duration(s.rng.Int64N(int64(hi-lo)+1)).Truncate(time.Second)
}

// chance reports true with probability p.
func (s *Sim) chance(p float64) bool { return s.rng.Float64() < p }
