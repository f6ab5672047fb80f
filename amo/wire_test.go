package amo

import (
	"context"
	"reflect"
	"testing"
	"time"
)

func unix(s int64) time.Time { return time.Unix(s, 0).UTC() }

func TestListLeadsDecodesEveryVariant(t *testing.T) {
	f := newFakeAPI(t)
	f.raw["/api/v4/leads"] = mustRead(t, "leads_page.json")
	c, _ := newTestClient(t, f, nil)
	leads, err := c.ListLeads(context.Background(), Window{})
	if err != nil {
		t.Fatal(err)
	}
	if len(leads) != 4 {
		t.Fatalf("got %d leads, want 4", len(leads))
	}
	tests := []struct {
		name string
		got  any
		want any
	}{
		{"null loss_reason_id", leads[0].LossReasonID, LossReasonID(0)},
		{"null closest_task_at", leads[0].ClosestTaskAt, time.Time{}},
		{"closed_at", leads[0].ClosedAt, unix(1483005931)},
		{"null custom fields", leads[0].CustomFields, []FieldValue(nil)},
		{"loss reason from array", leads[1].LossReasonID, LossReasonID(4203748)},
		{"closed_at 0 is zero", leads[1].ClosedAt, time.Time{}},
		{"main contact first", leads[1].ContactIDs, []ContactID{500, 501}},
		{"tags", leads[1].Tags, []string{"vip"}},
		{"string value", leads[1].CustomFields[0].Values, []string{"Сайт"}},
		{"number value", leads[1].CustomFields[1].Values, []string{"1500.5"}},
		{"bool value", leads[1].CustomFields[2].Values, []string{"true"}},
		{"timestamp value", leads[1].CustomFields[3].Values, []string{"1700000000"}},
		{"null value not filled", leads[1].CustomFields[4].Filled(), false},
		{"field meta", leads[1].CustomFields[0].Name + "/" + leads[1].CustomFields[0].Type, "Источник/select"},
		{"loss reason id with object", leads[2].LossReasonID, LossReasonID(77)},
		{"string price", leads[2].Price, int64(250)},
		{"robot created_by", leads[1].CreatedBy, UserID(0)},
		{"_embedded as empty array", leads[3].ContactIDs, []ContactID(nil)},
		{"numeric name", leads[3].Name, "12345"},
		{"float price", leads[3].Price, int64(1500)},
		{"string timestamp", leads[3].CreatedAt, unix(1700000000)},
		{"empty custom fields array", leads[3].CustomFields, []FieldValue(nil)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !reflect.DeepEqual(tt.got, tt.want) {
				t.Errorf("got %#v, want %#v", tt.got, tt.want)
			}
		})
	}
}

func TestListTasksResultShapes(t *testing.T) {
	f := newFakeAPI(t)
	f.raw["/api/v4/tasks"] = mustRead(t, "tasks_page.json")
	c, _ := newTestClient(t, f, nil)
	tasks, err := c.ListTasks(context.Background(), Window{})
	if err != nil {
		t.Fatal(err)
	}
	want := []Task{
		{ID: 56981, ResponsibleUserID: 123123, EntityID: 180765, EntityType: EntityLeads, TaskTypeID: 2,
			Text: "Назначить встречу с клиентом", IsCompleted: true, CompleteTill: unix(1575910423),
			Result: "Результат есть", CreatedBy: 54224, UpdatedBy: 3987910, CreatedAt: unix(1575910123), UpdatedAt: unix(1576767989)},
		{ID: 56982, ResponsibleUserID: 123123, TaskTypeID: 1, Text: "Позвонить", CompleteTill: unix(1575910423),
			Duration: 600, CreatedAt: unix(1575910123), UpdatedAt: unix(1576767990)},
	}
	if !reflect.DeepEqual(tasks, want) {
		t.Errorf("tasks:\n got %+v\nwant %+v", tasks, want)
	}
	if tasks[1].LeadID() != 0 {
		t.Errorf("task without entity has lead %d", tasks[1].LeadID())
	}
}

