package app

import (
	"fmt"
	"slices"

	"salesguard/amo"
	"salesguard/storage"
)

// Console chat ids: in console mode every amoCRM user is reachable as the chat −(user id), the
// head as consoleHead and the admin as consoleAdmin.
const (
	consoleHead  int64 = -1
	consoleAdmin int64 = -2
)

// recipient is one chat a message goes to, in the person's language.
type recipient struct {
	Chat int64
	Lang string
	Name string
	Team []amo.UserID // a head's team: the managers they see (empty: everyone)
}

// directory answers "who gets this" for one account.
type directory struct {
	managers map[amo.UserID][]recipient
	heads    []recipient
	admins   []recipient
	byChat   map[int64]recipient // everyone above, by chat
}

// director is the recipient of the escalation ladder's last step: the person of that chat
// when they joined the bot (in their language), else the chat in the account's language (a
// group, or someone who has not joined: delivery checks who may read it).
func (d *directory) director(chat int64, lang string) recipient {
	if r, ok := d.byChat[chat]; ok {
		return r
	}
	return recipient{Chat: chat, Lang: lang}
}

// directory builds the account's recipients from the people the bot knows, plus the bootstrap
// admins; in console mode, from the amoCRM users. The caller holds acc.mu.
func (a *App) directory(acc *accountState) (*directory, error) {
	d := &directory{managers: map[amo.UserID][]recipient{}, byChat: map[int64]recipient{}}
	if a.opt.Console {
		for _, u := range acc.ws.Dict().Users {
			if u.IsActive {
				d.managers[u.ID] = []recipient{{Chat: -int64(u.ID), Lang: a.opt.Lang, Name: u.Name}}
			}
		}
		d.heads = []recipient{{Chat: consoleHead, Lang: a.opt.Lang, Name: "head"}}
		d.admins = []recipient{{Chat: consoleAdmin, Lang: a.opt.Lang, Name: "admin"}}
		return d, nil
	}
	people, err := a.store.People(acc.Key)
	if err != nil {
		return nil, fmt.Errorf("people: %w", err)
	}
	for _, p := range people {
		if p.Unreachable {
			continue
		}
		r := recipient{Chat: p.TelegramID, Lang: a.lang(p.Lang), Name: p.Name}
		d.byChat[r.Chat] = r
		switch p.Role {
		case storage.RoleManager:
			if p.AmoUserID != 0 {
				d.managers[p.AmoUserID] = append(d.managers[p.AmoUserID], r)
			}
		case storage.RoleHead:
			r.Team = p.Team
			d.heads = append(d.heads, r)
		case storage.RoleAdmin:
			d.admins = append(d.admins, r)
		}
	}
	for _, id := range a.opt.Admins {
		if !slices.ContainsFunc(d.admins, func(r recipient) bool { return r.Chat == id }) {
			d.admins = append(d.admins, recipient{Chat: id, Lang: a.opt.Lang})
		}
	}
	return d, nil
}

func (a *App) lang(l string) string {
	if l == "" {
		return a.opt.Lang
	}
	return l
}

// langOf returns the language of a chat in the directory, or the default.
func (d *directory) langOf(chat int64, def string) string {
	for _, rs := range d.managers {
		for _, r := range rs {
			if r.Chat == chat {
				return r.Lang
			}
		}
	}
	for _, r := range append(slices.Clone(d.heads), d.admins...) {
		if r.Chat == chat {
			return r.Lang
		}
	}
	return def
}

// ChatName names a console "chat" (console mode): the amoCRM user's name, or the head or the
// admin. The demo and `run` without Telegram label printed messages with it.
func (a *App) ChatName(chat int64) string {
	p := a.opt.Catalog.Printer(a.opt.Lang)
	switch chat {
	case consoleHead:
		return p.T("demo.role.head")
	case consoleAdmin:
		return p.T("demo.role.admin")
	}
	for _, acc := range a.accounts {
		acc.mu.RLock()
		var users []amo.User
		if acc.ws != nil {
			users = acc.ws.Dict().Users
		}
		acc.mu.RUnlock()
		for _, u := range users {
			if -int64(u.ID) == chat {
				return u.Name
			}
		}
	}
	return fmt.Sprintf("chat %d", chat)
}
