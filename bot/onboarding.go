package bot

import (
	"crypto/rand"
	"encoding/base32"
	"fmt"
	"strconv"
	"strings"

	tele "gopkg.in/telebot.v3"

	"salesguard/amo"
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
	var id amo.UserID
	if len(args) == 2 {
		var ok bool
		if id, ok = b.amoUser(p.Account, args[1]); !ok {
			return b.say(c, p, "bot.error.no_such_user", args[1])
		}
	}
	return b.createInvite(c, p, Role(args[0]), id)
}

// createInvite stores a new invite and sends the admin its link, naming the amoCRM user it
// ties the newcomer to (when it does).
func (b *Bot) createInvite(c tele.Context, p Person, role Role, amoUser amo.UserID) error {
	code, err := newInviteCode()
	if err != nil {
		return err
	}
	inv := Invite{Code: code, Account: p.Account, Role: role, AmoUserID: amoUser, CreatedBy: p.TelegramID,
		ExpiresAt: b.clock.Now().Add(b.cfg.InviteTTL)}
	if err := b.store.PutInvite(inv); err != nil {
		return fmt.Errorf("save invite: %w", err)
	}
	pr := b.printer(p, c)
	snap := b.src.Snapshot(p.Account)
	until, roleName := pr.DateTime(inv.ExpiresAt.In(location(snap))), pr.T("bot.role."+string(inv.Role))
	text := pr.T("bot.invite.created", roleName, until)
	if inv.AmoUserID != 0 {
		text = pr.T("team.invite.created_for", roleName, cut(userName(snap, inv.AmoUserID), nameShown),
			strconv.FormatInt(int64(inv.AmoUserID), 10), until)
	}
	link := "https://t.me/" + b.Username() + "?start=" + code
	return reply(c, esc(text)+"\n"+`<a href="`+esc(link)+`">`+esc(link)+"</a>", nil)
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
	if err := reply(c, b.welcomeText(pr, p), nil); err != nil {
		return err
	}
	b.tellAdminsJoined(p, inv)
	return nil
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
	changed := target.AmoUserID != id
	target.AmoUserID = id
	if err := b.store.PutPerson(target); err != nil {
		return fmt.Errorf("save person %d: %w", tg, err)
	}
	if changed && target.TelegramID != p.TelegramID {
		b.tellMapped(target)
	}
	return b.say(c, p, "bot.map.done", target.Name, userName(b.src.Snapshot(p.Account), id))
}
