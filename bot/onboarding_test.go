package bot

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"salesguard/amo"
	"salesguard/checks"
)

var inviteLink = regexp.MustCompile(`https://t\.me/sg_bot\?start=([a-z2-7]+)`)

// mustInvite has the bootstrap admin create an invite and returns its code.
func mustInvite(t *testing.T, h *harness, args string) string {
	t.Helper()
	h.send(idAdmin, "en", "/invite "+args)
	calls := h.tg.take("setMyCommands")
	if len(calls) != 1 {
		t.Fatalf("calls = %+v", calls)
	}
	m := inviteLink.FindStringSubmatch(calls[0].Params["text"])
	if m == nil {
		t.Fatalf("no invite link in %q", calls[0].Params["text"])
	}
	return m[1]
}

func TestInviteRedeem(t *testing.T) {
	h := newHarness(t, "en")
	code := mustInvite(t, h, "manager 3")
	if inv := h.store.invites[code]; inv.Role != RoleManager || inv.AmoUserID != 3 || inv.CreatedBy != idAdmin ||
		!inv.ExpiresAt.Equal(fixtureNow.Add(72*time.Hour)) {
		t.Errorf("invite = %+v", inv)
	}
	if p := h.store.people[idAdmin]; p.Role != RoleAdmin || p.Account != "acme" {
		t.Errorf("bootstrap admin = %+v", p)
	}
	h.send(777, "es-MX", "/start "+code)
	p, ok := h.store.people[777]
	if !ok || p.Role != RoleManager || p.AmoUserID != 3 || p.Lang != "es" || p.Account != "acme" {
		t.Fatalf("new person = %+v (%v)", p, ok)
	}
	calls := h.tg.take()
	if len(calls) != 3 || calls[0].Method != "setMyCommands" || !strings.Contains(calls[0].Params["scope"], `"chat_id":777`) ||
		calls[1].Method != "sendMessage" || calls[2].Method != "sendMessage" || calls[2].Params["chat_id"] != "100" {
		t.Fatalf("calls = %+v, want the menu published, a welcome and the admin told", calls)
	}
	// The new manager sees only their deals (Anna, amoCRM user 3).
	h.send(777, "es", "/overdue")
	if text := h.tg.take()[0].Params["text"]; !strings.Contains(text, "Zeta") || strings.Contains(text, "Beta") {
		t.Errorf("new manager's /overdue = %q", text)
	}
	// The code works once.
	h.send(778, "en", "/start "+code)
	if _, ok := h.store.people[778]; ok {
		t.Error("a used invite let a second person in")
	}
}

func TestInviteRefused(t *testing.T) {
	cases := []struct {
		name    string
		args    string
		advance time.Duration
	}{
		{"expired", "head", 73 * time.Hour},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, "en")
			code := mustInvite(t, h, tc.args)
			h.clock.Advance(tc.advance)
			h.send(777, "en", "/start "+code)
			if _, ok := h.store.people[777]; ok {
				t.Error("an expired invite let a person in")
			}
		})
	}
	h := newHarness(t, "en")
	for _, args := range []string{"boss", "manager 99", "manager abc", "head 1 2"} {
		h.send(idAdmin, "en", "/invite "+args)
	}
	if len(h.store.invites) != 0 {
		t.Errorf("bad /invite arguments created invites: %+v", h.store.invites)
	}
	h.send(777, "en", "/start aaaaaaaaaaaaaaaaaaaa") // well-formed, unknown
	h.send(778, "en", "/start ../../x")              // malformed: a stranger
	if len(h.store.people) != 4 {
		t.Errorf("people = %+v", h.store.people)
	}
}

func TestMap(t *testing.T) {
	h := newHarness(t, "en")
	h.store.people[idManager] = Person{TelegramID: idManager, Name: "Olga", Role: RoleManager, Account: "acme"}
	h.send(idAdmin, "en", "/map 300 3")
	if got := h.store.people[idManager].AmoUserID; got != 3 {
		t.Errorf("mapped to %d, want 3", got)
	}
	h.send(idAdmin, "en", "/map 300 99")
	h.send(idAdmin, "en", "/map 555 1")
	if got := h.store.people[idManager].AmoUserID; got != 3 {
		t.Errorf("a bad /map changed the mapping to %d", got)
	}
}

