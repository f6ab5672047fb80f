package bot

import (
	"crypto/rand"
	"encoding/base32"
	"fmt"
	"strconv"
	"strings"

	tele "gopkg.in/telebot.v3"

	"salesguard/amo"
	"salesguard/checks"
)

// inviteCodeLen is the length of an invite code (20 base32 letters = 100 random bits; a
// /start payload may hold 64 characters of [A-Za-z0-9_-]).
const inviteCodeLen = 20

// onInvite creates a one-time invite: /invite head|manager [amoCRM user id].
func (b *Bot) onInvite(c tele.Context, p Person) error {
	args := c.Args()
	if len(args) < 1 || len(args) > 2 || (args[0] != string(RoleHead) && args[0] != string(RoleManager)) {
		return b.say(c, p, "bot.invite.usage")
	}
	inv := Invite{Account: p.Account, Role: Role(args[0]), CreatedBy: p.TelegramID,
		ExpiresAt: b.clock.Now().Add(b.cfg.InviteTTL)}
	if len(args) == 2 {
		id, ok := b.amoUser(p.Account, args[1])
		if !ok {
			return b.say(c, p, "bot.error.no_such_user", args[1])
		}
		inv.AmoUserID = id
	}
	code, err := newInviteCode()
	if err != nil {
		return err
	}
	inv.Code = code
	if err := b.store.PutInvite(inv); err != nil {
		return fmt.Errorf("save invite: %w", err)
	}
	pr := b.printer(p, c)
	link := "https://t.me/" + b.Username() + "?start=" + code
	loc := location(b.src.Snapshot(p.Account))
	text := esc(pr.T("bot.invite.created", pr.T("bot.role."+string(inv.Role)), pr.DateTime(inv.ExpiresAt.In(loc)))) +
		"\n" + `<a href="` + esc(link) + `">` + esc(link) + "</a>"
	return reply(c, text, nil)
}

// amoUser parses an amoCRM user id and checks it against the snapshot's users (when there is
// a snapshot yet).
func (b *Bot) amoUser(account, s string) (amo.UserID, bool) {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 {
		return 0, false
	}
	snap := b.src.Snapshot(account)
	if snap == nil {
		return amo.UserID(n), true
	}
	for _, u := range snap.Users {
		if u.ID == amo.UserID(n) {
			return u.ID, true
		}
	}
	return 0, false
}

func newInviteCode() (string, error) {
	buf := make([]byte, 15)
	if _, err := rand.Read(buf); err != nil {
		return "", fmt.Errorf("invite code: %w", err)
	}
	return strings.ToLower(base32.StdEncoding.EncodeToString(buf))[:inviteCodeLen], nil
}

// isInviteCode validates the shape of a /start payload before the store is asked.
func isInviteCode(s string) bool {
	if len(s) != inviteCodeLen {
		return false
	}
	for _, r := range s {
		if (r < 'a' || r > 'z') && (r < '2' || r > '7') {
			return false
		}
	}
	return true
}

// redeem turns a stranger with a valid invite into a person. The code is consumed on first
// use, expired or not.
func (b *Bot) redeem(c tele.Context, code string) error {
	s := c.Sender()
	pr := b.cat.Printer(normLang(s.LanguageCode))
	if !isInviteCode(code) {
		return b.stranger(c)
	}
	inv, ok, err := b.store.TakeInvite(code)
	if err != nil {
		return fmt.Errorf("take invite: %w", err)
	}
	if !ok || !b.clock.Now().Before(inv.ExpiresAt) || !inv.Role.Valid() {
		return c.Send(esc(pr.T("bot.invite.invalid")), options(false, nil))
	}
	p := Person{TelegramID: s.ID, Name: displayName(s), Role: inv.Role, Account: inv.Account,
		AmoUserID: inv.AmoUserID, Lang: normLang(s.LanguageCode)}
	if err := b.store.PutPerson(p); err != nil {
		return fmt.Errorf("save person %d: %w", s.ID, err)
	}
	b.log.Info("invite redeemed", "user_id", s.ID, "role", p.Role, "invited_by", inv.CreatedBy)
	if err := b.syncPerson(p); err != nil {
		b.log.Warn("publish commands", "user_id", s.ID, "err", Redact(err, b.cfg.Token))
	}
	text := "<b>" + esc(pr.T("bot.start."+string(p.Role))) + "</b>\n\n" + b.helpText(pr, p)
	return reply(c, text, nil)
}

// onMap ties a person to an amoCRM user: /map <telegram id> <amoCRM user id>.
func (b *Bot) onMap(c tele.Context, p Person) error {
	args := c.Args()
	if len(args) != 2 {
		return b.say(c, p, "bot.map.usage")
	}
	tg, err := strconv.ParseInt(args[0], 10, 64)
	if err != nil {
		return b.say(c, p, "bot.map.usage")
	}
	target, ok, err := b.store.Person(tg)
	if err != nil {
		return fmt.Errorf("load person %d: %w", tg, err)
	}
	if !ok || target.Account != p.Account {
		return b.say(c, p, "bot.error.no_such_person", args[0])
	}
	id, ok := b.amoUser(p.Account, args[1])
	if !ok {
		return b.say(c, p, "bot.error.no_such_user", args[1])
	}
	target.AmoUserID = id
	if err := b.store.PutPerson(target); err != nil {
		return fmt.Errorf("save person %d: %w", tg, err)
	}
	return b.say(c, p, "bot.map.done", target.Name, userName(b.src.Snapshot(p.Account), id))
}

// onManagers shows the admin who is who and who is away.
func (b *Bot) onManagers(c tele.Context, p Person) error {
	people, err := b.store.People()
	if err != nil {
		return fmt.Errorf("list people: %w", err)
	}
	pr := b.printer(p, c)
	snap := b.src.Snapshot(p.Account)
	lines := []string{"<b>" + esc(pr.T("bot.managers.title")) + "</b>"}
	for _, q := range people {
		if q.Account != p.Account {
			continue
		}
		amoName := pr.T("bot.managers.unmapped")
		if q.AmoUserID != 0 {
			amoName = userName(snap, q.AmoUserID)
		}
		lines = append(lines, bullet(esc(pr.T("bot.managers.line", q.Name, pr.T("bot.role."+string(q.Role)), amoName,
			strconv.FormatInt(q.TelegramID, 10)))))
	}
	lines = append(lines, "", "<b>"+esc(pr.T("bot.managers.away"))+"</b>")
	loc := location(snap)
	today := checks.DateOf(b.clock.Now().In(loc))
	away := 0
	for _, a := range b.src.Settings(p.Account).Calendar.Absences {
		if a.To.Before(today) || !p.Sees(a.Manager) {
			continue
		}
		away++
		lines = append(lines, bullet(esc(pr.T("bot.managers.absence", userName(snap, a.Manager),
			pr.Date(a.From.In(loc)), pr.Date(a.To.In(loc))))))
	}
	if away == 0 {
		lines = append(lines, esc(pr.T("bot.managers.nobody_away")))
	}
	return reply(c, joinBlock(lines), nil)
}
