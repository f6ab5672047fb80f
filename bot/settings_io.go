package bot

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	tele "gopkg.in/telebot.v3"

	"salesguard/checks"
)

// maxSettingsFile caps an imported settings file.
const maxSettingsFile = 1 << 20

// maxProblemsShown caps the problems listed in one answer (the rest are counted).
const maxProblemsShown = 30

// commit saves next when it brings no new problem; otherwise it returns the problems and
// saves nothing.
func (b *Bot) commit(p Person, cur, next checks.Settings) ([]checks.Problem, error) {
	if ps := newProblems(cur, next); len(ps) > 0 {
		return ps, nil
	}
	if err := b.store.In(p.Account).SaveSettings(next, who(p)); err != nil {
		return nil, fmt.Errorf("save settings: %w", err)
	}
	return nil, nil
}

// exportSettings sends the whole configuration as a JSON document.
func (b *Bot) exportSettings(c tele.Context, p Person) error {
	s, err := b.store.In(p.Account).LoadSettings()
	if err != nil {
		return b.failed(c, p, "bot.settings.export.failed", fmt.Errorf("load settings: %w", err))
	}
	data, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return b.failed(c, p, "bot.settings.export.failed", fmt.Errorf("encode settings: %w", err))
	}
	pr := b.printer(p, c)
	doc := &tele.Document{File: tele.FromReader(bytes.NewReader(append(data, '\n'))), MIME: "application/json",
		FileName: "salesguard-settings-" + b.today(p.Account).String() + ".json",
		Caption:  esc(pr.T("bot.settings.export.caption"))}
	if _, err := c.Bot().Send(c.Chat(), doc, &tele.SendOptions{ParseMode: tele.ModeHTML}); err != nil {
		return b.failed(c, p, "bot.settings.export.failed", fmt.Errorf("send settings file: %w", err))
	}
	return nil
}

// failed logs err once, here, and tells the person in their language what went wrong and
// what to do (key); nothing is left unanswered.
func (b *Bot) failed(c tele.Context, p Person, key string, err error) error {
	b.log.Error("settings file", "err", Redact(err, b.cfg.Token), "user_id", p.TelegramID)
	return b.say(c, p, key)
}

// onDocument imports a settings file an admin sends in a private chat: all or nothing, after
// validation; any problem is reported and nothing changes. Other people's documents and other
// chats are ignored.
func (b *Bot) onDocument(c tele.Context, p Person) error {
	doc := c.Message().Document
	if !isPrivate(c) || doc == nil {
		return nil
	}
	if p.Role != RoleAdmin {
		return b.onUnknown(c, p)
	}
	if !strings.HasSuffix(strings.ToLower(doc.FileName), ".json") {
		return b.say(c, p, "bot.settings.import.not_json")
	}
	if doc.FileSize > maxSettingsFile {
		return b.say(c, p, "bot.settings.import.too_big", maxSettingsFile/1024)
	}
	rc, err := c.Bot().File(&doc.File)
	if err != nil {
		return b.failed(c, p, "bot.settings.import.download_failed", fmt.Errorf("download settings file: %w", err))
	}
	defer rc.Close()
	data, err := io.ReadAll(io.LimitReader(rc, maxSettingsFile+1))
	if err != nil {
		return b.failed(c, p, "bot.settings.import.download_failed", fmt.Errorf("download settings file: %w", err))
	}
	if len(data) > maxSettingsFile {
		return b.say(c, p, "bot.settings.import.too_big", maxSettingsFile/1024)
	}
	pr := b.printer(p, c)
	next, err := decodeSettings(data)
	if err != nil {
		return reply(c, esc(decodeProblem(pr, err)), nil)
	}
	if ps := problemsOf(next.Validate()); len(ps) > 0 {
		lines := append([]string{"<b>" + esc(pr.N("bot.settings.import.invalid", len(ps))) + "</b>"}, fileProblemLines(pr, ps)...)
		return reply(c, joinLines(lines...), nil)
	}
	if err := b.store.In(p.Account).SaveSettings(next, who(p)); err != nil {
		return b.failed(c, p, "bot.settings.import.save_failed", fmt.Errorf("import settings: %w", err))
	}
	b.inputs.clear(p.TelegramID)
	return b.say(c, p, "bot.settings.import.done")
}

// decodeSettings reads a settings file strictly (unknown keys are errors); keys it leaves out
// keep their defaults. The error is a *decodeError.
func decodeSettings(data []byte) (checks.Settings, error) {
	s := checks.DefaultSettings()
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&s); err != nil {
		return checks.Settings{}, &decodeError{err: err, line: lineAt(data, faultOffset(err, dec.InputOffset()))}
	}
	at := dec.InputOffset()
	switch _, err := dec.Token(); {
	case errors.Is(err, io.EOF):
		return s, nil
	case err != nil: // trailing garbage: "{}}"
		return checks.Settings{}, &decodeError{err: err, line: lineAt(data, faultOffset(err, at))}
	}
	return checks.Settings{}, &decodeError{err: errMoreJSON, line: lineAt(data, dec.InputOffset())}
}
