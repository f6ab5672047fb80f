package app

import (
	"strings"
	"testing"
	"time"

	"salesguard/bot"
	"salesguard/checks"
	"salesguard/notify"
	"salesguard/storage"
)

// TestPeopleWhoJoinLaterAreCaughtUp: an admin starts the service alone; leads go untaken
// (alerts and escalations open with nobody to tell); then a manager and a head join. Each gets
// one message with their open problems, then every new finding as usual. An unmapped manager
// gets nothing more, even what was queued; mapped again, they are caught up again.
func TestPeopleWhoJoinLaterAreCaughtUp(t *testing.T) {
	start := time.Date(2026, 11, 24, 9, 0, 0, 0, msk) // a Tuesday
	e := newTestEnv(t, start)
	e.app = e.peopleApp()
	const manager, head int64 = 20, 30
	mgr := e.sim.Managers()[0]
	e.runUntil(start.Add(time.Minute))
	// Two untaken leads of the manager, before anyone joined: warnings at 10:15/10:20, escalations at 10:30/10:35.
	e.sim.NewLead(time.Date(2026, 11, 24, 10, 0, 0, 0, msk), mgr)
	e.sim.NewLead(time.Date(2026, 11, 24, 10, 5, 0, 0, msk), mgr)
	e.runUntil(time.Date(2026, 11, 24, 11, 0, 0, 0, msk))
	if n := len(e.note.messages(notify.KindAlert)); n != 0 {
		t.Fatalf("%d alerts with nobody to receive them", n)
	}

	join := func(p storage.Person) {
		t.Helper()
		p.Account, p.AddedAt = "main", e.clk.Now()
		if err := e.db.PutPerson(p); err != nil {
			t.Fatal(err)
		}
	}
	join(storage.Person{TelegramID: manager, Role: storage.RoleManager, AmoUserID: mgr, Lang: "en"})
	join(storage.Person{TelegramID: head, Role: storage.RoleHead, Lang: "ru"})
	e.runUntil(time.Date(2026, 11, 24, 11, 2, 0, 0, msk))
	catchUps := func(chat int64) []notify.Message {
		var out []notify.Message
		for _, m := range e.note.messages(notify.KindCatchUp) {
			if m.ChatID == chat {
				out = append(out, m)
			}
		}
		return out
	}
	if got := catchUps(manager); len(got) != 1 || !strings.Contains(got[0].Text, "2 problems are open") {
		t.Fatalf("manager catch-up: %+v", got)
	}
	if got := catchUps(head); len(got) != 1 || !strings.Contains(got[0].Text, "2 эскалации") {
		t.Fatalf("head catch-up: %+v", got)
	}
	// The ledger knows who was told of what: each open entry of theirs names their chat.
	open, err := e.db.Open("main")
	if err != nil {
		t.Fatal(err)
	}
	told := map[int64]int{}
	for _, en := range open {
		for _, c := range en.Told {
			told[c]++
		}
	}
	if told[manager] != 2 || told[head] != 2 {
		t.Errorf("entries told to the manager %d, to the head %d; want 2 and 2", told[manager], told[head])
	}
	// A restart does not repeat them.
	e.db.Close()
	e.open()
	e.app = e.peopleApp()
	e.runUntil(time.Date(2026, 11, 24, 11, 5, 0, 0, msk))
	if n := len(e.note.messages(notify.KindCatchUp)); n != 2 {
		t.Fatalf("catch-ups after a restart: %d, want still 2", n)
	}
	// A new lead is alerted to them one by one, as usual.
	e.sim.NewLead(time.Date(2026, 11, 24, 11, 10, 0, 0, msk), mgr)
	e.runUntil(time.Date(2026, 11, 24, 11, 45, 0, 0, msk))
	if n := len(e.alerts(manager)); n != 1 {
		t.Errorf("manager alerts after joining: %d, want 1", n)
	}
	if n := len(e.alerts(head)); n != 1 {
		t.Errorf("head escalations after joining: %d, want 1", n)
	}
	// Unmapped: what is queued for them is dropped, nothing more is sent.
	join(storage.Person{TelegramID: manager, Role: storage.RoleManager, Lang: "en"})
	e.note.fail = nil
	before := len(e.note.sent)
	e.sim.NewLead(time.Date(2026, 11, 24, 11, 50, 0, 0, msk), mgr)
	e.runUntil(time.Date(2026, 11, 24, 12, 10, 0, 0, msk))
	for _, m := range e.note.sent[before:] {
		if m.ChatID == manager {
			t.Errorf("an unmapped manager got %s: %s", m.Kind, m.Text)
		}
	}
	// Mapped again: caught up again, with what is open now and was never sent to them (lead 3
	// was alerted to them before they were unmapped).
	join(storage.Person{TelegramID: manager, Role: storage.RoleManager, AmoUserID: mgr, Lang: "en"})
	e.runUntil(time.Date(2026, 11, 24, 12, 12, 0, 0, msk))
	if got := catchUps(manager); len(got) != 2 || !strings.Contains(got[1].Text, "3 problems are open") {
		t.Errorf("manager catch-ups after mapping again: %d: %+v", len(got), got)
	}
}

