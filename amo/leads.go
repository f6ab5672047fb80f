package amo

import (
	"context"
	"fmt"
	"slices"
	"time"
)

// wireLead is a lead as API v4 sends it (API.md §4.4).
type wireLead struct {
	ID                int64                `json:"id"`
	Name              flexString           `json:"name"`
	Price             flexInt              `json:"price"`
	ResponsibleUserID int64                `json:"responsible_user_id"`
	GroupID           flexInt              `json:"group_id"`
	StatusID          int64                `json:"status_id"`
	PipelineID        int64                `json:"pipeline_id"`
	LossReasonID      flexInt              `json:"loss_reason_id"`
	CreatedBy         flexInt              `json:"created_by"`
	UpdatedBy         flexInt              `json:"updated_by"`
	CreatedAt         unixTime             `json:"created_at"`
	UpdatedAt         unixTime             `json:"updated_at"`
	ClosedAt          unixTime             `json:"closed_at"`
	ClosestTaskAt     unixTime             `json:"closest_task_at"`
	IsDeleted         bool                 `json:"is_deleted"`
	CustomFields      []wireField          `json:"custom_fields_values"`
	Embedded          object[leadEmbedded] `json:"_embedded"`
}

// leadEmbedded is the _embedded object of the item above.
type leadEmbedded struct {
	Tags []struct {
		Name flexString `json:"name"`
	} `json:"tags"`
	Contacts []struct {
		ID     int64 `json:"id"`
		IsMain bool  `json:"is_main"`
	} `json:"contacts"`
	LossReason oneOrMany `json:"loss_reason"`
}

func (w *wireLead) model() Lead {
	l := Lead{
		ID: LeadID(w.ID), Name: string(w.Name), Price: int64(w.Price),
		ResponsibleUserID: UserID(w.ResponsibleUserID), GroupID: int64(w.GroupID),
		PipelineID: PipelineID(w.PipelineID), StatusID: StatusID(w.StatusID),
		LossReasonID: LossReasonID(w.LossReasonID),
		CreatedBy:    UserID(w.CreatedBy), UpdatedBy: UserID(w.UpdatedBy),
		CreatedAt: w.CreatedAt.Time, UpdatedAt: w.UpdatedAt.Time,
		ClosedAt: w.ClosedAt.Time, ClosestTaskAt: w.ClosestTaskAt.Time,
		IsDeleted:    w.IsDeleted,
		CustomFields: fieldValues(w.CustomFields),
	}
	if l.LossReasonID == 0 && len(w.Embedded.V.LossReason) > 0 {
		l.LossReasonID = LossReasonID(w.Embedded.V.LossReason[0].ID)
	}
	// Main contacts first, the last one listed leading, then the others in order. Built in
	// two passes: prepending each main contact copied the list every time (quadratic).
	for _, c := range slices.Backward(w.Embedded.V.Contacts) {
		if c.IsMain {
			l.ContactIDs = append(l.ContactIDs, ContactID(c.ID))
		}
	}
	for _, c := range w.Embedded.V.Contacts {
		if !c.IsMain {
			l.ContactIDs = append(l.ContactIDs, ContactID(c.ID))
		}
	}
	for _, t := range w.Embedded.V.Tags {
		l.Tags = append(l.Tags, string(t.Name))
	}
	return l
}

func decodeLeads(body []byte, ch *Changes) (pageInfo, error) {
	var times []time.Time
	info, err := decodeItems(body, "leads", ch, func(w *wireLead) {
		ch.Leads = append(ch.Leads, w.model())
		times = append(times, w.UpdatedAt.Time)
	})
	for _, t := range times {
		info.note(t)
	}
	return info, err
}

// decodeDeletedLeads reads a with=only_deleted page: the leads in the trash, as deletions.
func decodeDeletedLeads(body []byte, ch *Changes) (pageInfo, error) {
	var times []time.Time
	info, err := decodeItems(body, "leads", ch, func(w *wireLead) {
		ch.Marks = append(ch.Marks, Mark{Entity: EntityLeads, ID: w.ID, At: w.UpdatedAt.Time, Deleted: true})
		times = append(times, w.UpdatedAt.Time)
	})
	for _, t := range times {
		info.note(t)
	}
	return info, err
}

// ListLeads returns the leads updated within w, with their contacts and loss reason.
// API: GET /api/v4/leads?with=contacts,loss_reason
func (c *Client) ListLeads(ctx context.Context, w Window) ([]Lead, error) {
	ch, err := c.list(ctx, c.defs[ListKeyLeads], w)
	if err != nil {
		return nil, fmt.Errorf("list leads: %w", err)
	}
	return ch.Leads, nil
}

// ListDeletedLeads returns the ids of leads in the trash whose deletion falls within w.
// API: GET /api/v4/leads?with=only_deleted
func (c *Client) ListDeletedLeads(ctx context.Context, w Window) ([]LeadID, error) {
	ch, err := c.list(ctx, c.defs[ListKeyDeletedLeads], w)
	if err != nil {
		return nil, fmt.Errorf("list deleted leads: %w", err)
	}
	out := make([]LeadID, 0, len(ch.Marks))
	for _, m := range ch.Marks {
		out = append(out, LeadID(m.ID))
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}
