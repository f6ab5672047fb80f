package app

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"salesguard/checks"
	"salesguard/notify"
)

func TestR1AlertOnceThenEscalationOnce(t *testing.T) {
	start := time.Date(2026, 11, 24, 9, 0, 0, 0, msk) // a Tuesday
	e := newTestEnv(t, start)
	m := e.sim.Managers()[0]
	e.runUntil(start.Add(time.Minute))
	var got []struct {
		chat int64
		at   time.Time
	}
	e.note.fail = func(msg notify.Message) error {
		if msg.Kind == notify.KindAlert {
			got = append(got, struct {
				chat int64
				at   time.Time
			}{msg.ChatID, e.clk.Now()})
		}
		return nil
	}
	e.sim.NewLead(time.Date(2026, 11, 24, 10, 0, 0, 0, msk), m)
	e.runUntil(time.Date(2026, 11, 24, 11, 30, 0, 0, msk))

	var manager, head []time.Time
	for _, g := range got {
		switch g.chat {
		case -int64(m):
			manager = append(manager, g.at)
		case consoleHead:
			head = append(head, g.at)
		default:
			t.Errorf("alert to unexpected chat %d", g.chat)
		}
	}
	if len(manager) != 1 || manager[0].After(time.Date(2026, 11, 24, 10, 16, 0, 0, msk)) {
		t.Errorf("manager alerts at %v, want exactly one by 10:16", manager)
	}
	if len(head) != 1 || head[0].After(time.Date(2026, 11, 24, 10, 31, 0, 0, msk)) || head[0].Before(time.Date(2026, 11, 24, 10, 30, 0, 0, msk)) {
		t.Errorf("head escalations at %v, want exactly one at 10:30–10:31", head)
	}
}

func TestR1LeadTakenInTimeIsNotAlerted(t *testing.T) {
	start := time.Date(2026, 11, 24, 9, 0, 0, 0, msk)
	e := newTestEnv(t, start)
	m := e.sim.Managers()[1]
	e.runUntil(start.Add(time.Minute))
	id := e.sim.NewLead(time.Date(2026, 11, 24, 10, 0, 0, 0, msk), m)
	e.sim.TakeLead(id, time.Date(2026, 11, 24, 10, 10, 0, 0, msk))
	e.runUntil(time.Date(2026, 11, 24, 11, 0, 0, 0, msk))
	for _, a := range e.note.messages(notify.KindAlert) {
		if strings.Contains(a.FindingKey, "/R1/") {
			t.Errorf("R1 alert for a lead taken in time: %s", a.FindingKey)
		}
	}
}

func TestR1LeadAtNightIsDueNextMorning(t *testing.T) {
	start := time.Date(2026, 11, 24, 22, 0, 0, 0, msk)
	e := newTestEnv(t, start)
	m := e.sim.Managers()[2]
	e.runUntil(start.Add(time.Minute))
	e.sim.NewLead(time.Date(2026, 11, 24, 23, 0, 0, 0, msk), m)
	e.runUntil(time.Date(2026, 11, 25, 9, 14, 0, 0, msk))
	if a := e.alerts(-int64(m)); len(a) != 0 {
		t.Fatalf("alerted before 09:15: %d", len(a))
	}
	e.runUntil(time.Date(2026, 11, 25, 9, 16, 0, 0, msk))
	if a := e.alerts(-int64(m)); len(a) != 1 {
		t.Fatalf("want one alert by 09:16 (due 09:15), got %d", len(a))
	}
}

func TestNotifierDownForAnHourLosesNothing(t *testing.T) {
	start := time.Date(2026, 11, 24, 9, 0, 0, 0, msk)
	e := newTestEnv(t, start)
	e.runUntil(start.Add(time.Minute))
	down := true
	calls := 0
	e.note.fail = func(notify.Message) error {
		if !down {
			return nil
		}
		calls++
		if calls%2 == 0 {
			return &notify.RetryAfterError{After: 30 * time.Second, Err: errors.New("429 Too Many Requests")}
		}
		return errors.New("telegram: 502 bad gateway")
	}
	managers := e.sim.Managers()
	for i, m := range managers {
		e.sim.NewLead(time.Date(2026, 11, 24, 10, i, 0, 0, msk), m)
	}
	e.runUntil(time.Date(2026, 11, 24, 11, 20, 0, 0, msk))
	if len(e.note.sent) != 0 {
		t.Fatalf("delivered while down: %d", len(e.note.sent))
	}
	down = false
	e.runUntil(time.Date(2026, 11, 24, 11, 40, 0, 0, msk))
	alerts := e.note.messages(notify.KindAlert)
	// one warning per manager and one escalation per lead to the head
	if len(alerts) != 2*len(managers) {
		t.Fatalf("delivered %d alerts, want %d", len(alerts), 2*len(managers))
	}
	seen := map[string]bool{}
	var headOrder []string
	for _, a := range alerts {
		k := a.FindingKey + "→" + string(rune(a.ChatID))
		if seen[k] {
			t.Errorf("delivered twice: %s", a.FindingKey)
		}
		seen[k] = true
		if a.ChatID == consoleHead {
			headOrder = append(headOrder, a.FindingKey)
		}
	}
	for i := 1; i < len(headOrder); i++ {
		if headOrder[i] < headOrder[i-1] && !strings.Contains(headOrder[i], "escalation") {
			t.Errorf("head's alerts out of order: %v", headOrder)
		}
	}
	if n, _ := e.db.Depth(); n != 0 {
		t.Errorf("outbox depth %d after recovery", n)
	}
}

