package bot

import (
	"encoding/json"
	"strings"
	"testing"

	tele "gopkg.in/telebot.v3"
)

// pressIn delivers a button press on a message in a group chat.
func (h *harness) pressIn(from, chat int64, title, data string) {
	h.msgID++
	h.bot.ProcessUpdate(tele.Update{ID: h.msgID, Callback: &tele.Callback{ID: "cb", Sender: h.user(from, "en"),
		Message: &tele.Message{ID: 7, Chat: &tele.Chat{ID: chat, Type: tele.ChatGroup, Title: title}}, Data: data}})
}

// sendIn delivers a message in a group chat (a text, or a service message when m is set).
func (h *harness) sendIn(from, chat int64, title string, m tele.Message) {
	h.msgID++
	m.ID, m.Sender, m.Chat = h.msgID, h.user(from, "en"), &tele.Chat{ID: chat, Type: tele.ChatGroup, Title: title}
	h.bot.ProcessUpdate(tele.Update{ID: h.msgID, Message: &m})
}

// menuOf returns the commands last published for a private chat.
func menuOf(calls []call, chat int64) (string, bool) {
	menu, ok := "", false
	for _, c := range calls {
		var scope struct {
			ChatID int64 `json:"chat_id"`
		}
		if c.Method == "setMyCommands" && json.Unmarshal([]byte(c.Params["scope"]), &scope) == nil && scope.ChatID == chat {
			menu, ok = c.Params["commands"], true
		}
	}
	return menu, ok
}

func TestJoinByInvite(t *testing.T) {
	cases := []struct {
		name     string
		args     string
		menuHas  []string
		menuLack []string
		welcome  []string
		admin    []string
	}{
		{"manager", "manager 3", []string{`"today"`, `"overdue"`, `"report"`}, []string{`"digest"`, `"team"`, `"settings"`},
			[]string{"You joined SalesGuard as a manager.", "Your amoCRM user: Anna (id 3).", "private reminders about your own deals", "/overdue"},
			[]string{"<b>U777 joined as a manager (Telegram id 777).</b>", "amoCRM user: Anna (id 3).", "Invited by Ada."}},
		{"manager_unmapped", "manager", []string{`"today"`}, []string{`"digest"`},
			[]string{"You joined SalesGuard as a manager.", "not linked to an amoCRM user yet"},
			[]string{"joined as a manager", "/map 777 AMOCRM_USER_ID"}},
		{"head", "head", []string{`"digest"`, `"audit"`, `"team"`}, []string{`"settings"`, `"invite"`, `"teamchat"`},
			[]string{"You joined SalesGuard as a head of sales.", "the team&#39;s digest", "escalations", "/digest"},
			[]string{"joined as a head of sales (Telegram id 777)", "Invited by Ada."}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := teamHarness(t, "en")
			code := mustInvite(t, h, tc.args)
			h.send(777, "en", "/start "+code)
			calls := h.tg.take()
			// The menu is published before the welcome, so it is there when the welcome is read.
			if len(calls) < 3 || calls[0].Method != "setMyCommands" {
				t.Fatalf("calls = %+v", calls)
			}
			menu, _ := menuOf(calls, 777)
			for _, w := range tc.menuHas {
				if !strings.Contains(menu, w) {
					t.Errorf("menu lacks %s: %s", w, menu)
				}
			}
			for _, w := range tc.menuLack {
				if strings.Contains(menu, w) {
					t.Errorf("menu has %s: %s", w, menu)
				}
			}
			welcome, _ := lastTo(calls, 777)
			for _, w := range tc.welcome {
				if !strings.Contains(welcome, w) {
					t.Errorf("welcome lacks %q:\n%s", w, welcome)
				}
			}
			notice, ok := lastTo(calls, idAdmin)
			for _, w := range tc.admin {
				if !ok || !strings.Contains(notice, w) {
					t.Errorf("admin notice lacks %q:\n%s", w, notice)
				}
			}
			if _, ok := lastTo(calls, idHead); ok {
				t.Error("a head was told who joined")
			}
		})
	}
}

func TestJoinGolden(t *testing.T) {
	for _, lang := range langs {
		for _, role := range []string{"manager 3", "head"} {
			name := strings.Fields(role)[0]
			t.Run(name+"."+lang, func(t *testing.T) {
				h := teamHarness(t, lang)
				code := mustInvite(t, h, role)
				h.send(777, lang, "/start "+code)
				calls := h.tg.take()
				welcome, _ := lastTo(calls, 777)
				notice, _ := lastTo(calls, idAdmin)
				golden(t, "welcome_"+name+"."+lang, welcome+"\n")
				golden(t, "joined_"+name+"."+lang, notice+"\n")
			})
		}
	}
}

