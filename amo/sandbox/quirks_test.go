package sandbox

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"salesguard/amo"
)

// mustItem returns the first item of a list (or the single object of a by-id route).
func mustItem(t *testing.T, r reply, coll string) map[string]json.RawMessage {
	t.Helper()
	if coll == "" {
		var m map[string]json.RawMessage
		if r.status != http.StatusOK {
			t.Fatalf("status %d: %s", r.status, r.body)
		}
		if err := json.Unmarshal(r.body, &m); err != nil {
			t.Fatalf("decode: %v", err)
		}
		return m
	}
	_, items := mustList(t, r, coll)
	if len(items) == 0 {
		t.Fatalf("no items in %s", coll)
	}
	return items[0]
}

func TestWireQuirks(t *testing.T) {
	w := newTestWorld()
	addLeads(w, 2)
	addActivity(w)
	w.Update(func(d *Data) {
		l := d.Leads[2]
		l.StatusID, l.LossReasonID, l.ClosedAt = amo.StatusLost, 31, t0.Add(time.Hour)
		l.ContactIDs, l.Tags = []amo.ContactID{301, 302}, []string{"vip"}
		l.CustomFields = []amo.FieldValue{{FieldID: 41, Name: "Budget", Type: "numeric", Values: []string{"1500"}}}
		d.DeletedLeads[9] = &amo.Lead{ID: 9, UpdatedAt: t0, UpdatedBy: testUser1, Name: "gone"}
		d.Events = append(d.Events,
			amo.Event{ID: "01status", Type: amo.EventLeadStatusChanged, EntityID: 2, EntityType: "lead", CreatedAt: t0,
				StatusBefore: &amo.StatusRef{PipelineID: 7, StatusID: 11}, StatusAfter: &amo.StatusRef{PipelineID: 7, StatusID: 143}},
			amo.Event{ID: "01call", Type: amo.EventOutgoingCall, EntityID: 2, EntityType: "lead", CreatedAt: t0.Add(time.Second), NoteID: 402},
			amo.Event{ID: "01resp", Type: amo.EventResponsibleChanged, EntityID: 2, EntityType: "lead", CreatedAt: t0.Add(2 * time.Second), ResponsibleAfter: testUser2},
			amo.Event{ID: "01chat", Type: amo.EventOutgoingChatMessage, EntityID: 2, EntityType: "lead", CreatedAt: t0.Add(3 * time.Second), LinkedContactID: 301},
			amo.Event{ID: "01del", Type: amo.EventLeadDeleted, EntityID: 5, EntityType: "lead", CreatedAt: t0.Add(4 * time.Second)},
		)
	})
	_, ts, _ := newTestServer(t, w, Config{})
	tests := []struct {
		name, path, coll, field, want string
	}{
		{"custom fields null when empty", "/api/v4/leads?filter[id]=1", "leads", "custom_fields_values", `null`},
		{"closed_at null", "/api/v4/leads?filter[id]=1", "leads", "closed_at", `null`},
		{"closest_task_at null", "/api/v4/leads?filter[id]=1", "leads", "closest_task_at", `null`},
		{"loss_reason_id null", "/api/v4/leads?filter[id]=1", "leads", "loss_reason_id", `null`},
		{"unix seconds", "/api/v4/leads?filter[id]=1", "leads", "created_at", itoa(t0.Add(-time.Hour).Unix())},
		{"no contacts without with", "/api/v4/leads?filter[id]=2", "leads", "_embedded", `{"tags":[{"id":` + itoa(stableID("tag", "vip")) + `,"name":"vip","color":null}],"companies":[]}`},
		{"contacts with with=contacts", "/api/v4/leads?filter[id]=2&with=contacts", "leads", "_embedded",
			`{"tags":[{"id":` + itoa(stableID("tag", "vip")) + `,"name":"vip","color":null}],"companies":[],"contacts":[` +
				`{"id":301,"is_main":true,"_links":{"self":{"href":"` + ts.URL + `/api/v4/contacts/301"}}},` +
				`{"id":302,"is_main":false,"_links":{"self":{"href":"` + ts.URL + `/api/v4/contacts/302"}}}]}`},
		{"loss reason array", "/api/v4/leads/2?with=loss_reason", "", "_embedded",
			`{"tags":[{"id":` + itoa(stableID("tag", "vip")) + `,"name":"vip","color":null}],"companies":[],"loss_reason":[` +
				`{"id":31,"name":"Too expensive","sort":1,"created_at":` + itoa(t0.Unix()) + `,"updated_at":` + itoa(t0.Unix()) +
				`,"_links":{"self":{"href":"` + ts.URL + `/api/v4/leads/loss_reasons/31"}}}]}`},
		{"numeric custom field", "/api/v4/leads/2", "", "custom_fields_values",
			`[{"field_id":41,"field_name":"Budget","field_code":null,"field_type":"numeric","values":[{"value":1500}]}]`},
		{"only deleted", "/api/v4/leads?with=only_deleted", "leads", "is_deleted", `true`},
		{"contact leads with=leads", "/api/v4/contacts?with=leads", "contacts", "_embedded",
			`{"tags":[],"companies":[],"leads":[{"id":1,"_links":{"self":{"href":"` + ts.URL + `/api/v4/leads/1"}}}]}`},
		{"task result empty array", "/api/v4/tasks/201", "", "result", `[]`},
		{"task result object", "/api/v4/tasks/202", "", "result", `{"text":"done"}`},
		{"task completed no result", "/api/v4/tasks/203", "", "result", `[]`},
		{"task entity_type plural", "/api/v4/tasks/201", "", "entity_type", `"leads"`},
		{"task without entity", "/api/v4/tasks/204", "", "entity_id", `null`},
		{"call duration int on even id", "/api/v4/leads/notes?filter[id]=402", "notes", "params",
			`{"duration":45,"link":null,"phone":"+7900","source":"tel","uniq":"u1"}`},
		{"call duration string on odd id", "/api/v4/leads/notes?filter[id]=403", "notes", "params",
			`{"call_responsible":101,"call_status":4,"duration":"20","link":null,"phone":"","source":"","uniq":""}`},
		{"common note text", "/api/v4/leads/notes?filter[id]=401", "notes", "params", `{"text":"hello"}`},
		{"event id is a string", "/api/v4/events?filter[type]=lead_status_changed", "events", "id", `"01status"`},
		{"status change after", "/api/v4/events?filter[type]=lead_status_changed", "events", "value_after", `[{"lead_status":{"id":143,"pipeline_id":7}}]`},
		{"status change before", "/api/v4/events?filter[type]=lead_status_changed", "events", "value_before", `[{"lead_status":{"id":11,"pipeline_id":7}}]`},
		{"call note ref", "/api/v4/events?filter[type]=outgoing_call", "events", "value_after", `[{"note":{"id":402}}]`},
		{"responsible", "/api/v4/events?filter[type]=entity_responsible_changed", "events", "value_after", `[{"responsible_user":{"id":102}}]`},
		{"chat linked contact", "/api/v4/events?filter[type]=outgoing_chat_message", "events", "linked_talk_contact_id", `301`},
		{"deleted empty before", "/api/v4/events?filter[type]=lead_deleted", "events", "value_before", `[]`},
		{"event entity embedded", "/api/v4/events?filter[type]=lead_deleted", "events", "_embedded",
			`{"entity":{"id":5,"_links":{"self":{"href":"` + ts.URL + `/api/v4/leads/5"}}}}`},
		{"account datetime", "/api/v4/account?with=datetime_settings,is_api_filter_enabled,task_types", "", "_embedded",
			`{"task_types":[{"id":1,"name":"Связаться","color":null,"icon_id":null,"code":"FOLLOW_UP"},` +
				`{"id":2,"name":"Встреча","color":null,"icon_id":null,"code":"MEETING"}],"datetime_settings":{"date_pattern":"d.m.Y H:i",` +
				`"short_date_pattern":"d.m.Y","short_time_pattern":"H:i","date_format":"d.m.Y","time_format":"H:i:s",` +
				`"timezone":"UTC","timezone_offset":"+00:00"}}`},
		{"account filter flag", "/api/v4/account?with=is_api_filter_enabled", "", "is_api_filter_enabled", `true`},
		{"account current user", "/api/v4/account", "", "current_user_id", `101`},
		{"pipelines total", "/api/v4/leads/pipelines", "", "_total_items", `1`},
		{"loss reasons total", "/api/v4/leads/loss_reasons", "", "_total_items", `1`},
		{"users page count", "/api/v4/users", "", "_page_count", `1`},
		{"users sorted", "/api/v4/users", "users", "id", `101`},
		{"lead custom fields", "/api/v4/leads/custom_fields", "custom_fields", "required_statuses", `[{"status_id":12,"pipeline_id":7}]`},
		{"contact custom fields", "/api/v4/contacts/custom_fields", "custom_fields", "code", `"PHONE"`},
		{"multitext enum code", "/api/v4/contacts/301", "", "custom_fields_values",
			`[{"field_id":42,"field_name":"Phone","field_code":"PHONE","field_type":"multitext","values":[{"value":"+7900","enum_id":` +
				itoa(stableID("enum", "42", "WORK")) + `,"enum_code":"WORK"}]}]`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			item := mustItem(t, mustGet(t, ts, tt.path), tt.coll)
			if got := string(item[tt.field]); got != tt.want {
				t.Fatalf("%s =\n %s\nwant\n %s", tt.field, got, tt.want)
			}
		})
	}
}

func TestLeadHasEveryDocumentedField(t *testing.T) {
	w := newTestWorld()
	addLeads(w, 1)
	_, ts, _ := newTestServer(t, w, Config{})
	item := mustItem(t, mustGet(t, ts, "/api/v4/leads"), "leads")
	for _, f := range strings.Fields(`id name price responsible_user_id group_id status_id pipeline_id loss_reason_id
		source_id created_by updated_by created_at updated_at closed_at closest_task_at is_deleted
		custom_fields_values score account_id _links _embedded`) {
		if _, ok := item[f]; !ok {
			t.Errorf("lead lacks %q", f)
		}
	}
}