func TestRestartMidCycleNoDuplicateNoLoss(t *testing.T) {
	start := time.Date(2026, 11, 24, 9, 0, 0, 0, msk)
	e := newTestEnv(t, start)
	e.runUntil(start.Add(time.Minute))
	for i, m := range e.sim.Managers() {
		e.sim.NewLead(time.Date(2026, 11, 24, 10, i, 0, 0, msk), m)
	}
	// The process dies during delivery: after the first message the context is gone.
	ctx, cancel := context.WithCancel(context.Background())
	e.note.fail = func(notify.Message) error { cancel(); return nil }
	for e.clk.Now().Before(time.Date(2026, 11, 24, 10, 17, 0, 0, msk)) && ctx.Err() == nil {
		e.clk.Advance(time.Minute)
		e.sim.AdvanceTo(e.clk.Now())
		_ = e.app.Tick(ctx)
	}
	if ctx.Err() == nil {
		t.Fatal("no alert was due by 10:17")
	}
	e.note.fail = nil
	e.db.Close()
	e.open()
	e.runUntil(time.Date(2026, 11, 24, 10, 20, 0, 0, msk))
	keys := map[string]int{}
	for _, a := range e.note.messages(notify.KindAlert) {
		keys[a.FindingKey]++
	}
	for k, n := range keys {
		if n != 1 {
			t.Errorf("alert %s delivered %d times", k, n)
		}
	}
	if len(keys) != len(e.sim.Managers()) {
		t.Errorf("delivered %d distinct warnings, want %d", len(keys), len(e.sim.Managers()))
	}
}

func TestMissedDigestAfterDowntimeIsSentOnceLate(t *testing.T) {
	start := time.Date(2026, 11, 24, 9, 0, 0, 0, msk)
	e := newTestEnv(t, start)
	e.runUntil(start.Add(2 * time.Minute))
	// Down from 17:30 to 09:05 the next day: the 18:00 digest was missed.
	e.clk.Advance(time.Date(2026, 11, 25, 9, 5, 0, 0, msk).Sub(e.clk.Now()))
	e.sim.AdvanceTo(e.clk.Now())
	e.runUntil(time.Date(2026, 11, 25, 9, 10, 0, 0, msk))
	d := e.note.messages(notify.KindDigest)
	if len(d) != 1 || !d[0].Late {
		t.Fatalf("digests after downtime: %d (late %v), want one late", len(d), len(d) > 0 && d[0].Late)
	}
	e.runUntil(time.Date(2026, 11, 25, 12, 0, 0, 0, msk))
	if d := e.note.messages(notify.KindDigest); len(d) != 1 {
		t.Errorf("digest sent %d times", len(d))
	}
}

func TestTwoAccountsDoNotMix(t *testing.T) {
	start := time.Date(2026, 11, 24, 9, 0, 0, 0, msk)
	a := newTestEnv(t, start)
	b := newTestEnv(t, start) // a second sandbox account
	b.clk = a.clk
	app := a.newApp(a.db, []Account{
		{Key: "alpha", BaseURL: a.base, Client: a.client()},
		{Key: "beta", BaseURL: b.base, Client: b.client()},
	})
	a.app = app
	a.runUntil(start.Add(time.Minute))
	a.sim.NewLead(time.Date(2026, 11, 24, 10, 0, 0, 0, msk), a.sim.Managers()[0])
	a.runUntil(time.Date(2026, 11, 24, 10, 20, 0, 0, msk))
	for _, m := range a.note.messages(notify.KindAlert) {
		if m.Account != "alpha" || !strings.HasPrefix(m.FindingKey, "") {
			t.Errorf("alert of account %q: %s", m.Account, m.FindingKey)
		}
	}
	if n := len(a.note.messages(notify.KindAlert)); n != 1 {
		t.Errorf("alerts: %d, want 1 (the lead of alpha only)", n)
	}
	open, err := a.db.Open("beta")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range open {
		if e.Finding.Rule == checks.R1 {
			t.Errorf("beta has alpha's R1 finding: %s", e.Key)
		}
	}
}

func TestRevokedTokenTellsTheAdminOnce(t *testing.T) {
	start := time.Date(2026, 11, 24, 9, 0, 0, 0, msk)
	e := newTestEnv(t, start)
	e.runUntil(start.Add(time.Minute))
	e.server.RevokeTokens(true)
	e.runUntil(start.Add(10 * time.Minute))
	health := e.note.messages(notify.KindDataHealth)
	if len(health) != 1 || health[0].ChatID != consoleAdmin || !strings.Contains(health[0].Text, "rejects the token") {
		t.Fatalf("health messages: %+v", health)
	}
	// A restart does not repeat it.
	e.db.Close()
	e.open()
	e.runUntil(start.Add(15 * time.Minute))
	if n := len(e.note.messages(notify.KindDataHealth)); n != 1 {
		t.Errorf("health messages after restart: %d, want still 1", n)
	}
}
