package bot

import (
	"slices"
	"strings"
	"testing"

	"salesguard/checks"
)

// The access table of one bot serving two accounts (acme and north) with two teams: for each
// person × the account they work in × command or button, what happens. A command acts on the
// sender's current account and shows nothing of any other; a button acts on the account it
// carries, and only when the presser belongs to that account now.

// commandRoles are the roles each command answers in the account the sender works in.
var commandRoles = map[string][]Role{
	"/start": everyone, "/help": everyone, "/today": everyone, "/overdue": everyone, "/notask": everyone,
	"/unanswered": everyone, "/stale": everyone, "/lost": everyone, "/calls": everyone, "/report": everyone,
	"/account": everyone, "/digest": staff, "/audit": staff, "/funnel": staff, "/team": staff,
	"/settings": admins, "/managers": admins, "/invite head": admins,
}

// workIn makes account the current one of a person (as /account would).
func (h *accountsHarness) workIn(id int64, account string) {
	h.store.mu.Lock()
	defer h.store.mu.Unlock()
	h.store.current[id] = account
}

func TestAccountsCommandAccess(t *testing.T) {
	cat := mustCatalog(t)
	forbidden := esc(cat.Printer("en").T("bot.error.forbidden"))
	for cmd, roles := range commandRoles {
		for _, from := range everyActor {
			currents := accountsOf(from)
			if len(currents) == 0 {
				currents = []string{""}
			}
			for _, cur := range currents {
				t.Run(strings.TrimPrefix(cmd, "/")+"/"+actorName(from)+"/"+cur, func(t *testing.T) {
					h := newAccountsHarnessWith(t, cat)
					h.send(idStranger, "en", "/help") // the stranger's one notice is spent
					h.tg.take()
					if cur != "" {
						h.workIn(from, cur)
					}
					h.send(from, "en", cmd)
					calls := h.tg.take("setMyCommands")
					checkCommand(t, h, cmd, from, cur, slices.Contains(roles, roleIn(from, cur)), forbidden, calls)
				})
			}
		}
	}
}

// checkCommand checks one row of the command table.
func checkCommand(t *testing.T, h *accountsHarness, cmd string, from int64, cur string, allowed bool, forbidden string, calls []call) {
	t.Helper()
	multi := len(accountsOf(from)) > 1
	switch {
	case from == idStranger:
		if len(calls) != 0 {
			t.Errorf("stranger got %+v, want nothing", calls)
		}
		return
	case !allowed:
		if len(calls) != 1 || calls[0].Params["text"] != forbidden {
			t.Errorf("calls = %+v, want %q", calls, forbidden)
		}
		return
	case len(calls) == 0:
		t.Fatalf("no answer")
	}
	header := "🏢 " + h.bot.accountName(cur)
	for i, c := range calls {
		text := c.Params["text"] + c.Params["caption"] + c.Params["reply_markup"]
		if c.Params["text"] == forbidden {
			t.Errorf("refused: %q", text)
		}
		// /account names every account of its sender, and only theirs.
		if m := foreign(text, visibleFrom(cmd, from, cur)...); m != "" {
			t.Errorf("message %d shows %s of an account the command is not about: %q", i, m, text)
		}
		if !multi && strings.Contains(text, "🏢") {
			t.Errorf("someone in one account got an account header: %q", text)
		}
	}
	if multi && cmd != "/account" && !strings.HasPrefix(calls[0].Params["text"], header) {
		t.Errorf("someone in two accounts got %q, want it under %q", calls[0].Params["text"], header)
	}
	if cmd == "/overdue" && roleIn(from, cur) != RoleManager {
		if m := foreign(calls[0].Params["text"], otherThan(cur)); m == "" {
			t.Errorf("/overdue in %s shows none of its deals: %q", cur, calls[0].Params["text"])
		}
	}
	if cmd == "/invite head" {
		h.store.mu.Lock()
		defer h.store.mu.Unlock()
		for _, inv := range h.store.invites {
			if inv.Account != cur {
				t.Errorf("the invite is to %q, want the admin's current account %q", inv.Account, cur)
			}
		}
	}
}

// visibleFrom lists the accounts whose data a command may show its sender.
func visibleFrom(cmd string, from int64, cur string) []string {
	if cmd == "/account" {
		return accountsOf(from)
	}
	return []string{cur}
}

