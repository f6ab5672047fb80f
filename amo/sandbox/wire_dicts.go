package sandbox

import (
	"time"

	"salesguard/amo"
)

// wireUser is an item of _embedded.users (API.md §4.2).
type wireUser struct {
	ID     int64      `json:"id"`
	Name   string     `json:"name"`
	Email  string     `json:"email"`
	Lang   string     `json:"lang"`
	Rights wireRights `json:"rights"`
	Links  itemLinks  `json:"_links"`
}

type wireRights struct {
	Leads         entityRights `json:"leads"`
	Contacts      entityRights `json:"contacts"`
	Companies     entityRights `json:"companies"`
	Tasks         taskRights   `json:"tasks"`
	MailAccess    bool         `json:"mail_access"`
	CatalogAccess bool         `json:"catalog_access"`
	StatusRights  []struct{}   `json:"status_rights"`
	IsAdmin       bool         `json:"is_admin"`
	IsFree        bool         `json:"is_free"`
	IsActive      bool         `json:"is_active"`
	GroupID       *int64       `json:"group_id"`
	RoleID        *int64       `json:"role_id"`
}

type entityRights struct {
	View   string `json:"view"`
	Edit   string `json:"edit"`
	Add    string `json:"add"`
	Delete string `json:"delete"`
	Export string `json:"export"`
}

type taskRights struct {
	Edit   string `json:"edit"`
	Delete string `json:"delete"`
}

func (c wireCtx) user(u *amo.User) wireUser {
	all := entityRights{View: "A", Edit: "A", Add: "A", Delete: "A", Export: "A"}
	lang := u.Lang
	if lang == "" {
		lang = "ru"
	}
	return wireUser{ID: int64(u.ID), Name: u.Name, Email: u.Email, Lang: lang,
		Rights: wireRights{Leads: all, Contacts: all, Companies: all, Tasks: taskRights{"A", "A"},
			MailAccess: true, CatalogAccess: true, StatusRights: []struct{}{}, IsAdmin: u.IsAdmin,
			IsActive: u.IsActive, GroupID: idOrNull(u.GroupID)},
		Links: c.self("/api/v4/users/", int64(u.ID))}
}

// wirePipeline is an item of _embedded.pipelines with its statuses embedded (API.md §4.3).
type wirePipeline struct {
	ID           int64     `json:"id"`
	Name         string    `json:"name"`
	Sort         int       `json:"sort"`
	IsMain       bool      `json:"is_main"`
	IsUnsortedOn bool      `json:"is_unsorted_on"`
	IsArchive    bool      `json:"is_archive"`
	AccountID    int64     `json:"account_id"`
	Links        itemLinks `json:"_links"`
	Embedded     struct {
		Statuses []wireStatus `json:"statuses"`
	} `json:"_embedded"`
}

type wireStatus struct {
	ID         int64     `json:"id"`
	Name       string    `json:"name"`
	Sort       int       `json:"sort"`
	IsEditable bool      `json:"is_editable"`
	PipelineID int64     `json:"pipeline_id"`
	Color      string    `json:"color"`
	Type       int       `json:"type"`
	AccountID  int64     `json:"account_id"`
	Links      itemLinks `json:"_links"`
}

func (c wireCtx) pipeline(p *amo.Pipeline, unsortedOn bool) wirePipeline {
	w := wirePipeline{ID: int64(p.ID), Name: p.Name, Sort: p.Sort, IsMain: p.IsMain, IsUnsortedOn: unsortedOn,
		IsArchive: p.IsArchive, AccountID: c.account, Links: c.self("/api/v4/leads/pipelines/", int64(p.ID))}
	w.Embedded.Statuses = make([]wireStatus, len(p.Statuses))
	prefix := "/api/v4/leads/pipelines/" + itoa(int64(p.ID)) + "/statuses/"
	for i, s := range p.Statuses {
		color := "#99ccff"
		switch s.ID {
		case amo.StatusWon:
			color = "#CCFF66"
		case amo.StatusLost:
			color = "#D5D8DB"
		}
		w.Embedded.Statuses[i] = wireStatus{ID: int64(s.ID), Name: s.Name, Sort: s.Sort,
			IsEditable: s.ID != amo.StatusWon && s.ID != amo.StatusLost, PipelineID: int64(p.ID),
			Color: color, Type: s.Type, AccountID: c.account, Links: c.self(prefix, int64(s.ID))}
	}
	return w
}

// wireLossReason is an item of _embedded.loss_reasons and of a lead's _embedded.loss_reason.
// The model has no timestamps, so both are the given time.
type wireLossReason struct {
	ID        int64     `json:"id"`
	Name      string    `json:"name"`
	Sort      int       `json:"sort"`
	CreatedAt int64     `json:"created_at"`
	UpdatedAt int64     `json:"updated_at"`
	Links     itemLinks `json:"_links"`
}

func (c wireCtx) lossReason(r *amo.LossReason, at time.Time) wireLossReason {
	return wireLossReason{ID: int64(r.ID), Name: r.Name, Sort: r.Sort, CreatedAt: unix(at), UpdatedAt: unix(at),
		Links: c.self("/api/v4/leads/loss_reasons/", int64(r.ID))}
}

// wireCustomField is an item of _embedded.custom_fields (API.md §4.6).
type wireCustomField struct {
	ID               int64       `json:"id"`
	Name             string      `json:"name"`
	Type             string      `json:"type"`
	AccountID        int64       `json:"account_id"`
	Code             *string     `json:"code"`
	Sort             int         `json:"sort"`
	IsAPIOnly        bool        `json:"is_api_only"`
	Enums            *[]struct{} `json:"enums"`
	GroupID          *string     `json:"group_id"`
	RequiredStatuses []wireStRef `json:"required_statuses"`
	IsDeletable      bool        `json:"is_deletable"`
	IsPredefined     bool        `json:"is_predefined"`
	EntityType       string      `json:"entity_type"`
	TrackingCallback *string     `json:"tracking_callback"`
	Remind           *string     `json:"remind"`
	HiddenStatuses   []wireStRef `json:"hidden_statuses"`
	ChainedLists     *[]struct{} `json:"chained_lists"`
	SearchIn         *string     `json:"search_in"`
	Currency         *string     `json:"currency"`
	IsComputed       bool        `json:"is_computed"`
	Links            itemLinks   `json:"_links"`
}

type wireStRef struct {
	StatusID   int64 `json:"status_id"`
	PipelineID int64 `json:"pipeline_id"`
}

func (c wireCtx) customField(f *amo.CustomField) wireCustomField {
	w := wireCustomField{ID: int64(f.ID), Name: f.Name, Type: f.Type, AccountID: c.account,
		Code: stringOrNull(f.Code), Sort: f.Sort, RequiredStatuses: make([]wireStRef, len(f.RequiredStatuses)),
		IsDeletable: f.Code == "", IsPredefined: f.Code == "PHONE" || f.Code == "EMAIL", EntityType: f.EntityType,
		HiddenStatuses: []wireStRef{}, Links: c.self("/api/v4/"+f.EntityType+"/custom_fields/", int64(f.ID))}
	for i, r := range f.RequiredStatuses {
		w.RequiredStatuses[i] = wireStRef{StatusID: int64(r.StatusID), PipelineID: int64(r.PipelineID)}
	}
	return w
}
