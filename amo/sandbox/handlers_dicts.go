package sandbox

import (
	"cmp"
	"net/http"
	"slices"
	"strconv"
	"time"

	"salesguard/amo"
)

// wctx returns the rendering context of a request; d is read-locked.
func (s *Server) wctx(r *http.Request, d *Data) wireCtx {
	return wireCtx{base: s.baseURL(r), account: int64(d.Account.ID)}
}

// read runs f under the World's read lock with the current version.
func (s *Server) read(f func(d *Data, version uint64) *response) *response {
	var resp *response
	s.w.Read(func(d *Data) { resp = f(d, s.w.version) })
	return resp
}

// wireAccount is the body of GET /api/v4/account (API.md §4.1).
type wireAccount struct {
	ID                      int64            `json:"id"`
	Name                    string           `json:"name"`
	Subdomain               string           `json:"subdomain"`
	CurrentUserID           int64            `json:"current_user_id"`
	Country                 string           `json:"country"`
	CustomersMode           string           `json:"customers_mode"`
	IsUnsortedOn            bool             `json:"is_unsorted_on"`
	IsLossReasonEnabled     bool             `json:"is_loss_reason_enabled"`
	IsHelpbotEnabled        bool             `json:"is_helpbot_enabled"`
	IsTechnicalAccount      bool             `json:"is_technical_account"`
	ContactNameDisplayOrder int              `json:"contact_name_display_order"`
	IsAPIFilterEnabled      *bool            `json:"is_api_filter_enabled,omitempty"`
	Links                   itemLinks        `json:"_links"`
	Embedded                *accountEmbedded `json:"_embedded,omitempty"`
}

type accountEmbedded struct {
	TaskTypes        []wireTaskType    `json:"task_types,omitempty"`
	DatetimeSettings *datetimeSettings `json:"datetime_settings,omitempty"`
}

type wireTaskType struct {
	ID     int64   `json:"id"`
	Name   string  `json:"name"`
	Color  *string `json:"color"`
	IconID *int64  `json:"icon_id"`
	Code   string  `json:"code"`
}

type datetimeSettings struct {
	DatePattern      string `json:"date_pattern"`
	ShortDatePattern string `json:"short_date_pattern"`
	ShortTimePattern string `json:"short_time_pattern"`
	DateFormat       string `json:"date_format"`
	TimeFormat       string `json:"time_format"`
	Timezone         string `json:"timezone"`
	TimezoneOffset   string `json:"timezone_offset"`
}

// account serves GET /api/v4/account?with=datetime_settings,is_api_filter_enabled,task_types.
func (s *Server) account(r *http.Request) *response {
	q := parseQuery(r.URL.Query())
	return s.read(func(d *Data, _ uint64) *response {
		a := d.Account
		w := wireAccount{ID: int64(a.ID), Name: a.Name, Subdomain: a.Subdomain, Country: a.Country,
			CustomersMode: "disabled", IsUnsortedOn: a.IsUnsortedOn, IsLossReasonEnabled: a.IsLossReasonEnabled,
			ContactNameDisplayOrder: 1, Links: itemLinks{Self: href{Href: s.baseURL(r) + "/api/v4/account"}}}
		w.CurrentUserID = currentUser(d.Users)
		if q.with["is_api_filter_enabled"] {
			w.IsAPIFilterEnabled = &a.IsAPIFilterEnabled
		}
		emb := &accountEmbedded{}
		if q.with["task_types"] {
			emb.TaskTypes = []wireTaskType{{ID: 1, Name: "Связаться", Code: "FOLLOW_UP"}, {ID: 2, Name: "Встреча", Code: "MEETING"}}
		}
		if q.with["datetime_settings"] {
			emb.DatetimeSettings = dateSettings(a.TimeZone, d.Now)
		}
		if emb.TaskTypes != nil || emb.DatetimeSettings != nil {
			w.Embedded = emb
		}
		return halJSON(w)
	})
}

// currentUser is the token's user: the first admin, else the first user.
func currentUser(us []amo.User) int64 {
	for _, u := range us {
		if u.IsAdmin {
			return int64(u.ID)
		}
	}
	if len(us) > 0 {
		return int64(us[0].ID)
	}
	return 0
}

