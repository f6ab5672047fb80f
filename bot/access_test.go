package bot

import (
	"strings"
	"testing"

	"salesguard/amo"
	"salesguard/checks"
)

// keyOf returns the button digest of the fixture finding of a rule, level and deal.
func keyOf(t *testing.T, rule checks.RuleID, level checks.Level, deal int64) string {
	t.Helper()
	for _, f := range fixtureFindings() {
		if f.Rule == rule && f.Level == level && int64(f.DealID) == deal {
			return shortKey(f.Key())
		}
	}
	t.Fatalf("no %s %s finding on deal %d", rule, level, deal)
	return ""
}

func TestCommandAccess(t *testing.T) {
	// allowed lists who may run each command; everyone else is refused (strangers silently
	// after the first "not authorised").
	allowed := map[string][]int64{
		"/start": {idAdmin, idHead, idManager}, "/help": {idAdmin, idHead, idManager},
		"/lang": {idAdmin, idHead, idManager}, "/today": {idAdmin, idHead, idManager},
		"/overdue": {idAdmin, idHead, idManager}, "/notask": {idAdmin, idHead, idManager},
		"/unanswered": {idAdmin, idHead, idManager}, "/stale": {idAdmin, idHead, idManager},
		"/lost": {idAdmin, idHead, idManager}, "/calls": {idAdmin, idHead, idManager},
		"/digest": {idAdmin, idHead}, "/managers": {idAdmin}, "/invite head": {idAdmin}, "/map 300 1": {idAdmin},
	}
	cat := mustCatalog(t)
	forbidden := esc(cat.Printer("en").T("bot.error.forbidden"))
	strangerText := esc(cat.Printer("en").T("bot.error.stranger"))
	for cmd, who := range allowed {
		for _, from := range []int64{idAdmin, idHead, idManager, idStranger} {
			t.Run(strings.TrimPrefix(cmd, "/")+"/"+roleName(from), func(t *testing.T) {
				h := newHarness(t, "en")
				h.send(idStranger, "en", "/help") // the stranger's one notice is spent
				h.tg.take()
				h.send(from, "en", cmd)
				calls := h.tg.take("setMyCommands")
				ok := contains64(who, from)
				switch {
				case from == idStranger:
					if len(calls) != 0 {
						t.Errorf("stranger got %+v, want nothing", calls)
					}
				case ok:
					if len(calls) != 1 || calls[0].Params["text"] == forbidden || calls[0].Params["text"] == strangerText {
						t.Errorf("calls = %+v, want the command's answer", calls)
					}
				default:
					if len(calls) != 1 || calls[0].Params["text"] != forbidden {
						t.Errorf("calls = %+v, want %q", calls, forbidden)
					}
				}
			})
		}
	}
}

func roleName(id int64) string {
	return map[int64]string{idAdmin: "admin", idHead: "head", idManager: "manager", idManager2: "manager2", idStranger: "stranger"}[id]
}

func contains64(list []int64, x int64) bool {
	for _, v := range list {
		if v == x {
			return true
		}
	}
	return false
}

func TestStrangerToldOnce(t *testing.T) {
	h := newHarness(t, "en")
	h.send(idStranger, "ru", "/start")
	h.send(idStranger, "ru", "/overdue")
	h.send(idStranger, "ru", "hello")
	calls := h.tg.take()
	if len(calls) != 1 || !strings.Contains(calls[0].Params["text"], "нет доступа") {
		t.Fatalf("calls = %+v, want one notice in Russian", calls)
	}
}

