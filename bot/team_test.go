package bot

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"salesguard/amo"
)

// Invites lists the fake's invites to its account in code order (the fake keeps no clock: the
// bot's tests put only usable ones).
func (s *fakeStore) Invites() ([]Invite, error) {
	root := s
	if s.root != nil {
		root = s.root
	}
	root.mu.Lock()
	defer root.mu.Unlock()
	var out []Invite
	for _, inv := range root.invites {
		if inv.Account == s.account {
			out = append(out, inv)
		}
	}
	slices.SortFunc(out, func(a, b Invite) int { return strings.Compare(a.Code, b.Code) })
	return out, nil
}

// teamHarness is the fixture with an admin in the store, an amoCRM admin (Olga), an inactive
// user (Ivan) and a user with a pending invite (Pavel); Anna (3) is active and nobody.
func teamHarness(t *testing.T, lang string) *harness {
	t.Helper()
	h := newHarness(t, lang)
	h.store.people[idAdmin] = Person{TelegramID: idAdmin, Name: "Ada", Role: RoleAdmin, Account: "acme", Lang: lang}
	h.src.snap.Users[0].IsAdmin = true
	h.src.snap.Users = append(h.src.snap.Users,
		amo.User{ID: 4, Name: "Ivan <Petrov>", IsActive: false},
		amo.User{ID: 5, Name: "Pavel", IsActive: true})
	h.store.invites["pavelcode"] = Invite{Code: "pavelcode", Account: "acme", Role: RoleManager, AmoUserID: 5,
		CreatedBy: idAdmin, ExpiresAt: fixtureNow.Add(48 * time.Hour)}
	return h
}

// lastTo returns the text of the last message sent to a chat.
func lastTo(calls []call, chat int64) (string, bool) {
	text, ok := "", false
	for _, c := range calls {
		if c.Method == "sendMessage" && c.Params["chat_id"] == strconv.FormatInt(chat, 10) {
			text, ok = c.Params["text"], true
		}
	}
	return text, ok
}

func TestTeamGolden(t *testing.T) {
	cases := []struct {
		name string
		from int64
		text string
	}{
		{"team_admin", idAdmin, "/team"},
		{"team_head", idHead, "/team"},
		{"team_managers_admin", idAdmin, "/managers"},
	}
	for _, lang := range langs {
		for _, tc := range cases {
			t.Run(tc.name+"."+lang, func(t *testing.T) {
				h := teamHarness(t, lang)
				h.send(tc.from, lang, tc.text)
				calls := h.tg.take("setMyCommands")
				if len(calls) != 1 || calls[0].Method != "sendMessage" {
					t.Fatalf("calls = %+v, want one sendMessage", calls)
				}
				golden(t, tc.name+"."+lang, showCall(calls[0]))
			})
		}
	}
}

func TestTeamContent(t *testing.T) {
	h := teamHarness(t, "en")
	h.send(idAdmin, "en", "/team")
	c := h.tg.take("setMyCommands")[0]
	text, kb := c.Params["text"], c.Params["reply_markup"]
	for _, want := range []string{
		"<b>Olga</b> · amoCRM id 1 · amoCRM admin", "Telegram: Olga — manager — id 300",
		"<b>Boris &lt;boss&gt;</b>", "<b>Anna</b> · amoCRM id 3\n   ↳ not linked to Telegram",
		"<b>Ivan &lt;Petrov&gt;</b> · amoCRM id 4 · inactive", "invitation for a manager pending, valid until",
		"linked 2 of 5",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("/team lacks %q:\n%s", want, text)
		}
	}
	// Anna gets a button; Olga (linked), Pavel (invited) and Ivan (inactive) do not.
	if !strings.Contains(kb, `\fteam|i:t:0:3`) || strings.Contains(kb, "i:t:0:1") || strings.Contains(kb, "i:t:0:5") ||
		strings.Contains(kb, "i:t:0:4") {
		t.Errorf("/team buttons = %s", kb)
	}
	// A head sees the list without buttons; a head with a team sees only the team.
	h.send(idHead, "en", "/team")
	if c := h.tg.take("setMyCommands")[0]; c.Params["reply_markup"] != "" || !strings.Contains(c.Params["text"], "Anna") {
		t.Errorf("head's /team = %+v", c.Params)
	}
	h.store.people[idHead] = Person{TelegramID: idHead, Name: "Helga", Role: RoleHead, Account: "acme", Team: []amo.UserID{2}}
	h.send(idHead, "en", "/team")
	if text := h.tg.take("setMyCommands")[0].Params["text"]; strings.Contains(text, "Olga") || !strings.Contains(text, "Boris") {
		t.Errorf("a head of Boris's team saw %q", text)
	}
	// Before the first sync there are no amoCRM users to list.
	h.src.snap = nil
	h.send(idAdmin, "en", "/managers")
	if text := h.tg.take("setMyCommands")[0].Params["text"]; !strings.Contains(text, "not loaded yet") || !strings.Contains(text, "Olga — manager") {
		t.Errorf("/managers before the first sync = %q", text)
	}
}

