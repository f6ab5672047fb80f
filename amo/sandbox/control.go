package sandbox

import (
	"cmp"
	"math/rand/v2"
	"net/http"
	"slices"
	"strconv"
	"time"

	"salesguard/amo"
)

// controlPrefix is where the control API lives, outside /api/v4: the real amoCRM has no such
// routes, so a client that calls them by mistake fails against a real account.
const controlPrefix = "/_sandbox/"

// maxTouch bounds one touch request.
const maxTouch = 100_000

// statsHistory is the event history MinFullSyncRequests assumes in GET /_sandbox/stats: the
// client's default (amo.DefaultEventHistory).
const statsHistory = 30 * 24 * time.Hour

// controlRoutes registers the control API. Wrong methods get the ServeMux's 405.
func (s *Server) controlRoutes() *http.ServeMux {
	m := http.NewServeMux()
	m.HandleFunc("POST /_sandbox/touch", s.serveTouch)
	m.HandleFunc("GET /_sandbox/stats", s.serveStats)
	m.HandleFunc("POST /_sandbox/advance", s.serveAdvance)
	m.HandleFunc("POST /_sandbox/oauth/code", s.serveNewCode)
	m.HandleFunc("POST /_sandbox/oauth/revoke", s.serveRevoke)
	return m
}

// writeResponse writes a response built by the helpers of respond.go.
func writeResponse(rw http.ResponseWriter, resp *response) {
	if resp.ctype != "" {
		rw.Header().Set("Content-Type", resp.ctype)
	}
	rw.WriteHeader(resp.status)
	_, _ = rw.Write(resp.body)
}

// TouchResult is the answer of POST /_sandbox/touch.
type TouchResult struct {
	Touched int          `json:"touched"`
	IDs     []amo.LeadID `json:"ids"`
	At      time.Time    `json:"at"` // the world's Now, when the deals were changed
}

// serveTouch changes ?deals=N (default 1) random open deals as their managers would.
func (s *Server) serveTouch(rw http.ResponseWriter, r *http.Request) {
	n := 1
	if v := r.URL.Query().Get("deals"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil || n < 1 || n > maxTouch {
			writeResponse(rw, problem(http.StatusBadRequest, "Bad Request",
				"deals="+strconv.Quote(v)+": want a number of deals from 1 to "+strconv.Itoa(maxTouch)))
			return
		}
	}
	s.catchUp()
	var res TouchResult
	s.w.Update(func(d *Data) {
		res.IDs, res.At = touchDeals(d, s.rng, n), d.Now
	})
	res.Touched = len(res.IDs)
	writeResponse(rw, jsonResponse(http.StatusOK, ctypeJSON, res))
}

// ControlStats is the answer of GET /_sandbox/stats: the request counters of Stats (without
// the recent-request log), the size of each list and the least number of requests a full sync
// with a 30-day event history can make.
type ControlStats struct {
	Total               int            `json:"total"`
	ByStatus            map[int]int    `json:"by_status"`
	ByEndpoint          map[string]int `json:"by_endpoint"`
	RateLimited         int            `json:"rate_limited"`
	Banned              int            `json:"banned"`
	Now                 time.Time      `json:"now"`
	Counts              Counts         `json:"counts"`
	MinFullSyncRequests int            `json:"min_full_sync_requests"`
}

// serveStats reports the request statistics and the size of the account.
func (s *Server) serveStats(rw http.ResponseWriter, _ *http.Request) {
	st := s.Stats()
	out := ControlStats{Total: st.Total, ByStatus: st.ByStatus, ByEndpoint: st.ByEndpoint,
		RateLimited: st.RateLimited, Banned: st.Banned}
	s.w.Read(func(d *Data) {
		out.Now, out.Counts = d.Now, countData(d, statsHistory)
	})
	out.MinFullSyncRequests = out.Counts.fullSyncRequests()
	writeResponse(rw, jsonResponse(http.StatusOK, ctypeJSON, out))
}

// serveAdvance moves the world's clock (and a live simulator) forward to ?to=RFC3339.
func (s *Server) serveAdvance(rw http.ResponseWriter, r *http.Request) {
	v := r.URL.Query().Get("to")
	to, err := time.Parse(time.RFC3339, v)
	if err != nil {
		writeResponse(rw, problem(http.StatusBadRequest, "Bad Request", "to="+strconv.Quote(v)+": want an RFC 3339 time"))
		return
	}
	if now := s.w.Now(); to.Before(now) {
		writeResponse(rw, problem(http.StatusConflict, "Conflict",
			"to="+v+" is before the world's now "+now.Format(time.RFC3339)+": the clock only moves forward"))
		return
	}
	s.advanceTo(to)
	writeResponse(rw, jsonResponse(http.StatusOK, ctypeJSON, map[string]time.Time{"now": s.w.Now()}))
}

