package sandbox

import (
	"context"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// query is a parsed API v4 query string (API.md §3.3). Filter names drop a trailing list index,
// so filter[id]=1, filter[id][]=1 and filter[id][0]=1 all land in filters["id"]; inner parts
// are joined with dots: filter[updated_at][from] → "updated_at.from",
// filter[statuses][0][status_id] → "statuses.0.status_id".
type query struct {
	raw     url.Values
	filters map[string][]string
	orders  []orderBy
	with    map[string]bool
}

// orderBy is one order[field]=asc|desc parameter.
type orderBy struct {
	field string
	desc  bool
}

// parseQuery splits the filter, order and with parameters out of q.
func parseQuery(q url.Values) *query {
	p := &query{raw: q, filters: map[string][]string{}, with: map[string]bool{}}
	for k, vs := range q {
		base, parts := splitKey(k)
		switch base {
		case "filter":
			if n := len(parts); n > 1 && isIndex(parts[n-1]) {
				parts = parts[:n-1]
			}
			if len(parts) > 0 {
				name := strings.Join(parts, ".")
				p.filters[name] = append(p.filters[name], vs...)
			}
		case "order":
			if len(parts) == 1 && len(vs) > 0 {
				p.orders = append(p.orders, orderBy{field: parts[0], desc: strings.EqualFold(vs[0], "desc")})
			}
		case "with":
			for _, v := range vs {
				for w := range strings.SplitSeq(v, ",") {
					p.with[strings.TrimSpace(w)] = true
				}
			}
		}
	}
	return p
}

// splitKey turns "filter[a][0][b]" into "filter" and ["a", "0", "b"].
func splitKey(k string) (string, []string) {
	i := strings.IndexByte(k, '[')
	if i < 0 {
		return k, nil
	}
	base, rest := k[:i], k[i:]
	var parts []string
	for strings.HasPrefix(rest, "[") {
		j := strings.IndexByte(rest, ']')
		if j < 0 {
			break
		}
		parts = append(parts, rest[1:j])
		rest = rest[j+1:]
	}
	return base, parts
}

func isIndex(s string) bool {
	return s == "" || strings.Trim(s, "0123456789") == ""
}

// order returns the first order parameter naming an allowed field, or def.
func (q *query) order(def orderBy, allowed ...string) orderBy {
	for _, o := range q.orders {
		for _, a := range allowed {
			if o.field == a {
				return o
			}
		}
	}
	return def
}

// strs returns the values of a filter, comma lists split, blanks dropped.
func (q *query) strs(name string) []string {
	var out []string
	for _, v := range q.filters[name] {
		for s := range strings.SplitSeq(v, ",") {
			if s = strings.TrimSpace(s); s != "" {
				out = append(out, s)
			}
		}
	}
	return out
}

// ints returns the values of an integer filter as a set; nil when the filter is absent.
func (q *query) ints(name string) (map[int64]bool, *response) {
	ss := q.strs(name)
	if len(ss) == 0 {
		return nil, nil
	}
	set := make(map[int64]bool, len(ss))
	for _, s := range ss {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return nil, badRequest("filter."+name, "This value should be of type int.")
		}
		set[n] = true
	}
	return set, nil
}

// span is an inclusive range of Unix seconds; an absent bound is open.
type span struct {
	set      bool
	from, to int64
}

func (s span) has(t int64) bool { return !s.set || (t >= s.from && t <= s.to) }

// timeRange reads filter[name][from]/[to]; a scalar filter[name]=ts means "from ts on"
// (tasks, notes, events) and "FROM,TO" is the events comma form (API.md §3.3, §4.9).
func (q *query) timeRange(name string) (span, *response) {
	s := span{from: math.MinInt64, to: math.MaxInt64}
	bad := func(path string) (span, *response) {
		return span{}, badRequest("filter."+path, "This value should be a Unix timestamp.")
	}
	for _, part := range [...]string{"from", "to"} {
		vs := q.filters[name+"."+part]
		if len(vs) == 0 {
			continue
		}
		n, err := strconv.ParseInt(strings.TrimSpace(vs[0]), 10, 64)
		if err != nil {
			return bad(name + "." + part)
		}
		s.set = true
		if part == "from" {
			s.from = n
		} else {
			s.to = n
		}
	}
	if vs := q.filters[name]; len(vs) > 0 {
		from, to, comma := strings.Cut(vs[0], ",")
		n, err := strconv.ParseInt(strings.TrimSpace(from), 10, 64)
		if err != nil {
			return bad(name)
		}
		s.set, s.from = true, n
		if comma {
			if s.to, err = strconv.ParseInt(strings.TrimSpace(to), 10, 64); err != nil {
				return bad(name)
			}
		}
	}
	return s, nil
}

// statusPair is one element of filter[statuses].
type statusPair struct{ pipeline, status int64 }

// statuses reads filter[statuses][i][pipeline_id|status_id]; both keys are required.
func (q *query) statuses() ([]statusPair, *response) {
	var out []statusPair
	for i := 0; i < 100; i++ {
		idx := strconv.Itoa(i)
		pv, sv := q.filters["statuses."+idx+".pipeline_id"], q.filters["statuses."+idx+".status_id"]
		if len(pv) == 0 && len(sv) == 0 {
			if i > 0 {
				break
			}
			continue
		}
		p, err1 := strconv.ParseInt(first(pv), 10, 64)
		st, err2 := strconv.ParseInt(first(sv), 10, 64)
		if err1 != nil || err2 != nil {
			return nil, badRequest("filter.statuses."+idx, "Both pipeline_id and status_id are required.")
		}
		out = append(out, statusPair{pipeline: p, status: st})
	}
	return out, nil
}

func first(vs []string) string {
	if len(vs) == 0 {
		return ""
	}
	return strings.TrimSpace(vs[0])
}

// boolFilter reads a 1/0 (or true/false) filter; ok is false when it is absent.
func (q *query) boolFilter(name string) (val, ok bool, bad *response) {
	v := first(q.filters[name])
	switch strings.ToLower(v) {
	case "":
		return false, false, nil
	case "1", "true":
		return true, true, nil
	case "0", "false":
		return false, true, nil
	}
	return false, false, badRequest("filter."+name, "This value should be 1 or 0.")
}

// asServed is r as the account reads it: without the time filters with IgnoreFilters.
func (s *Server) asServed(r *http.Request) *http.Request {
	if s.cfg.IgnoreFilters {
		return withoutTimeFilters(r)
	}
	return r
}

// askedQuery keys the query as the client sent it in a request's context, when the server
// changed it (Config.IgnoreFilters), so the page links repeat what was asked.
type askedQuery struct{}

// withoutTimeFilters returns r with filter[updated_at] and filter[created_at] in every form
// taken out of its query, as on an account that does not apply them; the query as sent stays
// in the context for the page links.
func withoutTimeFilters(r *http.Request) *http.Request {
	q := r.URL.Query()
	changed := false
	for k := range q {
		if base, parts := splitKey(k); base == "filter" && len(parts) > 0 &&
			(parts[0] == "updated_at" || parts[0] == "created_at") {
			delete(q, k)
			changed = true
		}
	}
	if !changed {
		return r
	}
	out := r.WithContext(context.WithValue(r.Context(), askedQuery{}, r.URL.RawQuery))
	u := *r.URL
	u.RawQuery = q.Encode()
	out.URL = &u
	return out
}
