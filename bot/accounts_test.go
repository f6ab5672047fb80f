package bot

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	tele "gopkg.in/telebot.v3"

	"salesguard/checks"
	"salesguard/notify"
)

// buttonData returns the callback data of the first button whose data starts with prefix.
func buttonData(t *testing.T, markup, prefix string) string {
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
			if strings.HasPrefix(b.Data, prefix) {
				return b.Data
			}
		}
	}
	t.Fatalf("no button %q in %s", prefix, markup)
	return ""
}

func TestBootstrapAdminOfEveryAccount(t *testing.T) {
	h := newAccountsHarness(t)
	h.store.put(Person{TelegramID: idAdmin, Name: "Ada", Role: RoleHead, Account: acctNorth, Lang: "ru"})
	h.send(idAdmin, "en", "/help")
	ms, _ := h.store.Memberships(idAdmin)
	if len(ms) != 2 || ms[0].Account != "acme" || ms[1].Account != acctNorth {
		t.Fatalf("memberships = %+v, want acme and north", ms)
	}
	for _, m := range ms {
		if m.Role != RoleAdmin || m.Name != "Ada" || m.Lang != "ru" {
			t.Errorf("membership %+v: want an admin named Ada speaking ru", m)
		}
	}
	// Their menu has /account; an admin of one account's has not.
	var admin, single string
	h.send(idNorthAdmin, "en", "/start")
	for _, c := range h.tg.take() {
		if c.Method == "setMyCommands" && strings.Contains(c.Params["scope"], `"chat_id":100`) {
			admin = c.Params["commands"]
		}
		if c.Method == "setMyCommands" && strings.Contains(c.Params["scope"], `"chat_id":700`) {
			single = c.Params["commands"]
		}
	}
	if !strings.Contains(admin, `"command":"account"`) || single == "" || strings.Contains(single, `"command":"account"`) {
		t.Errorf("menus: agency admin %s; north admin %s", admin, single)
	}
}

func TestInviteJoinsTheInvitersAccount(t *testing.T) {
	h := newAccountsHarness(t)
	h.send(idNorthAdmin, "en", "/invite manager 2")
	var code string
	for c, inv := range h.store.invites {
		if inv.Account != acctNorth || inv.Role != RoleManager || inv.AmoUserID != 2 {
			t.Fatalf("invite = %+v, want a north manager invite", inv)
		}
		code = c
	}
	h.tg.take()
	h.send(800, "en", "/start "+code)
	ms, _ := h.store.Memberships(800)
	if len(ms) != 1 || ms[0].Account != acctNorth || ms[0].AmoUserID != 2 {
		t.Fatalf("memberships of the newcomer = %+v, want north only", ms)
	}
	h.tg.take()
	h.send(800, "en", "/overdue")
	calls := h.tg.take("setMyCommands")
	if len(calls) != 1 || !strings.Contains(calls[0].Params["text"], "Fjord") || foreign(calls[0].Params["text"], acctNorth) != "" {
		t.Errorf("the north manager's /overdue = %+v, want Nikolai's north deals only", calls)
	}
	// The admin of north only cannot tie a person of acme to a user.
	h.send(idNorthAdmin, "en", "/map 300 2")
	if ms, _ := h.store.Memberships(idManager); ms[0].AmoUserID != 1 {
		t.Errorf("north's admin remapped acme's manager: %+v", ms)
	}
	if calls := h.tg.take("setMyCommands"); len(calls) != 1 || !strings.Contains(calls[0].Params["text"], "300") {
		t.Errorf("map of someone outside the account = %+v, want no such person", calls)
	}
}