func TestStartRepublishesMenu(t *testing.T) {
	for _, id := range []int64{idManager, idHead} {
		h := newHarness(t, "en")
		h.send(id, "en", "/start")
		if _, ok := menuOf(h.tg.take(), id); !ok {
			t.Errorf("/start of %d did not publish their menu", id)
		}
	}
}

func TestMapTellsThePerson(t *testing.T) {
	h := teamHarness(t, "ru")
	h.store.people[idManager] = Person{TelegramID: idManager, Name: "Olga", Role: RoleManager, Account: "acme", Lang: "ru"}
	h.send(idAdmin, "ru", "/map 300 3")
	calls := h.tg.take("setMyCommands")
	told, ok := lastTo(calls, idManager)
	if !ok || !strings.Contains(told, "Администратор связал вас с пользователем amoCRM Anna (id 3)") || !strings.Contains(told, "план каждое утро") {
		t.Errorf("the manager was told %q (%v)", told, ok)
	}
	if done, _ := lastTo(calls, idAdmin); !strings.Contains(done, "Olga") {
		t.Errorf("the admin was told %q", done)
	}
	h.send(idAdmin, "ru", "/map 300 99") // refused: nobody is told anything new
	if _, ok := lastTo(h.tg.take(), idManager); ok {
		t.Error("a refused /map told the manager")
	}
}

const groupID int64 = -42

func TestTeamChat(t *testing.T) {
	h := teamHarness(t, "en")
	h.sendIn(idAdmin, groupID, "Sales <team>", tele.Message{Text: "/teamchat@sg_bot"})
	calls := h.tg.take("setMyCommands")
	if len(calls) != 1 || calls[0].Params["chat_id"] != "-42" || !strings.Contains(calls[0].Params["text"], "«Sales &lt;team&gt;»") ||
		!strings.Contains(calls[0].Params["reply_markup"], `\fgrp|y:-42`) || !strings.Contains(calls[0].Params["reply_markup"], `\fgrp|n:-42`) {
		t.Fatalf("ask = %+v", calls)
	}
	// A head pressing gets a private notice; a forged chat, a stranger: nothing.
	h.pressIn(idHead, groupID, "Sales", "\fgrp|y:-42")
	h.pressIn(idAdmin, groupID, "Sales", "\fgrp|y:-43")
	h.pressIn(idStranger, groupID, "Sales", "\fgrp|y:-42")
	h.pressIn(idAdmin, groupID, "Sales", "\fgrp|y:+42")
	for _, c := range h.tg.take() {
		if c.Method != "answerCallbackQuery" {
			t.Errorf("a refused press got %s %v", c.Method, c.Params)
		}
	}
	if h.store.saves != 0 {
		t.Fatal("a refused press saved the settings")
	}
	h.pressIn(idAdmin, groupID, "Sales", "\fgrp|n:-42")
	if calls := h.tg.take(); h.store.saves != 0 || calls[len(calls)-1].Params["text"] != "Cancelled: nothing changed." {
		t.Fatalf("cancel: %+v", calls)
	}
	h.pressIn(idAdmin, groupID, "Sales", "\fgrp|y:-42")
	calls = h.tg.take()
	if s := h.store.settings; s == nil || s.Schedule.DigestChat != groupID || h.store.history[0].Who != "tg:100" {
		t.Fatalf("settings = %+v", h.store.settings)
	}
	if last := calls[len(calls)-1]; last.Method != "editMessageText" || !strings.Contains(last.Params["text"], "this chat is the team chat") ||
		!strings.Contains(last.Params["text"], "turn on «Ranking in the team chat»") || strings.Contains(last.Params["reply_markup"], "grp") {
		t.Errorf("done = %+v", last)
	}
	// Asked again, it says so.
	h.sendIn(idAdmin, groupID, "Sales", tele.Message{Text: "/teamchat"})
	if text := h.tg.take("setMyCommands")[0].Params["text"]; !strings.Contains(text, "already the team chat") {
		t.Errorf("second ask = %q", text)
	}

	// The group becomes a supergroup: the setting follows. Another group's migration does not touch it.
	h.sendIn(idStranger, -77, "Other", tele.Message{MigrateTo: -1007})
	h.sendIn(idStranger, groupID, "Sales", tele.Message{MigrateTo: -1001234})
	if got := h.store.settings.Schedule.DigestChat; got != -1001234 {
		t.Fatalf("after migration the team chat is %d", got)
	}
	// The bot is removed (by someone it does not know): the setting is cleared and the admin told.
	h.tg.take()
	h.sendIn(idStranger, -1001234, "Sales", tele.Message{UserLeft: &tele.User{ID: 1, IsBot: true}})
	if got := h.store.settings.Schedule.DigestChat; got != 0 {
		t.Errorf("after removal the team chat is %d", got)
	}
	if told, _ := lastTo(h.tg.take(), idAdmin); !strings.Contains(told, "I was removed from the team chat «Sales»") {
		t.Errorf("the admin was told %q", told)
	}
	// Someone else leaving changes nothing.
	saves := h.store.saves
	h.sendIn(idStranger, groupID, "Sales", tele.Message{UserLeft: &tele.User{ID: 555}})
	if h.store.saves != saves {
		t.Error("a member leaving changed the settings")
	}
}

