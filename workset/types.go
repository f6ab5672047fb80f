package workset

import (
	"time"

	"salesguard/amo"
)

// How long the working set keeps what it keeps. The rules' own windows are shorter: R1 looks
// 14 days back, R7 one week (its review the week before too), R9 two days, R5, R6 and R10 look at
// deals closed in the last 7 days, R8 at tasks completed since the start of yesterday.
const (
	// ActWindow is how long raw notes and events of contacts are kept, and items waiting for
	// their deal or contact.
	ActWindow = 15 * 24 * time.Hour
	// NoteWindow is how long a deal's raw notes are kept: R7 reads a week, its review the
	// week before from Monday on, R5 notes a day around a closing a week ago.
	NoteWindow = 9 * 24 * time.Hour
	// MoveWindow is how long status moves are kept (the funnel; as the event history before).
	MoveWindow = 31 * 24 * time.Hour
	// KeepClosed is how long a closed deal with no open task stays after closing.
	KeepClosed = 10 * 24 * time.Hour
	// KeepDone is how long a completed task stays after its completion.
	KeepDone = 3 * 24 * time.Hour
)

// Caps of the per-trail aggregates: a deal with more is an outlier, and the rules read only the
// earliest attempts (R6's window starts at the first) and the latest messages.
const (
	// MaxAttempts is how many outgoing call attempts a trail keeps: the earliest.
	MaxAttempts = 256
	// MaxMessages is how many written outgoing messages a trail keeps: the latest.
	MaxMessages = 32
)

// ActKind says what an activity item is: a note of some type, or an event of some type.
type ActKind uint8

// Activity kinds. Notes first, then events; EvOther marks events of other types, which only
// count as a touch of the deal (R13).
const (
	NoteCommon ActKind = iota + 1
	NoteCallIn
	NoteCallOut
	NoteSMSIn
	NoteSMSOut
	NoteMail
	NoteOther
	EvOutCall
	EvInCall
	EvOutChat
	EvInChat
	EvOutSMS
	EvOutMail
	EvNoteAdded
	EvTaskDone
	EvMove
	EvOther
)

// IsNote reports whether the item is a note (not an event).
func (k ActKind) IsNote() bool { return k >= NoteCommon && k <= NoteOther }

// IsCall reports whether the item is a call note (in or out).
func (k ActKind) IsCall() bool { return k == NoteCallIn || k == NoteCallOut }

// IsComm reports whether the item is communication with the client (R11): a call, a chat
// message, an SMS, an e-mail or a comment.
func (k ActKind) IsComm() bool {
	switch k {
	case NoteCommon, NoteCallIn, NoteCallOut, NoteSMSIn, NoteSMSOut, NoteMail,
		EvOutCall, EvInCall, EvOutChat, EvInChat, EvOutSMS, EvOutMail, EvNoteAdded:
		return true
	}
	return false
}

// IsMessage reports whether the item is a written outgoing message (R6: a message after the
// first missed call): a chat message, an SMS or an e-mail.
func (k ActKind) IsMessage() bool {
	switch k {
	case EvOutChat, EvOutSMS, EvOutMail, NoteSMSOut, NoteMail:
		return true
	}
	return false
}

// Act is one note or event on a deal or a contact, compacted.
type Act struct {
	// At is when it was created, in Unix seconds.
	At int64
	// ID is the note id; for an event, a hash of the event's id.
	ID int64
	// Aux depends on the kind: a note's responsible user; an event's note (value_after); a
	// move's stages (see Move).
	Aux int64
	// By is who created it; 0 means a robot or the system.
	By amo.UserID
	// Dur is a call's duration in seconds.
	Dur int32
	// Kind says what it is.
	Kind ActKind
	// CallStatus is a call note's call_status (API.md §4.8).
	CallStatus uint8
	// str is a common note's text, or a call's recording link: read it with Set.ActText.
	str strRef
}

// Time returns when the item was created.
func (a *Act) Time() time.Time { return Time(a.At) }

// Resp returns a note's responsible user.
func (a *Act) Resp() amo.UserID { return amo.UserID(a.Aux) }

// NoteRef returns the note an event names (value_after), 0 when none.
func (a *Act) NoteRef() amo.NoteID { return amo.NoteID(a.Aux) }

// Author returns who made a call: its creator, else its responsible user.
func (a *Act) Author() amo.UserID {
	if a.By != 0 {
		return a.By
	}
	return a.Resp()
}

// CallLen returns a call note's duration.
func (a *Act) CallLen() time.Duration {
	if a.Dur < 0 {
		return 0
	}
	return time.Duration(a.Dur) * time.Second
}

// Trail is the activity on one deal or contact: the raw items of the recent past, and
// aggregates over all the items ever seen (agg.go packs them).
type Trail struct {
	// Acts are the raw items, sorted by (At, ID, Kind): for a deal its notes of the last
	// NoteWindow, for a contact (or items waiting for their owner) its notes and events of the
	// last ActWindow. A deal's events are kept as aggregates only (FirstTake, EachMove,
	// TouchedIn, …). Read them with Acts.
	acts vec[Act]
	// LastComm is the latest communication (R11), 0 for none.
	LastComm int64
	// agg packs the attempts, messages, record calls, stage entries, touches and moves.
	agg vec[uint64]
}

// Acts returns the raw items, sorted by (At, ID, Kind). Callers must not modify them.
func (t *Trail) Acts() []Act { return t.acts.s() }

