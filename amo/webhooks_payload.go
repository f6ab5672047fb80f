package amo

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// WebhookPayload is what a webhook body names: which entities changed and how. It is a hint
// that something changed, never data to apply: the values are what the sender claims, and
// the sync reads amoCRM itself (API.md §5: webhooks carry no signature).
type WebhookPayload struct {
	Subdomain string // account[subdomain]
	AccountID int64  // account[id]
	Items     []WebhookItem
	// Truncated says the body named more than MaxWebhookItems entities; the rest are not
	// listed (a sync reads them all the same).
	Truncated bool
}

// WebhookItem is one entity of a webhook body.
type WebhookItem struct {
	// Entity is the collection: leads, contacts, companies, customers, tasks, unsorted,
	// talk or message (a company sent under contacts with type=company is companies).
	Entity string
	// Action is what happened: add, update, delete, restore, status, responsible, note, …
	Action string
	// ID is the entity's id; for a note, the id of the entity the note is on.
	ID int64
	// NoteID is a note's own id (Action note), else 0.
	NoteID int64
	// ElementID and ElementType say what a task or note is attached to (type 1 contact,
	// 2 lead, 3 company, 12 customer); 0 when absent.
	ElementID   int64
	ElementType int
	// StatusID, OldStatusID and PipelineID come with a lead's status change.
	StatusID, OldStatusID, PipelineID int64
	// Modified is the entity's last_modified (or updated_at); zero when absent.
	Modified time.Time
}

// LeadID returns the lead the item concerns: the lead itself, or the lead a task or note is
// attached to; 0 for anything else.
func (it WebhookItem) LeadID() int64 {
	switch {
	case it.Entity == "leads":
		return it.ID
	case it.Entity == "tasks" && it.ElementType == 2:
		return it.ElementID
	}
	return 0
}

// Limits of ParseWebhook: a body names at most MaxWebhookItems entities (amoCRM batches far
// fewer), and at most maxWebhookPairs key=value pairs are looked at.
const (
	MaxWebhookItems = 500
	maxWebhookPairs = 20000
	maxWebhookIndex = 9999
)

// ErrWebhookBody means a webhook body is neither form-urlencoded nor JSON.
var ErrWebhookBody = errors.New("amo: webhook body is neither form-urlencoded nor JSON")

// webhookEntities maps the top-level keys of a body to the entity they name (API.md §5 and
// §6.7: leads and contacts are plural, task is singular).
var webhookEntities = map[string]string{
	"leads": "leads", "contacts": "contacts", "companies": "companies", "customers": "customers",
	"task": "tasks", "tasks": "tasks", "unsorted": "unsorted", "talk": "talk", "message": "message",
}

// ParseWebhook decodes a webhook body as amoCRM sends it: application/x-www-form-urlencoded in
// PHP-array notation (leads[status][0][id]=…&account[subdomain]=…). A JSON body of the same
// shape (nested objects, or the bracketed keys as a flat object) is accepted too. Keys it
// does not know are ignored, values it cannot read are left zero and an entity without a
// valid id is dropped; only a body that is neither form nor JSON is an error.
func ParseWebhook(contentType string, body []byte) (WebhookPayload, error) {
	trimmed := bytes.TrimSpace(body)
	var pairs map[string]string
	if strings.Contains(strings.ToLower(contentType), "json") || (len(trimmed) > 0 && (trimmed[0] == '{' || trimmed[0] == '[')) {
		p, err := jsonPairs(trimmed)
		if err != nil {
			return WebhookPayload{}, err
		}
		pairs = p
	} else {
		p, err := formPairs(string(trimmed))
		if err != nil {
			return WebhookPayload{}, err
		}
		pairs = p
	}
	return payloadOf(pairs), nil
}

// formPairs parses a form body; bad escapes in some pairs do not lose the others.
func formPairs(body string) (map[string]string, error) {
	out := map[string]string{}
	bad := 0
	for body != "" && len(out) < maxWebhookPairs {
		var kv string
		kv, body, _ = strings.Cut(body, "&")
		if kv == "" {
			continue
		}
		k, v, _ := strings.Cut(kv, "=")
		k, err1 := url.QueryUnescape(k)
		v, err2 := url.QueryUnescape(v)
		if err1 != nil || err2 != nil {
			bad++
			continue
		}
		if _, dup := out[k]; !dup {
			out[k] = v
		}
	}
	if len(out) == 0 && bad > 0 {
		return nil, ErrWebhookBody
	}
	return out, nil
}

// jsonPairs flattens a JSON body into bracketed keys, as if it had come as a form.
func jsonPairs(body []byte) (map[string]string, error) {
	d := json.NewDecoder(bytes.NewReader(body))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		return nil, ErrWebhookBody
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return nil, ErrWebhookBody
	}
	out := map[string]string{}
	for k, val := range obj {
		flatten(out, k, val, 0)
	}
	return out, nil
}

