package amo

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// seedAccount fills f with a small account: dictionaries and n of each entity, updated an
// hour before t0.
func seedAccount(t *testing.T, f *fakeAPI, n int) {
	t.Helper()
	f.raw["/api/v4/users"] = mustRead(t, "users_page.json")
	f.raw["/api/v4/leads/pipelines"] = mustRead(t, "pipelines.json")
	f.raw["/api/v4/leads/loss_reasons"] = mustRead(t, "loss_reasons.json")
	f.raw["/api/v4/leads/custom_fields"] = mustRead(t, "custom_fields.json")
	at := t0.Add(-time.Hour)
	for i := range n {
		id := int64(i + 1)
		f.put("/api/v4/leads", leadItem(id, at))
		f.put("/api/v4/contacts", contactItem(id, at))
		f.put("/api/v4/tasks", taskItem(id, at, false))
		f.put("/api/v4/leads/notes", noteItem(id, at))
		f.put("/api/v4/contacts/notes", noteItem(100000+id, at))
		f.put("/api/v4/events", eventItem(id, EventLeadAdded, "lead", id, at))
	}
}

func mustSync(t *testing.T, c *Client, st SyncState) *Changes {
	t.Helper()
	ch, err := c.Sync(context.Background(), st)
	if err != nil {
		t.Fatalf("sync: %v", err)
	}
	return ch
}

func ids[T any, K comparable](s []T, id func(T) K) []K {
	out := make([]K, 0, len(s))
	for _, x := range s {
		out = append(out, id(x))
	}
	return out
}