func TestListNotesCallParams(t *testing.T) {
	f := newFakeAPI(t)
	f.raw["/api/v4/contacts/notes"] = mustRead(t, "notes_page.json")
	c, _ := newTestClient(t, f, nil)
	notes, err := c.ListNotes(context.Background(), EntityContacts, Window{})
	if err != nil {
		t.Fatal(err)
	}
	if len(notes) != 4 {
		t.Fatalf("got %d notes, want 4", len(notes))
	}
	tests := []struct {
		name string
		got  any
		want any
	}{
		{"int duration", notes[0].Call.Duration, int64(130)},
		{"call status", notes[0].Call.Status, 4},
		{"entity type from path", notes[0].EntityType, EntityContacts},
		{"string duration", notes[1].Call.Duration, int64(45)},
		{"numeric phone", notes[1].Call.Phone, "79991234567"},
		{"null link", notes[1].Call.Link, ""},
		{"outgoing", notes[1].IsOutgoingCall(), true},
		{"common text", notes[2].Text, "Клиент думает"},
		{"no call on common", notes[2].Call == nil, true},
		{"params array tolerated", notes[3].NoteType, "site_visit"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !reflect.DeepEqual(tt.got, tt.want) {
				t.Errorf("got %#v, want %#v", tt.got, tt.want)
			}
		})
	}
}

func TestListEventsValueShapes(t *testing.T) {
	f := newFakeAPI(t)
	f.raw["/api/v4/events"] = mustRead(t, "events_page.json")
	c, _ := newTestClient(t, f, nil)
	evs, err := c.ListEvents(context.Background(), Window{})
	if err != nil {
		t.Fatal(err)
	}
	byID := map[string]Event{}
	for _, e := range evs {
		byID[e.ID] = e
	}
	tests := []struct {
		name string
		got  any
		want any
	}{
		{"note id", byID["01pz58t6p04ymgsgfbmfyfy1mf"].NoteID, NoteID(42743871)},
		{"status before", byID["ev-status"].StatusBefore, &StatusRef{PipelineID: 437642, StatusID: 5233224}},
		{"status after", byID["ev-status"].StatusAfter, &StatusRef{PipelineID: 437642, StatusID: StatusWon}},
		{"responsible after", byID["ev-resp"].ResponsibleAfter, UserID(504329)},
		{"string note id", byID["ev-call"].NoteID, NoteID(777)},
		{"linked talk contact", byID["ev-chat"].LinkedContactID, ContactID(555)},
		{"null value_after", byID["ev-del"].EntityID, int64(91)},
		{"null created_at", byID["ev-cf"].CreatedAt, time.Time{}},
		{"lead id", func() LeadID { e := byID["ev-status"]; return e.LeadID() }(), LeadID(26060763)},
		{"created_at", byID["ev-status"].CreatedAt, unix(1888888900)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !reflect.DeepEqual(tt.got, tt.want) {
				t.Errorf("got %#v, want %#v", tt.got, tt.want)
			}
		})
	}
}

func TestDictionaries(t *testing.T) {
	f := newFakeAPI(t)
	f.raw["/api/v4/users"] = mustRead(t, "users_page.json")
	f.raw["/api/v4/leads/pipelines"] = mustRead(t, "pipelines.json")
	f.raw["/api/v4/leads/loss_reasons"] = mustRead(t, "loss_reasons.json")
	f.raw["/api/v4/leads/custom_fields"] = mustRead(t, "custom_fields.json")
	c, _ := newTestClient(t, f, nil)
	ctx := context.Background()
	acct, err := c.Account(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if acct.TimeZone != "Europe/Moscow" || !acct.IsLossReasonEnabled || !acct.IsAPIFilterEnabled || acct.ID != 1231414 {
		t.Errorf("account = %+v", acct)
	}
	users, err := c.Users(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(users) != 2 || !users[0].IsAdmin || !users[0].IsActive || users[1].IsActive || users[1].GroupID != 12 {
		t.Errorf("users = %+v", users)
	}
	pls, err := c.Pipelines(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(pls) != 1 || len(pls[0].Statuses) != 4 || pls[0].Statuses[0].Type != StatusTypeUnsorted || pls[0].Statuses[2].PipelineID != 437642 {
		t.Errorf("pipelines = %+v", pls)
	}
	lrs, err := c.LossReasons(ctx)
	if err != nil || len(lrs) != 2 || lrs[0].Name != "Insufficient budget" {
		t.Errorf("loss reasons = %+v, %v", lrs, err)
	}
	cfs, err := c.CustomFields(ctx, EntityLeads)
	if err != nil || len(cfs) != 1 || !reflect.DeepEqual(cfs[0].RequiredStatuses, []StatusRef{{PipelineID: 437642, StatusID: 5233224}}) {
		t.Errorf("custom fields = %+v, %v", cfs, err)
	}
	none, err := c.CustomFields(ctx, EntityContacts) // 204
	if err != nil || len(none) != 0 {
		t.Errorf("contacts custom fields on 204 = %+v, %v", none, err)
	}
}
