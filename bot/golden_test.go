package bot

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"

	"salesguard/amo"
	"salesguard/checks"
	"salesguard/locales"
	"salesguard/notify"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

var langs = []string{"en", "ru", "es"}

// golden compares got with testdata/<name>.golden, or rewrites it under -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read golden (run go test ./bot -update): %v", err)
	}
	if !bytes.Equal(want, []byte(got)) {
		t.Errorf("%s differs from the golden file\n--- got ---\n%s\n--- want ---\n%s", path, got, want)
	}
}

// showCall renders a recorded call for a golden file: the text, then the keyboard.
func showCall(c call) string {
	s := c.Params["text"] + "\n"
	if m := c.Params["reply_markup"]; m != "" {
		s += "--- buttons ---\n" + m + "\n"
	}
	return s
}

// showMessage renders a notify.Message for a golden file.
func showMessage(m notify.Message) string {
	s := m.Text + "\n"
	if len(m.Buttons) > 0 {
		b, _ := json.Marshal(m.Buttons)
		s += "--- buttons ---\n" + string(b) + "\n"
	}
	return s
}

func TestCommandGolden(t *testing.T) {
	cases := []struct {
		name string
		from int64
		text string
	}{
		{"start_manager", idManager, "/start"},
		{"help_admin", idAdmin, "/help"},
		{"help_head", idHead, "/help"},
		{"lang", idManager, "/lang"},
		{"overdue_manager", idManager, "/overdue"},
		{"overdue_head", idHead, "/overdue"},
		{"notask_head", idHead, "/notask"},
		{"notask_manager_none", idManager, "/notask"},
		{"unanswered_manager", idManager, "/unanswered"},
		{"stale_admin", idAdmin, "/stale"},
		{"lost_head", idHead, "/lost"},
		{"calls_head", idHead, "/calls"},
		{"today_manager", idManager, "/today"},
		{"today_head", idHead, "/today"},
		{"digest_head", idHead, "/digest"},
		{"managers_admin", idAdmin, "/managers"},
		{"invite_usage", idAdmin, "/invite boss"},
		{"stranger", idStranger, "/overdue"},
		{"forbidden", idManager, "/digest"},
	}
	for _, lang := range langs {
		for _, tc := range cases {
			t.Run(tc.name+"."+lang, func(t *testing.T) {
				h := newHarness(t, lang)
				if tc.from == idAdmin {
					h.store.people[idAdmin] = Person{TelegramID: idAdmin, Name: "Ada", Role: RoleAdmin, Account: "acme", Lang: lang}
				}
				h.send(tc.from, lang, tc.text)
				calls := h.tg.take("setMyCommands")
				if len(calls) != 1 || calls[0].Method != "sendMessage" {
					t.Fatalf("calls = %+v, want one sendMessage", calls)
				}
				if calls[0].Params["parse_mode"] != "HTML" {
					t.Errorf("parse_mode = %q, want HTML", calls[0].Params["parse_mode"])
				}
				golden(t, tc.name+"."+lang, showCall(calls[0]))
			})
		}
	}
}

func TestRendererGolden(t *testing.T) {
	r := NewRenderer(mustCatalog(t))
	src := fixtureSource()
	fs := src.findings
	pick := func(rule checks.RuleID, level checks.Level) checks.Finding {
		for _, f := range fs {
			if f.Rule == rule && f.Level == level {
				return f
			}
		}
		t.Fatalf("no %s %s finding in the fixture", rule, level)
		return checks.Finding{}
	}
	day := checks.DateOf(fixtureNow)
	for _, lang := range langs {
		msgs := map[string]notify.Message{
			"alert_warning":    r.Alert(pick(checks.R3, checks.LevelWarning), src.snap, lang),
			"alert_escalation": r.Alert(pick(checks.R1, checks.LevelEscalation), src.snap, lang),
			"fixed":            r.Fixed(pick(checks.R3, checks.LevelWarning), src.snap, lang, notify.SentRef{ChatID: 300, MessageID: 9}),
			"nudge":            r.Nudge(fs[:5], src.snap, fixtureNow.Add(150*60e9), lang),
			"plan":             r.Plan(src.plans[0], src.snap, day, lang),
			"datahealth":       r.DataHealth([]checks.Finding{pick(checks.RuleDataHealth, checks.LevelDataHealth)}, src.snap, lang),
			"digest":           r.Digest(src.digest, src.snap, lang),
		}
		for name, m := range msgs {
			t.Run(name+"."+lang, func(t *testing.T) { golden(t, name+"."+lang, showMessage(m)) })
		}
	}
}

// BenchmarkHeadOverdue lists 5000 overdue deals of 50 managers for a head (one page).
func BenchmarkHeadOverdue(b *testing.B) {
	cat, err := locales.Load()
	if err != nil {
		b.Fatal(err)
	}
	src := fixtureSource()
	for i := range 50 {
		src.snap.Users = append(src.snap.Users, amo.User{ID: amo.UserID(100 + i), Name: "M" + strconv.Itoa(i)})
	}
	for i := range 5000 {
		src.findings = append(src.findings, checks.Finding{Rule: checks.R3, Level: checks.LevelWarning, DealID: amo.LeadID(10000 + i),
			ManagerID: amo.UserID(100 + i%50), Value: 1, Unit: checks.UnitCount, Due: fixtureNow.Add(-time.Hour)})
	}
	bt := &Bot{src: src, cat: cat, clock: clockwork.NewFakeClockAt(fixtureNow)}
	p := Person{Role: RoleHead, Lang: "ru"}
	for b.Loop() {
		bt.listEntries(cat.Printer("ru"), p, "overdue", src.snap)
	}
}