// peopleApp is the app with Telegram people instead of the console directory.
func (e *testEnv) peopleApp() *App {
	a, err := New(Options{Accounts: []Account{{Key: "main", BaseURL: e.base, Client: e.client()}}, Store: e.db,
		Notifier: e.note, Renderer: bot.NewRenderer(e.cat), Catalog: e.cat, Clock: e.clk, PollInterval: time.Minute,
		Lang: "en", Admins: []int64{10}})
	if err != nil {
		e.t.Fatal(err)
	}
	return a
}

// TestEntitledKeepsTheTeamChat: the recipient check drops what was queued for someone removed,
// never the team group's digest (a group is not a person).
func TestEntitledKeepsTheTeamChat(t *testing.T) {
	e := newTestEnv(t, time.Date(2026, 11, 24, 9, 0, 0, 0, msk))
	a := e.peopleApp()
	if err := e.db.PutPerson(storage.Person{TelegramID: 20, Account: "main", Role: storage.RoleHead}); err != nil {
		t.Fatal(err)
	}
	s := checks.DefaultSettings()
	s.Schedule.DigestChat = -100500
	if err := e.db.SaveSettings("main", s, "test", e.clk.Now()); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		m    notify.Message
		want bool
	}{
		{notify.Message{Account: "main", ChatID: -100500, Kind: notify.KindDigest}, true},  // the team group
		{notify.Message{Account: "main", ChatID: -100400, Kind: notify.KindDigest}, false}, // a team group since replaced
		// Queued for the console's head, admin and a manager before Telegram was set up.
		{notify.Message{Account: "main", ChatID: consoleHead, Kind: notify.KindAlert}, false},
		{notify.Message{Account: "main", ChatID: consoleAdmin, Kind: notify.KindNotice}, false},
		{notify.Message{Account: "main", ChatID: -1001, Kind: notify.KindAlert}, false},
		{notify.Message{Account: "main", ChatID: 20, Kind: notify.KindDigest}, true},  // a head
		{notify.Message{Account: "main", ChatID: 21, Kind: notify.KindDigest}, false}, // removed
		{notify.Message{Account: "main", ChatID: 21, Kind: notify.KindNotice}, true},  // notices: admins, bootstrap ones too
		{notify.Message{Account: "main", ChatID: 21, Kind: notify.KindAlert}, false},
	}
	for _, tt := range tests {
		if err := a.entitled(tt.m); (err == nil) != tt.want {
			t.Errorf("%d %s: %v, want entitled %v", tt.m.ChatID, tt.m.Kind, err, tt.want)
		}
	}
}
