package sandbox

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// Page sizes of API.md §3.2.
const (
	defaultLimit   = 50
	maxLimit       = 250
	maxEventsLimit = 100
)

// page is the requested page: 1-based number and size.
type page struct{ num, limit int }

// parsePage reads page and limit. A limit above max falls back to the default 50, as users
// report of the live API (API.md §3.2, [U]); a non-number or a value below 1 is a 400.
func parsePage(q url.Values, maxLim int) (page, *response) {
	p := page{num: 1, limit: defaultLimit}
	if v := q.Get("page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return p, badRequest("page", "This value should be a positive integer.")
		}
		p.num = n
	}
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return p, badRequest("limit", "This value should be a positive integer.")
		}
		if n <= maxLim {
			p.limit = n
		}
	}
	return p, nil
}

// window returns the items of page p, and whether more items follow.
func window[T any](items []*T, p page) ([]*T, bool) {
	if p.num-1 > len(items)/p.limit {
		return nil, false
	}
	start := (p.num - 1) * p.limit
	if start >= len(items) {
		return nil, false
	}
	end := min(start+p.limit, len(items))
	return items[start:end], end < len(items)
}

// href is a HAL link.
type href struct {
	Href string `json:"href"`
}

// listLinks is the _links of a collection page (API.md §3.1).
type listLinks struct {
	Self  href  `json:"self"`
	Next  *href `json:"next,omitempty"`
	First *href `json:"first,omitempty"`
	Prev  *href `json:"prev,omitempty"`
}

// itemLinks is the _links of one item.
type itemLinks struct {
	Self href `json:"self"`
}

// halPage is a paginated collection; Embedded holds one key, the collection name.
type halPage struct {
	TotalItems *int           `json:"_total_items,omitempty"`
	Page       int            `json:"_page"`
	PageCount  *int           `json:"_page_count,omitempty"`
	Links      listLinks      `json:"_links"`
	Embedded   map[string]any `json:"_embedded"`
}

// baseURL is the scheme and host that prefix every href.
func (s *Server) baseURL(r *http.Request) string {
	if s.cfg.BaseURL != "" {
		return strings.TrimRight(s.cfg.BaseURL, "/")
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// pageHref is the request's URL, as the client sent it, with page and limit set.
func (s *Server) pageHref(r *http.Request, p page, num int) *href {
	asked := r.URL.Query()
	if raw, ok := r.Context().Value(askedQuery{}).(string); ok {
		asked, _ = url.ParseQuery(raw)
	}
	q := url.Values{}
	for k, vs := range asked {
		q[k] = slices.Clone(vs)
	}
	q.Set("page", strconv.Itoa(num))
	q.Set("limit", strconv.Itoa(p.limit))
	return &href{Href: s.baseURL(r) + r.URL.Path + "?" + q.Encode()}
}

// totals says which counters a collection carries (API.md §3.1): leads, tasks, notes and
// events carry none.
type totals int

const (
	listNoTotals   totals = iota
	listTotalItems        // _total_items (loss reasons)
	listTotals            // _total_items and _page_count (users, custom fields)
)

// listPage renders one page of items, or 204 when the page is empty (API.md §3.2, quirk 1).
// With Config.PageCap a page holds at most that many items, whatever its limit: pages are
// numbered in capped pages and the links keep the limit asked for.
func listPage[T, W any](s *Server, r *http.Request, name string, items []*T, p page,
	total totals, render func(*T) W) *response {
	held := p
	if c := s.cfg.PageCap; c > 0 && held.limit > c {
		held.limit = c
	}
	got, more := window(items, held)
	if len(got) == 0 {
		return noContent()
	}
	out := make([]W, len(got))
	for i, t := range got {
		out[i] = render(t)
	}
	body := halPage{Page: p.num, Embedded: map[string]any{name: out}}
	body.Links.Self = *s.pageHref(r, p, p.num)
	if more {
		body.Links.Next = s.pageHref(r, p, p.num+1)
	}
	if p.num > 1 {
		body.Links.First = s.pageHref(r, p, 1)
		body.Links.Prev = s.pageHref(r, p, p.num-1)
	}
	if total != listNoTotals {
		n := len(items)
		body.TotalItems = &n
	}
	if total == listTotals {
		pages := (len(items) + held.limit - 1) / held.limit
		body.PageCount = &pages
	}
	return halJSON(body)
}

// resultKey identifies a list query for the result cache: the path and every parameter but
// page and limit.
func resultKey(path string, q url.Values) string {
	keys := make([]string, 0, len(q))
	for k := range q {
		if k != "page" && k != "limit" {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	var b strings.Builder
	b.WriteString(path)
	for _, k := range keys {
		b.WriteString("&" + k + "=" + strings.Join(q[k], "\x00"))
	}
	return b.String()
}
