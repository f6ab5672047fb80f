package app

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"

	"salesguard/amo"
	"salesguard/notify"
)

func TestRefusedOAuthPairTellsTheAdminWhatToDo(t *testing.T) {
	start := time.Date(2026, 11, 24, 9, 0, 0, 0, msk)
	e := newTestEnv(t, start)
	client, err := amo.New(amo.Config{BaseURL: e.base, RateLimit: 1e9, Clock: replayClock{e.clk, clockwork.NewRealClock()},
		Tokens: e.db.TokenStore("main"), OAuth: amo.OAuthConfig{ClientID: "id", ClientSecret: "secret",
			RedirectURI: "https://r.example", AuthCode: e.server.NewAuthCode()}})
	if err != nil {
		t.Fatal(err)
	}
	e.app = e.newApp(e.db, []Account{{Key: "main", BaseURL: e.base, Client: client}})
	e.runUntil(start.Add(time.Minute))
	e.server.RevokeTokens(false)
	e.runUntil(start.Add(10 * time.Minute))
	health := e.note.messages(notify.KindDataHealth)
	want := e.cat.Printer("en").T("health.reauthorize_code")
	if len(health) != 1 || health[0].ChatID != consoleAdmin || !strings.Contains(health[0].Text, want) ||
		!strings.Contains(want, "/amocode") || !strings.Contains(want, "AMO_AUTH_CODE") {
		t.Fatalf("health messages: %+v", health)
	}
	if err := client.UseAuthCode(context.Background(), e.server.NewAuthCode()); err != nil {
		t.Fatal(err)
	}
	e.runUntil(start.Add(12 * time.Minute))
	health = e.note.messages(notify.KindDataHealth)
	if len(health) != 2 || !strings.Contains(health[1].Text, "Data is fine") {
		t.Fatalf("after /amocode: %+v, want the all-clear", health)
	}
}