func dateSettings(tz string, now time.Time) *datetimeSettings {
	ds := &datetimeSettings{DatePattern: "d.m.Y H:i", ShortDatePattern: "d.m.Y", ShortTimePattern: "H:i",
		DateFormat: "d.m.Y", TimeFormat: "H:i:s", Timezone: tz, TimezoneOffset: "+00:00"}
	if loc, err := time.LoadLocation(tz); err == nil {
		ds.TimezoneOffset = now.In(loc).Format("-07:00")
	}
	return ds
}

// users serves GET /api/v4/users: paginated, with _total_items and _page_count (API.md §4.2).
func (s *Server) users(r *http.Request) *response {
	pg, bad := parsePage(r.URL.Query(), maxLimit)
	if bad != nil {
		return bad
	}
	return s.read(func(d *Data, _ uint64) *response {
		us := sortedPtrs(d.Users, func(u *amo.User) int64 { return int64(u.ID) })
		c := s.wctx(r, d)
		return listPage(s, r, "users", us, pg, listTotals, c.user)
	})
}

// user serves GET /api/v4/users/{id}.
func (s *Server) user(r *http.Request) *response {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return problem(http.StatusNotFound, "Not Found", "unknown user")
	}
	return s.read(func(d *Data, _ uint64) *response {
		for i := range d.Users {
			if int64(d.Users[i].ID) == id {
				return halJSON(s.wctx(r, d).user(&d.Users[i]))
			}
		}
		return noContent()
	})
}

// pipelines serves GET /api/v4/leads/pipelines: every pipeline, statuses embedded (API.md §4.3).
func (s *Server) pipelines(r *http.Request) *response {
	return s.read(func(d *Data, _ uint64) *response {
		c := s.wctx(r, d)
		out := make([]wirePipeline, len(d.Pipelines))
		for i := range d.Pipelines {
			out[i] = c.pipeline(&d.Pipelines[i], d.Account.IsUnsortedOn)
		}
		n := len(out)
		return halJSON(struct {
			TotalItems int            `json:"_total_items"`
			Links      itemLinks      `json:"_links"`
			Embedded   map[string]any `json:"_embedded"`
		}{n, itemLinks{Self: href{Href: c.base + "/api/v4/leads/pipelines"}}, map[string]any{"pipelines": out}})
	})
}

// lossReasons serves GET /api/v4/leads/loss_reasons with _total_items (API.md §4.5).
func (s *Server) lossReasons(r *http.Request) *response {
	pg, bad := parsePage(r.URL.Query(), maxLimit)
	if bad != nil {
		return bad
	}
	return s.read(func(d *Data, _ uint64) *response {
		rs := sortedPtrs(d.LossReasons, func(l *amo.LossReason) int64 { return int64(l.ID) })
		c := s.wctx(r, d)
		render := func(l *amo.LossReason) wireLossReason { return c.lossReason(l, d.Now) }
		return listPage(s, r, "loss_reasons", rs, pg, listTotalItems, render)
	})
}

// customFields serves GET /api/v4/{leads|contacts}/custom_fields (API.md §4.6).
func (s *Server) customFields(entity string) func(r *http.Request) *response {
	return func(r *http.Request) *response {
		pg, bad := parsePage(r.URL.Query(), maxLimit)
		if bad != nil {
			return bad
		}
		return s.read(func(d *Data, _ uint64) *response {
			var fs []*amo.CustomField
			for i := range d.CustomFields {
				if d.CustomFields[i].EntityType == entity {
					fs = append(fs, &d.CustomFields[i])
				}
			}
			slices.SortStableFunc(fs, func(a, b *amo.CustomField) int { return cmp.Compare(a.Sort, b.Sort) })
			return listPage(s, r, "custom_fields", fs, pg, listTotals, s.wctx(r, d).customField)
		})
	}
}

// sortedPtrs returns pointers to the elements of xs ordered by id.
func sortedPtrs[T any](xs []T, id func(*T) int64) []*T {
	out := make([]*T, len(xs))
	for i := range xs {
		out[i] = &xs[i]
	}
	slices.SortFunc(out, func(a, b *T) int { return cmp.Compare(id(a), id(b)) })
	return out
}