func TestInviteAddsAnAccount(t *testing.T) {
	h := newAccountsHarness(t)
	exp := fixtureNow.Add(time.Hour)
	for code, acct := range map[string]string{"aaaaaaaaaaaaaaaaaaaa": acctNorth, "bbbbbbbbbbbbbbbbbbbb": "acme", "cccccccccccccccccccc": "ghost"} {
		h.store.invites[code] = Invite{Code: code, Account: acct, Role: RoleAdmin, CreatedBy: idAdmin, ExpiresAt: exp}
	}
	// A head of acme opens an invite to north: they belong to both, and work in north now.
	h.send(idHead, "en", "/start aaaaaaaaaaaaaaaaaaaa")
	ms, _ := h.store.Memberships(idHead)
	if len(ms) != 2 || ms[0].Role != RoleHead || ms[1].Account != acctNorth || ms[1].Role != RoleAdmin {
		t.Fatalf("memberships = %+v, want head of acme and admin of north", ms)
	}
	if cur, _ := h.store.CurrentAccount(idHead); cur != acctNorth {
		t.Errorf("current account = %q, want north", cur)
	}
	calls := h.tg.take("setMyCommands")
	if len(calls) == 0 || !strings.HasPrefix(calls[0].Params["text"], "🏢 North Ltd") ||
		!strings.Contains(calls[0].Params["text"], "2 accounts") || !strings.Contains(calls[0].Params["text"], "/account") {
		t.Errorf("welcome = %+v", calls)
	}
	// An invite to an account they are in changes nothing; one to an account not served is
	// invalid.
	h.send(idHead, "en", "/start bbbbbbbbbbbbbbbbbbbb")
	if ms, _ := h.store.Memberships(idHead); ms[0].Role != RoleHead {
		t.Errorf("an invite to their own account changed the role: %+v", ms)
	}
	h.send(idHead, "en", "/start cccccccccccccccccccc")
	calls = h.tg.take("setMyCommands")
	if len(calls) != 2 || !strings.Contains(calls[0].Params["text"], "already") || !strings.Contains(calls[1].Params["text"], "invalid") {
		t.Errorf("answers = %+v, want already a member, then invalid", calls)
	}
	if ms, _ := h.store.Memberships(idHead); len(ms) != 2 {
		t.Errorf("memberships = %+v", ms)
	}
}

func TestAccountPickerSwitches(t *testing.T) {
	h := newAccountsHarness(t)
	h.send(idBothHead, "en", "/account")
	calls := h.tg.take("setMyCommands")
	if len(calls) != 1 || !strings.Contains(calls[0].Params["text"], "Now: Acme") {
		t.Fatalf("/account = %+v", calls)
	}
	markup := calls[0].Params["reply_markup"]
	if !strings.Contains(markup, "✅ Acme") || !strings.Contains(markup, "North Ltd · head of sales") {
		t.Errorf("picker = %s", markup)
	}
	data := buttonData(t, markup, "\f"+uniqAccount+"|north")
	if len(data) > maxCallbackData {
		t.Errorf("picker data %q is %d bytes", data, len(data))
	}
	h.press(idBothHead, data)
	if cur, _ := h.store.CurrentAccount(idBothHead); cur != acctNorth {
		t.Fatalf("current = %q, want north", cur)
	}
	calls = h.tg.take()
	if !strings.Contains(showCalls(calls), "You now work in North Ltd") || h.countIn(calls, "setMyCommands") != 1 {
		t.Errorf("switch answered %+v", calls)
	}
	h.send(idBothHead, "en", "/digest")
	calls = h.tg.take("setMyCommands")
	if len(calls) != 1 || !strings.HasPrefix(calls[0].Params["text"], "🏢 North Ltd\n") || foreign(calls[0].Params["text"], acctNorth) != "" {
		t.Errorf("/digest after the switch = %+v", calls)
	}
	// Its drill-down buttons carry north: pressed after switching back to acme, they still
	// show north.
	drill := buttonData(t, calls[0].Params["reply_markup"], "\f"+uniqDrill+"|")
	if !strings.HasSuffix(drill, accountSep+accountTag(acctNorth)) {
		t.Errorf("drill-down data %q carries no north tag", drill)
	}
	h.workIn(idBothHead, "acme")
	h.press(idBothHead, drill)
	if got := showCalls(h.tg.take()); !strings.Contains(got, "north.amocrm.ru") || foreign(got, acctNorth) != "" {
		t.Errorf("the north drill-down pressed while in acme showed %q", got)
	}
	// Someone in one account is told which it is.
	h.send(idHead, "en", "/account")
	if calls := h.tg.take("setMyCommands"); len(calls) != 1 || !strings.Contains(calls[0].Params["text"], "one account, Acme") {
		t.Errorf("/account of a single-account head = %+v", calls)
	}
}

