package bot

import (
	"strconv"
	"strings"
	"testing"

	tele "gopkg.in/telebot.v3"

	"salesguard/amo"
)

// The access model of the drill-down (issue 11), on top of TestButtonAccess: heads and admins
// open any list of the managers they see, a manager only their own line, strangers nothing;
// and it is decided at the press, from the data and the presser, never from who the button
// was rendered for.

func TestDrillAccess(t *testing.T) {
	y := dayCode(drillYesterday)
	cases := []struct {
		name string
		data string
		who  []int64 // who gets the list; other known people are told no, strangers nothing
	}{
		{"rule_of_everyone", "do:20260311:20260311:R3:0:0", []int64{idAdmin, idHead}},
		{"olga_line", "do:20260311:20260311:-:1:0", []int64{idAdmin, idHead, idManager}},
		{"olga_rule_week", "ro:20260309:20260311:R6:1:0", []int64{idAdmin, idHead, idManager}},
		{"boris_page", "rp:" + y + ":" + y + ":R2:2:0", []int64{idAdmin, idHead, idManager2}},
		{"summary_of_everyone", "ri:20260309:20260311:-:0:0", []int64{idAdmin, idHead}},
		{"summary_of_olga", "ri:20260309:20260311:-:1:0", []int64{idAdmin, idHead, idManager}},
		{"an_unknown_manager", "do:20260311:20260311:-:77:0", []int64{idAdmin, idHead}},
	}
	forbidden := mustCatalog(t).Printer("en").T("bot.drill.forbidden")
	for _, tc := range cases {
		for _, from := range []int64{idAdmin, idHead, idManager, idManager2, idStranger} {
			t.Run(tc.name+"/"+roleName(from), func(t *testing.T) {
				h := drillHarness(t, "en")
				h.press(from, "\fdd|"+tc.data)
				calls := h.tg.take("setMyCommands")
				var answers, messages []call
				for _, c := range calls {
					if c.Method == "answerCallbackQuery" {
						answers = append(answers, c)
					} else {
						messages = append(messages, c)
					}
				}
				switch {
				case contains64(tc.who, from):
					if len(messages) != 1 || messages[0].Params["chat_id"] != strconv.FormatInt(from, 10) {
						t.Fatalf("calls %+v, want the list in the presser's chat", calls)
					}
					if from == idManager && (strings.Contains(messages[0].Params["text"], "Boris") || strings.Contains(messages[0].Params["text"], "Beta")) {
						t.Errorf("a manager's own list shows a colleague's deals:\n%s", messages[0].Params["text"])
					}
				case from == idStranger:
					if len(messages) != 0 || len(answers) != 1 || answers[0].Params["text"] != "" {
						t.Errorf("stranger: calls %+v, want one silent answer", calls)
					}
				default:
					if len(messages) != 0 || len(answers) != 1 || answers[0].Params["text"] != forbidden {
						t.Errorf("calls %+v, want only the refusal %q", calls, forbidden)
					}
				}
			})
		}
	}
}

// TestDrillForgedData: data the builder cannot have written gets a silent answer and nothing
// else, from anyone.
func TestDrillForgedData(t *testing.T) {
	forged := []string{
		"do:20260311:20260311:R3:0:0:0", "do:20260311:20260311:R3:0", "do:20260311:20260310:R3:0:0",
		"do:20250101:20260311:R3:0:0", "dx:20260311:20260311:R3:0:0", "xo:20260311:20260311:R3:0:0",
		"d:20260311:20260311:R3:0:0", "dop:20260311:20260311:R3:0:0", "do:20260311:20260311:R99:0:0",
		"do:20260311:20260311:r3:0:0", "do:20260311:20260311:DATA:0:0", "do:20260311:20260311::0:0",
		"do:20260311:20260311:R3:-1:0", "do:20260311:20260311:R3:01:0", "do:20260311:20260311:R3:+1:0",
		"do:20260311:20260311:R3:0:1", "di:20260311:20260311:R3:0:0", "di:20260311:20260311:-:0:2",
		"dp:20260311:20260311:R3:0:10000", "dp:20260311:20260311:R3:0:-1", "do:2026-03-11:20260311:R3:0:0",
		"do:20260231:20260311:R3:0:0", "do:20260311:20260311:R3:0:0 ", "do:20260311:20260311:R3:99999999999999999999:0",
		"", ":::::", "do", "do:20260311:20260311:R3:0:" + strings.Repeat("0", 60),
	}
	for _, data := range forged {
		for _, from := range []int64{idAdmin, idManager} {
			h := drillHarness(t, "en")
			h.press(from, "\fdd|"+data)
			for _, c := range h.tg.take("setMyCommands") {
				if c.Method != "answerCallbackQuery" || c.Params["text"] != "" {
					t.Errorf("forged %q from %s got %s %v, want only a silent answer", data, roleName(from), c.Method, c.Params)
				}
			}
		}
	}
}

