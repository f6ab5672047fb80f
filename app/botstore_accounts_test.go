package app

import (
	"context"
	"errors"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"
	tele "gopkg.in/telebot.v3"

	"salesguard/amo"
	"salesguard/amo/sandbox"
	"salesguard/bot"
	"salesguard/locales"
	"salesguard/notify"
	"salesguard/storage"
)

// TestBotStoreAccounts: people and invites span the accounts; each account's data stays its own.
func TestBotStoreAccounts(t *testing.T) {
	s := openBotStore(t) // home account "acme"
	now := s.clock.Now()
	if err := s.In("north").PutInvite(bot.Invite{Code: "n", Role: bot.RoleAdmin, CreatedBy: 1, ExpiresAt: now.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Invites(); len(got) != 0 {
		t.Errorf("acme lists north's invite: %+v", got)
	}
	inv, ok, err := s.TakeInvite("n")
	if err != nil || !ok || inv.Account != "north" || inv.Role != bot.RoleAdmin {
		t.Fatalf("take north's invite through the bot's store = %+v, %v, %v", inv, ok, err)
	}
	for _, p := range []bot.Person{
		{TelegramID: 5, Role: bot.RoleHead, Account: "acme"},
		{TelegramID: 5, Role: bot.RoleAdmin, Account: "north"},
		{TelegramID: 6, Role: bot.RoleManager}, // no account: the home one
	} {
		if err := s.PutPerson(p); err != nil {
			t.Fatal(err)
		}
	}
	ms, err := s.Memberships(5)
	if err != nil || len(ms) != 2 || ms[0].Account != "acme" || ms[1].Role != bot.RoleAdmin {
		t.Fatalf("memberships = %+v, %v", ms, err)
	}
	if ps, _ := s.People("acme"); len(ps) != 2 || ps[1].TelegramID != 6 {
		t.Errorf("people of acme = %+v", ps)
	}
	if err := s.SetCurrentAccount(6, "north"); err == nil {
		t.Error("chose an account the person is not in")
	}
	if err := s.SetCurrentAccount(5, "north"); err != nil {
		t.Fatal(err)
	}
	if cur, _ := s.CurrentAccount(5); cur != "north" {
		t.Errorf("current = %q", cur)
	}
	st := s.In("north")
	next, _ := st.LoadSettings()
	next.R11.Days = 99
	if err := st.SaveSettings(next, "tg:5"); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.LoadSettings(); got.R11.Days == 99 {
		t.Error("north's settings changed acme's")
	}
}

// TestEntitledPerAccount: a message is checked against its own account: someone of one
// account gets nothing queued for another; a bootstrap admin is an admin of every account.
func TestEntitledPerAccount(t *testing.T) {
	db, err := storage.Open(t.TempDir()+"/sg.db", storage.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	cat := mustCat(t)
	a, err := New(Options{Accounts: []Account{{Key: "main"}, {Key: "north"}}, Store: db, Notifier: &recorder{},
		Renderer: bot.NewRenderer(cat), Catalog: cat, Admins: []int64{9}})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.PutPerson(storage.Person{TelegramID: 501, Account: "main", Role: storage.RoleHead}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		chat    int64
		account string
		ok      bool
	}{{501, "main", true}, {501, "north", false}, {9, "main", true}, {9, "north", true}, {502, "main", false}} {
		err := a.entitled(notify.Message{Account: tc.account, ChatID: tc.chat, Kind: notify.KindDigest})
		if (err == nil) != tc.ok || err != nil && !errors.Is(err, errNotEntitled) {
			t.Errorf("digest of %s to %d: %v, want ok %v", tc.account, tc.chat, err, tc.ok)
		}
	}
}

// TestTelegramTwoAccounts runs two sandboxes (main and north, each with its own team) through
// one app and one bot over a fake Bot API: a north lead alerts north's manager only; the head of
// both gets north's escalation under north's name, and acknowledges it from the alert while
// working in main, which stops north's reminders and touches nothing of main.
func TestTelegramTwoAccounts(t *testing.T) {
	start := time.Date(2026, 11, 24, 9, 0, 0, 0, msk)
	e := newTestEnvWith(t, start, sandboxCfg(), func(e *testEnv) {
		e.world.Update(func(d *sandbox.Data) { d.Account.Name = "Main Co" })
	})
	north := sandbox.NewWorld(start)
	nsim := sandbox.NewSim(north, sandbox.SimConfig{Seed: 8, Managers: 2, Start: start, TimeZone: "Europe/Moscow", Lang: "en", Quiet: true})
	nsim.Populate()
	north.Update(func(d *sandbox.Data) { d.Account.Name = "North Ltd" })
	ncfg := sandboxCfg()
	ncfg.Token, ncfg.Clock = "tok", e.clk
	nsrv := httptest.NewServer(sandbox.NewServer(north, ncfg))
	t.Cleanup(nsrv.Close)
	nclient, err := amo.New(amo.Config{BaseURL: nsrv.URL, Token: "tok", RateLimit: 1e9, Clock: replayClock{e.clk, clockwork.NewRealClock()}})
	if err != nil {
		t.Fatal(err)
	}

	api := newBotAPI(t)
	const mainManager, northManager, bothHead = 501, 601, 700
	for _, p := range []storage.Person{
		{TelegramID: mainManager, Account: "main", AmoUserID: e.sim.Managers()[0], Role: storage.RoleManager, Lang: "en"},
		{TelegramID: northManager, Account: "north", AmoUserID: nsim.Managers()[0], Role: storage.RoleManager, Lang: "en"},
		{TelegramID: bothHead, Account: "main", Role: storage.RoleHead, Lang: "en"},
		{TelegramID: bothHead, Account: "north", Role: storage.RoleHead, Lang: "en"},
	} {
		if err := e.db.PutPerson(p); err != nil {
			t.Fatal(err)
		}
	}
	var b *bot.Bot
	a, err := New(Options{Accounts: []Account{{Key: "main", BaseURL: e.base, Client: e.client()}, {Key: "north", BaseURL: nsrv.URL, Client: nclient}},
		Store: e.db, Notifier: &lateBound{get: func() *bot.Notifier { return b.Notifier() }}, Renderer: bot.NewRenderer(e.cat),
		Catalog: e.cat, Clock: e.clk, PollInterval: time.Minute, Lang: "en"})
	if err != nil {
		t.Fatal(err)
	}
	b, err = bot.New(bot.Config{Token: "123:t", APIURL: api.URL, Offline: true, Username: "sg_bot", Account: "main"},
		bot.Deps{Store: NewBotStore(e.db, "main", e.clk), Source: a.Source(), Catalog: e.cat, Clock: e.clk})
	if err != nil {
		t.Fatal(err)
	}
	run := func(until time.Time) {
		for e.clk.Now().Before(until) {
			e.clk.Advance(time.Minute)
			e.sim.AdvanceTo(e.clk.Now())
			nsim.AdvanceTo(e.clk.Now())
			if err := a.Tick(context.Background()); err != nil {
				t.Logf("tick: %v", err)
			}
		}
	}
	run(start.Add(time.Minute))
	nsim.NewLead(time.Date(2026, 11, 24, 10, 0, 0, 0, msk), nsim.Managers()[0])
	run(time.Date(2026, 11, 24, 10, 31, 0, 0, msk))

	if got := api.sent("sendMessage", northManager); len(got) != 1 || strings.HasPrefix(got[0].Params["text"], "🏢") ||
		!strings.Contains(got[0].Params["text"], nsrv.URL) {
		t.Fatalf("north's manager got %+v, want the one alert, without an account header", got)
	}
	if got := api.sent("sendMessage", mainManager); len(got) != 0 {
		t.Errorf("main's manager got north's alert: %+v", got)
	}
	esc := api.sent("sendMessage", bothHead)
	if len(esc) != 1 || !strings.HasPrefix(esc[0].Params["text"], "🏢 North Ltd\n") {
		t.Fatalf("the head of both got %+v, want north's escalation under its name", esc)
	}
	data := callbackData(t, esc[0].Params["reply_markup"], "ack")
	if len(data) > 64 || !strings.Contains(data, "~") {
		t.Errorf("ack data %q: want north's tag within 64 bytes", data)
	}
	b.ProcessUpdate(tele.Update{ID: 1, Callback: &tele.Callback{ID: "cb1", Data: data, Sender: &tele.User{ID: bothHead},
		Message: &tele.Message{ID: 1001, Chat: &tele.Chat{ID: bothHead, Type: tele.ChatPrivate}}}})
	if cur, _ := e.db.CurrentAccount(bothHead); cur != "" {
		t.Errorf("the press switched the current account to %q", cur)
	}
	run(time.Date(2026, 11, 24, 11, 5, 0, 0, msk))
	for _, m := range api.sent("sendMessage", bothHead)[1:] {
		if strings.Contains(m.Params["text"], "🔁") {
			t.Errorf("a reminder after the acknowledgement: %q", m.Params["text"])
		}
	}
	open, err := e.db.OpenMatching("main", func(e *storage.LedgerEntry) bool { return e.AckedBy != 0 })
	if err != nil || len(open) != 0 {
		t.Errorf("main's ledger has acknowledged entries: %+v, %v", open, err)
	}
	acked, err := e.db.OpenMatching("north", func(e *storage.LedgerEntry) bool { return e.AckedBy == bothHead })
	if err != nil || len(acked) != 1 {
		t.Errorf("north's acknowledged entries = %d, %v; want the escalation", len(acked), err)
	}
}

// sandboxCfg is a sandbox without a rate limit, as newTestEnv's.
func sandboxCfg() sandbox.Config {
	cfg := sandbox.DefaultConfig("tok")
	cfg.RateLimit = 0
	return cfg
}

func mustCat(t *testing.T) *locales.Catalog {
	t.Helper()
	cat, err := locales.Load()
	if err != nil {
		t.Fatal(err)
	}
	return cat
}