func (h *accountsHarness) countIn(calls []call, method string) int {
	n := 0
	for _, c := range calls {
		if c.Method == method {
			n++
		}
	}
	return n
}

func showCalls(calls []call) string {
	var b strings.Builder
	for _, c := range calls {
		b.WriteString(c.Method + " " + c.Params["text"] + " " + c.Params["reply_markup"] + "\n")
	}
	return b.String()
}

// TestPushedMessagesSayTheirAccount: what the service pushes to someone in two accounts
// starts with the account's name and its buttons act on that account, whatever account the
// person works in; someone in one account, and a group, get it as rendered.
func TestPushedMessagesSayTheirAccount(t *testing.T) {
	h := newAccountsHarness(t)
	ack := keyOf(t, checks.R1, checks.LevelEscalation, 12)
	alert := func(chat int64, account string) notify.Message {
		return notify.Message{Account: account, ChatID: chat, Kind: notify.KindAlert, Text: "<b>R1</b>",
			Buttons: [][]notify.Button{{{Text: "ack", Unique: uniqAck, Data: ack}, {Text: "open", URL: "https://x.example/1"}}}}
	}
	n := h.bot.Notifier()
	for _, m := range []notify.Message{alert(idBothHead, acctNorth), alert(idHead, "acme"), alert(idAdmin, "acme"), alert(-42, "acme")} {
		if _, err := n.Send(context.Background(), m); err != nil {
			t.Fatal(err)
		}
	}
	sent := h.tg.take()
	want := []struct {
		header, tag string
	}{{"🏢 North Ltd\n", accountTag(acctNorth)}, {"", ""}, {"🏢 Acme\n", accountTag("acme")}, {"", ""}}
	for i, c := range sent {
		text, data := c.Params["text"], buttonData(t, c.Params["reply_markup"], "\f"+uniqAck)
		if want[i].header == "" {
			if text != "<b>R1</b>" || strings.Contains(data, accountSep) {
				t.Errorf("message %d = %q %q, want it as rendered", i, text, data)
			}
			continue
		}
		if text != want[i].header+"<b>R1</b>" || !strings.HasSuffix(data, accountSep+want[i].tag) || len(data) > maxCallbackData {
			t.Errorf("message %d = %q %q, want under %q with the tag %s", i, text, data, want[i].header, want[i].tag)
		}
	}
	// The head of both, working in acme, acknowledges north's escalation from the alert.
	data := buttonData(t, sent[0].Params["reply_markup"], "\f"+uniqAck)
	h.press(idBothHead, data)
	if len(h.store.sub(acctNorth).acked) != 1 || len(h.store.sub("acme").acked) != 0 {
		t.Fatalf("acked: north %v, acme %v; want north's only", h.store.sub(acctNorth).acked, h.store.sub("acme").acked)
	}
	// Removed from north, the same press does nothing.
	h.store.mu.Lock()
	delete(h.store.others[acctNorth], idBothHead)
	h.store.mu.Unlock()
	h.store.sub(acctNorth).acked = map[string]int64{}
	h.tg.take()
	h.press(idBothHead, data)
	if len(h.store.sub(acctNorth).acked)+len(h.store.sub("acme").acked) != 0 {
		t.Error("a press for an account the presser left acted")
	}
}

// TestAwaitedValueGoesToItsAccount: a value asked by a settings button of north is saved in
// north, even when typed after switching to acme.
func TestAwaitedValueGoesToItsAccount(t *testing.T) {
	h := newAccountsHarness(t)
	h.send(idAdmin, "en", "/help")
	h.press(idAdmin, "\f"+uniqSettings+"|f:r11.days"+accountSep+accountTag(acctNorth))
	h.workIn(idAdmin, "acme")
	h.send(idAdmin, "en", "45")
	if h.store.sub(acctNorth).saves != 1 || h.store.saves != 0 {
		t.Fatalf("saves: north %d, acme %d; want north's", h.store.sub(acctNorth).saves, h.store.saves)
	}
	if got := h.store.sub(acctNorth).settings.R11.Days; got != 45 {
		t.Errorf("north R11 days = %d, want 45", got)
	}
	// Switching accounts drops what was awaited.
	h.press(idAdmin, "\f"+uniqSettings+"|f:r11.days")
	h.press(idAdmin, "\f"+uniqAccount+"|north")
	h.send(idAdmin, "en", "50")
	if h.store.saves+h.store.sub(acctNorth).saves != 1 {
		t.Errorf("a value typed after switching accounts was saved")
	}
}

