package sandbox

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"sync"
	"time"
)

// Webhook subscriptions (API.md §5): GET, POST and DELETE /api/v4/webhooks keep them, and the
// server sends the changes of the World to each destination the way amoCRM does
// (webhooks_send.go).

// maxHooks is amoCRM's limit of subscriptions per account (API.md §3.8).
const maxHooks = 100

// hookEvents are the settings values amoCRM accepts (API.md §5).
var hookEvents = []string{
	"add_lead", "update_lead", "delete_lead", "restore_lead", "status_lead", "responsible_lead", "note_lead",
	"add_contact", "update_contact", "delete_contact", "restore_contact", "responsible_contact", "note_contact",
	"add_company", "update_company", "delete_company", "restore_company", "responsible_company", "note_company",
	"add_customer", "update_customer", "delete_customer", "responsible_customer", "note_customer",
	"add_task", "update_task", "delete_task", "responsible_task", "add_talk", "update_talk", "add_chat_template_review",
}

// Hook is one webhook subscription of the sandbox account.
type Hook struct {
	ID          int64     `json:"id"`
	Destination string    `json:"destination"`
	Settings    []string  `json:"settings"`
	Disabled    bool      `json:"disabled"`
	Sort        int64     `json:"sort"`
	CreatedBy   int64     `json:"created_by"`
	AccountID   int64     `json:"account_id"`
	CreatedAt   time.Time `json:"-"`
	UpdatedAt   time.Time `json:"-"`
}

// wants reports whether the subscription asked for the event.
func (h *Hook) wants(event string) bool { return slices.Contains(h.Settings, event) }

// hookRegistry holds the subscriptions and the sender's state; it is safe for concurrent use.
type hookRegistry struct {
	mu     sync.Mutex
	hooks  []*Hook
	nextID int64
	// seen is what the sender last saw of the world, to tell what changed; nil while there
	// is no subscription (nothing is tracked then).
	seen *worldMarks
	// sendMu keeps deliveries in the order the changes were seen.
	sendMu sync.Mutex
	log    deliveryLog
}

// Hooks returns the current subscriptions.
func (s *Server) Hooks() []Hook {
	s.hooks.mu.Lock()
	defer s.hooks.mu.Unlock()
	out := make([]Hook, 0, len(s.hooks.hooks))
	for _, h := range s.hooks.hooks {
		c := *h
		c.Settings = slices.Clone(h.Settings)
		out = append(out, c)
	}
	return out
}

// wireHook is a subscription as the API sends it.
type wireHook struct {
	Hook
	CreatedAt int64 `json:"created_at"`
	UpdatedAt int64 `json:"updated_at"`
}

func wire(h *Hook) wireHook {
	return wireHook{Hook: *h, CreatedAt: h.CreatedAt.Unix(), UpdatedAt: h.UpdatedAt.Unix()}
}

// listHooks serves GET /api/v4/webhooks[?filter[destination]=…]; none is a 204.
func (s *Server) listHooks(r *http.Request) *response {
	dest := r.URL.Query().Get("filter[destination]")
	s.hooks.mu.Lock()
	defer s.hooks.mu.Unlock()
	items := []wireHook{}
	for _, h := range s.hooks.hooks {
		if dest == "" || h.Destination == dest {
			items = append(items, wire(h))
		}
	}
	if len(items) == 0 {
		return noContent()
	}
	return halJSON(map[string]any{"_total_items": len(items), "_embedded": map[string]any{"webhooks": items}})
}

// hookRequest is the body of POST and DELETE /api/v4/webhooks.
type hookRequest struct {
	Destination string   `json:"destination"`
	Settings    []string `json:"settings"`
}

// readHookRequest decodes the JSON body; a problem response when it is not one.
func readHookRequest(r *http.Request) (hookRequest, *response) {
	var q hookRequest
	body, err := io.ReadAll(io.LimitReader(r.Body, 64<<10))
	if err != nil || json.Unmarshal(body, &q) != nil {
		return q, badRequest("body", "a JSON object with destination and settings")
	}
	u, err := url.Parse(q.Destination)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return q, badRequest("destination", "must be a valid URL")
	}
	return q, nil
}

// addHook serves POST /api/v4/webhooks: a new destination is subscribed (201), an existing
// one gets the new settings and is enabled again (200).
func (s *Server) addHook(r *http.Request) *response {
	q, bad := readHookRequest(r)
	if bad != nil {
		return bad
	}
	h, created, bad := s.subscribe(q.Destination, q.Settings)
	if bad != nil {
		return bad
	}
	if created {
		return jsonResponse(http.StatusCreated, ctypeHAL, wire(&h))
	}
	return halJSON(wire(&h))
}

// Subscribe subscribes destination to the events (all of them when none are given), as POST
// /api/v4/webhooks does, for `salesguard sandbox --webhook` and tests.
func (s *Server) Subscribe(destination string, events ...string) (Hook, error) {
	if len(events) == 0 {
		events = hookEvents
	}
	if u, err := url.Parse(destination); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return Hook{}, fmt.Errorf("webhook destination %q: want an absolute http(s) URL", destination)
	}
	h, _, bad := s.subscribe(destination, events)
	if bad != nil {
		return Hook{}, fmt.Errorf("subscribe: %s", bad.body)
	}
	return h, nil
}

// subscribe adds or updates a subscription; bad is the problem response for invalid settings.
func (s *Server) subscribe(dest string, events []string) (h Hook, created bool, bad *response) {
	if len(events) == 0 {
		return Hook{}, false, badRequest("settings", "at least one event")
	}
	for _, e := range events {
		if !slices.Contains(hookEvents, e) {
			return Hook{}, false, badRequest("settings", "unknown event "+e)
		}
	}
	now := s.w.Now()
	var account int64
	s.w.Read(func(d *Data) { account = int64(d.Account.ID) })
	s.hooks.mu.Lock()
	defer s.hooks.mu.Unlock()
	for _, old := range s.hooks.hooks {
		if old.Destination == dest {
			old.Settings, old.Disabled, old.UpdatedAt = slices.Clone(events), false, now
			c := *old
			c.Settings = slices.Clone(old.Settings)
			return c, false, nil
		}
	}
	if len(s.hooks.hooks) >= maxHooks {
		return Hook{}, false, badRequest("destination", "the account has the maximum of 100 webhooks")
	}
	s.hooks.nextID++
	nh := &Hook{ID: 839000 + s.hooks.nextID, Destination: dest, Settings: slices.Clone(events),
		Sort: s.hooks.nextID, AccountID: account, CreatedAt: now, UpdatedAt: now}
	s.hooks.hooks = append(s.hooks.hooks, nh)
	if s.hooks.seen == nil {
		s.w.Read(func(d *Data) { s.hooks.seen = marksOf(d) })
	}
	c := *nh
	c.Settings = slices.Clone(nh.Settings)
	return c, true, nil
}

// removeHook serves DELETE /api/v4/webhooks: 204, or 404 for a destination not subscribed.
func (s *Server) removeHook(r *http.Request) *response {
	q, bad := readHookRequest(r)
	if bad != nil {
		return bad
	}
	s.hooks.mu.Lock()
	defer s.hooks.mu.Unlock()
	n := len(s.hooks.hooks)
	s.hooks.hooks = slices.DeleteFunc(s.hooks.hooks, func(h *Hook) bool { return h.Destination == q.Destination })
	if len(s.hooks.hooks) == n {
		return problem(http.StatusNotFound, "Not Found", "no webhook with this destination")
	}
	if len(s.hooks.hooks) == 0 {
		s.hooks.seen = nil
	}
	return noContent()
}
