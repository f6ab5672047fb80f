package sandbox

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"salesguard/amo"
)

// Sizes of the large account the client benchmarks use.
const (
	benchLeads  = 100_000
	benchTasks  = 300_000
	benchEvents = 250_000
	benchNotes  = 250_000
)

// bigWorld builds a large account: updated_at spread over 30 days, ids 1..n per kind.
func bigWorld(b *testing.B) *World {
	b.Helper()
	w := newTestWorld()
	span := 30 * 24 * time.Hour
	at := func(i, n int) time.Time { return t0.Add(-span + span/time.Duration(n)*time.Duration(i)) }
	w.Update(func(d *Data) {
		for i := 1; i <= benchLeads; i++ {
			d.Leads[amo.LeadID(i)] = &amo.Lead{ID: amo.LeadID(i), Name: "Lead", ResponsibleUserID: testUser1,
				PipelineID: testPipeline, StatusID: 11, CreatedAt: at(i, benchLeads), UpdatedAt: at(i, benchLeads),
				ContactIDs: []amo.ContactID{amo.ContactID(i)}}
		}
		for i := 1; i <= benchTasks; i++ {
			id := amo.TaskID(1_000_000 + i)
			d.Tasks[id] = &amo.Task{ID: id, ResponsibleUserID: testUser2, EntityID: int64(i%benchLeads + 1),
				EntityType: amo.EntityLeads, TaskTypeID: 1, Text: "call back", IsCompleted: i%3 == 0,
				Result: "ok", CompleteTill: at(i, benchTasks), CreatedAt: at(i, benchTasks), UpdatedAt: at(i, benchTasks)}
		}
		for i := 1; i <= benchNotes; i++ {
			id := amo.NoteID(2_000_000 + i)
			d.Notes[id] = &amo.Note{ID: id, EntityID: int64(i%benchLeads + 1), EntityType: amo.EntityLeads,
				NoteType: amo.NoteCallOut, Call: &amo.Call{Duration: int64(i % 300), Phone: "+7900"},
				CreatedAt: at(i, benchNotes), UpdatedAt: at(i, benchNotes)}
		}
		d.Events = make([]amo.Event, 0, benchEvents)
		for i := 1; i <= benchEvents; i++ {
			d.Events = append(d.Events, amo.Event{ID: "ev" + strconv.Itoa(i), Type: amo.EventOutgoingCall,
				EntityID: int64(i%benchLeads + 1), EntityType: "lead", CreatedAt: at(i, benchEvents), NoteID: amo.NoteID(i)})
		}
	})
	return w
}

// serve answers one request in process; want200 fails the benchmark on a 204.
func serve(b *testing.B, s *Server, path string, want200 bool) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodGet, path, nil)
	req.Header.Set("Authorization", "Bearer "+testToken)
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK && rec.Code != http.StatusNoContent || rec.Code == http.StatusNoContent && want200 {
		b.Fatalf("%s: %d %s", path, rec.Code, rec.Body.Bytes())
	}
	return rec
}

// BenchmarkListPage measures one 250-item page of each big list, indices already built.
func BenchmarkListPage(b *testing.B) {
	w := bigWorld(b)
	s := NewServer(w, Config{Token: testToken})
	from := strconv.FormatInt(t0.Add(-15*24*time.Hour).Unix(), 10)
	to := strconv.FormatInt(t0.Unix(), 10)
	paths := map[string]string{
		"leads":  "/api/v4/leads?limit=250&with=contacts&order[id]=asc&filter[updated_at][from]=" + from + "&filter[updated_at][to]=" + to,
		"tasks":  "/api/v4/tasks?limit=250&order[id]=asc&filter[updated_at][from]=" + from + "&filter[updated_at][to]=" + to,
		"notes":  "/api/v4/leads/notes?limit=250&filter[note_type][]=call_out&filter[updated_at][from]=" + from,
		"events": "/api/v4/events?limit=100&filter[type][]=outgoing_call&filter[created_at][from]=" + from,
	}
	for name, path := range paths {
		b.Run(name, func(b *testing.B) {
			serve(b, s, path+"&page=1", true)
			page := 0
			for b.Loop() {
				page = page%200 + 1
				serve(b, s, path+"&page="+strconv.Itoa(page), true)
			}
		})
	}
}

// BenchmarkFullScanTasks reads all 300k tasks page by page, as a client's first sync does.
func BenchmarkFullScanTasks(b *testing.B) {
	w := bigWorld(b)
	s := NewServer(w, Config{Token: testToken})
	for b.Loop() {
		n := 0
		for page := 1; ; page++ {
			rec := serve(b, s, fmt.Sprintf("/api/v4/tasks?limit=250&order[id]=asc&page=%d", page), false)
			if rec.Code == http.StatusNoContent {
				break
			}
			n++
		}
		if n != benchTasks/250 {
			b.Fatalf("%d pages, want %d", n, benchTasks/250)
		}
	}
}

// BenchmarkPageAfterUpdate measures the first page after a World change: the index rebuild.
func BenchmarkPageAfterUpdate(b *testing.B) {
	w := bigWorld(b)
	s := NewServer(w, Config{Token: testToken})
	from := strconv.FormatInt(t0.Add(-time.Hour).Unix(), 10)
	for b.Loop() {
		w.Update(func(d *Data) { d.Leads[1].UpdatedAt = d.Leads[1].UpdatedAt.Add(time.Second) })
		serve(b, s, "/api/v4/leads?limit=250&filter[updated_at][from]="+from, true)
	}
}
