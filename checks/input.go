package checks

import (
	"time"

	"salesguard/amo"
)

// Input is what every rule reads: the snapshot with its indices, the settings resolved against
// the account (stage and reason meanings), the working calendar and the moment of evaluation.
type Input struct {
	Snap     *amo.Snapshot
	Now      time.Time
	Settings Settings
	Cal      *Calendar
	Ix       *Index
	Meaning  *Meaning

	// health is the call-data health shared by the rules of one Evaluate call (nil outside).
	health *callHealth
}

// Rule is one rule of the rulebook: a pure function of the input.
type Rule struct {
	ID   RuleID
	Eval func(in *Input) []Finding
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
func (m *Meaning) IsWatched(l *amo.Lead) bool {
	return !l.IsDeleted && m.Watched[l.PipelineID]
}

// Index holds the lookups rules share, built once per evaluation in linear time.
// Slices are sorted by time (CreatedAt, or CompleteTill for tasks) ascending.
type Index struct {
	Leads    map[amo.LeadID]*amo.Lead
	Users    map[amo.UserID]*amo.User
	Contacts map[amo.ContactID]*amo.Contact
	Statuses map[amo.StatusRef]*amo.Status
	Reasons  map[amo.LossReasonID]*amo.LossReason
	// TasksByLead holds every task on a deal (open and completed).
	TasksByLead map[amo.LeadID][]*amo.Task
	// NotesByLead holds the notes of a deal and of its contacts (calls often land on the contact).
	NotesByLead map[amo.LeadID][]*amo.Note
	// EventsByLead holds the events about a deal, plus chat events mapped from its contacts.
	EventsByLead map[amo.LeadID][]*amo.Event
	// LeadsByManager holds the deals of each responsible user, in id order.
	LeadsByManager map[amo.UserID][]*amo.Lead
	// CallNotes counts call notes in the snapshot (for data health).
	CallNotes int
	// CallNotesByManager counts call notes per author (created_by, else responsible).
	CallNotesByManager map[amo.UserID]int

	// leads is the snapshot's deals the index was built from; tasksAt, notesAt and eventsAt
	// hold the same slices as the maps above by the deal's position in it, so rules walking
	// the deals in order skip a map lookup (see Index.eventsOf). Nil when deal ids repeat.
	leads    []amo.Lead
	tasksAt  [][]*amo.Task
	notesAt  [][]*amo.Note
	eventsAt [][]*amo.Event
	// sum holds per-deal facts gathered while grouping (index_summary.go); nil when leads is.
	sum *dealSummaries
}
