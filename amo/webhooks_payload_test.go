package amo_test

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"salesguard/amo"
)

// The raw bodies in testdata/webhooks are as amoCRM sends them (API.md §5): form-urlencoded
// with percent-encoded brackets, every value a string, v2-style field names, the account last.
func TestParseWebhookRawBodies(t *testing.T) {
	at := time.Unix(1764061200, 0).UTC()
	tests := []struct {
		file  string
		ctype string
		want  []amo.WebhookItem
	}{
		{"lead_add.form", "", []amo.WebhookItem{{Entity: "leads", Action: "add", ID: 31700001, StatusID: 61652710, PipelineID: 7712345, Modified: at}}},
		{"lead_status.form", "", []amo.WebhookItem{{Entity: "leads", Action: "status", ID: 31700002, StatusID: 61652710, OldStatusID: 61652706, PipelineID: 7712345, Modified: at}}},
		{"lead_responsible.form", "", []amo.WebhookItem{{Entity: "leads", Action: "responsible", ID: 31700003, StatusID: 61652710, PipelineID: 7712345, Modified: at}}},
		{"lead_update_batch.form", "", []amo.WebhookItem{
			{Entity: "leads", Action: "update", ID: 31700004, StatusID: 61652710, PipelineID: 7712345, Modified: at},
			{Entity: "leads", Action: "update", ID: 31700005, StatusID: 61652710, PipelineID: 7712345, Modified: at},
			{Entity: "leads", Action: "update", ID: 31700006, StatusID: 61652710, PipelineID: 7712345, Modified: at},
		}},
		{"lead_delete.form", "", []amo.WebhookItem{{Entity: "leads", Action: "delete", ID: 31700007, StatusID: 61652710, PipelineID: 7712345}}},
		{"note_lead_call.form", "", []amo.WebhookItem{{Entity: "leads", Action: "note", ID: 31700002, NoteID: 90001234,
			ElementID: 31700002, ElementType: 2, Modified: time.Unix(1764061300, 0).UTC()}}},
		{"note_contact.form", "", []amo.WebhookItem{{Entity: "contacts", Action: "note", ID: 44100001, NoteID: 90001235, ElementID: 44100001, ElementType: 1}}},
		{"task_add.form", "", []amo.WebhookItem{{Entity: "tasks", Action: "add", ID: 55500001, ElementID: 31700001, ElementType: 2, Modified: time.Unix(1764061500, 0).UTC()}}},
		{"task_update_closed.form", "", []amo.WebhookItem{{Entity: "tasks", Action: "update", ID: 55500001, ElementID: 31700001, ElementType: 2, Modified: time.Unix(1764061500, 0).UTC()}}},
		{"company_update.form", "", []amo.WebhookItem{{Entity: "companies", Action: "update", ID: 44200001, Modified: time.Unix(1764061600, 0).UTC()}}},
		{"digital_pipeline.form", "", []amo.WebhookItem{{Entity: "leads", Action: "status", ID: 31700008, StatusID: 142, OldStatusID: 61652710, PipelineID: 7712345}}},
		{"lead_status_raw_brackets.form", "application/x-www-form-urlencoded", []amo.WebhookItem{{Entity: "leads", Action: "status", ID: 31700009, StatusID: 143, OldStatusID: 61652710, PipelineID: 7712345}}},
		{"lead_status_nested.json", "application/json", []amo.WebhookItem{{Entity: "leads", Action: "status", ID: 31700010, StatusID: 142, OldStatusID: 61652710, PipelineID: 7712345, Modified: at}}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			body := readHook(t, tt.file)
			p, err := amo.ParseWebhook(tt.ctype, body)
			if err != nil {
				t.Fatal(err)
			}
			if p.Subdomain != "example" || p.AccountID != 29085955 {
				t.Errorf("account %q %d", p.Subdomain, p.AccountID)
			}
			if len(p.Items) != len(tt.want) {
				t.Fatalf("items %+v, want %+v", p.Items, tt.want)
			}
			for i := range tt.want {
				if p.Items[i] != tt.want[i] {
					t.Errorf("item %d: %+v, want %+v", i, p.Items[i], tt.want[i])
				}
			}
		})
	}
}

func TestParseWebhookLeadIDs(t *testing.T) {
	body := readHook(t, "task_add.form")
	p, err := amo.ParseWebhook("", body)
	if err != nil || len(p.Items) != 1 || p.Items[0].LeadID() != 31700001 {
		t.Fatalf("task on a lead: %+v %v", p, err)
	}
	body = readHook(t, "note_contact.form")
	if p, _ := amo.ParseWebhook("", body); len(p.Items) != 1 || p.Items[0].LeadID() != 0 {
		t.Fatalf("note on a contact names a lead: %+v", p)
	}
}

func TestParseWebhookDefensive(t *testing.T) {
	tests := []struct {
		name    string
		ctype   string
		body    string
		items   int
		wantErr bool
	}{
		{"empty", "", "", 0, false},
		{"not a form", "", "%zz=%zz", 0, true},
		{"one bad pair among good ones", "", "%zz=1&leads[add][0][id]=5", 1, false},
		{"no id", "", "leads[add][0][name]=x", 0, false},
		{"negative id", "", "leads[add][0][id]=-5", 0, false},
		{"huge id", "", "leads[add][0][id]=99999999999999999999", 0, false},
		{"unknown entity", "", "widgets[add][0][id]=5", 0, false},
		{"bad action", "", "leads[ADD!][0][id]=5", 0, false},
		{"index out of range", "", "leads[add][100000][id]=5", 0, false},
		{"unclosed bracket", "", "leads[add][0][id=5", 0, false},
		{"junk after bracket", "", "leads[add]x[0][id]=5", 0, false},
		{"deep custom field ignored", "", "leads[add][0][id]=5&leads[add][0][custom_fields][0][values][0][value]=7", 1, false},
		{"duplicate key keeps the first", "", "leads[add][0][id]=5&leads[add][0][id]=6", 1, false},
		{"json array", "application/json", `[1,2]`, 0, true},
		{"broken json", "application/json", `{"leads":`, 0, true},
		{"json flat bracket keys", "application/json", `{"leads[add][0][id]":"5","account[subdomain]":"x"}`, 1, false},
		{"json numbers", "", `{"task":{"add":{"0":{"id":77,"element_id":5,"element_type":2}}}}`, 1, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := amo.ParseWebhook(tt.ctype, []byte(tt.body))
			if (err != nil) != tt.wantErr {
				t.Fatalf("err %v, want error %v", err, tt.wantErr)
			}
			if len(p.Items) != tt.items {
				t.Errorf("items %+v, want %d", p.Items, tt.items)
			}
		})
	}
}

func TestParseWebhookBoundsItems(t *testing.T) {
	var b strings.Builder
	for i := 0; i < 2*amo.MaxWebhookItems; i++ {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString("leads[update][" + strconv.Itoa(i) + "][id]=" + strconv.Itoa(i+1))
	}
	p, err := amo.ParseWebhook("", []byte(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Items) != amo.MaxWebhookItems || !p.Truncated {
		t.Errorf("items %d truncated %v, want %d and true", len(p.Items), p.Truncated, amo.MaxWebhookItems)
	}
}

// readHook reads a raw webhook body from testdata/webhooks.
func readHook(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "webhooks", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}
