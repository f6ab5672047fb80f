package bot

import (
	"cmp"
	"strconv"

	tele "gopkg.in/telebot.v3"
)

// welcomeItems are the catalog keys of what a role gets from SalesGuard, for a newcomer's
// welcome.
func welcomeItems(r Role) []string {
	switch r {
	case RoleManager:
		return []string{"team.welcome.manager.alerts", "team.welcome.manager.plan", "team.welcome.manager.buttons",
			"team.welcome.manager.private"}
	case RoleHead:
		return []string{"team.welcome.head.digest", "team.welcome.head.escalations", "team.welcome.head.reports"}
	}
	return []string{"team.welcome.admin.setup"}
}

// welcomeText greets someone who just joined by invite: their role, the amoCRM user they are,
// what they will get, then the commands they may use (multi: they are in several accounts).
func (b *Bot) welcomeText(pr Printer, p Person, multi bool) string {
	lines := []string{"<b>" + esc(pr.T("bot.start."+string(p.Role))) + "</b>", "",
		esc(pr.T("team.welcome.joined", pr.T("bot.role."+string(p.Role))))}
	if p.AmoUserID != 0 {
		lines = append(lines, esc(pr.T("team.welcome.amo", cut(userName(b.src.Snapshot(p.Account), p.AmoUserID), nameShown),
			strconv.FormatInt(int64(p.AmoUserID), 10))))
	}
	lines = append(lines, "", "<b>"+esc(pr.T("team.welcome.title"))+"</b>")
	for _, k := range welcomeItems(p.Role) {
		lines = append(lines, bullet(esc(pr.T(k))))
	}
	return joinBlock(lines) + "\n\n" + b.helpText(pr, p, multi)
}

// tellAdminsJoined tells the account's admins (and whoever created the invite) who joined,
// in which role and as which amoCRM user. A failed send is logged, not returned: the newcomer
// is in either way.
func (b *Bot) tellAdminsJoined(p Person, inv Invite) {
	people, err := b.store.People(p.Account)
	if err != nil {
		b.log.Warn("tell the admins who joined", "user_id", p.TelegramID, "err", err)
		return
	}
	creator := "#" + strconv.FormatInt(inv.CreatedBy, 10)
	for _, q := range people {
		if q.TelegramID == inv.CreatedBy && q.Account == p.Account {
			creator = cmp.Or(q.Name, creator)
		}
	}
	snap := b.src.Snapshot(p.Account)
	for _, q := range people {
		if q.Account != p.Account || q.TelegramID == p.TelegramID || q.Unreachable ||
			(q.Role != RoleAdmin && q.TelegramID != inv.CreatedBy) {
			continue
		}
		pr := b.cat.Printer(langOr(q.Lang))
		tg := strconv.FormatInt(p.TelegramID, 10)
		lines := []string{"<b>" + esc(pr.T("team.joined.title", cut(p.Name, nameShown), pr.T("bot.role."+string(p.Role)), tg)) + "</b>"}
		switch {
		case p.AmoUserID != 0:
			lines = append(lines, esc(pr.T("team.joined.amo", cut(userName(snap, p.AmoUserID), nameShown),
				strconv.FormatInt(int64(p.AmoUserID), 10))))
		case p.Role == RoleManager:
			lines = append(lines, esc(pr.T("team.joined.no_amo", tg)))
		}
		lines = append(lines, esc(pr.T("team.joined.by", cut(creator, nameShown))))
		text := b.labelText(q.TelegramID, p.Account, joinLines(lines...))
		if _, err := b.tb.Send(tele.ChatID(q.TelegramID), text, options(false, nil)); err != nil {
			b.log.Warn("tell an admin who joined", "chat_id", q.TelegramID, "err", Redact(err, b.cfg.Token))
		}
	}
}

// tellMapped tells a person that an admin tied them to an amoCRM user, and what that brings.
func (b *Bot) tellMapped(p Person) {
	if p.Unreachable {
		return
	}
	pr := b.cat.Printer(langOr(p.Lang))
	key := "team.mapped.other"
	if p.Role == RoleManager {
		key = "team.mapped.manager"
	}
	text := esc(pr.T(key, cut(userName(b.src.Snapshot(p.Account), p.AmoUserID), nameShown), strconv.FormatInt(int64(p.AmoUserID), 10)))
	if _, err := b.tb.Send(tele.ChatID(p.TelegramID), b.labelText(p.TelegramID, p.Account, text), options(false, nil)); err != nil {
		b.log.Warn("tell a person they were linked", "chat_id", p.TelegramID, "err", Redact(err, b.cfg.Token))
	}
}