// catchUp moves a real-time world to the WorldClock's now before a change.
func (s *Server) catchUp() {
	if s.cfg.WorldClock != nil {
		s.advanceTo(s.cfg.WorldClock.Now())
	}
}

// advanceTo moves the world forward to t through Config.Advance, or by setting its Now.
func (s *Server) advanceTo(t time.Time) {
	t = t.UTC()
	if s.cfg.Advance != nil {
		s.cfg.Advance(t)
		return
	}
	s.w.Update(func(d *Data) {
		if t.After(d.Now) {
			d.Now = t
		}
	})
}

// touchDeals changes n distinct random open deals at d.Now and returns their ids in the order
// they were picked: each moves to the next stage of its pipeline (with its lead_status_changed
// event) or, half of the time and at the last stage, gets a comment (with common_note_added).
// Either way updated_at becomes Now. d is locked for writing.
func touchDeals(d *Data, r *rand.Rand, n int) []amo.LeadID {
	open := make([]amo.LeadID, 0, len(d.Leads))
	for id, l := range d.Leads {
		if l.IsOpen() {
			open = append(open, id)
		}
	}
	slices.Sort(open) // map order is random; the picks must not be
	n = min(n, len(open))
	for i := range n {
		j := i + r.IntN(len(open)-i)
		open[i], open[j] = open[j], open[i]
	}
	texts := map[string][]string{} // comment texts by language
	for _, id := range open[:n] {
		l := d.Leads[id]
		lang := userLang(d, l.ResponsibleUserID)
		if texts[lang] == nil {
			texts[lang] = catalogFor(lang).callNotes
		}
		touchDeal(d, l, r, texts[lang])
	}
	return open[:n:n]
}

// touchDeal changes one deal as its manager would; texts are the comments to choose from.
func touchDeal(d *Data, l *amo.Lead, r *rand.Rand, texts []string) {
	by, now := l.ResponsibleUserID, d.Now
	e := amo.Event{ID: "ev" + strconv.FormatInt(d.ID(), 36), EntityID: int64(l.ID), EntityType: "lead",
		CreatedBy: by, CreatedAt: now}
	next, ok := nextStatus(d, l)
	if ok && r.IntN(2) == 0 {
		before := l.Status()
		l.StatusID = next.StatusID
		e.Type, e.StatusBefore, e.StatusAfter = amo.EventLeadStatusChanged, &before, &next
	} else {
		n := &amo.Note{ID: amo.NoteID(d.ID()), EntityID: int64(l.ID), EntityType: amo.EntityLeads,
			NoteType: amo.NoteCommon, Text: texts[r.IntN(len(texts))], CreatedBy: by, ResponsibleUserID: by,
			CreatedAt: now, UpdatedAt: now}
		d.Notes[n.ID] = n
		e.Type, e.NoteID = amo.EventCommonNoteAdded, n.ID
	}
	d.Events = append(d.Events, e)
	l.UpdatedAt, l.UpdatedBy = now, by
}

// nextStatus returns the stage after the deal's current one in its pipeline's order, skipping
// the unsorted stage and the closed statuses; ok is false at the last stage.
func nextStatus(d *Data, l *amo.Lead) (amo.StatusRef, bool) {
	i := slices.IndexFunc(d.Pipelines, func(p amo.Pipeline) bool { return p.ID == l.PipelineID })
	if i < 0 {
		return amo.StatusRef{}, false
	}
	sts := slices.Clone(d.Pipelines[i].Statuses)
	slices.SortStableFunc(sts, func(a, b amo.Status) int { return cmp.Compare(a.Sort, b.Sort) })
	passed := false
	for _, st := range sts {
		switch {
		case st.ID == l.StatusID:
			passed = true
		case passed && st.ID != amo.StatusWon && st.ID != amo.StatusLost && st.Type != amo.StatusTypeUnsorted:
			return amo.StatusRef{PipelineID: l.PipelineID, StatusID: st.ID}, true
		}
	}
	return amo.StatusRef{}, false
}

// userLang returns a user's language, for the texts of their notes.
func userLang(d *Data, id amo.UserID) string {
	for _, u := range d.Users {
		if u.ID == id {
			return u.Lang
		}
	}
	return ""
}
