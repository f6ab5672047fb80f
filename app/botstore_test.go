package app

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"

	"salesguard/bot"
	"salesguard/checks"
	"salesguard/storage"
)

func openBotStore(t *testing.T) *BotStore {
	t.Helper()
	db, err := storage.Open(filepath.Join(t.TempDir(), "sg.db"), storage.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	return NewBotStore(db, "acme", clockwork.NewFakeClockAt(time.Date(2026, 3, 11, 15, 0, 0, 0, time.UTC)))
}

func TestBotStoreSettings(t *testing.T) {
	s := openBotStore(t)
	got, err := s.LoadSettings()
	if err != nil || got.R1.Limit != checks.DefaultSettings().R1.Limit {
		t.Fatalf("LoadSettings before any save = %+v, %v; want the defaults", got, err)
	}
	next := checks.DefaultSettings()
	next.R11.Days = 45
	if err := s.SaveSettings(next, "tg:100"); err != nil {
		t.Fatal(err)
	}
	next.R11.Days = 60
	if err := s.SaveSettings(next, "tg:101"); err != nil {
		t.Fatal(err)
	}
	got, err = s.LoadSettings()
	if err != nil || got.R11.Days != 60 {
		t.Fatalf("LoadSettings = %+v, %v", got.R11, err)
	}
	revs, err := s.SettingsHistory(10)
	if err != nil || len(revs) != 2 {
		t.Fatalf("history = %+v, %v", revs, err)
	}
	last := revs[0]
	if last.Who != "tg:101" || len(last.Changes) != 1 || last.Changes[0].Path != "r11.days" ||
		last.Changes[0].Old != "45" || last.Changes[0].New != "60" {
		t.Errorf("latest revision = %+v", last)
	}
}

func TestBotStoreVerdictsAndTable(t *testing.T) {
	s := openBotStore(t)
	day := checks.Date{Year: 2026, Month: 3, Day: 11}
	v := bot.Verdict{Day: day, DealID: 10, Manager: 1, OK: false, Comment: "no call", By: 200, At: time.Now().UTC()}
	if err := s.PutVerdict(v); err != nil {
		t.Fatal(err)
	}
	v.OK, v.Comment = true, ""
	if err := s.PutVerdict(v); err != nil { // replaces the first
		t.Fatal(err)
	}
	vs, err := s.Verdicts(day.AddDays(-1), day)
	if err != nil || len(vs) != 1 || !vs[0].OK || vs[0].Manager != 1 || vs[0].By != 200 {
		t.Fatalf("verdicts = %+v, %v", vs, err)
	}
	if err := s.db.PutTable("acme", day, []checks.TableRow{{Manager: 1, Rule: checks.R3, Count: 2}}); err != nil {
		t.Fatal(err)
	}
	rows, err := s.Table(day, day)
	if err != nil || len(rows) != 1 || rows[0].Count != 2 || rows[0].Day != day {
		t.Fatalf("table = %+v, %v", rows, err)
	}
}
