package app

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"math/rand/v2"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"

	"salesguard/amo"
	"salesguard/amo/sandbox"
	"salesguard/bot"
	"salesguard/checks"
	"salesguard/locales"
	"salesguard/notify"
	"salesguard/storage"
)

var (
	soakDays  = flag.Int("soak.days", 7, "simulated days TestSoak runs")
	soakKills = flag.Int("soak.kills", 20, "how many times TestSoak kills the service")
	soakSeed  = flag.Uint64("soak.seed", 1, "TestSoak's seed: the faults, the kills and who joins when")
)

// jumpClock is the fake clock, except that a wait moves it forward at once: a client's retry
// back-off passes in simulated time, never on the wall clock.
type jumpClock struct{ *clockwork.FakeClock }

func (c jumpClock) After(d time.Duration) <-chan time.Time {
	c.Advance(d)
	ch := make(chan time.Time, 1)
	ch <- c.Now()
	return ch
}

func (c jumpClock) Sleep(d time.Duration) { c.Advance(d) }

// TestSoak runs a sales team for a week of simulated time against the sandbox with its faults
// on (5xx, 429, a ban a day, access tokens that expire every 3 hours), the Bot API down for an
// hour a day, people joining in the middle of days, and the service killed at random moments:
// its memory dropped, the database reopened, a new client and app. It asserts that every alert
// reached its recipient once (at most one duplicate per kill), that nothing was lost (every
// finding still open at the end reached whoever was there when it opened, the outbox drained),
// and that the OAuth pair survived. go test -run TestSoak ./app -args -soak.days=30 -soak.kills=200 runs
// it longer.
func TestSoak(t *testing.T) {
	if testing.Short() {
		t.Skip("soak: not in -short")
	}
	const poll = 10 * time.Minute
	days, killCount := *soakDays, *soakKills
	set := map[string]bool{}
	flag.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if raceBuild && !set["soak.days"] && !set["soak.kills"] {
		// Under the race detector the week takes minutes: two days look for races, and
		// .ci/run runs the full week without it.
		days, killCount = 2, 6
	}
	start := time.Date(2026, 11, 23, 7, 0, 0, 0, msk) // a Monday
	end := start.Add(time.Duration(days) * 24 * time.Hour)
	rng := rand.New(rand.NewPCG(*soakSeed, 7))
	clk := clockwork.NewFakeClockAt(start)
	world := sandbox.NewWorld(start)
	sim := sandbox.NewSim(world, sandbox.SimConfig{Seed: int64(*soakSeed), Managers: 4, LeadsPerDay: 40, Start: start,
		TimeZone: "Europe/Moscow", Lang: "en"})
	sim.Populate()
	cfg := sandbox.DefaultConfig("tok")
	cfg.RateLimit, cfg.Clock, cfg.AccessTokenTTL = 0, clk, 3*time.Hour
	cfg.Faults = sandbox.Faults{Seed: int64(*soakSeed), Rate5xx: 0.04, Rate429: 0.02}
	server := sandbox.NewServer(world, cfg)
	srv := httptest.NewServer(server)
	t.Cleanup(srv.Close)
	cat, err := locales.Load()
	if err != nil {
		t.Fatal(err)
	}
	dbPath := filepath.Join(t.TempDir(), "soak.db")

	note := &recorder{}
	telegramDown := func() bool { return clk.Now().In(msk).Hour() == 13 } // an hour a day
	note.fail = func(notify.Message) error {
		if telegramDown() {
			return errors.New("telegram: 502 Bad Gateway")
		}
		return nil
	}
	const admin, head int64 = 10, 30
	managers := sim.Managers()
	code := server.NewAuthCode()
	var (
		db *storage.DB
		a  *App
		cl *amo.Client
	)
	open := func() {
		if db, err = storage.Open(dbPath, storage.Options{NoSync: true}); err != nil {
			t.Fatal(err)
		}
		cl, err = amo.New(amo.Config{BaseURL: srv.URL, RateLimit: 1e9, Clock: jumpClock{clk}, Tokens: db.TokenStore("main"),
			Bans: db.TokenStore("main").(amo.BanStore), OAuth: amo.OAuthConfig{ClientID: "id", ClientSecret: "secret",
				RedirectURI: "https://r.example", AuthCode: code}})
		if err != nil {
			t.Fatal(err)
		}
		a, err = New(Options{Accounts: []Account{{Key: "main", BaseURL: srv.URL, Client: cl}}, Store: db, Notifier: note,
			Renderer: bot.NewRenderer(cat), Catalog: cat, Clock: clk, PollInterval: poll, Lang: "en", Admins: []int64{admin}})
		if err != nil {
			t.Fatal(err)
		}
	}
	open()
	t.Cleanup(func() { db.Close() })

	// Who joins when: the managers over the first days, each at some minute of a working day;
	// the head on the second day.
	type joiner struct {
		at time.Time
		p  storage.Person
	}
	var joins []joiner
	for i, m := range managers {
		day := start.Add(time.Duration(i%3) * 24 * time.Hour)
		at := day.Add(2*time.Hour + time.Duration(rng.IntN(8*60))*time.Minute)
		joins = append(joins, joiner{at, storage.Person{TelegramID: int64(100 + i), Role: storage.RoleManager, AmoUserID: m, Lang: "en"}})
	}
	joins = append(joins, joiner{start.Add(24*time.Hour + 5*time.Hour), storage.Person{TelegramID: head, Role: storage.RoleHead, Lang: "ru"}})
	joinedAt := map[int64]time.Time{}

	steps := int(end.Sub(start) / poll)
	kills := map[int]bool{}
	for len(kills) < killCount {
		kills[1+rng.IntN(steps-1)] = true
	}
	for step := 1; step <= steps; step++ {
		clk.Advance(poll)
		now := clk.Now()
		sim.AdvanceTo(now)
		for _, j := range joins {
			if _, ok := joinedAt[j.p.TelegramID]; !ok && !now.Before(j.at) {
				j.p.Account, j.p.AddedAt = "main", now
				if err := db.PutPerson(j.p); err != nil {
					t.Fatal(err)
				}
				joinedAt[j.p.TelegramID] = now
			}
		}
		if h := now.In(msk); h.Hour() == 16 && h.Minute() < int(poll/time.Minute) {
			server.Ban(20 * time.Minute) // once a day, in the afternoon
		}
		if err := a.Tick(context.Background()); err != nil && testing.Verbose() {
			t.Logf("%s: %v", now.In(msk).Format("Mon 15:04"), err)
		}
		if kills[step] {
			db.Close()
			open()
		}
	}
	// Late rather than never: a few more polls with everything up, past the start of the
	// working day, deliver what waited.
	for range 24 {
		clk.Advance(poll)
		if err := a.Tick(context.Background()); err != nil {
			t.Logf("drain: %v", err)
		}
	}

	// Exactly once: one alert per finding and recipient, a duplicate only for a kill.
	seen := map[string]int{}
	dups := 0
	for _, m := range note.sent {
		if m.Kind != notify.KindAlert && m.Kind != notify.KindCatchUp {
			continue
		}
		k := fmt.Sprintf("%d/%s/%s", m.ChatID, m.Kind, m.FindingKey)
		if m.Kind == notify.KindAlert && m.Edit == nil || m.Kind == notify.KindCatchUp {
			seen[k]++
			if seen[k] > 1 {
				dups++
			}
		}
	}
	if dups > killCount {
		t.Errorf("%d duplicate alerts for %d kills", dups, killCount)
	}
	// Nothing lost: every finding open at the end reached whoever receives it and was there
	// when it opened (one poll's slack); what opened before someone joined was in their
	// catch-up, which each newcomer with open problems got.
	open2, err := db.Open("main")
	if err != nil {
		t.Fatal(err)
	}
	delivered := map[string]bool{}
	for _, m := range note.sent {
		if m.Kind == notify.KindAlert {
			delivered[fmt.Sprintf("%d/%s", m.ChatID, m.FindingKey)] = true
		}
	}
	lost, checked := 0, 0
	for _, e := range open2 {
		f := e.Finding
		if !alertRules[f.Rule] || e.OpenedAt.Before(start.Add(time.Hour)) {
			continue // the first evaluation records what was there without alerting
		}
		var to []int64
		switch f.Level {
		case checks.LevelWarning:
			for i, m := range managers {
				if m == f.ManagerID {
					to = append(to, int64(100+i))
				}
			}
		case checks.LevelEscalation:
			to = []int64{head}
		}
		for _, chat := range to {
			j, ok := joinedAt[chat]
			if !ok || e.OpenedAt.Before(j.Add(poll)) {
				continue
			}
			checked++
			if !delivered[fmt.Sprintf("%d/%s", chat, e.Key)] {
				lost++
				t.Errorf("finding %s opened %s never reached chat %d (joined %s)", e.Key,
					e.OpenedAt.In(msk).Format("Mon 15:04"), chat, j.In(msk).Format("Mon 15:04"))
			}
		}
	}
	if due, err := db.Due(clk.Now(), 100); err != nil || len(due) != 0 {
		t.Errorf("outbox after the drain: %d messages due and not delivered (%v)", len(due), err)
	}
	// The OAuth pair survived every kill and refresh: the last client still reads the account.
	if _, err := cl.Account(context.Background()); err != nil {
		t.Errorf("the OAuth pair was lost: %v", err)
	}
	for _, m := range note.messages(notify.KindDataHealth) {
		if m.ChatID == admin && (strings.Contains(m.Text, "authoriz") || strings.Contains(m.Text, "/amocode")) {
			t.Errorf("the admin was asked to re-authorize: %s", m.Text)
		}
	}
	t.Logf("soak: %d days, %d polls, %d kills, %d messages (%d alerts), %d duplicates, %d open findings checked, %d lost",
		days, steps, killCount, len(note.sent), len(note.messages(notify.KindAlert)), dups, checked, lost)
}
