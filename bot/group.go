package bot

import (
	"fmt"
	"strconv"

	tele "gopkg.in/telebot.v3"

	"salesguard/notify"
)

// The team chat (checks.ScheduleSettings.DigestChat) is chosen from the group itself: an
// admin adds the bot and sends /teamchat there, then confirms with a button. Only SalesGuard
// admins may; anyone else gets the usual refusal (people the bot knows) or nothing (strangers).
// Nothing about deals or people is ever written in the group by this flow.

func isGroup(ch *tele.Chat) bool {
	return ch != nil && (ch.Type == tele.ChatGroup || ch.Type == tele.ChatSuperGroup)
}

// onTeamChat asks an admin in a group to confirm it as the team chat; in a private chat it
// explains how to choose one.
func (b *Bot) onTeamChat(c tele.Context, p Person) error {
	if !isGroup(c.Chat()) {
		return b.say(c, p, "team.chat.how", b.Username())
	}
	return b.askTeamChat(c, p)
}

// onAddedToGroup offers the confirmation at once when an admin adds the bot to a group.
func (b *Bot) onAddedToGroup(c tele.Context) error {
	p, ok := c.Get(ctxPerson).(Person)
	if !ok || p.Role != RoleAdmin || !isGroup(c.Chat()) {
		return nil
	}
	return b.askTeamChat(scoped(c, p), p)
}

// askTeamChat shows the question with the "use this chat" and "cancel" buttons.
func (b *Bot) askTeamChat(c tele.Context, p Person) error {
	s, err := b.store.In(p.Account).LoadSettings()
	if err != nil {
		return fmt.Errorf("load settings: %w", err)
	}
	pr := b.printer(p, c)
	ch := c.Chat()
	state := "team.chat.state.none"
	switch s.Schedule.DigestChat {
	case 0:
	case ch.ID:
		state = "team.chat.state.this"
	default:
		state = "team.chat.state.other"
	}
	text := "<b>" + esc(pr.T("team.chat.ask.title")) + "</b>\n" + esc(pr.T("team.chat.ask", cut(ch.Title, nameShown))) +
		"\n\n" + esc(pr.T(state))
	rows := [][]notify.Button{
		{{Text: pr.T("team.chat.button.use"), Unique: uniqGroup, Data: groupData(true, ch.ID)}},
		{{Text: pr.T("team.chat.button.cancel"), Unique: uniqGroup, Data: groupData(false, ch.ID)}},
	}
	return reply(c, b.headed(c, p, pr, text), rows)
}

// onGroupButton saves (or not) the group as the team chat. The data must name the chat the
// button is in, and the presser must be an admin, every time: a head or a manager in the
// group who presses it is only told, privately (a callback notice), that admins decide.
func (b *Bot) onGroupButton(c tele.Context, p Person) error {
	yes, chat, ok := parseGroupData(c.Data())
	if !ok || c.Message() == nil || !isGroup(c.Chat()) || c.Chat().ID != chat {
		return c.Respond()
	}
	if p.Role != RoleAdmin {
		return b.respond(c, p, "team.chat.admins_only")
	}
	pr := b.printer(p, c)
	if !yes {
		if err := c.Respond(); err != nil {
			return err
		}
		return redraw(c, esc(pr.T("team.chat.cancelled")), nil)
	}
	cur, err := b.store.In(p.Account).LoadSettings()
	if err != nil {
		return fmt.Errorf("load settings: %w", err)
	}
	next := cur
	next.Schedule.DigestChat = chat
	ps, err := b.commit(p, cur, next)
	if err != nil {
		return err
	}
	if err := c.Respond(); err != nil {
		return err
	}
	if len(ps) > 0 {
		return redraw(c, joinLines(append([]string{esc(pr.T("team.chat.not_saved"))}, problemLines(pr, ps)...)...), nil)
	}
	b.log.Info("team chat set", "chat_id", chat, "user_id", p.TelegramID)
	ranking := "team.chat.ranking_off"
	if next.Schedule.PublicRanking {
		ranking = "team.chat.ranking_on"
	}
	return redraw(c, "✅ "+esc(pr.T("team.chat.done"))+"\n"+esc(pr.T(ranking)), nil)
}

