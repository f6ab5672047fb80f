package app

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	tele "gopkg.in/telebot.v3"

	"salesguard/bot"
	"salesguard/notify"
	"salesguard/storage"
)

// botAPI is a fake Telegram Bot API over HTTP that records every call and answers like
// Telegram (message ids, the chat of the message).
type botAPI struct {
	*httptest.Server
	mu    sync.Mutex
	calls []botCall
	next  int
}

type botCall struct {
	Method string
	Params map[string]string
}

func newBotAPI(t *testing.T) *botAPI {
	f := &botAPI{next: 1000}
	f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		method := r.URL.Path[strings.LastIndex(r.URL.Path, "/")+1:]
		body, _ := io.ReadAll(r.Body)
		raw := map[string]any{}
		_ = json.Unmarshal(body, &raw)
		params := map[string]string{}
		for k, v := range raw {
			if s, ok := v.(string); ok {
				params[k] = s
			} else {
				b, _ := json.Marshal(v)
				params[k] = string(b)
			}
		}
		f.mu.Lock()
		f.calls = append(f.calls, botCall{method, params})
		f.next++
		id := f.next
		f.mu.Unlock()
		chat, _ := strconv.ParseInt(params["chat_id"], 10, 64)
		var result any = true
		switch method {
		case "sendMessage", "editMessageText", "editMessageReplyMarkup":
			if mid, err := strconv.Atoi(params["message_id"]); err == nil {
				id = mid
			}
			result = map[string]any{"message_id": id, "date": 1, "chat": map[string]any{"id": chat, "type": "private"}, "text": params["text"]}
		}
		_ = json.NewEncoder(w).Encode(map[string]any{"ok": true, "result": result})
	}))
	t.Cleanup(f.Close)
	return f
}

func (f *botAPI) sent(method string, chat int64) []botCall {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []botCall
	for _, c := range f.calls {
		if c.Method == method && c.Params["chat_id"] == strconv.FormatInt(chat, 10) {
			out = append(out, c)
		}
	}
	return out
}

// callbackData finds the callback data of the first button whose data starts with prefix.
func callbackData(t *testing.T, markup, prefix string) string {
	t.Helper()
	var kb struct {
		Rows [][]struct {
			Data string `json:"callback_data"`
		} `json:"inline_keyboard"`
	}
	if err := json.Unmarshal([]byte(markup), &kb); err != nil {
		t.Fatalf("reply_markup %q: %v", markup, err)
	}
	for _, row := range kb.Rows {
		for _, b := range row {
			if strings.HasPrefix(strings.TrimPrefix(b.Data, "\f"), prefix) {
				return b.Data
			}
		}
	}
	t.Fatalf("no button %q in %s", prefix, markup)
	return ""
}

