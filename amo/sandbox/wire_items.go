package sandbox

import (
	"encoding/json"
	"strconv"
	"strings"

	"salesguard/amo"
)

// wireContact is an item of _embedded.contacts (API.md §4.10).
type wireContact struct {
	ID                 int64            `json:"id"`
	Name               string           `json:"name"`
	FirstName          string           `json:"first_name"`
	LastName           string           `json:"last_name"`
	ResponsibleUserID  int64            `json:"responsible_user_id"`
	GroupID            int64            `json:"group_id"`
	CreatedBy          int64            `json:"created_by"`
	UpdatedBy          int64            `json:"updated_by"`
	CreatedAt          int64            `json:"created_at"`
	UpdatedAt          int64            `json:"updated_at"`
	ClosestTaskAt      *int64           `json:"closest_task_at"`
	IsDeleted          bool             `json:"is_deleted"`
	IsUnsorted         bool             `json:"is_unsorted"`
	CustomFieldsValues []wireFieldValue `json:"custom_fields_values"`
	AccountID          int64            `json:"account_id"`
	Links              itemLinks        `json:"_links"`
	Embedded           contactEmbedded  `json:"_embedded"`
}

type contactEmbedded struct {
	Tags      []wireTag      `json:"tags"`
	Companies []struct{}     `json:"companies"`
	Leads     *[]wireLinkRef `json:"leads,omitempty"`
}

func (c wireCtx) contact(ct *amo.Contact, withLeads bool) wireContact {
	first, last, _ := strings.Cut(ct.Name, " ")
	w := wireContact{
		ID: int64(ct.ID), Name: ct.Name, FirstName: first, LastName: last,
		ResponsibleUserID: int64(ct.ResponsibleUserID), CreatedBy: int64(ct.ResponsibleUserID),
		UpdatedBy: int64(ct.ResponsibleUserID), CreatedAt: unix(ct.CreatedAt), UpdatedAt: unix(ct.UpdatedAt),
		CustomFieldsValues: fieldValues(ct.CustomFields), AccountID: c.account,
		Links:    c.self("/api/v4/contacts/", int64(ct.ID)),
		Embedded: contactEmbedded{Tags: []wireTag{}, Companies: []struct{}{}},
	}
	if withLeads {
		refs := make([]wireLinkRef, len(ct.LeadIDs))
		for i, id := range ct.LeadIDs {
			refs[i] = wireLinkRef{ID: int64(id), Links: c.self("/api/v4/leads/", int64(id))}
		}
		w.Embedded.Leads = &refs
	}
	return w
}

// wireTask is an item of _embedded.tasks (API.md §4.7).
type wireTask struct {
	ID                int64           `json:"id"`
	CreatedBy         int64           `json:"created_by"`
	UpdatedBy         int64           `json:"updated_by"`
	CreatedAt         int64           `json:"created_at"`
	UpdatedAt         int64           `json:"updated_at"`
	ResponsibleUserID int64           `json:"responsible_user_id"`
	GroupID           int64           `json:"group_id"`
	EntityID          *int64          `json:"entity_id"`
	EntityType        *string         `json:"entity_type"`
	Duration          int64           `json:"duration"`
	IsCompleted       bool            `json:"is_completed"`
	TaskTypeID        int64           `json:"task_type_id"`
	Text              string          `json:"text"`
	Result            json.RawMessage `json:"result"`
	CompleteTill      int64           `json:"complete_till"`
	AccountID         int64           `json:"account_id"`
	Links             itemLinks       `json:"_links"`
}

// emptyResult is the task result when there is none: an empty array, not null (quirk 6).
var emptyResult = json.RawMessage(`[]`)

func (c wireCtx) task(t *amo.Task) wireTask {
	w := wireTask{
		ID: int64(t.ID), CreatedBy: int64(t.CreatedBy), UpdatedBy: int64(t.UpdatedBy),
		CreatedAt: unix(t.CreatedAt), UpdatedAt: unix(t.UpdatedAt),
		ResponsibleUserID: int64(t.ResponsibleUserID), EntityID: idOrNull(t.EntityID),
		EntityType: stringOrNull(t.EntityType), Duration: t.Duration, IsCompleted: t.IsCompleted,
		TaskTypeID: t.TaskTypeID, Text: t.Text, Result: emptyResult, CompleteTill: unix(t.CompleteTill),
		AccountID: c.account, Links: c.self("/api/v4/tasks/", int64(t.ID)),
	}
	if t.Result != "" {
		b, err := json.Marshal(struct {
			Text string `json:"text"`
		}{t.Result})
		if err == nil {
			w.Result = b
		}
	}
	return w
}

// wireNote is an item of _embedded.notes (API.md §4.8).
type wireNote struct {
	ID                int64          `json:"id"`
	EntityID          int64          `json:"entity_id"`
	CreatedBy         int64          `json:"created_by"`
	UpdatedBy         int64          `json:"updated_by"`
	CreatedAt         int64          `json:"created_at"`
	UpdatedAt         int64          `json:"updated_at"`
	ResponsibleUserID int64          `json:"responsible_user_id"`
	GroupID           int64          `json:"group_id"`
	NoteType          string         `json:"note_type"`
	Params            map[string]any `json:"params"`
	AccountID         int64          `json:"account_id"`
	Links             itemLinks      `json:"_links"`
}

func (c wireCtx) note(n *amo.Note) wireNote {
	return wireNote{
		ID: int64(n.ID), EntityID: n.EntityID, CreatedBy: int64(n.CreatedBy), UpdatedBy: int64(n.CreatedBy),
		CreatedAt: unix(n.CreatedAt), UpdatedAt: unix(n.UpdatedAt),
		ResponsibleUserID: int64(n.ResponsibleUserID), NoteType: n.NoteType, Params: noteParams(n),
		AccountID: c.account, Links: c.self("/api/v4/"+n.EntityType+"/notes/", int64(n.ID)),
	}
}

// noteParams renders params by note type. A call's duration is a string on odd note ids and a
// number on even ones, so clients meet both forms deterministically (API.md §4.8, quirk 6).
func noteParams(n *amo.Note) map[string]any {
	p := map[string]any{}
	switch {
	case n.Call != nil:
		cl := n.Call
		p["uniq"], p["source"], p["phone"] = cl.Uniq, cl.Source, cl.Phone
		p["link"] = stringOrNull(cl.Link)
		if n.ID%2 == 1 {
			p["duration"] = strconv.FormatInt(cl.Duration, 10)
		} else {
			p["duration"] = cl.Duration
		}
		if cl.Status != 0 {
			p["call_status"] = cl.Status
		}
		if cl.Result != "" {
			p["call_result"] = cl.Result
		}
		if cl.Responsible != "" {
			if id, err := strconv.ParseInt(cl.Responsible, 10, 64); err == nil {
				p["call_responsible"] = id
			} else {
				p["call_responsible"] = cl.Responsible
			}
		}
	case n.NoteType == amo.NoteService:
		p["service"], p["text"] = "SalesGuard sandbox", n.Text
	case n.Text != "":
		p["text"] = n.Text
	}
	return p
}