// otherThan is the account of the pair that is not a.
func otherThan(a string) string {
	if a == "acme" {
		return acctNorth
	}
	return "acme"
}

// pressKinds are the buttons of the callback table, each with the role that may use it and
// what it changes, read from an account's store.
var pressKinds = []struct {
	name   string
	data   func(t *testing.T) string
	may    func(r Role, amo int64) bool
	effect func(s *fakeStore) int
}{
	{"snooze", func(t *testing.T) string { return "h:" + keyOf(t, checks.R3, checks.LevelWarning, 10) }, // manager 1's
		func(r Role, amo int64) bool { return r == RoleManager && amo == 1 }, func(s *fakeStore) int { return len(s.snoozed) }},
	{"ack", func(t *testing.T) string { return keyOf(t, checks.R1, checks.LevelEscalation, 12) },
		func(r Role, _ int64) bool { return r == RoleHead || r == RoleAdmin }, func(s *fakeStore) int { return len(s.acked) }},
	{"settings", func(*testing.T) string { return "t:r:R11" },
		func(r Role, _ int64) bool { return r == RoleAdmin }, func(s *fakeStore) int { return s.saves }},
}

var pressUniques = map[string]string{"snooze": uniqSnooze, "ack": uniqAck, "settings": uniqSettings}

func TestAccountsButtonAccess(t *testing.T) {
	cat := mustCatalog(t)
	tags := map[string]string{"untagged": "", "acme": "acme", "north": acctNorth, "forged": "forged"}
	for _, kind := range pressKinds {
		for tagName, tagged := range tags {
			for _, from := range everyActor {
				currents := accountsOf(from)
				if len(currents) == 0 {
					currents = []string{"acme"}
				}
				for _, cur := range currents {
					t.Run(kind.name+"/"+tagName+"/"+actorName(from)+"/"+cur, func(t *testing.T) {
						h := newAccountsHarnessWith(t, cat)
						h.workIn(from, cur)
						data := kind.data(t)
						switch tagged {
						case "":
						case "forged":
							data += accountSep + "AAAAAAAA"
						default:
							data += accountSep + accountTag(tagged)
						}
						h.press(from, "\f"+pressUniques[kind.name]+"|"+data)
						target := cur // what the press acts on: the tagged account, else the current one
						if tagged != "" {
							target = tagged
						}
						amo := int64(0)
						if from == idManager || from == idNorthManager {
							amo = 1
						}
						want := tagged != "forged" && from != idStranger && roleIn(from, target) != "" && kind.may(roleIn(from, target), amo)
						for _, a := range []string{"acme", acctNorth} {
							got := kind.effect(h.store.sub(a)) > 0
							if got != (want && a == target) {
								t.Errorf("%s changed in %s: %v, want %v (calls %+v)", kind.name, a, got, want && a == target, h.tg.take())
							}
						}
						if !want && h.tg.count("sendMessage")+h.tg.count("editMessageText")+h.tg.count("editMessageReplyMarkup") != 0 {
							t.Errorf("a refused press changed or sent messages: %+v", h.tg.take())
						}
						for _, c := range h.tg.take() {
							if m := foreign(c.Params["text"]+c.Params["reply_markup"], target); m != "" {
								t.Errorf("the press showed %s: %+v", m, c)
							}
						}
					})
				}
			}
		}
	}
}

// TestAccountPickerAccess: the picker switches only to a served account the presser belongs to.
func TestAccountPickerAccess(t *testing.T) {
	cat := mustCatalog(t)
	for _, target := range []string{"acme", acctNorth, "ghost", "ACME", "acme/../north", ""} {
		for _, from := range everyActor {
			t.Run(actorName(from)+"/"+target, func(t *testing.T) {
				h := newAccountsHarnessWith(t, cat)
				h.send(from, "en", "/help") // a bootstrap admin's memberships are made
				h.tg.take()
				h.press(from, "\f"+uniqAccount+"|"+target)
				got, _ := h.store.CurrentAccount(from)
				want := ""
				if roleIn(from, target) != "" && from != idStranger {
					want = target
				}
				if got != want {
					t.Errorf("current account = %q, want %q (calls %+v)", got, want, h.tg.take())
				}
				if want == "" && h.tg.count("editMessageText")+h.tg.count("sendMessage") != 0 {
					t.Errorf("a refused pick answered with messages: %+v", h.tg.take())
				}
			})
		}
	}
}