func TestFullThenIncrementalSync(t *testing.T) {
	f := newFakeAPI(t)
	seedAccount(t, f, 300)
	c, clk := newTestClient(t, f, nil)
	var snap Snapshot

	ch := mustSync(t, c, SyncState{})
	if !ch.Full || !ch.Dictionaries || !ch.State.FullDone || scanning(ch.State) != "" {
		t.Fatalf("full sync: full=%v dict=%v done=%v scanning=%q", ch.Full, ch.Dictionaries, ch.State.FullDone, scanning(ch.State))
	}
	if len(ch.Leads) != 300 || len(ch.Contacts) != 300 || len(ch.Tasks) != 300 || len(ch.Notes) != 600 || len(ch.Events) != 300 {
		t.Fatalf("full sync counts: %d leads %d contacts %d tasks %d notes %d events", len(ch.Leads), len(ch.Contacts), len(ch.Tasks), len(ch.Notes), len(ch.Events))
	}
	if ch.Account == nil || ch.Account.TimeZone != "Europe/Moscow" || len(ch.Users) != 2 || len(ch.CustomFields) != 1 {
		t.Errorf("dictionaries: %+v %d users %d fields", ch.Account, len(ch.Users), len(ch.CustomFields))
	}
	snap.Apply(ch)

	// Changes made after the full sync: a new lead, an updated one, a deleted one (trash
	// and event), a deleted task, a deleted contact, a completed task.
	clk.Advance(5 * time.Minute)
	now := clk.Now()
	f.put("/api/v4/leads", leadItem(301, now))
	f.put("/api/v4/leads", leadItem(5, now))
	f.remove("/api/v4/leads", 7)
	f.deleted = append(f.deleted, item{id: 7, ts: now.Unix(), body: []byte(`{"id":7,"updated_at":` + itoa(now.Unix()) + `,"is_deleted":true}`)})
	f.remove("/api/v4/leads", 8)
	f.put("/api/v4/events", eventItem(1001, EventLeadDeleted, "lead", 8, now))
	f.remove("/api/v4/tasks", 9)
	f.put("/api/v4/events", eventItem(1002, EventTaskDeleted, "task", 9, now))
	f.remove("/api/v4/contacts", 10)
	f.put("/api/v4/events", eventItem(1003, EventContactDeleted, "contact", 10, now))
	f.put("/api/v4/tasks", taskItem(11, now, true))
	clk.Advance(time.Minute)

	ch = mustSync(t, c, ch.State)
	if ch.Full || ch.Dictionaries {
		t.Errorf("incremental: full=%v dictionaries=%v", ch.Full, ch.Dictionaries)
	}
	if got := ids(ch.Leads, func(l Lead) LeadID { return l.ID }); !slices.Equal(got, []LeadID{5, 301}) {
		t.Errorf("upserted leads = %v", got)
	}
	if !slices.Equal(ch.DeletedLeads, []LeadID{7, 8}) || !slices.Equal(ch.DeletedTasks, []TaskID{9}) || !slices.Equal(ch.DeletedContacts, []ContactID{10}) {
		t.Errorf("deleted: leads %v tasks %v contacts %v", ch.DeletedLeads, ch.DeletedTasks, ch.DeletedContacts)
	}
	snap.Apply(ch)
	if len(snap.Leads) != 299 || len(snap.Tasks) != 299 || len(snap.Contacts) != 299 || len(snap.Events) != 303 {
		t.Errorf("snapshot: %d leads %d tasks %d contacts %d events", len(snap.Leads), len(snap.Tasks), len(snap.Contacts), len(snap.Events))
	}
	i, _ := slices.BinarySearchFunc(snap.Tasks, TaskID(11), func(x Task, id TaskID) int { return int(x.ID - id) })
	if !snap.Tasks[i].IsCompleted {
		t.Errorf("task 11 not updated: %+v", snap.Tasks[i])
	}

	// Idle: one request per list, nothing changes.
	before := len(f.reqs())
	clk.Advance(time.Minute)
	ch = mustSync(t, c, ch.State)
	if got := len(f.reqs()) - before; got != len(listDefs()) || ch.Requests != got {
		t.Errorf("idle poll made %d requests (reported %d), want %d", got, ch.Requests, len(listDefs()))
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// scanning names the lists with an unfinished scan.
func scanning(st SyncState) string {
	var out []string
	for k, ls := range st.Lists {
		if ls.Scan != nil {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return strings.Join(out, ",")
}

func TestSameSecondUpdatesAreNotMissed(t *testing.T) {
	f := newFakeAPI(t)
	seedAccount(t, f, 3)
	c, clk := newTestClient(t, f, nil)
	ch := mustSync(t, c, SyncState{})
	scanEnd := ch.State.Lists[ListKeyLeads].Cursor
	// Updated in the very second the previous window closed, after it was read.
	f.put("/api/v4/leads", leadItem(2, scanEnd))
	f.put("/api/v4/leads", leadItem(50, scanEnd))
	clk.Advance(30 * time.Second)
	ch = mustSync(t, c, ch.State)
	if got := ids(ch.Leads, func(l Lead) LeadID { return l.ID }); !slices.Equal(got, []LeadID{2, 50}) {
		t.Errorf("leads = %v, want [2 50]", got)
	}
}

func TestInterruptedSyncResumes(t *testing.T) {
	f := newFakeAPI(t)
	seedAccount(t, f, 600)
	c, _ := newTestClient(t, f, func(c *Config) { c.MaxRetries = 1 })
	failing := true
	f.hook = func(w http.ResponseWriter, r *http.Request) bool {
		if failing && r.URL.Path == "/api/v4/tasks" && r.URL.Query().Get("page") == "2" {
			w.WriteHeader(502)
			return true
		}
		return false
	}
	var snap Snapshot
	ch, err := c.Sync(context.Background(), SyncState{})
	if err == nil || ch == nil {
		t.Fatalf("sync err = %v, changes %v; want an error with partial changes", err, ch)
	}
	rp := ch.State.Lists[ListKeyTasks].Scan
	if rp == nil || rp.Page != 2 || ch.State.FullDone {
		t.Fatalf("state after failure: %+v", ch.State)
	}
	if len(ch.Leads) != 600 || len(ch.Tasks) != 250 {
		t.Errorf("partial: %d leads %d tasks", len(ch.Leads), len(ch.Tasks))
	}
	snap.Apply(ch)
	f.hook = nil
	failing = false
	before := len(f.reqs())
	ch = mustSync(t, c, ch.State)
	if ch.Full || !ch.State.FullDone || scanning(ch.State) != "" {
		t.Errorf("resumed: full=%v done=%v scanning=%q", ch.Full, ch.State.FullDone, scanning(ch.State))
	}
	snap.Apply(ch)
	if len(snap.Leads) != 600 || len(snap.Tasks) != 600 || len(snap.Notes) != 1200 || len(snap.Events) != 600 || len(snap.Contacts) != 600 {
		t.Errorf("snapshot after resume: %d leads %d tasks %d notes %d events %d contacts", len(snap.Leads), len(snap.Tasks), len(snap.Notes), len(snap.Events), len(snap.Contacts))
	}
	// The resume re-reads one page of tasks and finishes the rest; leads are polled once.
	if got := len(f.reqs()) - before; got > 20 {
		t.Errorf("resume made %d requests; the full sync is not redone", got)
	}
}

func TestDictionariesTTLAndForbiddenUsers(t *testing.T) {
	f := newFakeAPI(t)
	seedAccount(t, f, 1)
	f.hook = failN(1000, 403, "application/problem+json", `{"title":"Forbidden","status":403}`, nil)
	hook := f.hook
	f.hook = func(w http.ResponseWriter, r *http.Request) bool {
		return r.URL.Path == "/api/v4/users" && hook(w, r)
	}
	c, clk := newTestClient(t, f, nil)
	ch := mustSync(t, c, SyncState{})
	if ch.Users != nil || len(ch.Warnings) != 1 || !ch.Dictionaries {
		t.Errorf("users %v warnings %v", ch.Users, ch.Warnings)
	}
	snap := Snapshot{Users: []User{{ID: 1, Name: "known"}}}
	snap.Apply(ch)
	if len(snap.Users) != 1 {
		t.Errorf("known users dropped: %v", snap.Users)
	}
	clk.Advance(30 * time.Minute)
	if ch = mustSync(t, c, ch.State); ch.Dictionaries {
		t.Errorf("dictionaries re-read within the TTL")
	}
	clk.Advance(31 * time.Minute)
	if ch = mustSync(t, c, ch.State); !ch.Dictionaries {
		t.Errorf("dictionaries not re-read after the TTL")
	}
}

func TestSyncBannedReturnsState(t *testing.T) {
	f := newFakeAPI(t)
	seedAccount(t, f, 1)
	c, _ := newTestClient(t, f, nil)
	ch := mustSync(t, c, SyncState{})
	f.hook = failN(1, 403, "text/html", "<html>403 Forbidden</html>", nil)
	next, err := c.Sync(context.Background(), ch.State)
	if !errors.Is(err, ErrBanned) || next == nil || !next.State.FullDone {
		t.Fatalf("err = %v, state %+v", err, next)
	}
}

// A bulk edit gives thousands of items one updated_at: the inclusive cursor reads that second
// again, but only until a poll has read it Settle after it, not at every poll from then on.
func TestBulkSecondIsNotReadAtEveryPoll(t *testing.T) {
	f := newFakeAPI(t)
	seedAccount(t, f, 3)
	c, clk := newTestClient(t, f, nil)
	ch := mustSync(t, c, SyncState{})
	clk.Advance(time.Minute)
	bulk := clk.Now().UTC().Truncate(time.Second)
	for i := range 600 {
		f.put("/api/v4/tasks", taskItem(int64(1000+i), bulk, false))
	}
	taskPages := func() int {
		n := 0
		for _, r := range f.reqs() {
			if strings.HasPrefix(r, "/api/v4/tasks?") {
				n++
			}
		}
		return n
	}
	for i, tc := range []struct {
		after     time.Duration
		wantTasks int
		wantPages int
	}{
		{10 * time.Second, 600, 3}, // the second has not settled: read again next time
		{time.Minute, 600, 3},      // read a minute after it: the cursor moves past it
		{10 * time.Second, 0, 1},   // one empty page
		{time.Hour, 0, 1},
	} {
		clk.Advance(tc.after)
		before := taskPages()
		ch = mustSync(t, c, ch.State)
		if got, pages := len(ch.Tasks), taskPages()-before; got != tc.wantTasks || pages != tc.wantPages {
			t.Errorf("poll %d: %d tasks in %d pages, want %d in %d", i+1, got, pages, tc.wantTasks, tc.wantPages)
		}
	}
	// A task saved later in the same second as the bulk is not lost to the settled cursor:
	// it gets its own, newer updated_at.
	clk.Advance(time.Second)
	f.put("/api/v4/tasks", taskItem(5000, clk.Now(), false))
	clk.Advance(time.Second)
	if ch = mustSync(t, c, ch.State); len(ch.Tasks) != 1 {
		t.Errorf("a task changed after the bulk: read %d tasks, want 1", len(ch.Tasks))
	}
}
