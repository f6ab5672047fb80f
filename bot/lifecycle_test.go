package bot

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	tele "gopkg.in/telebot.v3"
)

func TestStartStop(t *testing.T) {
	h := newHarness(t, "en")
	ctx, cancel := context.WithCancel(context.Background())
	h.bot.Start(ctx)
	h.bot.Start(ctx) // a second Start is a no-op
	h.bot.Stop()
	h.bot.Stop() // and so is a second Stop
	cancel()

	// Menus: one default menu per language, one per known person in their chat.
	var defaults, chats int
	for _, c := range h.tg.take() {
		if c.Method != "setMyCommands" {
			continue
		}
		if strings.Contains(c.Params["scope"], `"default"`) {
			defaults++
		} else {
			chats++
		}
	}
	if defaults != 3 || chats != 3 {
		t.Errorf("setMyCommands: %d default, %d chat scopes; want 3 and 3", defaults, chats)
	}
}

func TestStopOnContext(t *testing.T) {
	h := newHarness(t, "en")
	ctx, cancel := context.WithCancel(context.Background())
	h.bot.Start(ctx)
	cancel()
	h.bot.Stop() // returns whether the context or this call stopped it
}

func TestMenusPerRole(t *testing.T) {
	h := newHarness(t, "ru")
	if err := h.bot.syncPerson(h.store.people[idHead]); err != nil {
		t.Fatal(err)
	}
	if err := h.bot.syncPerson(h.store.people[idManager]); err != nil {
		t.Fatal(err)
	}
	calls := h.tg.take()
	head, manager := calls[0].Params["commands"], calls[1].Params["commands"]
	if !strings.Contains(head, `"digest"`) || strings.Contains(head, `"invite"`) || !strings.Contains(head, "Просроченные") {
		t.Errorf("head menu = %s", head)
	}
	if strings.Contains(manager, `"digest"`) || !strings.Contains(manager, `"overdue"`) {
		t.Errorf("manager menu = %s", manager)
	}
}

func TestWebhookHandler(t *testing.T) {
	w := &webhookPoller{secret: "s3cret", log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	dest := make(chan tele.Update, 1)
	stop := make(chan struct{})
	srv := httptest.NewServer(w.handler(dest, stop))
	defer srv.Close()
	post := func(secret, body string) int {
		req, _ := http.NewRequest(http.MethodPost, srv.URL, strings.NewReader(body))
		if secret != "" {
			req.Header.Set("X-Telegram-Bot-Api-Secret-Token", secret)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if code := post("", `{"update_id":1}`); code != http.StatusUnauthorized {
		t.Errorf("no secret: %d", code)
	}
	if code := post("wrong", `{"update_id":1}`); code != http.StatusUnauthorized {
		t.Errorf("wrong secret: %d", code)
	}
	if code := post("s3cret", `{`); code != http.StatusBadRequest {
		t.Errorf("bad body: %d", code)
	}
	if code := post("s3cret", `{"update_id":5}`); code != http.StatusOK {
		t.Errorf("good update: %d", code)
	}
	if u := <-dest; u.ID != 5 {
		t.Errorf("update = %+v", u)
	}
	close(stop)
	if code := post("s3cret", `{"update_id":6}`); code != http.StatusServiceUnavailable {
		t.Errorf("after stop: %d", code)
	}
}

func TestWebhookPollerStops(t *testing.T) {
	tg := newFakeTelegram(t)
	store := newFakeStore()
	b, err := New(Config{Token: "t", APIURL: tg.URL, Offline: true, Username: "sg_bot",
		WebhookURL: "https://bot.example/hook", WebhookSecret: "s", ListenAddr: "127.0.0.1:0"},
		Deps{Store: store, Source: fixtureSource(), Catalog: mustCatalog(t),
			Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	b.Start(context.Background())
	b.Stop() // must not panic (telebot's own webhook poller closes stop twice)
	for _, c := range tg.take() {
		if c.Method == "setWebhook" && (c.Params["secret_token"] != "s" || c.Params["url"] != "https://bot.example/hook") {
			t.Errorf("setWebhook params = %v", c.Params)
		}
	}
}

func TestConfigStringMasksSecrets(t *testing.T) {
	s := Config{Token: "123:ABC", WebhookSecret: "hush"}.String()
	if strings.Contains(s, "123:ABC") || strings.Contains(s, "hush") {
		t.Errorf("Config.String() leaks a secret: %s", s)
	}
}
