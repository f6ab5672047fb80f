package amo

import (
	"strconv"
	"strings"
	"time"
)

// Typed identifiers keep a lead id from being passed where a user id is expected.
type (
	// AccountID identifies an amoCRM account.
	AccountID int64
	// UserID identifies an amoCRM user (a manager). 0 means a robot or the system.
	UserID int64
	// LeadID identifies a lead (a deal).
	LeadID int64
	// ContactID identifies a contact.
	ContactID int64
	// TaskID identifies a task.
	TaskID int64
	// NoteID identifies a note.
	NoteID int64
	// PipelineID identifies a pipeline.
	PipelineID int64
	// StatusID identifies a status (a stage). It is unique only together with a PipelineID,
	// except for the system statuses 142 and 143 shared by all pipelines.
	StatusID int64
	// LossReasonID identifies a loss reason. 0 means no reason.
	LossReasonID int64
	// FieldID identifies a custom field.
	FieldID int64
)

// System statuses shared by every pipeline (API.md §4.3).
const (
	StatusWon  StatusID = 142
	StatusLost StatusID = 143
)

// Status types (API.md §4.3).
const (
	StatusTypeNormal   = 0
	StatusTypeUnsorted = 1
)

// Entity types as they appear on tasks and notes (plural, API.md quirk 7).
const (
	EntityLeads    = "leads"
	EntityContacts = "contacts"
	EntityTasks    = "tasks"
)

// Note types the checks care about; other types are kept with their type string.
const (
	NoteCommon  = "common"
	NoteCallIn  = "call_in"
	NoteCallOut = "call_out"
	NoteSMSIn   = "sms_in"
	NoteSMSOut  = "sms_out"
	NoteMail    = "amomail_message"
	NoteService = "service_message"
)

// Event types the checks care about (API.md §4.9).
const (
	EventLeadAdded           = "lead_added"
	EventLeadDeleted         = "lead_deleted"
	EventLeadRestored        = "lead_restored"
	EventLeadStatusChanged   = "lead_status_changed"
	EventOutgoingCall        = "outgoing_call"
	EventIncomingCall        = "incoming_call"
	EventOutgoingChatMessage = "outgoing_chat_message"
	EventIncomingChatMessage = "incoming_chat_message"
	EventOutgoingSMS         = "outgoing_sms"
	EventOutgoingMail        = "outgoing_mail"
	EventCommonNoteAdded     = "common_note_added"
	EventTaskCompleted       = "task_completed"
	EventTaskDeleted         = "task_deleted"
	EventTaskResultAdded     = "task_result_added"
	EventResponsibleChanged  = "entity_responsible_changed"
	EventContactDeleted      = "contact_deleted"
)

// Account is the amoCRM account the token belongs to.
// API: GET /api/v4/account?with=datetime_settings,is_api_filter_enabled
type Account struct {
	ID                  AccountID `json:"id"`
	Name                string    `json:"name"`
	Subdomain           string    `json:"subdomain"`
	Country             string    `json:"country,omitempty"`
	TimeZone            string    `json:"time_zone"` // IANA name, e.g. "Europe/Moscow"
	IsLossReasonEnabled bool      `json:"is_loss_reason_enabled"`
	IsUnsortedOn        bool      `json:"is_unsorted_on"`
	IsAPIFilterEnabled  bool      `json:"is_api_filter_enabled"`
}

// User is an amoCRM user. Inactive users are kept so old deals still resolve.
// API: GET /api/v4/users
type User struct {
	ID       UserID `json:"id"`
	Name     string `json:"name"`
	Email    string `json:"email,omitempty"`
	Lang     string `json:"lang,omitempty"`
	IsAdmin  bool   `json:"is_admin"`
	IsActive bool   `json:"is_active"`
	GroupID  int64  `json:"group_id,omitempty"`
}

// Pipeline is a sales pipeline with its statuses in display order.
// API: GET /api/v4/leads/pipelines
type Pipeline struct {
	ID        PipelineID `json:"id"`
	Name      string     `json:"name"`
	Sort      int        `json:"sort"`
	IsMain    bool       `json:"is_main"`
	IsArchive bool       `json:"is_archive"`
	Statuses  []Status   `json:"statuses"`
}

// Status is a stage of a pipeline.
type Status struct {
	ID         StatusID   `json:"id"`
	PipelineID PipelineID `json:"pipeline_id"`
	Name       string     `json:"name"`
	Sort       int        `json:"sort"`
	Type       int        `json:"type"` // StatusTypeUnsorted for the incoming (unsorted) stage
}

