package amo

import (
	"bytes"
	"context"
	"fmt"
	"time"

	"github.com/segmentio/encoding/json"
)

// wireNote is a note as API v4 sends it (API.md §4.8). params.duration is an int or a string.
type wireNote struct {
	ID                int64      `json:"id"`
	EntityID          int64      `json:"entity_id"`
	NoteType          flexString `json:"note_type"`
	CreatedBy         flexInt    `json:"created_by"`
	ResponsibleUserID flexInt    `json:"responsible_user_id"`
	CreatedAt         unixTime   `json:"created_at"`
	UpdatedAt         unixTime   `json:"updated_at"`
	Params            noteParams `json:"params"`
}

// noteParams is a note's params; anything other than an object (some types send []) is empty.
type noteParams struct {
	Text            flexString `json:"text"`
	Duration        flexInt    `json:"duration"`
	CallStatus      flexInt    `json:"call_status"`
	CallResult      flexString `json:"call_result"`
	Link            flexString `json:"link"`
	Phone           flexString `json:"phone"`
	Uniq            flexString `json:"uniq"`
	Source          flexString `json:"source"`
	CallResponsible flexString `json:"call_responsible"`
}

// UnmarshalJSON implements json.Unmarshaler.
func (p *noteParams) UnmarshalJSON(b []byte) error {
	*p = noteParams{}
	if b = bytes.TrimSpace(b); len(b) == 0 || b[0] != '{' {
		return nil
	}
	type plain noteParams
	if err := json.Unmarshal(b, (*plain)(p)); err != nil {
		*p = noteParams{}
	}
	return nil
}

func (w *wireNote) model(entityType string) Note {
	n := Note{
		ID: NoteID(w.ID), EntityID: w.EntityID, EntityType: entityType,
		NoteType: string(w.NoteType), Text: string(w.Params.Text),
		CreatedBy: UserID(w.CreatedBy), ResponsibleUserID: UserID(w.ResponsibleUserID),
		CreatedAt: w.CreatedAt.Time, UpdatedAt: w.UpdatedAt.Time,
	}
	if n.IsCall() {
		p := &w.Params
		n.Call = &Call{
			Duration: int64(p.Duration), Status: int(p.CallStatus), Result: string(p.CallResult),
			Link: string(p.Link), Phone: string(p.Phone), Uniq: string(p.Uniq),
			Source: string(p.Source), Responsible: string(p.CallResponsible),
		}
	}
	return n
}

// decodeNotes decodes a notes page of one entity type (the path decides it).
func decodeNotes(entityType string) func([]byte, *Changes) (pageInfo, error) {
	return func(body []byte, ch *Changes) (pageInfo, error) {
		var times []time.Time
		info, err := decodeItems(body, "notes", ch, func(w *wireNote) {
			ch.Notes = append(ch.Notes, w.model(entityType))
			times = append(times, w.UpdatedAt.Time)
		})
		for _, t := range times {
			info.note(t)
		}
		return info, err
	}
}

// ListNotes returns the notes of entityType (EntityLeads or EntityContacts) updated within w.
// API: GET /api/v4/leads/notes, GET /api/v4/contacts/notes
func (c *Client) ListNotes(ctx context.Context, entityType string, w Window) ([]Note, error) {
	key := ListKeyLeadNotes
	switch entityType {
	case EntityLeads:
	case EntityContacts:
		key = ListKeyContactNotes
	default:
		return nil, fmt.Errorf("list notes: unsupported entity type %q", entityType)
	}
	ch, err := c.list(ctx, c.defs[key], w)
	if err != nil {
		return nil, fmt.Errorf("list %s notes: %w", entityType, err)
	}
	return ch.Notes, nil
}
