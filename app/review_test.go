package app

import (
	"strings"
	"testing"
	"time"

	"salesguard/amo"
	"salesguard/amo/sandbox"
	"salesguard/bot"
	"salesguard/checks"
	"salesguard/notify"
	"salesguard/storage"
)

// jumpTo moves the world and the clock to t (downtime: nothing runs in between), then runs a
// few minutes.
func (e *testEnv) jumpTo(t time.Time) {
	e.t.Helper()
	e.clk.Advance(t.Sub(e.clk.Now()))
	e.sim.AdvanceTo(e.clk.Now())
	e.runUntil(t.Add(2 * time.Minute))
}

// TestWeeklyJobSendsTheCallReviewToHeadsOnly: the Monday report gives each head the past
// week's calls of at least a minute, one message per manager they see, with verdict buttons;
// a manager gets nothing. The sample is stored, the verdicts count in the table, and the next
// report tallies them.
func TestWeeklyJobSendsTheCallReviewToHeadsOnly(t *testing.T) {
	start := time.Date(2026, 11, 17, 9, 0, 0, 0, msk) // a Tuesday
	e := newTestEnv(t, start)
	ms := e.sim.Managers()
	const head, teamHead, mgr = 20, 21, 30
	for _, p := range []storage.Person{
		{TelegramID: head, Account: "main", Role: storage.RoleHead, Lang: "en", Name: "Helga"},
		{TelegramID: teamHead, Account: "main", Role: storage.RoleHead, Lang: "ru", Team: []amo.UserID{ms[1]}},
		{TelegramID: mgr, Account: "main", Role: storage.RoleManager, AmoUserID: ms[0], Lang: "en"},
	} {
		if err := e.db.PutPerson(p); err != nil {
			t.Fatal(err)
		}
	}
	e.app = e.peopleApp()
	e.runUntil(start.Add(2 * time.Minute))

	at := time.Date(2026, 11, 17, 10, 0, 0, 0, msk)
	e.jumpTo(at)
	l0, l1 := e.sim.NewLead(at, ms[0]), e.sim.NewLead(at, ms[1])
	long := e.sim.Call(l0, at.Add(time.Minute), sandbox.CallSpec{Duration: 90 * time.Second})
	e.sim.Call(l0, at.Add(2*time.Minute), sandbox.CallSpec{Duration: 40 * time.Second}) // a touch, too short to review
	e.sim.Call(l1, at.Add(3*time.Minute), sandbox.CallSpec{Duration: 75 * time.Second, Incoming: true})
	e.runUntil(at.Add(10 * time.Minute))

	before := len(e.note.sent)
	e.jumpTo(time.Date(2026, 11, 23, 9, 25, 0, 0, msk)) // Monday: the report is due at 09:30
	e.runUntil(time.Date(2026, 11, 23, 9, 40, 0, 0, msk))
	byChat := map[int64][]notify.Message{}
	for _, m := range e.note.sent[before:] {
		if m.Kind == notify.KindWeekly {
			byChat[m.ChatID] = append(byChat[m.ChatID], m)
		}
	}
	if len(byChat[mgr]) != 0 {
		t.Errorf("the manager got the weekly report: %+v", byChat[mgr])
	}
	week := checks.Date{Year: 2026, Month: 11, Day: 16}
	h := byChat[head]
	if len(h) != 3 || h[0].Attachment == nil || !strings.Contains(h[0].Text, "Calls to review") {
		t.Fatalf("the head got %d weekly messages, want the report and 2 managers' calls: %+v", len(h), h)
	}
	if !strings.Contains(strings.Join([]string{h[1].Text, h[2].Text}, "\n"), "1 min 30 s") ||
		strings.Contains(h[1].Text+h[2].Text, "40 s") || len(h[1].Buttons) != 1 || len(h[2].Buttons) != 1 {
		t.Errorf("the head's calls to review:\n%s\n%s", h[1].Text, h[2].Text)
	}
	if th := byChat[teamHead]; len(th) != 2 || strings.Contains(th[1].Text, "1 min 30 s") || strings.Contains(th[1].Text, "1 мин 30 сек") {
		t.Errorf("the team head got %d messages, want the report and their manager's calls only: %+v", len(th), th)
	}
	stored, ok, err := e.db.ReviewSample("main", week)
	if err != nil || !ok || len(stored) != 2 {
		t.Fatalf("stored sample = %+v, %v, %v", stored, ok, err)
	}

	// The head judges Olga's call (the 90 s one) not OK through the bot's store: an R7 row.
	bs := NewBotStore(e.db, "main", e.clk)
	var call checks.ReviewCall
	for _, rc := range stored {
		if rc.NoteID == long {
			call = rc
		}
	}
	if call.NoteID == 0 {
		t.Fatalf("the 90 s call %d is not in the sample %+v", long, stored)
	}
	day := checks.DateOf(call.At.In(msk))
	if err := bs.PutCallVerdict(bot.CallVerdict{Week: week, Day: day, NoteID: call.NoteID, Manager: call.ManagerID, By: head, At: e.clk.Now()}); err != nil {
		t.Fatal(err)
	}
	rows, err := e.app.weekTable("main", week, week.AddDays(6))
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, r := range rows {
		found = found || r == checks.TableRow{Day: day, Manager: ms[0], Rule: checks.R7, Count: 1}
	}
	if !found {
		t.Errorf("the table of the week lacks the R7 verdict: %+v", rows)
	}

	// The next report tallies the verdicts on this sample.
	before = len(e.note.sent)
	e.jumpTo(time.Date(2026, 11, 30, 9, 25, 0, 0, msk))
	e.runUntil(time.Date(2026, 11, 30, 9, 40, 0, 0, msk))
	var next []notify.Message
	for _, m := range e.note.sent[before:] {
		if m.Kind == notify.KindWeekly && m.ChatID == head {
			next = append(next, m)
		}
	}
	if len(next) == 0 || !strings.Contains(next[0].Text, "Call review of Nov 16, 2026 – Nov 22, 2026") ||
		!strings.Contains(next[0].Text, "1 of 1 reviewed, 1 not OK") || !strings.Contains(next[0].Text, "0 of 1 reviewed") {
		t.Errorf("the next weekly report lacks the tallies: %+v", next)
	}
}

// TestWeeklyIsNotForManagers: a weekly message queued for a head who is a manager by the time
// it goes out is dropped (the call review must never reach a manager).
func TestWeeklyIsNotForManagers(t *testing.T) {
	e := newTestEnv(t, time.Date(2026, 11, 24, 9, 0, 0, 0, msk))
	a := e.peopleApp()
	if err := e.db.PutPerson(storage.Person{TelegramID: 30, Account: "main", Role: storage.RoleManager, AmoUserID: 5}); err != nil {
		t.Fatal(err)
	}
	if err := a.entitled(notify.Message{Account: "main", ChatID: 30, Kind: notify.KindWeekly}); err == nil {
		t.Error("a manager is entitled to the weekly report")
	}
	if err := a.entitled(notify.Message{Account: "main", ChatID: 30, Kind: notify.KindAlert}); err != nil {
		t.Errorf("a manager's alert: %v", err)
	}
}
