package bot

import (
	"encoding/base64"
	"strconv"
	"strings"

	tele "gopkg.in/telebot.v3"

	"salesguard/amo"
	"salesguard/checks"
	"salesguard/notify"
)

// Callback uniques. Telegram sends the data back as "\f<unique>|<data>"; it is user input,
// so every handler parses it strictly and re-checks the sender's rights.
const (
	uniqSnooze = "snz"  // data "<h|t>:<key>": snooze a warning for an hour or until tomorrow
	uniqAck    = "ack"  // data "<key>": a head acknowledges an escalation
	uniqPage   = "pg"   // data "<command>:<page>": turn a list's page
	uniqLang   = "lang" // data "<lang>": choose the language
	// uniqTeam: data "p:<view>:<page>" turns a page of /team or /managers; "i:<view>:<page>:<user>"
	// creates a manager invite for an amoCRM user, then redraws that page.
	uniqTeam = "team"
	// uniqGroup: data "<y|n>:<chat id>" confirms or cancels a group as the team chat.
	uniqGroup = "grp"
)

// Snooze periods in callback data.
const (
	snoozeHour     = "h"
	snoozeTomorrow = "t"
)

// shortKeyLen is the length of a finding key in callback data: its 32 bytes in unpadded
// base64url (Telegram allows 64 bytes of callback data).
const shortKeyLen = 43

// shortKey encodes a finding key for callback data; the handler looks the open entry up by it
// and checks the sender's rights again, so a forged key finds nothing or nothing they may act on.
func shortKey(k checks.Key) string { return base64.RawURLEncoding.EncodeToString(k[:]) }

// parseShortKey reads a finding key from callback data.
func parseShortKey(s string) (checks.Key, bool) {
	var k checks.Key
	if len(s) != shortKeyLen {
		return k, false
	}
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || len(b) != checks.KeySize {
		return k, false
	}
	copy(k[:], b)
	return k, true
}

// isShortKey validates the shape of a key from callback data.
func isShortKey(s string) bool {
	_, ok := parseShortKey(s)
	return ok
}

// parseSnooze reads "<h|t>:<key>".
func parseSnooze(data string) (period, key string, ok bool) {
	period, key, ok = strings.Cut(data, ":")
	if !ok || (period != snoozeHour && period != snoozeTomorrow) || !isShortKey(key) {
		return "", "", false
	}
	return period, key, true
}

// pageData encodes a list page for a button.
func pageData(cmd string, page int) string { return cmd + ":" + strconv.Itoa(page) }

// parsePage reads "<command>:<page>" for a known list command and a sane page number.
func parsePage(data string) (cmd string, page int, ok bool) {
	cmd, n, ok := strings.Cut(data, ":")
	if !ok || !isListCommand(cmd) || len(n) > 4 {
		return "", 0, false
	}
	page, err := strconv.Atoi(n)
	if err != nil || page < 0 {
		return "", 0, false
	}
	return cmd, page, true
}

// markup converts rows of notify buttons into an inline keyboard; nil when there are none.
func markup(rows [][]notify.Button) *tele.ReplyMarkup {
	if len(rows) == 0 {
		return nil
	}
	m := &tele.ReplyMarkup{}
	for _, row := range rows {
		var r []tele.InlineButton
		for _, b := range row {
			ib := tele.InlineButton{Text: b.Text, URL: b.URL}
			if b.URL == "" {
				ib.Unique = b.Unique
				ib.Data = b.Data
			}
			r = append(r, ib)
		}
		m.InlineKeyboard = append(m.InlineKeyboard, r)
	}
	return m
}

// Views of the team list in callback data.
const (
	viewTeam     = "t" // /team: the amoCRM users
	viewManagers = "m" // /managers: the amoCRM users, the other people, who is away
)

// maxListPage is the highest page number callback data may name.
const maxListPage = 9999

// teamAction is what a press in the team list asks for.
type teamAction struct {
	view   string
	page   int
	invite amo.UserID // the amoCRM user to invite as a manager; 0 just turns the page
}

// teamData encodes a team list action for a button ("p:t:0", "i:m:2:123").
func teamData(a teamAction) string {
	s := a.view + ":" + strconv.Itoa(a.page)
	if a.invite != 0 {
		return "i:" + s + ":" + strconv.FormatInt(int64(a.invite), 10)
	}
	return "p:" + s
}

// parseTeamData reads what teamData writes, and nothing else: a known view, a page in
// 0..maxListPage and a positive user id, each number in its one canonical form.
func parseTeamData(data string) (teamAction, bool) {
	parts := strings.Split(data, ":")
	if len(data) > 64 || len(parts) < 3 {
		return teamAction{}, false
	}
	var a teamAction
	switch {
	case len(parts) == 3 && parts[0] == "p":
	case len(parts) == 4 && parts[0] == "i":
		id, ok := canonicalInt(parts[3])
		if !ok || id <= 0 {
			return teamAction{}, false
		}
		a.invite = amo.UserID(id)
	default:
		return teamAction{}, false
	}
	page, ok := canonicalInt(parts[2])
	if (parts[1] != viewTeam && parts[1] != viewManagers) || !ok || page < 0 || page > maxListPage {
		return teamAction{}, false
	}
	a.view, a.page = parts[1], int(page)
	return a, true
}

// groupData encodes the answer to "use this chat for the team?" for a button.
func groupData(confirm bool, chat int64) string {
	if confirm {
		return "y:" + strconv.FormatInt(chat, 10)
	}
	return "n:" + strconv.FormatInt(chat, 10)
}

// parseGroupData reads "<y|n>:<chat id>"; group and supergroup ids are negative.
func parseGroupData(data string) (confirm bool, chat int64, ok bool) {
	yn, id, found := strings.Cut(data, ":")
	if !found || (yn != "y" && yn != "n") {
		return false, 0, false
	}
	n, ok := canonicalInt(id)
	if !ok || n >= 0 {
		return false, 0, false
	}
	return yn == "y", n, true
}

// canonicalInt parses a decimal integer written as strconv writes it (no "+", no leading
// zeros, no "-0"), so each value has exactly one form in callback data.
func canonicalInt(s string) (int64, bool) {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || strconv.FormatInt(n, 10) != s {
		return 0, false
	}
	return n, true
}
