package bot

import (
	"fmt"
	"slices"

	tele "gopkg.in/telebot.v3"

	"salesguard/notify"
)

// uniqAccount: data "<account key>" makes that account the presser's current one (/account).
const uniqAccount = "acct"

// maxAccountKeyData bounds an account key in the picker's data: the configuration's keys are
// at most 32 bytes of [a-z0-9_-] (SALESGUARD_ACCOUNTS), so "\facct|<key>" stays far below
// Telegram's 64 bytes.
const maxAccountKeyData = 32

// accountData encodes the picker's button for an account.
func accountData(key string) string { return key }

// parseAccountData reads what accountData writes and nothing else: 1 to 32 bytes of
// lowercase letters, digits, "_" and "-". Whether the presser belongs to that account is
// checked by the handler, at press time.
func parseAccountData(data string) (string, bool) {
	if data == "" || len(data) > maxAccountKeyData {
		return "", false
	}
	for i := 0; i < len(data); i++ {
		c := data[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			return "", false
		}
	}
	return data, true
}

// onAccount shows the accounts the person belongs to, one button each, the current one
// marked; someone in a single account is told which it is.
func (b *Bot) onAccount(c tele.Context, p Person) error {
	ms := membersOf(c)
	pr := b.printer(p, c)
	if len(ms) < 2 {
		return b.say(c, p, "accounts.only_one", cut(b.accountName(p.Account), nameShown))
	}
	var rows [][]notify.Button
	for _, m := range ms {
		label := pr.T("accounts.button", cut(b.accountName(m.Account), buttonNameShown), pr.T("bot.role."+string(m.Role)))
		if m.Account == p.Account {
			label = "✅ " + label
		}
		if len("\f"+uniqAccount+"|"+accountData(m.Account)) > maxCallbackBytes {
			continue // not a key the configuration allows
		}
		rows = append(rows, []notify.Button{{Text: label, Unique: uniqAccount, Data: accountData(m.Account)}})
	}
	text := "<b>" + esc(pr.T("accounts.title")) + "</b>\n" +
		esc(pr.T("accounts.current", cut(b.accountName(p.Account), nameShown), pr.T("bot.role."+string(p.Role)))) + "\n\n" +
		esc(pr.T("accounts.choose"))
	return reply(c, text, rows)
}

// onAccountButton makes the pressed account the presser's current one. The data is user
// input: it must name a served account the presser belongs to now, else nothing happens. What
// the bot awaited from them (a typed value, a comment) was for the other account and is
// dropped, and their menu follows their role in the chosen account.
func (b *Bot) onAccountButton(c tele.Context, p Person) error {
	key, ok := parseAccountData(c.Data())
	if !ok || !isPrivate(c) {
		return c.Respond()
	}
	ms := membersOf(c)
	i := slices.IndexFunc(ms, func(m Person) bool { return m.Account == key })
	if i < 0 {
		return c.Respond()
	}
	chosen := ms[i]
	if err := b.store.SetCurrentAccount(chosen.TelegramID, chosen.Account); err != nil {
		return fmt.Errorf("choose account %s: %w", chosen.Account, err)
	}
	b.inputs.clear(chosen.TelegramID)
	if err := b.syncPerson(chosen); err != nil {
		b.log.Warn("publish commands", "user_id", chosen.TelegramID, "err", Redact(err, b.cfg.Token))
	}
	pr := b.printer(chosen, c)
	if err := c.Respond(&tele.CallbackResponse{Text: pr.T("accounts.switched.notice")}); err != nil {
		return err
	}
	text := "✅ " + esc(pr.T("accounts.switched", cut(b.accountName(chosen.Account), nameShown), pr.T("bot.role."+string(chosen.Role))))
	return redraw(c, text, nil)
}