func TestSnoozeAndAck(t *testing.T) {
	h := newHarness(t, "en")
	f := fixtureFindings()
	var warn, esc checks.Finding
	for _, x := range f {
		if x.Rule == checks.R3 && x.DealID == 10 {
			warn = x
		}
		if x.Rule == checks.R1 && x.Level == checks.LevelEscalation {
			esc = x
		}
	}
	h.press(idManager, "\fsnz|t:"+shortKey(warn.Key()))
	// Wednesday 15:30 → Thursday at the start of its working hours (10:00).
	if got, want := h.store.snoozed[warn.Key().String()], time.Date(2026, 3, 12, 10, 0, 0, 0, time.UTC); !got.Equal(want) {
		t.Errorf("snoozed until %v, want %v", got, want)
	}
	h.press(idManager, "\fsnz|h:"+shortKey(warn.Key()))
	if got := h.store.snoozed[warn.Key().String()]; !got.Equal(fixtureNow.Add(time.Hour)) {
		t.Errorf("snoozed until %v, want an hour from now", got)
	}
	calls := h.tg.take()
	if calls[0].Method != "answerCallbackQuery" || !strings.Contains(calls[0].Params["text"], "10:00") ||
		calls[1].Method != "editMessageReplyMarkup" || strings.Contains(calls[1].Params["reply_markup"], "snz") ||
		calls[2].Method != "sendMessage" || !strings.Contains(calls[2].Params["text"], "remind you at 10:00") {
		t.Errorf("calls = %+v", calls)
	}
	h.press(idHead, "\fack|"+shortKey(esc.Key()))
	if h.store.acked[esc.Key().String()] != idHead {
		t.Errorf("acked = %v", h.store.acked)
	}
	if calls := h.tg.take(); len(calls) != 3 || !strings.Contains(calls[2].Params["text"], "Acknowledged. When the deal is fixed") {
		t.Errorf("ack calls = %+v", calls)
	}
}

func TestListPagination(t *testing.T) {
	h := newHarness(t, "en")
	for i := range 23 {
		h.src.findings = append(h.src.findings, checks.Finding{Rule: checks.R2, Level: checks.LevelWarning, AccountID: 7,
			DealID: amo.LeadID(1000 + i), ManagerID: 1, DealName: "Deal"})
	}
	h.send(idManager, "en", "/notask")
	first := h.tg.take()[0].Params
	if !strings.Contains(first["text"], "Page 1 of 3") || !strings.Contains(first["reply_markup"], `\fpg|notask:1`) ||
		strings.Contains(first["reply_markup"], `notask:-1`) {
		t.Fatalf("first page = %v", first)
	}
	h.press(idManager, "\fpg|notask:2")
	calls := h.tg.take()
	last := calls[len(calls)-1]
	if last.Method != "editMessageText" || !strings.Contains(last.Params["text"], "Page 3 of 3") ||
		strings.Count(last.Params["text"], "• ") != 3 || strings.Contains(last.Params["reply_markup"], "notask:3") {
		t.Errorf("last page = %+v", last)
	}
	h.press(idManager, "\fpg|notask:50") // beyond the end: clamped to the last page
	if calls := h.tg.take(); !strings.Contains(calls[len(calls)-1].Params["text"], "Page 3 of 3") {
		t.Errorf("clamped page = %+v", calls)
	}
}

func TestHostileDealRendersSafely(t *testing.T) {
	r := NewRenderer(mustCatalog(t))
	src := fixtureSource()
	for _, f := range src.findings {
		if f.DealID != 10 {
			continue
		}
		for _, lang := range langs {
			text := r.Alert(f, src.snap, lang).Text
			if strings.Contains(text, hostileDeal) || strings.Contains(text, "<b>Acme") {
				t.Errorf("%s: raw deal name in %q", lang, text)
			}
			if !strings.Contains(text, "&lt;b&gt;Acme&lt;/b&gt; &amp; &#34;Co&#34;") {
				t.Errorf("%s: escaped deal name missing in %q", lang, text)
			}
			if plainText(text) == "" || !strings.Contains(plainText(text), hostileDeal) {
				t.Errorf("%s: plain fallback lost the name: %q", lang, plainText(text))
			}
		}
	}
}

// TestBootstrapAdminMenuRightAfterStart: the first message of a SALESGUARD_ADMINS admin
// publishes their admin menu at once, not after a restart.
func TestBootstrapAdminMenuRightAfterStart(t *testing.T) {
	h := newHarness(t, "en")
	h.send(idAdmin, "en", "/start")
	var menu string
	for _, c := range h.tg.take() {
		if c.Method == "setMyCommands" && strings.Contains(c.Params["scope"], `"chat_id":100`) {
			menu = c.Params["commands"]
		}
	}
	if !strings.Contains(menu, `"settings"`) || !strings.Contains(menu, `"invite"`) {
		t.Fatalf("the admin's menu after /start: %q", menu)
	}
}
