package bot

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"salesguard/amo"
	"salesguard/checks"
)

// SettingsRevision is one change of an account's settings: when, who ("tg:<id>", "config",
// "migration") and what changed.
type SettingsRevision struct {
	At      time.Time
	Who     string
	Changes []SettingsChange
}

// SettingsChange is one changed setting: its path ("r1.limit", "calendar.week") and its JSON
// before and after ("null" when absent).
type SettingsChange struct {
	Path     string
	Old, New string
}

// who names an admin in the settings history.
func who(p Person) string { return "tg:" + strconv.FormatInt(p.TelegramID, 10) }

// Limits of the history screen: changes listed per revision, and runes of one value.
const (
	historyChangesShown = 10
	historyValueRunes   = 60
)

// historyText lists the latest settings changes, "when · who", then each changed setting by
// its label with its old and new value as the settings show them; when is in the account's
// zone loc, who by name (author). A whole import is the list of the settings it changed.
func historyText(p Printer, revs []SettingsRevision, loc *time.Location, author func(who string) string, snap *amo.Snapshot) string {
	lines := []string{"<b>" + esc(p.T("bot.settings.history.title")) + "</b>"}
	if len(revs) == 0 {
		return joinLines(append(lines, esc(p.T("bot.settings.history.empty")))...)
	}
	for _, r := range revs {
		lines = append(lines, "", "<b>"+esc(p.T("bot.settings.history.entry", p.DateTime(r.At.In(loc)), author(r.Who)))+"</b>")
		changes := expandChanges(r.Changes)
		for i, ch := range changes {
			if i == historyChangesShown {
				lines = append(lines, esc(p.N("bot.settings.history.more", len(changes)-i)))
				break
			}
			lines = append(lines, bullet(esc(changeText(p, ch, snap))))
		}
	}
	return joinBlock(lines)
}

// changeText is one change in words: "R1: time to take a lead: 15 min → 20 min".
func changeText(p Printer, ch SettingsChange, snap *amo.Snapshot) string {
	if ch.Path == "" || ch.Path == "*" {
		return p.T("bot.settings.history.whole")
	}
	return p.T("bot.settings.history.change", settingLabel(p, ch.Path),
		cut(historyValue(p, ch.Path, ch.Old, snap), historyValueRunes), cut(historyValue(p, ch.Path, ch.New, snap), historyValueRunes))
}

// expandChanges splits a change of the working week into one change per weekday, Monday
// first, so each reads as a day's hours.
func expandChanges(chs []SettingsChange) []SettingsChange {
	out := make([]SettingsChange, 0, len(chs))
	for _, ch := range chs {
		var before, after [7]checks.DayHours
		if ch.Path != "calendar.week" || decodeJSON(ch.Old, &before) != nil || decodeJSON(ch.New, &after) != nil {
			out = append(out, ch)
			continue
		}
		for i := range 7 {
			wd := (i + 1) % 7
			if before[wd] != after[wd] {
				o, _ := json.Marshal(before[wd])
				n, _ := json.Marshal(after[wd])
				out = append(out, SettingsChange{Path: "calendar.week." + strconv.Itoa(wd), Old: string(o), New: string(n)})
			}
		}
	}
	return out
}

// decodeJSON reads a stored value; "null" and "" leave v as it is.
func decodeJSON(raw string, v any) error {
	if raw == "" || raw == "null" {
		return nil
	}
	return json.Unmarshal([]byte(raw), v)
}

