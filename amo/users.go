package amo

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
)

// wireUser is a user as API v4 sends it (API.md §4.2); activity and admin flags sit in rights.
type wireUser struct {
	ID     int64      `json:"id"`
	Name   flexString `json:"name"`
	Email  flexString `json:"email"`
	Lang   flexString `json:"lang"`
	Rights struct {
		IsAdmin  bool    `json:"is_admin"`
		IsActive *bool   `json:"is_active"`
		GroupID  flexInt `json:"group_id"`
	} `json:"rights"`
}

type usersPage struct {
	Links    halLinks `json:"_links"`
	Embedded struct {
		Users []wireUser `json:"users"`
	} `json:"_embedded"`
}

// Users returns every user, inactive ones included. It needs an admin token: a non-admin
// token gets an error matching ErrForbidden.
// API: GET /api/v4/users
func (c *Client) Users(ctx context.Context) ([]User, error) {
	var out []User
	d := listDef{key: "users", path: "/api/v4/users", limit: pageLimit, query: url.Values{},
		decode: func(body []byte, _ *acc) (int, bool, error) {
			var p usersPage
			if err := json.Unmarshal(body, &p); err != nil {
				return 0, false, err
			}
			for _, u := range p.Embedded.Users {
				active := u.Rights.IsActive == nil || *u.Rights.IsActive
				out = append(out, User{ID: UserID(u.ID), Name: string(u.Name), Email: string(u.Email),
					Lang: string(u.Lang), IsAdmin: u.Rights.IsAdmin, IsActive: active, GroupID: int64(u.Rights.GroupID)})
			}
			return len(p.Embedded.Users), p.Links.Next != nil, nil
		}}
	if _, err := c.scan(ctx, d, Window{}, 1, nil); err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	if out == nil {
		out = []User{}
	}
	return out, nil
}