// TestDrillManagerForgedButton: a manager who writes a colleague's line or everyone's into
// well-formed data is refused, and learns nothing of it.
func TestDrillManagerForgedButton(t *testing.T) {
	for _, data := range []string{"do:20260311:20260311:-:2:0", "rp:20260309:20260311:R3:2:0", "do:20260311:20260311:R3:0:0",
		"ri:20260309:20260311:-:0:0", "ri:20260309:20260311:-:3:0"} {
		h := drillHarness(t, "en")
		h.press(idManager, "\fdd|"+data)
		calls := h.tg.take("setMyCommands")
		if len(calls) != 1 || calls[0].Method != "answerCallbackQuery" || !strings.Contains(calls[0].Params["text"], "your own") {
			t.Errorf("%q: calls %+v, want only the refusal", data, calls)
		}
	}
}

// TestDrillAccessAtPress: the rights are those at the press. A head's digest offers Olga's
// line; once the head's team is Boris only, pressing it is refused, and everyone's R3 shows
// Boris's deals only.
func TestDrillAccessAtPress(t *testing.T) {
	h := drillHarness(t, "en")
	h.send(idHead, "en", "/digest")
	calls := h.tg.take("setMyCommands")
	var olga, r3 string
	for _, row := range buttonsOf(t, calls[0]) {
		for _, b := range row {
			switch {
			case strings.HasPrefix(b.Text, "Olga"):
				olga = b.Data
			case strings.HasPrefix(b.Text, "R3 "):
				r3 = b.Data
			}
		}
	}
	if olga == "" || r3 == "" {
		t.Fatalf("the digest offers no Olga or R3 button: %s", calls[0].Params["reply_markup"])
	}
	head := h.store.people[idHead]
	head.Team = []amo.UserID{2}
	h.store.people[idHead] = head
	h.press(idHead, olga)
	if got := pressed(h); len(got) != 0 {
		t.Errorf("a head no longer seeing Olga got %+v", got)
	}
	h.press(idHead, r3)
	got := pressed(h)
	if len(got) != 1 {
		t.Fatalf("R3 for a head of Boris's team: %+v", got)
	}
	if text := got[0].Params["text"]; strings.Contains(text, "Olga") || strings.Contains(text, "Zeta") || !strings.Contains(text, "Beta") ||
		!strings.Contains(text, "1 violation") {
		t.Errorf("R3 for a head of Boris's team:\n%s", text)
	}
}

// TestDrillFromGroupAnswersPrivately: the digest in the team chat carries the buttons, but a
// press there sends the list to the presser's private chat, never to the group.
func TestDrillFromGroupAnswersPrivately(t *testing.T) {
	for _, tc := range []struct {
		from int64
		data string
		ok   bool
	}{{idHead, "do:20260311:20260311:R3:0:0", true}, {idManager, "do:20260311:20260311:-:1:0", true},
		{idManager, "do:20260311:20260311:R3:0:0", false}} {
		h := drillHarness(t, "en")
		h.bot.ProcessUpdate(tele.Update{ID: 50, Callback: &tele.Callback{ID: "cb", Sender: h.user(tc.from, "en"),
			Message: &tele.Message{ID: 7, Chat: &tele.Chat{ID: -42, Type: tele.ChatGroup}}, Data: "\fdd|" + tc.data}})
		var sent []call
		for _, c := range h.tg.take("setMyCommands") {
			if c.Params["chat_id"] == "-42" {
				t.Errorf("%s: %s went to the group", tc.data, c.Method)
			}
			if c.Method == "sendMessage" || c.Method == "editMessageText" {
				sent = append(sent, c)
			}
		}
		if tc.ok && (len(sent) != 1 || sent[0].Method != "sendMessage" || sent[0].Params["chat_id"] != strconv.FormatInt(tc.from, 10)) {
			t.Errorf("%s by %s: %+v, want the list in their private chat", tc.data, roleName(tc.from), sent)
		}
		if !tc.ok && len(sent) != 0 {
			t.Errorf("%s by %s: %+v, want a refusal", tc.data, roleName(tc.from), sent)
		}
	}
}