func TestLanguageOfEveryAccount(t *testing.T) {
	h := newAccountsHarness(t)
	h.press(idBothHead, "\f"+uniqLang+"|ru")
	ms, _ := h.store.Memberships(idBothHead)
	for _, m := range ms {
		if m.Lang != "ru" {
			t.Errorf("membership %s speaks %q, want ru", m.Account, m.Lang)
		}
	}
}

// TestTeamChatLeftInEveryAccount: the bot removed from a group that is the team chat of both
// accounts clears it in both, and each account's admins hear of it.
func TestTeamChatLeftInEveryAccount(t *testing.T) {
	h := newAccountsHarness(t)
	h.send(idAdmin, "en", "/help")
	for _, a := range []string{"acme", acctNorth} {
		st := h.store.In(a)
		s, _ := st.LoadSettings()
		s.Schedule.DigestChat = -1001
		if err := st.SaveSettings(s, "test"); err != nil {
			t.Fatal(err)
		}
	}
	h.tg.take()
	h.bot.ProcessUpdate(tele.Update{ID: 99, MyChatMember: &tele.ChatMemberUpdate{
		Chat: &tele.Chat{ID: -1001, Type: tele.ChatSuperGroup, Title: "Sales"}, Sender: h.user(idStranger, "en"),
		NewChatMember: &tele.ChatMember{Role: tele.Kicked, User: &tele.User{ID: 1, IsBot: true}}}})
	for _, a := range []string{"acme", acctNorth} {
		if s, _ := h.store.In(a).LoadSettings(); s.Schedule.DigestChat != 0 {
			t.Errorf("%s keeps the team chat", a)
		}
	}
	told := map[string]int{}
	for _, c := range h.tg.take() {
		if c.Method == "sendMessage" {
			told[c.Params["chat_id"]]++
			if c.Params["chat_id"] == "100" && !strings.HasPrefix(c.Params["text"], "🏢 ") {
				t.Errorf("the agency admin's notice names no account: %q", c.Params["text"])
			}
		}
	}
	if told["100"] != 2 || told["700"] != 1 || len(told) != 2 {
		t.Errorf("told %v, want the agency admin twice (once per account) and north's admin once", told)
	}
}

// TestAccountsGolden: the picker, the switch and the welcome into one more account, in each
// language (ru has three plural forms of "accounts").
func TestAccountsGolden(t *testing.T) {
	for _, lang := range langs {
		t.Run(lang, func(t *testing.T) {
			h := newAccountsHarness(t)
			for _, a := range []string{"acme", acctNorth} {
				h.store.put(Person{TelegramID: idBothHead, Name: "Agnes Agency", Role: RoleHead, Account: a, Lang: lang})
			}
			h.store.put(Person{TelegramID: idHead, Name: "Helga Head", Role: RoleHead, Account: "acme", Lang: lang})
			h.store.invites["aaaaaaaaaaaaaaaaaaaa"] = Invite{Code: "aaaaaaaaaaaaaaaaaaaa", Account: acctNorth, Role: RoleManager,
				AmoUserID: 2, CreatedBy: idNorthAdmin, ExpiresAt: fixtureNow.Add(time.Hour)}
			var got strings.Builder
			h.send(idBothHead, lang, "/account")
			h.press(idBothHead, "\f"+uniqAccount+"|"+acctNorth)
			h.send(idBothHead, lang, "/today")
			h.send(idHead, lang, "/start aaaaaaaaaaaaaaaaaaaa")
			for _, c := range h.tg.take("setMyCommands") {
				got.WriteString(c.Method + " → " + c.Params["chat_id"] + "\n" + showCall(c))
			}
			golden(t, "accounts."+lang, got.String())
		})
	}
}
