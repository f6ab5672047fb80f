package amo

import (
	"context"
	"fmt"
	"net/url"
)

// wireAccount is GET /api/v4/account with datetime_settings (API.md §4.1).
type wireAccount struct {
	ID                  int64      `json:"id"`
	Name                flexString `json:"name"`
	Subdomain           flexString `json:"subdomain"`
	Country             flexString `json:"country"`
	IsLossReasonEnabled bool       `json:"is_loss_reason_enabled"`
	IsUnsortedOn        bool       `json:"is_unsorted_on"`
	IsAPIFilterEnabled  bool       `json:"is_api_filter_enabled"`
	Embedded            struct {
		DatetimeSettings struct {
			Timezone flexString `json:"timezone"`
		} `json:"datetime_settings"`
	} `json:"_embedded"`
}

// Account returns the account with its time zone and the is_api_filter_enabled flag.
// API: GET /api/v4/account?with=datetime_settings,is_api_filter_enabled
func (c *Client) Account(ctx context.Context) (*Account, error) {
	body, err := c.get(ctx, "/api/v4/account", url.Values{"with": {"datetime_settings,is_api_filter_enabled"}})
	if err != nil {
		return nil, fmt.Errorf("get account: %w", err)
	}
	a, err := decodeAccount(body)
	if err != nil {
		return nil, fmt.Errorf("get account: decode GET /api/v4/account: %w", err)
	}
	return a, nil
}

// decodeAccount reads the body of GET /api/v4/account.
func decodeAccount(body []byte) (*Account, error) {
	var w wireAccount
	if err := decodeJSON(body, &w); err != nil {
		return nil, err
	}
	return &Account{
		ID: AccountID(w.ID), Name: string(w.Name), Subdomain: string(w.Subdomain),
		Country: string(w.Country), TimeZone: string(w.Embedded.DatetimeSettings.Timezone),
		IsLossReasonEnabled: w.IsLossReasonEnabled, IsUnsortedOn: w.IsUnsortedOn,
		IsAPIFilterEnabled: w.IsAPIFilterEnabled,
	}, nil
}
