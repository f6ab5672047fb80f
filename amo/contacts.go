package amo

import (
	"context"
	"fmt"
	"time"
)

// wireContact is a contact as API v4 sends it (API.md §4.10).
type wireContact struct {
	ID                int64                   `json:"id"`
	Name              flexString              `json:"name"`
	ResponsibleUserID int64                   `json:"responsible_user_id"`
	CreatedAt         unixTime                `json:"created_at"`
	UpdatedAt         unixTime                `json:"updated_at"`
	CustomFields      []wireField             `json:"custom_fields_values"`
	Embedded          object[contactEmbedded] `json:"_embedded"`
}

// contactEmbedded is the _embedded object of the item above.
type contactEmbedded struct {
	Leads []idObj `json:"leads"`
}

func (w *wireContact) model() Contact {
	c := Contact{
		ID: ContactID(w.ID), Name: string(w.Name), ResponsibleUserID: UserID(w.ResponsibleUserID),
		CreatedAt: w.CreatedAt.Time, UpdatedAt: w.UpdatedAt.Time,
		CustomFields: fieldValues(w.CustomFields),
	}
	for _, l := range w.Embedded.V.Leads {
		c.LeadIDs = append(c.LeadIDs, LeadID(l.ID))
	}
	return c
}

func decodeContacts(body []byte, ch *Changes) (pageInfo, error) {
	var times []time.Time
	info, err := decodeItems(body, "contacts", ch, func(w *wireContact) {
		ch.Contacts = append(ch.Contacts, w.model())
		times = append(times, w.UpdatedAt.Time)
	})
	for _, t := range times {
		info.note(t)
	}
	return info, err
}

// ListContacts returns the contacts updated within w, with their leads.
// API: GET /api/v4/contacts?with=leads
func (c *Client) ListContacts(ctx context.Context, w Window) ([]Contact, error) {
	ch, err := c.list(ctx, c.defs[ListKeyContacts], w)
	if err != nil {
		return nil, fmt.Errorf("list contacts: %w", err)
	}
	return ch.Contacts, nil
}
