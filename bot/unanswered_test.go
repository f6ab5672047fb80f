package bot

import (
	"strings"
	"testing"
	"time"

	"salesguard/checks"
)

// TestUnansweredShowsTimeLeft: /unanswered lists the leads nobody took yet with the time left
// or how late, only the manager's own.
func TestUnansweredShowsTimeLeft(t *testing.T) {
	h := newHarness(t, "en")
	snap := h.src.snap
	h.src.pending = []checks.PendingLead{
		{DealID: snap.Leads[0].ID, Name: snap.Leads[0].Name, Manager: 1, Due: fixtureNow.Add(-5 * time.Minute), Left: -5 * time.Minute},
		{DealID: snap.Leads[2].ID, Name: snap.Leads[2].Name, Manager: 1, Due: fixtureNow.Add(7 * time.Minute), Left: 7 * time.Minute},
		{DealID: snap.Leads[1].ID, Name: snap.Leads[1].Name, Manager: 2, Due: fixtureNow.Add(9 * time.Minute), Left: 9 * time.Minute},
	}
	h.tg.take()
	h.send(idManager, "en", "/unanswered")
	var text string
	for _, c := range h.tg.take() {
		if c.Method == "sendMessage" {
			text = c.Params["text"]
		}
	}
	for _, want := range []string{"late by 5 min", "Gamma", "7 min left", "&lt;b&gt;"} {
		if !strings.Contains(text, want) {
			t.Errorf("/unanswered lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "Beta") {
		t.Errorf("a manager sees another manager's lead:\n%s", text)
	}
}