// StatusRef names a status by its pipeline, the only unambiguous identity of a stage.
type StatusRef struct {
	PipelineID PipelineID `json:"pipeline_id"`
	StatusID   StatusID   `json:"status_id"`
}

// LossReason is an entry of the account's loss-reason dictionary.
// API: GET /api/v4/leads/loss_reasons
type LossReason struct {
	ID   LossReasonID `json:"id"`
	Name string       `json:"name"`
	Sort int          `json:"sort"`
}

// CustomField describes a custom field of leads or contacts.
// API: GET /api/v4/leads/custom_fields, GET /api/v4/contacts/custom_fields
type CustomField struct {
	ID               FieldID     `json:"id"`
	EntityType       string      `json:"entity_type"` // EntityLeads or EntityContacts
	Name             string      `json:"name"`
	Code             string      `json:"code,omitempty"`
	Type             string      `json:"type"`
	Sort             int         `json:"sort"`
	RequiredStatuses []StatusRef `json:"required_statuses,omitempty"`
}

// FieldValue is the value of one custom field on an entity. Values are normalised to text
// whatever their JSON type was: strings as they are, numbers and timestamps in digits, bools
// as "true"/"false", object values (file, legal_entity, linked_entity, chained_list, items,
// payer, supplier) as their compact JSON, null, {} and [] as "". State (fieldvalue.go) says
// whether they fill the field.
type FieldValue struct {
	FieldID FieldID  `json:"field_id"`
	Name    string   `json:"name,omitempty"`
	Code    string   `json:"code,omitempty"`
	Type    string   `json:"type,omitempty"`
	Values  []string `json:"values"`
}

// Lead is a deal. Zero times mean "not set" (closed_at, closest_task_at).
// API: GET /api/v4/leads?with=contacts,loss_reason
type Lead struct {
	ID                LeadID       `json:"id"`
	Name              string       `json:"name"`
	Price             int64        `json:"price"`
	ResponsibleUserID UserID       `json:"responsible_user_id"`
	GroupID           int64        `json:"group_id,omitempty"`
	PipelineID        PipelineID   `json:"pipeline_id"`
	StatusID          StatusID     `json:"status_id"`
	LossReasonID      LossReasonID `json:"loss_reason_id,omitempty"`
	CreatedBy         UserID       `json:"created_by"`
	UpdatedBy         UserID       `json:"updated_by"`
	CreatedAt         time.Time    `json:"created_at"`
	UpdatedAt         time.Time    `json:"updated_at"`
	ClosedAt          time.Time    `json:"closed_at,omitzero"`
	ClosestTaskAt     time.Time    `json:"closest_task_at,omitzero"`
	IsDeleted         bool         `json:"is_deleted,omitempty"`
	CustomFields      []FieldValue `json:"custom_fields,omitempty"`
	ContactIDs        []ContactID  `json:"contact_ids,omitempty"` // the main contact first
	Tags              []string     `json:"tags,omitempty"`
}

// IsOpen reports whether the deal is neither won nor lost.
func (l *Lead) IsOpen() bool { return l.StatusID != StatusWon && l.StatusID != StatusLost }

// Status returns the (pipeline, status) pair of the deal.
func (l *Lead) Status() StatusRef { return StatusRef{PipelineID: l.PipelineID, StatusID: l.StatusID} }

// Contact is a person linked to deals. Phone and e-mail are multitext custom fields.
// API: GET /api/v4/contacts?with=leads
type Contact struct {
	ID                ContactID    `json:"id"`
	Name              string       `json:"name"`
	ResponsibleUserID UserID       `json:"responsible_user_id"`
	CreatedAt         time.Time    `json:"created_at"`
	UpdatedAt         time.Time    `json:"updated_at"`
	CustomFields      []FieldValue `json:"custom_fields,omitempty"`
	LeadIDs           []LeadID     `json:"lead_ids,omitempty"`
}

// Task is a to-do with a deadline. A task may belong to no entity (EntityID 0).
// API: GET /api/v4/tasks
type Task struct {
	ID                TaskID    `json:"id"`
	ResponsibleUserID UserID    `json:"responsible_user_id"`
	EntityID          int64     `json:"entity_id,omitempty"`
	EntityType        string    `json:"entity_type,omitempty"` // EntityLeads, EntityContacts, …
	TaskTypeID        int64     `json:"task_type_id"`
	Text              string    `json:"text"`
	IsCompleted       bool      `json:"is_completed"`
	CompleteTill      time.Time `json:"complete_till"`
	Duration          int64     `json:"duration,omitempty"` // seconds
	Result            string    `json:"result,omitempty"`   // result text; "" when the API sent []
	CreatedBy         UserID    `json:"created_by"`
	UpdatedBy         UserID    `json:"updated_by"`
	CreatedAt         time.Time `json:"created_at"`
	UpdatedAt         time.Time `json:"updated_at"`
}

