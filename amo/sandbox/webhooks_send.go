package sandbox

import (
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Sending webhooks the way amoCRM does (API.md §5): after each change of the World the
// server posts, to each enabled subscription that asked for the event, an
// application/x-www-form-urlencoded body in PHP-array notation with percent-encoded
// brackets (leads%5Bstatus%5D%5B0%5D%5Bid%5D=…), every value a string, the entities of one
// event batched (at most hookBatch a body) and the account last. A delivery that fails (a
// transport error or a status outside 100–299) is logged, never fatal, and tried again after
// 5 and 15 minutes of the server's clock, at the next change after that.

// hookBatch bounds the entities of one body.
const hookBatch = 50

// hookTimeout is how long amoCRM waits for an answer (API.md §5: 2 s).
const hookTimeout = 2 * time.Second

// hookRetries are the waits before the second and third attempts.
var hookRetries = []time.Duration{5 * time.Minute, 15 * time.Minute}

// Delivery is one webhook the server sent.
type Delivery struct {
	At          time.Time // the server's clock
	Destination string
	Events      []string // the settings values it answers, e.g. status_lead
	Items       int
	Body        string
	Status      int    // 0 when no answer came
	Err         string // the transport error, if any
	Attempt     int    // 1 for the first try
}

// OK reports whether the destination took the delivery.
func (d Delivery) OK() bool { return d.Err == "" && d.Status >= 100 && d.Status < 300 }

// Deliveries says what the server sent to webhook destinations.
type Deliveries struct {
	Sent, Failed int
	Recent       []Delivery // the last deliveryLogSize, oldest first
}

// deliveryLogSize bounds Deliveries.Recent; maxPending the deliveries waiting for a retry.
const (
	deliveryLogSize = 200
	maxPending      = 1000
)

// deliveryLog is guarded by its own mutex, never held with hookRegistry.mu.
type deliveryLog struct {
	mu      sync.Mutex
	d       Deliveries
	pending []outgoing
}

// outgoing is one body for one destination.
type outgoing struct {
	dest    string
	body    string
	events  []string
	items   int
	attempt int
	due     time.Time
}

// Deliveries returns what the server sent so far.
func (s *Server) Deliveries() Deliveries {
	l := &s.hooks.log
	l.mu.Lock()
	defer l.mu.Unlock()
	d := l.d
	d.Recent = slices.Clone(l.d.Recent)
	return d
}

// sendHooks sends what changed since the last call to every subscription that asked for
// it, and the retries that are due. It runs after each World.Update, outside the World's
// lock; deliveries go out one at a time, in the order the changes were seen.
func (s *Server) sendHooks() {
	reg := s.hooks
	reg.mu.Lock()
	if reg.seen == nil {
		reg.mu.Unlock()
		return
	}
	var items []hookItem
	var account [][2]string
	s.w.Read(func(d *Data) {
		items = reg.seen.diff(d)
		account = s.accountFields(d)
	})
	var out []outgoing
	for _, h := range reg.hooks {
		if !h.Disabled {
			out = append(out, hookBodies(h, items, account)...)
		}
	}
	reg.sendMu.Lock()
	reg.mu.Unlock()
	defer reg.sendMu.Unlock()
	for _, o := range append(reg.log.due(s.clock.Now()), out...) {
		s.deliver(o)
	}
}

// accountFields close every body: account[subdomain], account[id], account[_links][self].
func (s *Server) accountFields(d *Data) [][2]string {
	self := s.cfg.BaseURL
	if self == "" {
		self = "https://" + d.Account.Subdomain + ".amocrm.ru"
	}
	return [][2]string{{"account[subdomain]", d.Account.Subdomain}, {"account[id]", itoa(int64(d.Account.ID))},
		{"account[_links][self]", self}}
}

// hookBodies builds the bodies h gets for items: one per event kind (top-level key and
// action), in the order the kinds first appear, at most hookBatch entities each.
func hookBodies(h *Hook, items []hookItem, account [][2]string) []outgoing {
	type kind struct{ root, action, event string }
	var order []kind
	groups := map[kind][]hookItem{}
	for _, it := range items {
		if !h.wants(it.event) {
			continue
		}
		k := kind{it.root, it.action, it.event}
		if _, ok := groups[k]; !ok {
			order = append(order, k)
		}
		groups[k] = append(groups[k], it)
	}
	var out []outgoing
	for _, k := range order {
		g := groups[k]
		for start := 0; start < len(g); start += hookBatch {
			batch := g[start:min(start+hookBatch, len(g))]
			var b strings.Builder
			for i, it := range batch {
				prefix := k.root + "[" + k.action + "][" + strconv.Itoa(i) + "]"
				if k.action == "note" {
					prefix += "[note]"
				}
				for _, f := range it.fields {
					key := prefix + "[" + f[0] + "]"
					if j := strings.IndexByte(f[0], '['); j > 0 { // params[DURATION] → [params][DURATION]
						key = prefix + "[" + f[0][:j] + "]" + f[0][j:]
					}
					addPair(&b, key, f[1])
				}
			}
			for _, f := range account {
				addPair(&b, f[0], f[1])
			}
			out = append(out, outgoing{dest: h.Destination, body: b.String(), events: []string{k.event}, items: len(batch), attempt: 1})
		}
	}
	return out
}

func addPair(b *strings.Builder, k, v string) {
	if b.Len() > 0 {
		b.WriteByte('&')
	}
	b.WriteString(url.QueryEscape(k))
	b.WriteByte('=')
	b.WriteString(url.QueryEscape(v))
}

// deliver posts one body and records the outcome; a failure is logged and retried later.
func (s *Server) deliver(o outgoing) {
	client := s.cfg.WebhookClient
	if client == nil {
		client = &http.Client{Timeout: hookTimeout}
	}
	d := Delivery{At: s.clock.Now(), Destination: o.dest, Events: o.events, Items: o.items, Body: o.body, Attempt: o.attempt}
	req, err := http.NewRequest(http.MethodPost, o.dest, strings.NewReader(o.body))
	if err == nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("User-Agent", "amoCRM-WebHook-client/1.0")
		var resp *http.Response
		if resp, err = client.Do(req); err == nil {
			_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
			_ = resp.Body.Close()
			d.Status = resp.StatusCode
		}
	}
	if err != nil {
		d.Err = err.Error()
	}
	if !d.OK() {
		s.log.Warn("sandbox webhook delivery failed", "destination", hostOf(o.dest), "status", d.Status,
			"err", strings.ReplaceAll(d.Err, o.dest, hostOf(o.dest)), "attempt", o.attempt)
	}
	s.hooks.log.record(d, o)
}

// record logs a delivery and queues its retry when it failed and tries are left.
func (l *deliveryLog) record(d Delivery, o outgoing) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if d.OK() {
		l.d.Sent++
	} else {
		l.d.Failed++
		if o.attempt <= len(hookRetries) && len(l.pending) < maxPending {
			o.due = d.At.Add(hookRetries[o.attempt-1])
			o.attempt++
			l.pending = append(l.pending, o)
		}
	}
	l.d.Recent = append(l.d.Recent, d)
	if n := len(l.d.Recent) - deliveryLogSize; n > 0 {
		l.d.Recent = slices.Delete(l.d.Recent, 0, n)
	}
}

// due takes the retries whose time has come.
func (l *deliveryLog) due(now time.Time) []outgoing {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []outgoing
	l.pending = slices.DeleteFunc(l.pending, func(o outgoing) bool {
		if o.due.After(now) {
			return false
		}
		out = append(out, o)
		return true
	})
	return out
}

// hostOf is a destination without its path, which may hold a secret.
func hostOf(dest string) string {
	u, err := url.Parse(dest)
	if err != nil {
		return "(invalid URL)"
	}
	return u.Scheme + "://" + u.Host
}