// Deal is a lead as the rules see it. Its lists are vecs (vec.go): read them with
// ContactIDs and Fields; its name with Set.DealName. A Deal holds no pointer.
type Deal struct {
	ID          amo.LeadID
	name        strRef // read with Set.DealName (text.go)
	Responsible amo.UserID
	Stage       amo.StatusRef
	LossReason  amo.LossReasonID
	// Created, Updated, Closed and ClosestTask are Unix seconds; 0 when unset.
	Created, Updated, Closed, ClosestTask int64
	// FirstDone is the earliest completion (at or after the deal's creation) of a task that
	// left the set; 0 for none (R1: a completed task takes a lead).
	FirstDone int64
	// FirstTake is the earliest note or event on the deal itself, at or after its creation,
	// that takes a lead (R1: an outgoing call, message or mail, a completed task, a comment by
	// a user); 0 for none. Moves, tasks and contacts' items are looked at apart.
	FirstTake int64
	Trail

	contactIDs vec[amo.ContactID] // the deal's contacts, the main one first
	fields     vec[amo.FieldID]   // the custom fields holding a value, -id for unchecked checkboxes, sorted
	taskSlots  vec[int32]         // slots of the deal's tasks
	cs         vec[int32]         // slots of the linked contacts
	// ByUser says a user created the deal (created_by ≠ 0): it was taken at creation (R1).
	ByUser  bool
	Deleted bool
	live    bool
}

// ContactIDs returns the deal's contacts, the main one first. Callers must not modify them.
func (d *Deal) ContactIDs() []amo.ContactID { return d.contactIDs.s() }

// Fields returns the custom fields holding a value and, as -id, the checkboxes present and
// unchecked, sorted. Callers must not modify them.
func (d *Deal) Fields() []amo.FieldID { return d.fields.s() }

// Live reports whether the slot holds a deal.
func (d *Deal) Live() bool { return d.live }

// IsOpen reports whether the deal is neither won nor lost.
func (d *Deal) IsOpen() bool {
	return d.Stage.StatusID != amo.StatusWon && d.Stage.StatusID != amo.StatusLost
}

// ClosedAt returns when a closed deal was closed: closed_at, else updated_at.
func (d *Deal) ClosedAt() time.Time {
	if d.Closed != 0 {
		return Time(d.Closed)
	}
	return Time(d.Updated)
}

// CreatedAt returns when the deal was created.
func (d *Deal) CreatedAt() time.Time { return Time(d.Created) }

// HasField reports whether custom field f holds a value (an unchecked checkbox does not).
func (d *Deal) HasField(f amo.FieldID) bool { return hasField(d.fields.s(), f) }

// FieldState says what custom field f holds: a value, an unchecked checkbox, or nothing.
func (d *Deal) FieldState(f amo.FieldID) amo.FieldState { return fieldState(d.fields.s(), f) }

// Task is a to-do as the rules see it. Its text and result are kept by the set: read them
// with Set.TaskText and Set.TaskResult. A Task holds no pointer.
type Task struct {
	ID          amo.TaskID
	Responsible amo.UserID
	// Entity is the id of what the task is on (see OnDeal).
	Entity int64
	// Till, Created and Updated are Unix seconds.
	Till, Created, Updated int64

	text, result strRef // read with Set.TaskText and Set.TaskResult (text.go)

	deal      int32 // slot of the deal, -1 when not on a deal of the set
	onDeal    bool  // Entity is a deal (entity_type "leads")
	Completed bool
	live      bool
}

// Live reports whether the slot holds a task.
func (t *Task) Live() bool { return t.live }

// LeadID returns the deal the task belongs to, 0 when it is on none.
func (t *Task) LeadID() amo.LeadID {
	if !t.onDeal {
		return 0
	}
	return amo.LeadID(t.Entity)
}

// Deal returns the slot of the task's deal in the set, -1 when the set does not hold it.
func (t *Task) Deal() int32 { return t.deal }

// Contact is a contact as the rules see it. Read its lists with DealIDs and Fields. A Contact
// holds no pointer.
type Contact struct {
	ID amo.ContactID
	Trail

	dealIDs vec[amo.LeadID]  // the deals the contact lists
	fields  vec[amo.FieldID] // the custom fields holding a value, -id for unchecked checkboxes, sorted
	ds      vec[int32]       // slots of the linked deals
	live    bool
}

// DealIDs returns the deals the contact lists. Callers must not modify them.
func (c *Contact) DealIDs() []amo.LeadID { return c.dealIDs.s() }

// Fields returns the custom fields holding a value and, as -id, the checkboxes present and
// unchecked, sorted. Callers must not modify them.
func (c *Contact) Fields() []amo.FieldID { return c.fields.s() }

// Live reports whether the slot holds a contact.
func (c *Contact) Live() bool { return c.live }

// HasField reports whether custom field f holds a value (an unchecked checkbox does not).
func (c *Contact) HasField(f amo.FieldID) bool { return hasField(c.fields.s(), f) }

// FieldState says what custom field f holds: a value, an unchecked checkbox, or nothing.
func (c *Contact) FieldState(f amo.FieldID) amo.FieldState { return fieldState(c.fields.s(), f) }

// Time converts Unix seconds to a time (the zero time for 0).
func Time(s int64) time.Time {
	if s == 0 {
		return time.Time{}
	}
	return time.Unix(s, 0).UTC()
}

// Sec converts a time to Unix seconds (0 for the zero time).
func Sec(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.Unix()
}

func fieldState(fs []amo.FieldID, f amo.FieldID) amo.FieldState {
	switch {
	case f <= 0:
		return amo.FieldEmpty
	case hasField(fs, f):
		return amo.FieldFilled
	case hasField(fs, -f):
		return amo.FieldUnchecked
	}
	return amo.FieldEmpty
}

func hasField(fs []amo.FieldID, f amo.FieldID) bool {
	lo, hi := 0, len(fs)
	for lo < hi {
		m := (lo + hi) / 2
		switch {
		case fs[m] == f:
			return true
		case fs[m] < f:
			lo = m + 1
		default:
			hi = m
		}
	}
	return false
}
