package sandbox

import (
	"fmt"
	"net/http"
	"strconv"
	"testing"
	"time"

	"salesguard/amo"
)

// unixAt is t0 plus m minutes as a query value.
func unixAt(m int) string { return strconv.FormatInt(t0.Add(time.Duration(m)*time.Minute).Unix(), 10) }

// addEvents adds n lead_added events "ev-1".."ev-n", one minute apart, on leads 1..n.
func addEvents(w *World, n int) {
	w.Update(func(d *Data) {
		for i := 1; i <= n; i++ {
			u := testUser1
			if i%2 == 0 {
				u = testUser2
			}
			d.Events = append(d.Events, amo.Event{ID: fmt.Sprintf("ev-%d", i), Type: amo.EventLeadAdded,
				EntityID: int64(i), EntityType: "lead", CreatedBy: u, CreatedAt: t0.Add(time.Duration(i) * time.Minute)})
		}
	})
}

// addActivity adds four tasks (201–204), four notes (401–404) and a contact (301).
func addActivity(w *World) {
	at := func(m int) time.Time { return t0.Add(time.Duration(m) * time.Minute) }
	w.Update(func(d *Data) {
		d.Contacts[301] = &amo.Contact{ID: 301, Name: "Ivan Petrov", ResponsibleUserID: testUser1,
			CreatedAt: at(0), UpdatedAt: at(5), LeadIDs: []amo.LeadID{1},
			CustomFields: []amo.FieldValue{{FieldID: 42, Name: "Phone", Code: "PHONE", Type: "multitext", Values: []string{"+7900"}}}}
		d.Tasks[201] = &amo.Task{ID: 201, ResponsibleUserID: testUser1, EntityID: 1, EntityType: amo.EntityLeads,
			TaskTypeID: 1, Text: "call", CompleteTill: at(60), UpdatedAt: at(1), CreatedAt: at(0)}
		d.Tasks[202] = &amo.Task{ID: 202, ResponsibleUserID: testUser2, EntityID: 2, EntityType: amo.EntityLeads,
			TaskTypeID: 2, Text: "meet", IsCompleted: true, Result: "done", UpdatedAt: at(2), CreatedAt: at(0)}
		d.Tasks[203] = &amo.Task{ID: 203, ResponsibleUserID: testUser1, EntityID: 301, EntityType: amo.EntityContacts,
			TaskTypeID: 1, IsCompleted: true, UpdatedAt: at(3), CreatedAt: at(0)}
		d.Tasks[204] = &amo.Task{ID: 204, ResponsibleUserID: testUser2, TaskTypeID: 1, UpdatedAt: at(4), CreatedAt: at(0)}
		d.Notes[401] = &amo.Note{ID: 401, EntityID: 1, EntityType: amo.EntityLeads, NoteType: amo.NoteCommon,
			Text: "hello", CreatedBy: testUser1, CreatedAt: at(1), UpdatedAt: at(1)}
		d.Notes[402] = &amo.Note{ID: 402, EntityID: 1, EntityType: amo.EntityLeads, NoteType: amo.NoteCallOut,
			Call: &amo.Call{Duration: 45, Phone: "+7900", Uniq: "u1", Source: "tel"}, CreatedAt: at(2), UpdatedAt: at(2)}
		d.Notes[403] = &amo.Note{ID: 403, EntityID: 2, EntityType: amo.EntityLeads, NoteType: amo.NoteCallIn,
			Call: &amo.Call{Duration: 20, Status: 4, Responsible: "101"}, CreatedAt: at(3), UpdatedAt: at(3)}
		d.Notes[404] = &amo.Note{ID: 404, EntityID: 301, EntityType: amo.EntityContacts, NoteType: amo.NoteCallOut,
			Call: &amo.Call{Duration: 5}, CreatedAt: at(4), UpdatedAt: at(4)}
	})
}

