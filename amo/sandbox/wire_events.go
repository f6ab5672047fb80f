package sandbox

import (
	"fmt"

	"salesguard/amo"
)

// wireEvent is an item of _embedded.events (API.md §4.9). Its id is a string.
type wireEvent struct {
	ID                  string        `json:"id"`
	Type                string        `json:"type"`
	EntityID            int64         `json:"entity_id"`
	EntityType          string        `json:"entity_type"`
	CreatedBy           int64         `json:"created_by"`
	CreatedAt           int64         `json:"created_at"`
	ValueAfter          []any         `json:"value_after"`
	ValueBefore         []any         `json:"value_before"`
	LinkedTalkContactID *int64        `json:"linked_talk_contact_id,omitempty"`
	AccountID           int64         `json:"account_id"`
	Links               itemLinks     `json:"_links"`
	Embedded            eventEmbedded `json:"_embedded"`
}

type eventEmbedded struct {
	Entity wireLinkRef `json:"entity"`
}

// Shapes of value_after / value_before items (API.md §4.9 table).
type (
	idRef          struct{ ID int64 }
	leadStatusVal  struct{ ID, PipelineID int64 }
	messageIDValue struct{ ID string }
)

func (v idRef) MarshalJSON() ([]byte, error) { return fmt.Appendf(nil, `{"id":%d}`, v.ID), nil }
func (v leadStatusVal) MarshalJSON() ([]byte, error) {
	return fmt.Appendf(nil, `{"id":%d,"pipeline_id":%d}`, v.ID, v.PipelineID), nil
}
func (v messageIDValue) MarshalJSON() ([]byte, error) {
	return fmt.Appendf(nil, `{"id":%q}`, v.ID), nil
}

// entityPath maps an event's singular entity type to its API collection (quirk 7).
func entityPath(typ string) string {
	if typ == "company" {
		return "companies"
	}
	return typ + "s"
}

func (c wireCtx) event(e *amo.Event) wireEvent {
	w := wireEvent{
		ID: e.ID, Type: e.Type, EntityID: e.EntityID, EntityType: e.EntityType, CreatedBy: int64(e.CreatedBy),
		CreatedAt: unix(e.CreatedAt), ValueAfter: []any{}, ValueBefore: []any{}, AccountID: c.account,
		Links: itemLinks{Self: href{Href: c.base + "/api/v4/events/" + e.ID}},
	}
	coll := entityPath(e.EntityType)
	w.Embedded.Entity = wireLinkRef{ID: e.EntityID, Links: c.self("/api/v4/"+coll+"/", e.EntityID)}
	switch {
	case e.StatusAfter != nil || e.StatusBefore != nil:
		w.ValueAfter = statusValue(e.StatusAfter)
		w.ValueBefore = statusValue(e.StatusBefore)
	case e.Type == amo.EventResponsibleChanged:
		w.ValueAfter = []any{map[string]idRef{"responsible_user": {int64(e.ResponsibleAfter)}}}
		if e.ResponsibleBefore != 0 {
			w.ValueBefore = []any{map[string]idRef{"responsible_user": {int64(e.ResponsibleBefore)}}}
		}
	case e.Type == amo.EventIncomingChatMessage || e.Type == amo.EventOutgoingChatMessage:
		id := fmt.Sprintf("%08x-0000-4000-8000-%012x", stableID("msg", e.ID), stableID("msg2", e.ID))
		w.ValueAfter = []any{map[string]messageIDValue{"message": {id}}}
		if e.LinkedContactID != 0 {
			cid := int64(e.LinkedContactID)
			w.LinkedTalkContactID = &cid
		}
	case e.NoteID != 0:
		w.ValueAfter = []any{map[string]idRef{"note": {int64(e.NoteID)}}}
	}
	return w
}

func statusValue(s *amo.StatusRef) []any {
	if s == nil {
		return []any{}
	}
	return []any{map[string]leadStatusVal{"lead_status": {int64(s.StatusID), int64(s.PipelineID)}}}
}
