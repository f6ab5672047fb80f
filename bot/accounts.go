package bot

import (
	"cmp"
	"fmt"
	"slices"

	tele "gopkg.in/telebot.v3"
)

// One bot serves every account of the process. A person belongs to one or more accounts, one
// Person (membership) per account, each with its own role; everything they do acts on their
// current account: the one they chose with /account while they still belong to it, else the
// first served account they belong to. Bootstrap admins (Config.Admins) are admins of every
// served account; anyone else joins one account per invite. A membership of an account the
// service no longer watches is ignored, and nobody ever reaches an account they have no
// membership of: commands run as the current membership, and a button carrying an account
// (see tagData) runs as the presser's membership of that account, checked at press time.

// ctxMembers is the context key of the sender's memberships of the served accounts, set by
// identify next to ctxPerson.
const ctxMembers = "members"

// accounts returns the keys of the served accounts, in configuration order.
func (b *Bot) accounts() []string {
	if keys := b.src.Accounts(); len(keys) > 0 {
		return keys
	}
	if b.cfg.Account != "" {
		return []string{b.cfg.Account}
	}
	return nil
}

// members returns a Telegram user's memberships of the served accounts, in the order of the
// accounts.
func (b *Bot) members(tgID int64) ([]Person, error) {
	all, err := b.store.Memberships(tgID)
	if err != nil {
		return nil, fmt.Errorf("memberships of %d: %w", tgID, err)
	}
	var out []Person
	for _, key := range b.accounts() {
		if i := slices.IndexFunc(all, func(p Person) bool { return p.Account == key }); i >= 0 {
			out = append(out, all[i])
		}
	}
	return out, nil
}

// current picks the membership a user works in among ms (not empty): the account they chose,
// while they still belong to it, else the first.
func (b *Bot) current(tgID int64, ms []Person) (Person, error) {
	chosen, err := b.store.CurrentAccount(tgID)
	if err != nil {
		return Person{}, fmt.Errorf("current account of %d: %w", tgID, err)
	}
	if i := slices.IndexFunc(ms, func(p Person) bool { return p.Account == chosen }); i >= 0 {
		return ms[i], nil
	}
	return ms[0], nil
}

// memberIn returns a user's membership of one served account.
func (b *Bot) memberIn(tgID int64, account string) (Person, bool, error) {
	ms, err := b.members(tgID)
	if err != nil {
		return Person{}, false, err
	}
	i := slices.IndexFunc(ms, func(p Person) bool { return p.Account == account })
	if i < 0 {
		return Person{}, false, nil
	}
	return ms[i], true, nil
}

// person loads the sender: their memberships and the current one. A bootstrap admin is made
// an admin of every served account first (created on first contact, promoted where they had
// another role), and their menu is published when that changed anything.
func (b *Bot) person(s *tele.User) (Person, []Person, bool, error) {
	ms, err := b.members(s.ID)
	if err != nil {
		return Person{}, nil, false, fmt.Errorf("load person %d: %w", s.ID, err)
	}
	changed := false
	if slices.Contains(b.cfg.Admins, s.ID) {
		if ms, changed, err = b.ensureAdmin(s, ms); err != nil {
			return Person{}, nil, false, err
		}
	}
	if len(ms) == 0 {
		return Person{}, nil, false, nil
	}
	p, err := b.current(s.ID, ms)
	if err != nil {
		return Person{}, nil, false, err
	}
	if changed {
		if err := b.syncPerson(p); err != nil { // their menu is an admin's from the first message on
			b.log.Warn("publish the admin's commands", "err", Redact(err, b.cfg.Token))
		}
	}
	return p, ms, true, nil
}

// ensureAdmin gives a bootstrap admin an admin membership of every served account.
func (b *Bot) ensureAdmin(s *tele.User, ms []Person) ([]Person, bool, error) {
	name, lang := displayName(s), ""
	for _, m := range ms {
		name, lang = cmp.Or(m.Name, name), cmp.Or(lang, m.Lang)
	}
	var out []Person
	changed := false
	for _, key := range b.accounts() {
		i := slices.IndexFunc(ms, func(p Person) bool { return p.Account == key })
		p := Person{TelegramID: s.ID, Name: name, Account: key, Lang: lang}
		if i >= 0 {
			p = ms[i]
		}
		if i < 0 || p.Role != RoleAdmin {
			p.Role = RoleAdmin
			if err := b.store.PutPerson(p); err != nil {
				return nil, false, fmt.Errorf("save bootstrap admin %d in account %s: %w", s.ID, key, err)
			}
			changed = true
		}
		out = append(out, p)
	}
	return out, changed, nil
}

// membersOf returns the sender's memberships identify found.
func membersOf(c tele.Context) []Person {
	ms, _ := c.Get(ctxMembers).([]Person)
	return ms
}

// isMulti reports whether the sender belongs to more than one served account: their
// messages then say which account they are about, and /account is in their menu.
func isMulti(c tele.Context) bool { return len(membersOf(c)) > 1 }

// recipientAccounts returns the served accounts a chat's person belongs to (a bootstrap
// admin belongs to all) and their language in one of them, for labelling what is pushed.
func (b *Bot) recipientAccounts(tgID int64, account string) ([]string, string, error) {
	ms, err := b.members(tgID)
	if err != nil {
		return nil, "", err
	}
	lang := ""
	var keys []string
	for _, m := range ms {
		keys = append(keys, m.Account)
		if m.Account == account && m.Lang != "" {
			lang = m.Lang
		}
	}
	for _, m := range ms {
		lang = cmp.Or(lang, m.Lang)
	}
	if slices.Contains(b.cfg.Admins, tgID) {
		keys = b.accounts()
	}
	return keys, lang, nil
}

// accountName is how an account is named to people: the amoCRM account's name, else its
// subdomain (from the working set's dictionaries), else its key.
func (b *Bot) accountName(key string) string {
	if snap := b.src.Snapshot(key); snap != nil {
		return cmp.Or(snap.Account.Name, snap.Account.Subdomain, key)
	}
	return key
}

// accountHeader is the first line of a message about an account, for people in several.
func (b *Bot) accountHeader(pr Printer, key string) string {
	return esc(pr.T("accounts.header", cut(b.accountName(key), nameShown)))
}

// headed puts the account's header above text when the sender belongs to several accounts.
func (b *Bot) headed(c tele.Context, p Person, pr Printer, text string) string {
	if !isMulti(c) {
		return text
	}
	return b.accountHeader(pr, p.Account) + "\n" + text
}
