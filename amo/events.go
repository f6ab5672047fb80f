package amo

import (
	"context"
	"encoding/json"
	"fmt"
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

type eventsPage struct {
	Links    halLinks `json:"_links"`
	Embedded struct {
		Events []wireEvent `json:"events"`
	} `json:"_embedded"`
}

func (w *wireEvent) model() Event {
	e := Event{
		ID: string(w.ID), Type: string(w.Type), EntityID: int64(w.EntityID),
		EntityType: string(w.EntityType), CreatedBy: UserID(w.CreatedBy), CreatedAt: w.CreatedAt.Time,
		LinkedContactID: ContactID(w.LinkedTalkContactID),
	}
	for _, v := range w.ValueBefore {
		if v.LeadStatus != nil {
			e.StatusBefore = &StatusRef{PipelineID: PipelineID(v.LeadStatus.PipelineID), StatusID: StatusID(v.LeadStatus.ID)}
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

// deletions records what an event says about deleted and restored entities.
func (a *acc) deletions(e *Event) {
	switch e.Type {
	case EventLeadDeleted, EventLeadRestored:
		a.mark(a.leads, e.EntityID, e.CreatedAt, e.Type == EventLeadDeleted)
	case EventContactDeleted, "contact_restored":
		a.mark(a.contacts, e.EntityID, e.CreatedAt, e.Type == EventContactDeleted)
	case EventTaskDeleted:
		a.mark(a.tasks, e.EntityID, e.CreatedAt, true)
	}
}

func decodeEvents(body []byte, a *acc) (int, bool, error) {
	var p eventsPage
	if err := json.Unmarshal(body, &p); err != nil {
		return 0, false, err
	}
	for i := range p.Embedded.Events {
		e := p.Embedded.Events[i].model()
		a.deletions(&e)
		a.ch.Events = append(a.ch.Events, e)
	}
	return len(p.Embedded.Events), p.Links.Next != nil, nil
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