// onUserLeft forgets the team chat when the bot is removed from it, and tells the admins.
// It runs without identify: whoever removed the bot need not be known to it.
func (b *Bot) onUserLeft(c tele.Context) error {
	m := c.Message()
	if m == nil || m.UserLeft == nil || b.tb.Me == nil || m.UserLeft.ID != b.tb.Me.ID || m.Chat == nil {
		return nil
	}
	moved, err := b.moveTeamChat(m.Chat.ID, 0, c.Sender())
	for _, account := range moved {
		b.tellAdmins(account, "team.chat.removed", cut(m.Chat.Title, nameShown))
	}
	return err
}

// onMyChatMember forgets the team chat when the bot's membership there ends (left or kicked:
// Telegram's my_chat_member update, which also covers supergroups, where no service message
// about the bot comes). The team chat is cleared once, whichever of the two arrives first.
func (b *Bot) onMyChatMember(c tele.Context) error {
	u := c.ChatMember()
	if u == nil || u.Chat == nil || u.NewChatMember == nil || !isGroup(u.Chat) ||
		(u.NewChatMember.Role != tele.Left && u.NewChatMember.Role != tele.Kicked) {
		return nil
	}
	moved, err := b.moveTeamChat(u.Chat.ID, 0, u.Sender)
	for _, account := range moved {
		b.tellAdmins(account, "team.chat.removed", cut(u.Chat.Title, nameShown))
	}
	return err
}

// onMigration follows the team chat when its group becomes a supergroup (a new chat id).
func (b *Bot) onMigration(c tele.Context) error {
	m := c.Message()
	if m == nil || m.Chat == nil || m.MigrateTo == 0 {
		return nil
	}
	_, err := b.moveTeamChat(m.Chat.ID, m.MigrateTo, c.Sender())
	return err
}

// moveTeamChat replaces the team chat from by to (0: none) in every served account whose team
// chat from is, and returns those accounts. Telegram tells the bot, not an account, so each
// account is looked at.
func (b *Bot) moveTeamChat(from, to int64, by *tele.User) ([]string, error) {
	if from == 0 {
		return nil, nil
	}
	who := "telegram"
	if by != nil {
		who = "tg:" + strconv.FormatInt(by.ID, 10)
	}
	var moved []string
	for _, account := range b.accounts() {
		st := b.store.In(account)
		cur, err := st.LoadSettings()
		if err != nil {
			return moved, fmt.Errorf("load settings of %s: %w", account, err)
		}
		if cur.Schedule.DigestChat != from {
			continue
		}
		next := cur
		next.Schedule.DigestChat = to
		if err := st.SaveSettings(next, who); err != nil {
			return moved, fmt.Errorf("save the team chat of %s: %w", account, err)
		}
		b.log.Info("team chat changed by telegram", "account", account, "from_chat_id", from, "chat_id", to)
		moved = append(moved, account)
	}
	return moved, nil
}

// tellAdmins sends every reachable admin of an account a catalog text in their language,
// under the account's header for an admin of several (failures logged).
func (b *Bot) tellAdmins(account, key string, args ...any) {
	people, err := b.store.People(account)
	if err != nil {
		b.log.Warn("tell the admins", "key", key, "err", err)
		return
	}
	for _, q := range people {
		if q.Role != RoleAdmin || q.Unreachable {
			continue
		}
		text := b.labelText(q.TelegramID, account, esc(b.cat.Printer(langOr(q.Lang)).T(key, args...)))
		if _, err := b.tb.Send(tele.ChatID(q.TelegramID), text, options(false, nil)); err != nil {
			b.log.Warn("tell an admin", "chat_id", q.TelegramID, "key", key, "err", Redact(err, b.cfg.Token))
		}
	}
}

// langOr is a person's chosen language, English when they chose none.
func langOr(lang string) string {
	if lang == "" {
		return "en"
	}
	return lang
}
