package bot

import (
	"crypto/rand"
	"encoding/base32"
	"fmt"
	"slices"
	"strconv"
	"strings"

	tele "gopkg.in/telebot.v3"

	"salesguard/amo"
)

// inviteCodeLen is the length of an invite code (20 base32 letters = 100 random bits; a
// /start payload may hold 64 characters of [A-Za-z0-9_-]).
const inviteCodeLen = 20

// onInvite creates a one-time invite to the admin's current account:
// /invite admin|head|manager [amoCRM user id]. An invited admin is an admin of that account
// only; the bootstrap admins (Config.Admins) are the admins of every account.
func (b *Bot) onInvite(c tele.Context, p Person) error {
	args := c.Args()
	if len(args) < 1 || len(args) > 2 || !Role(args[0]).Valid() {
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
	if err := b.store.In(p.Account).PutInvite(inv); err != nil {
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
	return reply(c, b.headed(c, p, pr, esc(text))+"\n"+`<a href="`+esc(link)+`">`+esc(link)+"</a>", nil)
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

// redeem turns the holder of a valid invite into a member of the invite's account: a
// stranger becomes a person, a known person (ms: their memberships) joins one more account
// and works in it from now on. The code is consumed on first use, expired or not; an invite to
// an account the service no longer watches is invalid, and one to an account the person
// already belongs to changes nothing.
func (b *Bot) redeem(c tele.Context, code string, ms []Person) error {
	s := c.Sender()
	lang := normLang(s.LanguageCode)
	for _, m := range ms {
		if m.Lang != "" {
			lang = m.Lang
			break
		}
	}
	pr := b.cat.Printer(lang)
	if !isInviteCode(code) {
		return b.stranger(c)
	}
	inv, ok, err := b.store.TakeInvite(code)
	if err != nil {
		return fmt.Errorf("take invite: %w", err)
	}
	if !ok || !b.clock.Now().Before(inv.ExpiresAt) || !inv.Role.Valid() || !slices.Contains(b.accounts(), inv.Account) {
		return c.Send(esc(pr.T("bot.invite.invalid")), options(false, nil))
	}
	if i := slices.IndexFunc(ms, func(m Person) bool { return m.Account == inv.Account }); i >= 0 {
		return reply(c, esc(pr.T("accounts.invite.already", cut(b.accountName(inv.Account), nameShown),
			pr.T("bot.role."+string(ms[i].Role)))), nil)
	}
	return b.join(c, lang, inv, ms)
}

// join makes the sender a member of the invite's account, tells them what they get there and
// tells the account's admins who joined. Someone who belonged to other accounts works in the
// new one from now on.
func (b *Bot) join(c tele.Context, lang string, inv Invite, ms []Person) error {
	s, pr := c.Sender(), b.cat.Printer(lang)
	name := displayName(s)
	if len(ms) > 0 && ms[0].Name != "" {
		name = ms[0].Name
	}
	p := Person{TelegramID: s.ID, Name: name, Role: inv.Role, Account: inv.Account, AmoUserID: inv.AmoUserID, Lang: lang}
	if err := b.store.PutPerson(p); err != nil {
		return fmt.Errorf("save person %d: %w", s.ID, err)
	}
	multi := len(ms) > 0
	if multi {
		if err := b.store.SetCurrentAccount(s.ID, p.Account); err != nil {
			return fmt.Errorf("choose account %s: %w", p.Account, err)
		}
		b.inputs.clear(s.ID)
	}
	b.log.Info("invite redeemed", "user_id", s.ID, "account", p.Account, "role", p.Role, "invited_by", inv.CreatedBy)
	if err := b.syncPerson(p); err != nil {
		b.log.Warn("publish commands", "user_id", s.ID, "err", Redact(err, b.cfg.Token))
	}
	text := b.welcomeText(pr, p, multi)
	if multi {
		text = b.accountHeader(pr, p.Account) + "\n" + text + "\n\n" + esc(pr.N("accounts.joined_more", len(ms)+1))
	}
	if err := reply(c, text, nil); err != nil {
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
	target, ok, err := b.memberIn(tg, p.Account)
	if err != nil {
		return fmt.Errorf("load person %d: %w", tg, err)
	}
	if !ok {
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
