package bot

import (
	"fmt"
	"io"
	"log/slog"
	"testing"

	"github.com/jonboulle/clockwork"
	tele "gopkg.in/telebot.v3"

	"salesguard/locales"
)

// harness is a bot wired to a fake Telegram, a fake store and the fixture account.
type harness struct {
	bot   *Bot
	tg    *fakeTelegram
	store *fakeStore
	src   *fakeSource
	clock *clockwork.FakeClock
	msgID int
}

// People of the fixture: an admin (bootstrap only), a head, two managers; 999 is a stranger.
const (
	idAdmin    int64 = 100
	idHead     int64 = 200
	idManager  int64 = 300
	idManager2 int64 = 301
	idStranger int64 = 999
)

func mustCatalog(t *testing.T) *locales.Catalog {
	t.Helper()
	cat, err := locales.Load()
	if err != nil {
		t.Fatalf("load catalog: %v", err)
	}
	return cat
}

func newHarness(t *testing.T, lang string) *harness {
	t.Helper()
	tg := newFakeTelegram(t)
	store := newFakeStore(
		Person{TelegramID: idHead, Name: "Helga Head", Role: RoleHead, Account: "acme", Lang: lang},
		Person{TelegramID: idManager, Name: "Olga", Role: RoleManager, Account: "acme", AmoUserID: 1, Lang: lang},
		Person{TelegramID: idManager2, Name: "Boris", Role: RoleManager, Account: "acme", AmoUserID: 2, Lang: lang},
	)
	clock := clockwork.NewFakeClockAt(fixtureNow)
	src := fixtureSource()
	b, err := New(Config{Token: "t", APIURL: tg.URL, Offline: true, Username: "sg_bot",
		Admins: []int64{idAdmin}, Account: "acme"},
		Deps{Store: store, Source: src, Catalog: mustCatalog(t), Clock: clock,
			Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatalf("new bot: %v", err)
	}
	return &harness{bot: b, tg: tg, store: store, src: src, clock: clock, msgID: 1}
}

func (h *harness) user(id int64, lang string) *tele.User {
	return &tele.User{ID: id, FirstName: fmt.Sprintf("U%d", id), LanguageCode: lang}
}

// send delivers a private text message from a user.
func (h *harness) send(from int64, lang, text string) {
	h.msgID++
	h.bot.ProcessUpdate(tele.Update{ID: h.msgID, Message: &tele.Message{ID: h.msgID,
		Sender: h.user(from, lang), Chat: &tele.Chat{ID: from, Type: tele.ChatPrivate}, Text: text}})
}

// sendGroup delivers a text message in a group chat.
func (h *harness) sendGroup(from int64, text string) {
	h.msgID++
	h.bot.ProcessUpdate(tele.Update{ID: h.msgID, Message: &tele.Message{ID: h.msgID,
		Sender: h.user(from, "en"), Chat: &tele.Chat{ID: -42, Type: tele.ChatGroup}, Text: text}})
}

// press delivers a button press with raw callback data.
func (h *harness) press(from int64, data string) {
	h.msgID++
	h.bot.ProcessUpdate(tele.Update{ID: h.msgID, Callback: &tele.Callback{ID: "cb", Sender: h.user(from, "en"),
		Message: &tele.Message{ID: 7, Chat: &tele.Chat{ID: from, Type: tele.ChatPrivate}}, Data: data}})
}