func TestButtonAccess(t *testing.T) {
	snoozeOwn := "\fsnz|h:" + keyOf(t, checks.R3, checks.LevelWarning, 10) // Olga's (manager 300)
	ack := "\fack|" + keyOf(t, checks.R1, checks.LevelEscalation, 12)
	cases := []struct {
		name  string
		data  string
		who   []int64 // who gets an effect
		check func(h *harness) bool
	}{
		{"snooze", snoozeOwn, []int64{idManager}, func(h *harness) bool { return len(h.store.snoozed) == 1 }},
		{"ack", ack, []int64{idAdmin, idHead}, func(h *harness) bool { return len(h.store.acked) == 1 }},
		{"page", "\fpg|overdue:0", []int64{idAdmin, idHead, idManager, idManager2}, func(h *harness) bool {
			return h.tg.count("editMessageText") == 1
		}},
		{"lang", "\flang|ru", []int64{idAdmin, idHead, idManager, idManager2}, func(h *harness) bool {
			return h.tg.count("editMessageText") == 1
		}},
	}
	for _, tc := range cases {
		for _, from := range []int64{idAdmin, idHead, idManager, idManager2, idStranger} {
			t.Run(tc.name+"/"+roleName(from), func(t *testing.T) {
				h := newHarness(t, "en")
				h.store.people[idAdmin] = Person{TelegramID: idAdmin, Role: RoleAdmin, Account: "acme"}
				h.press(from, tc.data)
				want := contains64(tc.who, from)
				if got := tc.check(h); got != want {
					t.Errorf("effect = %v, want %v (calls %+v)", got, want, h.tg.take())
				}
				if !want && h.tg.count("sendMessage")+h.tg.count("editMessageText")+h.tg.count("editMessageReplyMarkup") != 0 {
					t.Errorf("a refused press changed or sent messages: %+v", h.tg.take())
				}
			})
		}
	}
}

func TestForgedCallbacks(t *testing.T) {
	forged := []string{
		"\fsnz|h:" + strings.Repeat("a", shortKeyLen), // a digest of no finding
		"\fsnz|x:" + keyOf(t, checks.R3, checks.LevelWarning, 10),
		"\fsnz|h:../../etc",
		"\fsnz|h:" + keyOf(t, checks.R2, checks.LevelWarning, 11), // Boris's finding, pressed by Olga
		"\fsnz|h:" + keyOf(t, checks.R1, checks.LevelEscalation, 12),
		"\fack|" + keyOf(t, checks.R1, checks.LevelEscalation, 12),
		"\fpg|rm -rf:1", "\fpg|overdue:99999", "\fpg|overdue:-1", "\fpg|digest:0",
		"\flang|de", "\fzzz|1", "plain data",
	}
	for _, data := range forged {
		h := newHarness(t, "en")
		h.press(idManager, data)
		calls := h.tg.take()
		for _, c := range calls {
			if c.Method != "answerCallbackQuery" || c.Params["text"] != "" {
				t.Errorf("forged %q got %s %v, want only a silent answer", data, c.Method, c.Params)
			}
		}
		if len(h.store.snoozed)+len(h.store.acked) != 0 {
			t.Errorf("forged %q changed the store", data)
		}
	}
}

func TestGroupChatGetsNoDetail(t *testing.T) {
	h := newHarness(t, "en")
	h.sendGroup(idHead, "/overdue")
	calls := h.tg.take()
	want := esc(mustCatalog(t).Printer("en").T("bot.error.private"))
	if len(calls) != 1 || calls[0].Params["text"] != want {
		t.Fatalf("calls = %+v, want the private-chat notice", calls)
	}
	h.sendGroup(idHead, "just chatting")
	h.sendGroup(idStranger, "hi")
	if calls := h.tg.take(); len(calls) != 0 {
		t.Errorf("group chatter got %+v, want nothing", calls)
	}
}

func TestHeadWithTeamSeesOnlyTeam(t *testing.T) {
	h := newHarness(t, "en")
	h.store.people[idHead] = Person{TelegramID: idHead, Name: "Helga", Role: RoleHead, Account: "acme", Team: []amo.UserID{2}}
	h.send(idHead, "en", "/overdue")
	h.send(idHead, "en", "/digest")
	calls := h.tg.take()
	for _, c := range calls {
		if strings.Contains(c.Params["text"], "Olga") || strings.Contains(c.Params["text"], "Zeta") {
			t.Errorf("a head of Boris's team saw other managers: %q", c.Params["text"])
		}
	}
	if !strings.Contains(calls[1].Params["text"], "Total today: 4 violations") {
		t.Errorf("team digest = %q", calls[1].Params["text"])
	}
}
