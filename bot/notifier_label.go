package bot

import (
	"slices"

	"salesguard/notify"
)

// What the service pushes (alerts, reminders and their edits, plans, digests, reports, data
// health, catch-ups) says which account it is about when its recipient belongs to several:
// the account's header line comes first, and its buttons carry the account (tagRows), so a
// head of two accounts acknowledges an escalation of either without switching. A recipient in
// one account gets the message as rendered. Groups (the team chat) belong to the account
// whose settings chose them and get it as rendered too.

// labelMessage labels m for its recipient (see above). A failure to read the recipient's
// memberships is logged and the message goes as rendered: a missing header never holds back
// an alert.
func (b *Bot) labelMessage(m notify.Message) notify.Message {
	if m.Account == "" || m.ChatID <= 0 {
		return m
	}
	keys, lang, err := b.recipientAccounts(m.ChatID, m.Account)
	if err != nil {
		b.log.Warn("label a message with its account", "chat_id", m.ChatID, "account", m.Account, "err", err)
		return m
	}
	if len(keys) < 2 || !slices.Contains(keys, m.Account) {
		return m
	}
	header := b.cat.Printer(langOr(lang)).T("accounts.header", cut(b.accountName(m.Account), nameShown))
	if m.Plain {
		m.Text = header + "\n" + m.Text
	} else {
		m.Text = esc(header) + "\n" + m.Text
	}
	m.Buttons = tagRows(m.Buttons, m.Account)
	return m
}

// labelText puts the account's header above an HTML text for a chat whose person belongs to
// several accounts (the notices the bot sends by itself).
func (b *Bot) labelText(chat int64, account, text string) string {
	return b.labelMessage(notify.Message{Account: account, ChatID: chat, Text: text}).Text
}
