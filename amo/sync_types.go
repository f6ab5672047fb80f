package amo

import (
	"context"
	"time"
)

// Token is an OAuth pair (or a long-lived token with no refresh token and no expiry).
type Token struct {
	AccessToken  string    `json:"access_token"`
	RefreshToken string    `json:"refresh_token,omitempty"`
	ExpiresAt    time.Time `json:"expires_at,omitzero"`
}

// String masks the secrets so a Token can never leak into a log line.
func (t Token) String() string { return "amo.Token{***}" }

// TokenStore persists an account's OAuth pair. Refresh tokens are single-use, so the client
// calls SaveToken with the new pair before it uses the new access token (API.md §2.2).
type TokenStore interface {
	LoadToken(ctx context.Context) (Token, error)
	SaveToken(ctx context.Context, t Token) error
}

// SyncState is what the caller persists between polls so the next sync is incremental and an
// interrupted sync resumes. It is plain JSON-serialisable data.
type SyncState struct {
	// FullDone is set once a first full sync has completed.
	FullDone bool `json:"full_done"`
	// Cursors per list ("leads", "contacts", "tasks", "notes:leads", "notes:contacts", "events"):
	// everything updated (events: created) before the cursor has been read.
	Cursors map[string]time.Time `json:"cursors,omitempty"`
	// Resume per list: the next page of a scan that was interrupted, with the fixed window end.
	Resume map[string]ResumePoint `json:"resume,omitempty"`
	// DictionariesAt is when users, pipelines, loss reasons and custom fields were last read.
	DictionariesAt time.Time `json:"dictionaries_at,omitzero"`
}

// ResumePoint lets a scan of a list continue where it stopped.
type ResumePoint struct {
	From time.Time `json:"from"`
	To   time.Time `json:"to"`
	Page int       `json:"page"`
}

// Changes is the result of one sync: what to upsert and delete in the caller's snapshot.
// A full sync sets Full, and the snapshot's lists are replaced rather than merged.
type Changes struct {
	Full    bool      `json:"full"`
	TakenAt time.Time `json:"taken_at"`

	// Dictionaries are non-nil only when they were (re)read in this sync.
	Account      *Account      `json:"account,omitempty"`
	Users        []User        `json:"users,omitempty"`
	Pipelines    []Pipeline    `json:"pipelines,omitempty"`
	LossReasons  []LossReason  `json:"loss_reasons,omitempty"`
	CustomFields []CustomField `json:"custom_fields,omitempty"`
	Dictionaries bool          `json:"dictionaries"` // true when the four dictionaries above were read

	Leads    []Lead    `json:"leads,omitempty"`
	Contacts []Contact `json:"contacts,omitempty"`
	Tasks    []Task    `json:"tasks,omitempty"`
	Notes    []Note    `json:"notes,omitempty"`
	Events   []Event   `json:"events,omitempty"`

	DeletedLeads    []LeadID    `json:"deleted_leads,omitempty"`
	DeletedContacts []ContactID `json:"deleted_contacts,omitempty"`
	DeletedTasks    []TaskID    `json:"deleted_tasks,omitempty"`

	// Warnings are problems that did not stop the sync (for example /users forbidden for a
	// non-admin token); the caller logs or shows them.
	Warnings []string `json:"warnings,omitempty"`

	// State is the sync state to persist after the changes are applied.
	State SyncState `json:"state"`
	// Requests is how many HTTP requests the sync made.
	Requests int `json:"requests"`
}
