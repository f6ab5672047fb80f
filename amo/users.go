package amo

import (
	"context"
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

func (u *wireUser) model() User {
	active := u.Rights.IsActive == nil || *u.Rights.IsActive
	return User{ID: UserID(u.ID), Name: string(u.Name), Email: string(u.Email),
		Lang: string(u.Lang), IsAdmin: u.Rights.IsAdmin, IsActive: active, GroupID: int64(u.Rights.GroupID)}
}

// Users returns every user, inactive ones included. It needs an admin token: a non-admin
// token gets an error matching ErrForbidden.
// API: GET /api/v4/users
func (c *Client) Users(ctx context.Context) ([]User, error) {
	var out []User
	d := listDef{key: "users", path: "/api/v4/users", limit: pageLimit, query: url.Values{},
		decode: func(body []byte, ch *Changes) (pageInfo, error) {
			return decodeItems(body, "users", ch, func(u *wireUser) { out = append(out, u.model()) })
		}}
	if err := c.readAll(ctx, d, &Changes{}); err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	if out == nil {
		out = []User{}
	}
	return out, nil
}