// TestTelegramAlertSnoozeAndFix runs the sandbox, the loop, the bot and a fake Bot API on a fake
// clock: the 15-minute alert reaches the manager's chat, the snooze button silences it, and
// fixing the deal edits the message.
func TestTelegramAlertSnoozeAndFix(t *testing.T) {
	start := time.Date(2026, 11, 24, 9, 0, 0, 0, msk)
	e := newTestEnv(t, start)
	api := newBotAPI(t)
	const managerChat, headChat = 501, 502
	m := e.sim.Managers()[0]
	for _, p := range []storage.Person{
		{TelegramID: managerChat, Account: "main", AmoUserID: m, Role: storage.RoleManager, Lang: "en", Name: "Manager"},
		{TelegramID: headChat, Account: "main", Role: storage.RoleHead, Lang: "ru", Name: "Head"},
	} {
		if err := e.db.PutPerson(p); err != nil {
			t.Fatal(err)
		}
	}
	var b *bot.Bot
	a, err := New(Options{Accounts: []Account{{Key: "main", BaseURL: e.base, Client: e.client()}}, Store: e.db,
		Notifier: &lateBound{get: func() *bot.Notifier { return b.Notifier() }}, Renderer: bot.NewRenderer(e.cat),
		Catalog: e.cat, Clock: e.clk, PollInterval: time.Minute, Lang: "en"})
	if err != nil {
		t.Fatal(err)
	}
	b, err = bot.New(bot.Config{Token: "123:t", APIURL: api.URL, Offline: true, Username: "sg_bot", Account: "main"},
		bot.Deps{Store: NewBotStore(e.db, "main", e.clk), Source: a.Source(), Catalog: e.cat, Clock: e.clk})
	if err != nil {
		t.Fatal(err)
	}
	e.app = a
	e.runUntil(start.Add(time.Minute))
	lead := e.sim.NewLead(time.Date(2026, 11, 24, 10, 0, 0, 0, msk), m)
	e.runUntil(time.Date(2026, 11, 24, 10, 16, 0, 0, msk))

	alerts := api.sent("sendMessage", managerChat)
	if len(alerts) != 1 || !strings.Contains(alerts[0].Params["text"], "/leads/detail/"+strconv.FormatInt(int64(lead), 10)) {
		t.Fatalf("manager's chat got %d messages, want the one alert with the deal link: %+v", len(alerts), alerts)
	}
	data := callbackData(t, alerts[0].Params["reply_markup"], "snz")
	b.ProcessUpdate(tele.Update{ID: 1, Callback: &tele.Callback{ID: "cb1", Data: data,
		Sender:  &tele.User{ID: managerChat},
		Message: &tele.Message{ID: 1001, Chat: &tele.Chat{ID: managerChat, Type: tele.ChatPrivate}}}})
	if !api.answered() {
		t.Error("the snooze press was not answered")
	}
	if got := api.sent("sendMessage", managerChat); len(got) != 2 || !strings.Contains(got[1].Params["text"], "11:16") {
		t.Errorf("the snooze was not confirmed with when it ends: %+v", got)
	}

	// Snoozed for an hour: nothing more reaches the manager; when the snooze ends and the lead
	// still waits, one reminder.
	e.runUntil(time.Date(2026, 11, 24, 11, 15, 0, 0, msk))
	if n := len(api.sent("sendMessage", managerChat)); n != 2 {
		t.Errorf("manager got %d messages while snoozed, want the alert and the snooze's confirmation", n)
	}
	// The head: the escalation at 10:30, and at 11:00 the ladder's reminder, nobody having
	// acknowledged it (every 30 working minutes by default).
	if got := api.sent("sendMessage", headChat); len(got) != 2 || !strings.Contains(got[1].Params["text"], "🔁") {
		t.Errorf("head got %d messages, want the escalation and one reminder: %+v", len(got), got)
	}
	e.runUntil(time.Date(2026, 11, 24, 11, 18, 0, 0, msk))
	if n := len(api.sent("sendMessage", managerChat)); n != 3 {
		t.Errorf("manager got %d messages after the snooze ended, want the alert, the confirmation and one reminder", n)
	}

	// Fixing the deal edits the alert to say so.
	e.sim.TakeLead(lead, time.Date(2026, 11, 24, 11, 20, 0, 0, msk))
	e.runUntil(time.Date(2026, 11, 24, 11, 23, 0, 0, msk))
	if len(api.sent("editMessageText", managerChat)) != 1 {
		t.Fatalf("manager's alert edited %d times, want 1", len(api.sent("editMessageText", managerChat)))
	}
	if n := len(api.sent("sendMessage", managerChat)); n != 3 {
		t.Errorf("the fix sent %d new messages to the manager, want only the edit", n-3)
	}
	if len(api.sent("editMessageText", headChat)) != 1 {
		t.Errorf("the head's escalation was not edited when fixed")
	}
}

func (f *botAPI) answered() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, c := range f.calls {
		if c.Method == "answerCallbackQuery" {
			return true
		}
	}
	return false
}

// lateBound resolves the notifier when the first message is sent (the bot is built after the app).
type lateBound struct{ get func() *bot.Notifier }

func (l *lateBound) Send(ctx context.Context, m notify.Message) (notify.SentRef, error) {
	return l.get().Send(ctx, m)
}
