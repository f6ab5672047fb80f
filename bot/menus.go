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
	people, err := b.store.People()
	if err != nil {
		return errors.Join(append(errs, fmt.Errorf("list people: %w", err))...)
	}
	for _, p := range people {
		if err := b.syncPerson(p); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// syncPerson publishes one person's menu in their private chat.
func (b *Bot) syncPerson(p Person) error {
	lang := p.Lang
	if lang == "" {
		lang = "en"
	}
	pr := b.cat.Printer(lang)
	var cmds []tele.Command
	for _, cmd := range b.commands() {
		if slices.Contains(cmd.roles, p.Role) {
			cmds = append(cmds, tele.Command{Text: cmd.name, Description: pr.T("bot.cmd." + cmd.name)})
		}
	}
	scope := tele.CommandScope{Type: tele.CommandScopeChat, ChatID: p.TelegramID}
	if err := b.tb.SetCommands(cmds, scope); err != nil {
		return fmt.Errorf("set commands of %d: %w", p.TelegramID, err)
	}
	return nil
}