// LeadID returns the deal the task belongs to, or 0 when it is not on a deal.
func (t *Task) LeadID() LeadID {
	if t.EntityType != EntityLeads {
		return 0
	}
	return LeadID(t.EntityID)
}

// Call holds the parameters of a call note (call_in / call_out).
type Call struct {
	Duration    int64  `json:"duration"` // seconds; decoded from an int or a string
	Status      int    `json:"status,omitempty"`
	Result      string `json:"result,omitempty"`
	Link        string `json:"link,omitempty"` // recording URL
	Phone       string `json:"phone,omitempty"`
	Uniq        string `json:"uniq,omitempty"`
	Source      string `json:"source,omitempty"`
	Responsible string `json:"responsible,omitempty"`
}

// Note is a note on a deal or a contact: a comment, a call, an SMS, a mail.
// API: GET /api/v4/leads/notes, GET /api/v4/contacts/notes
type Note struct {
	ID                NoteID    `json:"id"`
	EntityID          int64     `json:"entity_id"`
	EntityType        string    `json:"entity_type"` // EntityLeads or EntityContacts
	NoteType          string    `json:"note_type"`
	Text              string    `json:"text,omitempty"`
	Call              *Call     `json:"call,omitempty"` // set for call_in and call_out
	CreatedBy         UserID    `json:"created_by"`
	ResponsibleUserID UserID    `json:"responsible_user_id"`
	CreatedAt         time.Time `json:"created_at"`
	UpdatedAt         time.Time `json:"updated_at"`
}

// IsCall reports whether the note is a call, and IsOutgoing whether it was made by the manager.
func (n *Note) IsCall() bool { return n.NoteType == NoteCallIn || n.NoteType == NoteCallOut }

// IsOutgoingCall reports whether the note is an outgoing call.
func (n *Note) IsOutgoingCall() bool { return n.NoteType == NoteCallOut }

// Event is an entry of the account's event log. Only the shapes the checks use are decoded;
// the rest of value_before/value_after is dropped.
// API: GET /api/v4/events
type Event struct {
	ID         string    `json:"id"`
	Type       string    `json:"type"`
	EntityID   int64     `json:"entity_id"`
	EntityType string    `json:"entity_type"` // singular: "lead", "contact", …
	CreatedBy  UserID    `json:"created_by"`
	CreatedAt  time.Time `json:"created_at"`
	// StatusBefore and StatusAfter are set for lead_status_changed.
	StatusBefore *StatusRef `json:"status_before,omitempty"`
	StatusAfter  *StatusRef `json:"status_after,omitempty"`
	// NoteID is set for events whose value_after names a note (calls, common notes, …).
	NoteID NoteID `json:"note_id,omitempty"`
	// ResponsibleAfter and ResponsibleBefore are set for entity_responsible_changed.
	ResponsibleAfter  UserID `json:"responsible_after,omitempty"`
	ResponsibleBefore UserID `json:"responsible_before,omitempty"`
	// LinkedContactID is set on chat messages linked to a talk.
	LinkedContactID ContactID `json:"linked_contact_id,omitempty"`
}

// LeadID returns the deal the event is about, or 0 when it is about another entity.
func (e *Event) LeadID() LeadID {
	if e.EntityType != "lead" {
		return 0
	}
	return LeadID(e.EntityID)
}

// Snapshot is everything the checks need to know about one account at TakenAt.
// It is produced by the client's sync and kept up to date incrementally.
type Snapshot struct {
	TakenAt      time.Time     `json:"taken_at"`
	BaseURL      string        `json:"base_url"` // account URL, for links to deals
	Account      Account       `json:"account"`
	Users        []User        `json:"users"`
	Pipelines    []Pipeline    `json:"pipelines"`
	LossReasons  []LossReason  `json:"loss_reasons"`
	CustomFields []CustomField `json:"custom_fields"`
	Leads        []Lead        `json:"leads"`
	Contacts     []Contact     `json:"contacts"`
	Tasks        []Task        `json:"tasks"`
	Notes        []Note        `json:"notes"`
	Events       []Event       `json:"events"`
}

// DealURL returns the link to a deal's card in amoCRM.
func (s *Snapshot) DealURL(id LeadID) string {
	return DealURL(s.BaseURL, id)
}

// DealURL returns the link to a deal's card for an account base URL.
func DealURL(baseURL string, id LeadID) string {
	return strings.TrimRight(baseURL, "/") + "/leads/detail/" + strconv.FormatInt(int64(id), 10)
}
