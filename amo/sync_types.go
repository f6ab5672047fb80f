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
// interrupted sync resumes: after every page it receives, the state that resumes after that
// page. It is plain JSON-serialisable data.
type SyncState struct {
	// FullDone is set once a first full sync has completed.
	FullDone bool `json:"full_done"`
	// Lists holds each list's position, by key (ListKeyLeads, …).
	Lists map[string]ListState `json:"lists,omitempty"`
	// DictionariesAt is when users, pipelines, loss reasons and custom fields were last read.
	DictionariesAt time.Time `json:"dictionaries_at,omitzero"`
	// Filters says whether the account applies the time filters the incremental scans rely
	// on (ProbeFilters; a scan that meets items outside its window also sets it).
	Filters FilterState `json:"filters,omitzero"`
}

// FilterState is what is known of the account's time filters. A list whose filter is ignored
// is scanned newest first (order[updated_at]=desc, events order[created_at]=desc) and stops
// at the first item older than its cursor, at most FallbackPages pages a poll, instead of
// reading the whole list on every poll (API.md §3.4).
type FilterState struct {
	// CheckedAt is when ProbeFilters last answered; NextAt is when it is due again.
	CheckedAt time.Time `json:"checked_at,omitzero"`
	NextAt    time.Time `json:"next_at,omitzero"`
	// UpdatedAtIgnored: filter[updated_at] is ignored (leads, contacts, tasks, notes).
	UpdatedAtIgnored bool `json:"updated_at_ignored,omitempty"`
	// CreatedAtIgnored: filter[created_at] is ignored (events).
	CreatedAtIgnored bool `json:"created_at_ignored,omitempty"`
}

// Due reports whether the filter probe should run at now.
func (f FilterState) Due(now time.Time) bool { return f.NextAt.IsZero() || !now.Before(f.NextAt) }

// Ignored reports whether either time filter is known to be ignored.
func (f FilterState) Ignored() bool { return f.UpdatedAtIgnored || f.CreatedAtIgnored }

// ignored reports whether the filter on field (updated_at or created_at) is known ignored.
func (f FilterState) ignored(field string) bool {
	if field == "created_at" {
		return f.CreatedAtIgnored
	}
	return f.UpdatedAtIgnored
}

// setIgnored records that the filter on field is ignored.
func (f *FilterState) setIgnored(field string) {
	if field == "created_at" {
		f.CreatedAtIgnored = true
	} else {
		f.UpdatedAtIgnored = true
	}
}

// ListState is where one list stands.
type ListState struct {
	// Cursor is where the next scan starts (inclusive): the latest updated_at (events:
	// created_at) read, so only the items of that very second are read again, or the second
	// after it once a scan has read it Config.Settle after it passed. Everything before it has
	// been read. Zero until the list has been scanned once.
	Cursor time.Time `json:"cursor,omitzero"`
	// Scan is a scan that has not finished; nil when none.
	Scan *Scan `json:"scan,omitempty"`
}

// Scan is an unfinished scan of a list.
type Scan struct {
	// Full says it is a first scan of the whole list, in id order (From is then zero).
	Full bool `json:"full,omitempty"`
	// From and To bound the scan (From inclusive; To fixed when the scan starts).
	From time.Time `json:"from,omitzero"`
	To   time.Time `json:"to"`
	// Page is the next page to read: of the whole scan for offset scans, of the items at From
	// for scans by updated_at (usually 1).
	Page int `json:"page"`
	// Seen is the latest timestamp read so far within the window.
	Seen time.Time `json:"seen,omitzero"`
	// Desc says the scan reads newest first and ends at the first item older than From: the
	// fallback for an account that ignores the window's filter (FilterState).
	Desc bool `json:"desc,omitempty"`
}

// Changes is what a sync read: one page of one list (SyncPages), or a whole sync collected
// (Sync). A whole first sync sets Full: the caller's lists are replaced rather than merged.
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

	// Marks are deletions (and restorations) seen on this page, with their times: an entity
	// deleted at At goes unless it was updated after that (restored).
	Marks []Mark `json:"marks,omitempty"`

	DeletedLeads    []LeadID    `json:"deleted_leads,omitempty"`
	DeletedContacts []ContactID `json:"deleted_contacts,omitempty"`
	DeletedTasks    []TaskID    `json:"deleted_tasks,omitempty"`

	// Warnings are problems that did not stop the sync (for example /users forbidden for a
	// non-admin token); the caller logs or shows them.
	Warnings []string `json:"warnings,omitempty"`

	// List is the key of the list the page was read from ("" for the dictionaries).
	List string `json:"list,omitempty"`
	// State is the sync state to persist with the changes: it resumes after them.
	State SyncState `json:"state"`
	// Requests is how many HTTP requests the sync made (Sync only).
	Requests int `json:"requests"`
}

// Mark is a deletion or a restoration of an entity (EntityLeads, EntityContacts, EntityTasks)
// at a moment, as the trash (with=only_deleted) or a *_deleted / *_restored event tells it.
type Mark struct {
	Entity  string    `json:"entity"`
	ID      int64     `json:"id"`
	At      time.Time `json:"at"`
	Deleted bool      `json:"deleted"`
}