// historyValue writes a stored JSON value of a setting as the settings show it; what it
// cannot read is shown as stored.
func historyValue(p Printer, path, raw string, snap *amo.Snapshot) string {
	if raw == "" || raw == "null" {
		return "-"
	}
	if f, ok := fieldByPath(path); ok {
		v := f.ptr(&checks.Settings{})
		target := v
		if d, ok := v.(durationField); ok {
			target = d.d
		}
		if json.Unmarshal([]byte(raw), target) == nil {
			return valueText(p, v)
		}
		return raw
	}
	var on bool
	if json.Unmarshal([]byte(raw), &on) == nil {
		return p.T(map[bool]string{true: "bot.settings.history.on", false: "bot.settings.history.off"}[on])
	}
	if s, ok := listValue(p, path, raw, snap); ok {
		return cmpOr(s, "-")
	}
	if path == "r10.checkbox" { // the toggle's two states, as the required-fields screen says them
		var rule checks.CheckboxRule
		if json.Unmarshal([]byte(raw), &rule) == nil {
			return p.T("bot.settings.checkbox." + cmpOr(string(rule), string(checks.CheckboxChecked)))
		}
	}
	var text string
	if json.Unmarshal([]byte(raw), &text) == nil {
		return cmpOr(text, "-")
	}
	return raw
}

// listValue writes the lists picked in the menu by name: rules, pipelines, stages, loss
// reasons, R4's limits and R10's fields.
func listValue(p Printer, path, raw string, snap *amo.Snapshot) (string, bool) {
	switch path {
	case "disabled":
		return names(raw, func(r checks.RuleID) string { return string(r) })
	case "pipelines":
		return names(raw, func(id amo.PipelineID) string {
			if pl, ok := findPipeline(snap, id); ok && strings.TrimSpace(pl.Name) != "" {
				return pl.Name
			}
			return "#" + strconv.FormatInt(int64(id), 10)
		})
	case "stages.first", "stages.missed_call", "plan.priority":
		return names(raw, func(r amo.StatusRef) string { return stageLabel(p, snap, r) })
	case "loss_reasons.cant_reach", "loss_reasons.other":
		return names(raw, func(id amo.LossReasonID) string { return reasonName(snap, id) })
	case "r4.limits":
		return names(raw, func(l checks.StageLimit) string {
			return stageLabel(p, snap, l.Stage) + ": " + limitText(p, []checks.StageLimit{l}, l.Stage)
		})
	case "r10.required":
		return names(raw, func(r checks.RequiredField) string {
			return p.T("bot.settings.required.line", p.T("bot.settings.required.entity."+r.Entity),
				fieldName(snap, r.Entity, r.Field), stageLabel(p, snap, r.From))
		})
	}
	return "", false
}

// names decodes a JSON list and names its items, comma-separated; ok is false when raw is not
// such a list.
func names[T any](raw string, name func(T) string) (string, bool) {
	var xs []T
	if json.Unmarshal([]byte(raw), &xs) != nil {
		return "", false
	}
	out := make([]string, 0, len(xs))
	for _, x := range xs {
		out = append(out, name(x))
	}
	return strings.Join(out, ", "), true
}

// reasonName names a loss reason, or "#id" when the snapshot does not have it.
func reasonName(snap *amo.Snapshot, id amo.LossReasonID) string {
	if snap != nil {
		for _, r := range snap.LossReasons {
			if r.ID == id && strings.TrimSpace(r.Name) != "" {
				return r.Name
			}
		}
	}
	return "#" + strconv.FormatInt(int64(id), 10)
}

// authorNames names the authors of an account's revisions: a person by the name the bot keeps
// for them in that account (else their Telegram id), and the service's own changes in words.
func (b *Bot) authorNames(p Printer, account string) func(who string) string {
	var names map[int64]string // the account's people, read at the first name asked
	return func(who string) string {
		switch who {
		case "config":
			return p.T("bot.settings.history.who_config")
		case "migration":
			return p.T("bot.settings.history.who_migration")
		}
		idText, ok := strings.CutPrefix(who, "tg:")
		id, err := strconv.ParseInt(idText, 10, 64)
		if !ok || err != nil {
			return who
		}
		if names == nil {
			names = map[int64]string{}
			if people, err := b.store.People(account); err == nil {
				for _, q := range people {
					names[q.TelegramID] = strings.TrimSpace(q.Name)
				}
			}
		}
		if name := names[id]; name != "" {
			return name
		}
		return p.T("bot.settings.history.who_id", fmt.Sprint(id))
	}
}
