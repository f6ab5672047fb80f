package bot

import (
	"errors"
	"fmt"
	"slices"

	tele "gopkg.in/telebot.v3"
)

// publicCommands are what a stranger's menu shows (Telegram's default scope).
var publicCommands = []string{"start", "help"}

// SyncCommands publishes the command menus (setMyCommands): the public menu in each language
// for the default scope, and for each known person a menu of their role's commands in their
// language, scoped to their private chat. It returns every failure joined.
func (b *Bot) SyncCommands() error {
	var errs []error
	for _, l := range languages {
		pr := b.cat.Printer(l.code)
		var cmds []tele.Command
		for _, name := range publicCommands {
			cmds = append(cmds, tele.Command{Text: name, Description: pr.T("bot.cmd." + name)})
		}
		lang := l.code
		if lang == "en" {
			lang = "" // the fallback for every other client language
		}
		if err := b.tb.SetCommands(cmds, tele.CommandScope{Type: tele.CommandScopeDefault}, lang); err != nil {
			errs = append(errs, fmt.Errorf("set default commands (%s): %w", l.code, err))
		}
	}
	seen := map[int64]bool{}
	for _, account := range b.accounts() {
		people, err := b.store.People(account)
		if err != nil {
			errs = append(errs, fmt.Errorf("list people of %s: %w", account, err))
			continue
		}
		for _, q := range people {
			if seen[q.TelegramID] {
				continue
			}
			seen[q.TelegramID] = true
			if err := b.syncUser(q.TelegramID); err != nil {
				errs = append(errs, err)
			}
		}
	}
	return errors.Join(errs...)
}

// syncUser publishes the menu of a Telegram user's current membership.
func (b *Bot) syncUser(tgID int64) error {
	ms, err := b.members(tgID)
	if err != nil || len(ms) == 0 {
		return err
	}
	p, err := b.current(tgID, ms)
	if err != nil {
		return err
	}
	return b.publish(p, len(ms) > 1)
}

// syncPerson publishes the menu of p, the person's current membership, in their private chat.
func (b *Bot) syncPerson(p Person) error {
	ms, err := b.members(p.TelegramID)
	if err != nil {
		return err
	}
	return b.publish(p, len(ms) > 1)
}

// inMenu says whether a command is in p's menu and help: their role's commands, /account only
// for someone in several accounts.
func inMenu(cmd command, p Person, multi bool) bool {
	return slices.Contains(cmd.roles, p.Role) && (cmd.name != "account" || multi)
}

// publish sets p's menu: the commands of their role in their language.
func (b *Bot) publish(p Person, multi bool) error {
	lang := p.Lang
	if lang == "" {
		lang = "en"
	}
	pr := b.cat.Printer(lang)
	var cmds []tele.Command
	for _, cmd := range b.commands() {
		if inMenu(cmd, p, multi) {
			cmds = append(cmds, tele.Command{Text: cmd.name, Description: pr.T("bot.cmd." + cmd.name)})
		}
	}
	scope := tele.CommandScope{Type: tele.CommandScopeChat, ChatID: p.TelegramID}
	if err := b.tb.SetCommands(cmds, scope); err != nil {
		return fmt.Errorf("set commands of %d: %w", p.TelegramID, err)
	}
	return nil
}