func TestTeamAccess(t *testing.T) {
	cat := mustCatalog(t)
	forbidden := esc(cat.Printer("en").T("bot.error.forbidden"))
	allowed := map[string][]int64{"/team": {idAdmin, idHead}, "/managers": {idAdmin}, "/teamchat": {idAdmin}}
	for cmd, who := range allowed {
		for _, from := range []int64{idAdmin, idHead, idManager, idStranger} {
			t.Run(strings.TrimPrefix(cmd, "/")+"/"+roleName(from), func(t *testing.T) {
				h := teamHarness(t, "en")
				h.send(idStranger, "en", "/help") // the stranger's one notice is spent
				h.tg.take()
				h.send(from, "en", cmd)
				calls := h.tg.take("setMyCommands")
				switch {
				case from == idStranger:
					if len(calls) != 0 {
						t.Errorf("stranger got %+v", calls)
					}
				case contains64(who, from):
					if len(calls) != 1 || calls[0].Params["text"] == forbidden {
						t.Errorf("calls = %+v, want the answer", calls)
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

func TestTeamPaging(t *testing.T) {
	h := teamHarness(t, "ru")
	hostile := strings.Repeat(`<&"`, 40)
	for i := range 40 {
		h.src.snap.Users = append(h.src.snap.Users, amo.User{ID: amo.UserID(100 + i), Name: hostile + strconv.Itoa(i), IsActive: true})
	}
	h.send(idAdmin, "ru", "/managers")
	first := h.tg.take("setMyCommands")[0].Params
	if !strings.Contains(first["text"], "Страница 1 из") || !strings.Contains(first["reply_markup"], `\fteam|p:m:1`) {
		t.Fatalf("first page = %v", first)
	}
	seen := map[string]int{}
	count := func(text string) {
		if n := utf16Len(text); n > maxText {
			t.Errorf("a page has %d characters", n)
		}
		if strings.Contains(text, hostile) {
			t.Errorf("a raw name reached the page")
		}
		for _, m := range regexp.MustCompile(`amoCRM id (\d+)`).FindAllStringSubmatch(text, -1) {
			seen[m[1]]++
		}
	}
	count(first["text"])
	for page := 1; page < 10; page++ {
		h.press(idAdmin, "\fteam|"+teamData(teamAction{view: viewManagers, page: page}))
		calls := h.tg.take()
		last := calls[len(calls)-1]
		if last.Method != "editMessageText" {
			t.Fatalf("page %d: %+v", page, calls)
		}
		count(last.Params["text"])
		if !strings.Contains(last.Params["reply_markup"], "p:m:"+strconv.Itoa(page+1)) {
			if !strings.Contains(last.Params["text"], "Отсутствуют") {
				t.Errorf("the last page lacks the absences: %q", last.Params["text"])
			}
			break
		}
	}
	if len(seen) != 45 {
		t.Errorf("saw %d users, want 45", len(seen))
	}
	for id, n := range seen {
		if n != 1 {
			t.Errorf("user %s shown %d times", id, n)
		}
	}
}

func TestTeamInviteButton(t *testing.T) {
	h := teamHarness(t, "en")
	h.press(idAdmin, "\fteam|i:t:0:3")
	var inv Invite
	for code, i := range h.store.invites {
		if code != "pavelcode" {
			inv = i
		}
	}
	if inv.Role != RoleManager || inv.AmoUserID != 3 || inv.CreatedBy != idAdmin || inv.Account != "acme" {
		t.Fatalf("invite = %+v", inv)
	}
	calls := h.tg.take("setMyCommands")
	if len(calls) != 3 || calls[0].Method != "answerCallbackQuery" || calls[0].Params["text"] != "Invitation created." ||
		calls[1].Method != "sendMessage" || calls[2].Method != "editMessageText" {
		t.Fatalf("calls = %+v", calls)
	}
	if text := calls[1].Params["text"]; !strings.Contains(text, "Invitation for a manager, tied to the amoCRM user Anna (amoCRM id 3)") ||
		!strings.Contains(text, "https://t.me/sg_bot?start="+inv.Code) {
		t.Errorf("invite message = %q", text)
	}
	if text := calls[2].Params["text"]; !strings.Contains(text, "<b>Anna</b> · amoCRM id 3\n   ↳ invitation for a manager pending") ||
		strings.Contains(calls[2].Params["reply_markup"], "i:t:0:3") {
		t.Errorf("redrawn list = %v", calls[2].Params)
	}

	// Refused: a head, a manager, an unknown user, a forged shape, a group chat.
	for _, tc := range []struct {
		from int64
		data string
	}{
		{idHead, "\fteam|i:t:0:3"}, {idManager, "\fteam|i:t:0:3"}, {idManager, "\fteam|p:t:0"}, {idHead, "\fteam|p:m:0"},
		{idAdmin, "\fteam|i:t:0:99"}, {idAdmin, "\fteam|i:t:0:+3"}, {idAdmin, "\fteam|i:x:0:3"}, {idAdmin, "\fteam|i:t:0:3:1"},
	} {
		h := teamHarness(t, "en")
		h.press(tc.from, tc.data)
		if len(h.store.invites) != 1 {
			t.Errorf("%d %q created an invite", tc.from, tc.data)
		}
		for _, c := range h.tg.take("setMyCommands") {
			if c.Method != "answerCallbackQuery" {
				t.Errorf("%d %q got %s", tc.from, tc.data, c.Method)
			}
		}
	}
	h = teamHarness(t, "en")
	h.pressIn(idAdmin, -42, "Sales", "\fteam|i:t:0:3")
	if len(h.store.invites) != 1 {
		t.Error("a press in a group created an invite")
	}
}

func TestInviteNamesTheUser(t *testing.T) {
	for _, lang := range langs {
		h := teamHarness(t, lang)
		h.send(idAdmin, lang, "/invite manager 2")
		text := h.tg.take("setMyCommands")[0].Params["text"]
		if !strings.Contains(text, "Boris &lt;boss&gt; (") || !strings.Contains(text, " 2), ") {
			t.Errorf("%s: invite = %q", lang, text)
		}
	}
}

// TestCatalogHasTeamKeys checks every literal "team." key of the code in every language.
func TestCatalogHasTeamKeys(t *testing.T) {
	re := regexp.MustCompile(`"(team\.[a-z0-9_.]*[a-z0-9_])"`)
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	keys := map[string]bool{}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range re.FindAllStringSubmatch(string(src), -1) {
			keys[m[1]] = true
		}
	}
	if len(keys) < 30 {
		t.Fatalf("found only %d team keys", len(keys))
	}
	cat := mustCatalog(t)
	for _, lang := range langs {
		for k := range keys {
			if !cat.Printer(lang).Has(k) {
				t.Errorf("%s: missing %s", lang, k)
			}
		}
	}
}
