package app

import (
	"strings"
	"testing"
	"time"

	"salesguard/checks"
	"salesguard/notify"
)

// TestEscalationLadder: a lead nobody takes goes to the manager at the limit (15 min), to the
// head at twice it, to the director chat at four times it; the head is reminded every 30
// working minutes until someone acknowledges, then no more.
func TestEscalationLadder(t *testing.T) {
	start := time.Date(2026, 11, 24, 9, 0, 0, 0, msk) // a Tuesday
	e := newTestEnv(t, start)
	const director = -500
	s := checks.DefaultSettings()
	s.Escalation.DirectorChat = director
	if err := e.db.SaveSettings("main", s, "test", start); err != nil {
		t.Fatal(err)
	}
	m := e.sim.Managers()[0]
	e.runUntil(start.Add(time.Minute))
	type sent struct {
		at  time.Time
		msg notify.Message
	}
	var got []sent
	e.note.fail = func(msg notify.Message) error {
		if msg.Kind == notify.KindAlert || msg.Kind == notify.KindReminder {
			got = append(got, sent{e.clk.Now().In(msk), msg})
		}
		return nil
	}
	e.sim.NewLead(time.Date(2026, 11, 24, 10, 0, 0, 0, msk), m)
	e.runUntil(time.Date(2026, 11, 24, 11, 10, 0, 0, msk))

	var head, dir []sent
	for _, g := range got {
		switch g.msg.ChatID {
		case consoleHead:
			head = append(head, g)
		case director:
			dir = append(dir, g)
		}
	}
	at := func(h, m int) time.Time { return time.Date(2026, 11, 24, h, m, 0, 0, msk) }
	within := func(t time.Time, from time.Time) bool { return !t.Before(from) && t.Before(from.Add(2*time.Minute)) }
	if len(head) != 2 || !within(head[0].at, at(10, 30)) || !within(head[1].at, at(11, 0)) {
		t.Fatalf("head got %d alerts, want the escalation at 10:30 and a reminder at 11:00: %v", len(head), head)
	}
	if head[1].msg.Kind != notify.KindReminder || !strings.Contains(head[1].msg.Text, "Reminder") || strings.Contains(head[0].msg.Text, "Reminder") {
		t.Errorf("the second one should say it is a reminder, the first not:\n%s\n---\n%s", head[0].msg.Text, head[1].msg.Text)
	}
	if !strings.Contains(head[1].msg.Text, "60 min") && !strings.Contains(head[1].msg.Text, "1 h") {
		t.Errorf("the reminder should say how long the lead has waited by now (about an hour):\n%s", head[1].msg.Text)
	}
	if len(dir) != 1 || !within(dir[0].at, at(11, 0)) {
		t.Fatalf("director chat got %v, want one alert at 11:00", dir)
	}
	// The head acknowledges: no more reminders.
	key, err := checks.ParseKey(head[0].msg.FindingKey)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.db.Ack("main", key, 77, e.clk.Now()); err != nil {
		t.Fatal(err)
	}
	before := len(got)
	e.runUntil(time.Date(2026, 11, 24, 12, 30, 0, 0, msk))
	for _, g := range got[before:] {
		if g.msg.ChatID == consoleHead || g.msg.ChatID == director {
			t.Errorf("after the acknowledgement, %d got %q at %s", g.msg.ChatID, g.msg.Text, g.at.Format("15:04"))
		}
	}
}
