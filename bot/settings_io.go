package bot

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	tele "gopkg.in/telebot.v3"

	"salesguard/checks"
)

// maxSettingsFile caps an imported settings file.
const maxSettingsFile = 1 << 20

// maxProblemsShown caps the problems listed in one answer (the rest are counted).
const maxProblemsShown = 30

// SettingsRevision is one change of an account's settings: when, who ("tg:<id>", "config")
// and what changed.
type SettingsRevision struct {
	At      time.Time
	Who     string
	Changes []SettingsChange
}

// SettingsChange is one changed setting: its path ("r1.limit") and its JSON before and after.
type SettingsChange struct {
	Path     string
	Old, New string
}

// who names an admin in the settings history.
func who(p Person) string { return "tg:" + strconv.FormatInt(p.TelegramID, 10) }

// newProblems returns the problems of next that cur does not already have, so a setting that
// was invalid before does not block changing another one.
func newProblems(cur, next checks.Settings) []checks.Problem {
	before, after := problemsOf(cur.Validate()), problemsOf(next.Validate())
	return slices.DeleteFunc(after, func(p checks.Problem) bool { return slices.Contains(before, p) })
}

// problemsOf unpacks Validate's error.
func problemsOf(err error) []checks.Problem {
	var se *checks.SettingsError
	if errors.As(err, &se) {
		return slices.Clone(se.Problems)
	}
	return nil
}

// problemLines renders problems for the admin (values and paths are plain text, escaped).
func problemLines(p Printer, ps []checks.Problem) []string {
	out := make([]string, 0, min(len(ps), maxProblemsShown)+1)
	for i, pr := range ps {
		if i == maxProblemsShown {
			out = append(out, esc(p.N("bot.settings.more_problems", len(ps)-i)))
			break
		}
		out = append(out, bullet(esc(p.T("bot.settings.problem", pr.Setting, pr.Value, pr.Allowed))))
	}
	return out
}

// commit saves next when it brings no new problem; otherwise it returns the problems and
// saves nothing.
func (b *Bot) commit(p Person, cur, next checks.Settings) ([]checks.Problem, error) {
	if ps := newProblems(cur, next); len(ps) > 0 {
		return ps, nil
	}
	if err := b.store.SaveSettings(next, who(p)); err != nil {
		return nil, fmt.Errorf("save settings: %w", err)
	}
	return nil, nil
}

// exportSettings sends the whole configuration as a JSON document.
func (b *Bot) exportSettings(c tele.Context, p Person) error {
	s, err := b.store.LoadSettings()
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
	next, err := decodeSettings(data)
	if err != nil {
		return b.say(c, p, "bot.settings.import.bad_json", err.Error())
	}
	pr := b.printer(p, c)
	if ps := problemsOf(next.Validate()); len(ps) > 0 {
		lines := append([]string{"<b>" + esc(pr.N("bot.settings.import.invalid", len(ps))) + "</b>"}, problemLines(pr, ps)...)
		return reply(c, joinLines(lines...), nil)
	}
	if err := b.store.SaveSettings(next, who(p)); err != nil {
		return b.failed(c, p, "bot.settings.import.save_failed", fmt.Errorf("import settings: %w", err))
	}
	b.inputs.clear(p.TelegramID)
	return b.say(c, p, "bot.settings.import.done")
}

// decodeSettings reads a settings file strictly (unknown keys are errors); keys it leaves out
// keep their defaults.
func decodeSettings(data []byte) (checks.Settings, error) {
	s := checks.DefaultSettings()
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&s); err != nil {
		return checks.Settings{}, err
	}
	if dec.More() {
		return checks.Settings{}, errors.New("more than one JSON value")
	}
	return s, nil
}

// historyText lists the latest settings changes.
func historyText(p Printer, revs []SettingsRevision, loc *time.Location) string {
	lines := []string{"<b>" + esc(p.T("bot.settings.history.title")) + "</b>"}
	if len(revs) == 0 {
		return joinLines(append(lines, esc(p.T("bot.settings.history.empty")))...)
	}
	for _, r := range revs {
		lines = append(lines, "", esc(p.DateTime(r.At.In(loc))+" · "+r.Who))
		for i, ch := range r.Changes {
			if i == 10 {
				lines = append(lines, esc(p.N("bot.settings.history.more", len(r.Changes)-i)))
				break
			}
			path := cmpOr(ch.Path, "*")
			lines = append(lines, bullet(esc(path+": "+cut(ch.Old, 60)+" → "+cut(ch.New, 60))))
		}
	}
	return joinBlock(lines)
}