// TestTeamChatKicked: a supergroup tells of the bot's removal with my_chat_member only.
func TestTeamChatKicked(t *testing.T) {
	h := teamHarness(t, "en")
	s := h.src.settings
	s.Schedule.DigestChat = -1001234
	if err := h.store.SaveSettings(s, "test"); err != nil {
		t.Fatal(err)
	}
	member := func(chat int64, status tele.MemberStatus) {
		h.msgID++
		h.bot.ProcessUpdate(tele.Update{ID: h.msgID, MyChatMember: &tele.ChatMemberUpdate{
			Chat: &tele.Chat{ID: chat, Type: tele.ChatSuperGroup, Title: "Sales"}, Sender: h.user(idStranger, "en"),
			NewChatMember: &tele.ChatMember{Role: status, User: &tele.User{ID: 1, IsBot: true}}}})
	}
	member(-1001234, tele.Administrator) // promoted: still there
	member(-77, tele.Kicked)             // another group
	if got := h.store.settings.Schedule.DigestChat; got != -1001234 {
		t.Fatalf("team chat = %d, want it kept", got)
	}
	member(-1001234, tele.Kicked)
	member(-1001234, tele.Left) // a second notice of the same removal
	if got := h.store.settings.Schedule.DigestChat; got != 0 {
		t.Errorf("team chat = %d after the bot was kicked", got)
	}
	told := 0
	for _, c := range h.tg.take() {
		if c.Method == "sendMessage" && c.Params["chat_id"] == "100" {
			told++
		}
	}
	if told != 1 {
		t.Errorf("the admin was told %d times, want once", told)
	}
}

func TestTeamChatRefused(t *testing.T) {
	forbidden := esc(mustCatalog(t).Printer("en").T("bot.error.forbidden"))
	h := teamHarness(t, "en")
	h.sendIn(idHead, groupID, "Sales", tele.Message{Text: "/teamchat"})
	h.sendIn(idManager, groupID, "Sales", tele.Message{Text: "/teamchat"})
	for _, c := range h.tg.take("setMyCommands") {
		if c.Params["text"] != forbidden || c.Params["reply_markup"] != "" {
			t.Errorf("a non-admin got %v", c.Params)
		}
	}
	h.sendIn(idStranger, groupID, "Sales", tele.Message{Text: "/teamchat"})
	h.sendIn(idHead, groupID, "Sales", tele.Message{UserJoined: &tele.User{ID: 1, IsBot: true}})
	if calls := h.tg.take(); len(calls) != 0 {
		t.Errorf("a stranger or a head in the group got %+v", calls)
	}
	// An admin adding the bot is asked at once; /teamchat in private explains how.
	h.sendIn(idAdmin, groupID, "Sales", tele.Message{UserJoined: &tele.User{ID: 1, IsBot: true}})
	if calls := h.tg.take("setMyCommands"); len(calls) != 1 || !strings.Contains(calls[0].Params["reply_markup"], "grp|y:-42") {
		t.Errorf("added by an admin: %+v", calls)
	}
	h.send(idAdmin, "en", "/teamchat")
	if text := h.tg.take("setMyCommands")[0].Params["text"]; !strings.Contains(text, "/teamchat@sg_bot") {
		t.Errorf("private /teamchat = %q", text)
	}
	if h.store.saves != 0 {
		t.Error("settings saved")
	}
}