func TestFilters(t *testing.T) {
	w := newTestWorld()
	addLeads(w, 6)
	addEvents(w, 6)
	addActivity(w)
	w.Update(func(d *Data) {
		d.Leads[3].StatusID, d.Leads[3].ClosedAt = amo.StatusLost, t0.Add(30*time.Minute)
		d.Leads[4].StatusID = 12
		d.Leads[5].CreatedAt = t0.Add(10 * time.Minute)
	})
	_, ts, _ := newTestServer(t, w, Config{})
	tests := []struct {
		name, path, coll, want string
	}{
		{"lead ids []", "/api/v4/leads?filter[id][]=2&filter[id][]=5", "leads", "2,5"},
		{"lead ids [0]", "/api/v4/leads?filter[id][0]=2&filter[id][1]=4", "leads", "2,4"},
		{"lead id scalar", "/api/v4/leads?filter[id]=3", "leads", "3"},
		{"lead ids encoded", "/api/v4/leads?filter%5Bid%5D%5B%5D=6", "leads", "6"},
		{"responsible", "/api/v4/leads?filter[responsible_user_id]=102", "leads", "2,4,6"},
		{"pipeline", "/api/v4/leads?filter[pipeline_id][0]=7&filter[id][]=1", "leads", "1"},
		{"statuses", "/api/v4/leads?filter[statuses][0][pipeline_id]=7&filter[statuses][0][status_id]=12" +
			"&filter[statuses][1][pipeline_id]=7&filter[statuses][1][status_id]=143", "leads", "3,4"},
		{"updated window", "/api/v4/leads?filter[updated_at][from]=" + unixAt(2) + "&filter[updated_at][to]=" + unixAt(4), "leads", "2,3,4"},
		{"updated window order desc", "/api/v4/leads?filter[updated_at][from]=" + unixAt(2) + "&order[updated_at]=desc", "leads", "6,5,4,3,2"},
		{"created from", "/api/v4/leads?filter[created_at][from]=" + unixAt(0), "leads", "5"},
		{"closed window", "/api/v4/leads?filter[closed_at][from]=" + unixAt(0) + "&filter[closed_at][to]=" + unixAt(60), "leads", "3"},
		{"order id desc", "/api/v4/leads?order[id]=desc&limit=3", "leads", "6,5,4"},
		{"contacts updated", "/api/v4/contacts?filter[updated_at][from]=" + unixAt(5), "contacts", "301"},
		{"tasks open", "/api/v4/tasks?filter[is_completed]=0", "tasks", "201,204"},
		{"tasks on lead", "/api/v4/tasks?filter[entity_type]=leads&filter[entity_id][]=2", "tasks", "202"},
		{"tasks updated scalar is after", "/api/v4/tasks?filter[updated_at]=" + unixAt(3), "tasks", "203,204"},
		{"tasks updated range", "/api/v4/tasks?filter[updated_at][from]=" + unixAt(2) + "&filter[updated_at][to]=" + unixAt(3), "tasks", "202,203"},
		{"tasks responsible", "/api/v4/tasks?filter[responsible_user_id][]=101&order[id]=desc", "tasks", "203,201"},
		{"tasks by id", "/api/v4/tasks?filter[id]=204", "tasks", "204"},
		{"lead notes", "/api/v4/leads/notes", "notes", "401,402,403"},
		{"lead notes calls", "/api/v4/leads/notes?filter[note_type][]=call_in&filter[note_type][]=call_out", "notes", "402,403"},
		{"lead notes entity", "/api/v4/leads/notes?filter[entity_id][]=2", "notes", "403"},
		{"lead notes updated", "/api/v4/leads/notes?filter[updated_at][from]=" + unixAt(2), "notes", "402,403"},
		{"notes of one lead", "/api/v4/leads/2/notes", "notes", "403"},
		{"notes of one contact", "/api/v4/contacts/301/notes", "notes", "404"},
		{"contact notes", "/api/v4/contacts/notes?filter[id]=404", "notes", "404"},
		{"events newest first", "/api/v4/events", "events", `"ev-6","ev-5","ev-4","ev-3","ev-2","ev-1"`},
		{"events asc", "/api/v4/events?order[created_at]=asc&limit=2", "events", `"ev-1","ev-2"`},
		{"events type array", "/api/v4/events?filter[type][]=lead_added&filter[type][]=x&limit=1", "events", `"ev-6"`},
		{"events type comma", "/api/v4/events?filter[type]=x,lead_added&limit=1", "events", `"ev-6"`},
		{"events created scalar", "/api/v4/events?filter[created_at]=" + unixAt(5), "events", `"ev-6","ev-5"`},
		{"events created comma", "/api/v4/events?filter[created_at]=" + unixAt(2) + "," + unixAt(3), "events", `"ev-3","ev-2"`},
		{"events created from to", "/api/v4/events?filter[created_at][from]=" + unixAt(4) + "&filter[created_at][to]=" + unixAt(4), "events", `"ev-4"`},
		{"events entity id", "/api/v4/events?filter[entity]=lead&filter[entity_id][]=2&filter[entity_id][]=3", "events", `"ev-3","ev-2"`},
		{"events created by", "/api/v4/events?filter[created_by][]=102&filter[entity][]=lead,contact", "events", `"ev-6","ev-4","ev-2"`},
		{"events by id", "/api/v4/events?filter[id][]=ev-2", "events", `"ev-2"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, items := mustList(t, mustGet(t, ts, tt.path), tt.coll)
			if got := ids(items); got != tt.want {
				t.Fatalf("ids = %s, want %s", got, tt.want)
			}
		})
	}
}

func TestFilterErrorsAndEmpty(t *testing.T) {
	w := newTestWorld()
	addLeads(w, 3)
	addEvents(w, 3)
	_, ts, _ := newTestServer(t, w, Config{})
	tests := []struct {
		name, path string
		status     int
	}{
		{"nothing matches", "/api/v4/leads?filter[id]=99", http.StatusNoContent},
		{"bad int", "/api/v4/leads?filter[id]=abc", http.StatusBadRequest},
		{"bad time", "/api/v4/leads?filter[updated_at][from]=yesterday", http.StatusBadRequest},
		{"half a status", "/api/v4/leads?filter[statuses][0][pipeline_id]=7", http.StatusBadRequest},
		{"entity_id needs one entity", "/api/v4/events?filter[entity_id][]=1", http.StatusBadRequest},
		{"too many entity ids", "/api/v4/events?filter[entity]=lead&filter[entity_id]=1,2,3,4,5,6,7,8,9,10,11", http.StatusBadRequest},
		{"unknown lead", "/api/v4/leads/99", http.StatusNoContent},
		{"unknown contact", "/api/v4/contacts/99", http.StatusNoContent},
		{"unknown task", "/api/v4/tasks/99", http.StatusNoContent},
		{"no notes", "/api/v4/contacts/notes", http.StatusNoContent},
		{"plain list", "/api/v4/leads", http.StatusOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := mustGet(t, ts, tt.path)
			if r.status != tt.status {
				t.Fatalf("status %d, want %d; body %s", r.status, tt.status, r.body)
			}
			if r.status == http.StatusNoContent && len(r.body) != 0 {
				t.Fatalf("204 with a body of %d bytes", len(r.body))
			}
			if r.status == http.StatusBadRequest && r.header.Get("Content-Type") != "application/problem+json" {
				t.Fatalf("400 Content-Type %q", r.header.Get("Content-Type"))
			}
		})
	}
	if r := mustDo(t, ts, http.MethodPost, "/api/v4/leads", testToken, nil); r.status != http.StatusMethodNotAllowed {
		t.Fatalf("POST /api/v4/leads: %d, want 405", r.status)
	}
}
