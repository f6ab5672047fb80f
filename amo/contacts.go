package amo

import (
	"context"
	"encoding/json"
	"fmt"
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

type contactsPage struct {
	Links    halLinks `json:"_links"`
	Embedded struct {
		Contacts []wireContact `json:"contacts"`
	} `json:"_embedded"`
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

func decodeContacts(body []byte, a *acc) (int, bool, error) {
	var p contactsPage
	if err := json.Unmarshal(body, &p); err != nil {
		return 0, false, err
	}
	for i := range p.Embedded.Contacts {
		a.ch.Contacts = append(a.ch.Contacts, p.Embedded.Contacts[i].model())
	}
	return len(p.Embedded.Contacts), p.Links.Next != nil, nil
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
