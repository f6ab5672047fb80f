package bot

import (
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"salesguard/amo"
	"salesguard/checks"
	"salesguard/notify"
)

// This file holds the plan's stage priority, the production calendar and R8's trivial words.
// The priority is the screen "pri" (the order, a pipeline picker, "clear"), with its stages
// on pp:o:<pipeline> and st:o:<pipeline>:<status> like the other stage pickers.

// modeOrder is the stage-picker mode of the plan's stage priority.
const modeOrder = "o"

// productionRU is the built-in production calendar the calendar screen toggles.
const productionRU = "RU"

// calendarScreen adds the production-calendar toggle to the calendar's fields.
func calendarScreen(p Printer, s checks.Settings) (string, [][]notify.Button) {
	text, rows := fieldsScreen(p, s, p.T("bot.settings.section.cal"), calendarFields, "m")
	prod := []notify.Button{menuButton(mark(s.Calendar.Production == productionRU, p.T("bot.settings.f.calendar.production")), "t:prod:"+productionRU)}
	return text, append(rows[:len(rows)-1], prod, rows[len(rows)-1])
}

// priorityScreen shows the plan's stage order, a pipeline picker to add stages and "clear".
func priorityScreen(p Printer, s checks.Settings, snap *amo.Snapshot) (string, [][]notify.Button) {
	lines := []string{"<b>" + esc(p.T("bot.settings.section.pri")) + "</b>", esc(p.T("bot.settings.priority.hint"))}
	if len(s.Plan.Priority) == 0 {
		lines = append(lines, esc(p.T("bot.settings.priority.none")))
	}
	for i, r := range s.Plan.Priority {
		lines = append(lines, esc(strconv.Itoa(i+1)+". "+stageLabel(p, snap, r)))
	}
	_, rows := pipelinePicker(p, snap, modeOrder, "", "m")
	if len(s.Plan.Priority) > 0 {
		rows = append(rows[:len(rows)-1], []notify.Button{menuButton(p.T("bot.settings.priority.clear"), "t:pri")}, rows[len(rows)-1])
	}
	if len(snapPipelines(snap)) == 0 {
		lines = append(lines, esc(p.T("bot.settings.no_snapshot")))
	}
	return joinLines(lines...), rows
}

// orderLabel marks a stage with its place in the plan's priority.
func orderLabel(s checks.Settings, ref amo.StatusRef, name string) string {
	if i := slices.Index(s.Plan.Priority, ref); i >= 0 {
		return strconv.Itoa(i+1) + ". " + name
	}
	return "▫️ " + name
}

// isProductionCode reports whether callback data looks like a production-calendar code (a
// few capital letters); Validate decides whether such a calendar is built in.
func isProductionCode(s string) bool {
	if len(s) < 2 || len(s) > 8 {
		return false
	}
	for _, r := range s {
		if r < 'A' || r > 'Z' {
			return false
		}
	}
	return true
}

// Limits of R8's trivial words, so a paste of a whole text is refused.
const (
	maxTrivialWords   = 200
	maxTrivialWordLen = 50
)

// parseWords reads R8's trivial results: separated by commas or lines, each trimmed, empty
// items and repeats dropped; "-" or nothing is the empty list. An item longer than
// maxTrivialWordLen letters, or more than maxTrivialWords items, is a format error.
func parseWords(s string, empty bool) ([]string, error) {
	out := []string{}
	if empty {
		return out, nil
	}
	for _, w := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == '\n' }) {
		w = strings.TrimSpace(w)
		switch {
		case w == "" || slices.Contains(out, w):
			continue
		case utf8.RuneCountInString(w) > maxTrivialWordLen || len(out) == maxTrivialWords:
			return nil, errFormat
		}
		out = append(out, w)
	}
	return out, nil
}
