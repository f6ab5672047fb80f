package amo

import (
	"context"
	"fmt"
	"time"
)

// eventValue is one element of value_after / value_before; only the shapes the checks use
// are decoded (API.md §4.9), anything else is dropped.
type eventValue struct {
	LeadStatus *struct {
		ID         flexInt `json:"id"`
		PipelineID flexInt `json:"pipeline_id"`
	} `json:"lead_status"`
	ResponsibleUser *idObj `json:"responsible_user"`
	Note            *idObj `json:"note"`
}

// wireEvent is an event as API v4 sends it.
type wireEvent struct {
	ID                  flexString                `json:"id"`
	Type                flexString                `json:"type"`
	EntityID            flexInt                   `json:"entity_id"`
	EntityType          flexString                `json:"entity_type"`
	CreatedBy           flexInt                   `json:"created_by"`
	CreatedAt           unixTime                  `json:"created_at"`
	ValueAfter          tolerantSlice[eventValue] `json:"value_after"`
	ValueBefore         tolerantSlice[eventValue] `json:"value_before"`
	LinkedTalkContactID flexInt                   `json:"linked_talk_contact_id"`
}

func (w *wireEvent) model() Event {
	e := Event{
		ID: string(w.ID), Type: string(w.Type), EntityID: int64(w.EntityID),
		EntityType: string(w.EntityType), CreatedBy: UserID(w.CreatedBy), CreatedAt: w.CreatedAt.Time,
		LinkedContactID: ContactID(w.LinkedTalkContactID),
	}
	for _, v := range w.ValueBefore {
		switch {
		case v.LeadStatus != nil:
			e.StatusBefore = &StatusRef{PipelineID: PipelineID(v.LeadStatus.PipelineID), StatusID: StatusID(v.LeadStatus.ID)}
		case v.ResponsibleUser != nil:
			e.ResponsibleBefore = UserID(v.ResponsibleUser.ID)
		}
	}
	for _, v := range w.ValueAfter {
		switch {
		case v.LeadStatus != nil:
			e.StatusAfter = &StatusRef{PipelineID: PipelineID(v.LeadStatus.PipelineID), StatusID: StatusID(v.LeadStatus.ID)}
		case v.ResponsibleUser != nil:
			e.ResponsibleAfter = UserID(v.ResponsibleUser.ID)
		case v.Note != nil:
			e.NoteID = NoteID(v.Note.ID)
		}
	}
	return e
}

// markOf returns what an event says about a deleted or restored entity.
func markOf(e *Event) (Mark, bool) {
	m := Mark{ID: e.EntityID, At: e.CreatedAt}
	switch e.Type {
	case EventLeadDeleted, EventLeadRestored:
		m.Entity, m.Deleted = EntityLeads, e.Type == EventLeadDeleted
	case EventContactDeleted, "contact_restored":
		m.Entity, m.Deleted = EntityContacts, e.Type == EventContactDeleted
	case EventTaskDeleted:
		m.Entity, m.Deleted = EntityTasks, true
	default:
		return Mark{}, false
	}
	return m, true
}

func decodeEvents(body []byte, ch *Changes) (pageInfo, error) {
	var times []time.Time
	info, err := decodeItems(body, "events", ch, func(w *wireEvent) {
		e := w.model()
		if m, ok := markOf(&e); ok {
			ch.Marks = append(ch.Marks, m)
		}
		ch.Events = append(ch.Events, e)
		times = append(times, e.CreatedAt)
	})
	for _, t := range times {
		info.note(t)
	}
	return info, err
}

// ListEvents returns the events created within w.
// API: GET /api/v4/events
func (c *Client) ListEvents(ctx context.Context, w Window) ([]Event, error) {
	ch, err := c.list(ctx, c.defs[ListKeyEvents], w)
	if err != nil {
		return nil, fmt.Errorf("list events: %w", err)
	}
	return ch.Events, nil
}