// flatten writes v under key, nested values as key[sub]; it stops at depth 6 and at
// maxWebhookPairs pairs.
func flatten(out map[string]string, key string, v any, depth int) {
	if len(out) >= maxWebhookPairs || depth > 6 {
		return
	}
	switch x := v.(type) {
	case map[string]any:
		for k, sub := range x {
			flatten(out, key+"["+k+"]", sub, depth+1)
		}
	case []any:
		for i, sub := range x {
			flatten(out, key+"["+strconv.Itoa(i)+"]", sub, depth+1)
		}
	case string:
		out[key] = x
	case json.Number:
		out[key] = x.String()
	case bool:
		out[key] = strconv.FormatBool(x)
	}
}

// itemKey groups the pairs of one entity: leads[status][3][…].
type itemKey struct {
	root, action string
	index        int
}

// payloadOf reads the entities out of bracketed pairs.
func payloadOf(pairs map[string]string) WebhookPayload {
	var p WebhookPayload
	fields := map[itemKey]map[string]string{}
	for k, v := range pairs {
		segs, ok := splitKey(k)
		if !ok {
			continue
		}
		if segs[0] == "account" && len(segs) == 2 {
			switch segs[1] {
			case "subdomain":
				p.Subdomain = v
			case "id":
				p.AccountID = positive(v)
			}
			continue
		}
		if _, known := webhookEntities[segs[0]]; !known || len(segs) < 4 || !isAction(segs[1]) {
			continue
		}
		i, err := strconv.Atoi(segs[2])
		if err != nil || i < 0 || i > maxWebhookIndex {
			continue
		}
		field := segs[3]
		switch {
		case segs[1] == "note" && field == "note" && len(segs) == 5: // leads[note][0][note][element_id]
			field = segs[4]
		case len(segs) > 4:
			continue // custom_fields, tags, …: not read
		}
		ik := itemKey{segs[0], segs[1], i}
		if fields[ik] == nil {
			if len(fields) >= MaxWebhookItems {
				p.Truncated = true
				continue
			}
			fields[ik] = map[string]string{}
		}
		fields[ik][field] = v
	}
	p.Items = itemsOf(fields)
	return p
}

// itemsOf builds the entities in a stable order: by top-level key, action and index.
func itemsOf(fields map[itemKey]map[string]string) []WebhookItem {
	keys := make([]itemKey, 0, len(fields))
	for k := range fields {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(x, y itemKey) int {
		return cmp.Or(cmp.Compare(x.root, y.root), cmp.Compare(x.action, y.action), cmp.Compare(x.index, y.index))
	})
	var out []WebhookItem
	for _, k := range keys {
		if it, ok := itemOf(k, fields[k]); ok {
			out = append(out, it)
		}
	}
	return out
}

// itemOf builds one entity from its fields; ok is false without a valid id.
func itemOf(k itemKey, f map[string]string) (WebhookItem, bool) {
	it := WebhookItem{Entity: webhookEntities[k.root], Action: k.action,
		ID: positive(f["id"]), ElementID: positive(f["element_id"]), ElementType: int(positive(f["element_type"])),
		StatusID: positive(f["status_id"]), OldStatusID: positive(f["old_status_id"]), PipelineID: positive(f["pipeline_id"])}
	if it.Entity == "contacts" && f["type"] == "company" {
		it.Entity = "companies"
	}
	for _, name := range []string{"last_modified", "updated_at"} {
		if s := positive(f[name]); s > 0 && s < 1<<40 {
			it.Modified = time.Unix(s, 0).UTC()
			break
		}
	}
	if k.action == "note" {
		it.NoteID, it.ID = it.ID, it.ElementID
	}
	return it, it.ID > 0
}

// splitKey splits root[a][b] into its segments; ok is false for a malformed key.
func splitKey(k string) ([]string, bool) {
	root, rest, found := strings.Cut(k, "[")
	if !found || root == "" || len(k) > 256 {
		return []string{k}, root != "" && !found
	}
	segs := []string{root}
	rest = "[" + rest
	for rest != "" {
		if rest[0] != '[' {
			return nil, false
		}
		end := strings.IndexByte(rest, ']')
		if end < 0 {
			return nil, false
		}
		segs = append(segs, rest[1:end])
		rest = rest[end+1:]
	}
	return segs, true
}

// isAction reports whether s can be an action name: a short lowercase word.
func isAction(s string) bool {
	if s == "" || len(s) > 32 {
		return false
	}
	for _, c := range s {
		if (c < 'a' || c > 'z') && c != '_' {
			return false
		}
	}
	return true
}

// positive reads a positive decimal integer (amoCRM sends every value as a string); anything
// else is 0.
func positive(s string) int64 {
	n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	if err != nil || n <= 0 {
		return 0
	}
	return n
}
