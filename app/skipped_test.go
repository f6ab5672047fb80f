package app

import (
	"strings"
	"testing"
	"time"

	"salesguard/notify"
)

// TestSkippedItemsReachTheAdminsOnceADay: malformed items a sync skipped are counted and the
// admins hear of them at most once a day, with examples.
func TestSkippedItemsReachTheAdminsOnceADay(t *testing.T) {
	start := time.Date(2026, 11, 24, 9, 0, 0, 0, msk)
	e := newTestEnv(t, start)
	e.runUntil(start.Add(time.Minute))
	acc := e.app.accounts[0]
	notices := func() []notify.Message {
		var out []notify.Message
		for _, m := range e.note.messages(notify.KindDataHealth) {
			if strings.Contains(m.Text, "could not be read") {
				out = append(out, m)
			}
		}
		return out
	}
	acc.skipped.add(`leads: item 3 (id "x") skipped: json: cannot unmarshal string into Go struct field`)
	acc.skipped.add(`leads: item 9 skipped: no valid id`)
	acc.skipped.add(`the page was cut`) // not an item
	e.runUntil(start.Add(3 * time.Minute))
	got := notices()
	if len(got) != 1 || got[0].ChatID != consoleAdmin || !strings.Contains(got[0].Text, "2 items") ||
		!strings.Contains(got[0].Text, `item 3 (id "x")`) || !strings.Contains(got[0].Text, "item 9") {
		t.Fatalf("notices: %+v", got)
	}
	acc.skipped.add(`tasks: item 1 skipped: no valid id`)
	e.runUntil(start.Add(time.Hour))
	if n := len(notices()); n != 1 {
		t.Fatalf("a second notice the same day: %d", n)
	}
	e.runUntil(time.Date(2026, 11, 25, 9, 5, 0, 0, msk))
	if got := notices(); len(got) != 2 || !strings.Contains(got[1].Text, "1 item") {
		t.Fatalf("next day's notice: %+v", got)
	}
}
