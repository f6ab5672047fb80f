package bot

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	tele "gopkg.in/telebot.v3"

	"salesguard/amo"
	"salesguard/checks"
	"salesguard/notify"
)

// applyField sets a typed value: it is parsed, validated with the rest of the settings and
// saved (with who and when) only when valid; otherwise the admin is told why and what is
// allowed, nothing is saved, and the bot keeps waiting for a corrected value.
func (b *Bot) applyField(c tele.Context, p Person, path, text string) error {
	cur, err := b.store.In(p.Account).LoadSettings()
	if err != nil {
		return fmt.Errorf("load settings: %w", err)
	}
	pr := b.printer(p, c)
	snap := b.src.Snapshot(p.Account)
	next := cur
	var label, allowed, back string
	var value func() string
	if rest, ok := strings.CutPrefix(path, "r4."); ok {
		ref, pl, ok := stageRef(snap, rest)
		if !ok {
			return b.say(c, p, "bot.settings.expired")
		}
		label, allowed, back = pl.Name+" → "+stageName(pr, snap, ref), pr.T("bot.settings.allowed.limit"), "pp:"+modeLimit+":"+strconv.FormatInt(int64(pl.ID), 10)
		limits, ok := setLimit(cur.R4.Limits, ref, text)
		if !ok {
			return b.refuse(c, p, path, []string{esc(pr.T("bot.settings.bad_value", label, cut(text, 100), allowed))})
		}
		next.R4.Limits = limits
		value = func() string { return limitText(pr, limits, ref) }
	} else {
		f, ok := fieldByPath(path)
		if !ok {
			return b.say(c, p, "bot.settings.expired")
		}
		label, allowed, back = fieldLabel(pr, path), pr.T(allowedKey(f.ptr(&next))), sectionOf(path)
		if err := parseInto(f.ptr(&next), text, snap); err != nil {
			return b.refuse(c, p, path, []string{esc(pr.T("bot.settings.bad_value", label, cut(text, 100), allowed))})
		}
		value = func() string { return valueText(pr, f.ptr(&next)) }
	}
	ps, err := b.commit(p, cur, next)
	if err != nil {
		return err
	}
	if len(ps) > 0 {
		lines := append([]string{esc(pr.T("bot.settings.not_saved", label))}, problemLines(pr, ps)...)
		return b.refuse(c, p, path, append(lines, esc(pr.T("bot.settings.allowed", allowed))))
	}
	text = esc(pr.T("bot.settings.saved", label)) + " <code>" + esc(value()) + "</code>\n" + esc(pr.T("bot.settings.next_poll"))
	return reply(c, text, [][]notify.Button{backRow(pr, back)})
}

// refuse explains a refused value and waits for a corrected one.
func (b *Bot) refuse(c tele.Context, p Person, path string, lines []string) error {
	b.inputs.set(p.TelegramID, await{account: p.Account, kind: awaitSetting, field: path, until: b.clock.Now().Add(awaitTTL)})
	lines = append(lines, esc(b.printer(p, c).T("bot.settings.try_again")))
	return reply(c, joinLines(lines...), nil)
}

// sectionOf names the menu screen a typed field is on.
func sectionOf(path string) string {
	switch {
	case strings.HasPrefix(path, "calendar."):
		return "cal"
	case strings.HasPrefix(path, "schedule."):
		return "sch"
	}
	return "thr"
}

// stageRef reads "<pipeline>.<status>" of a stage that exists in the snapshot.
func stageRef(snap *amo.Snapshot, s string) (amo.StatusRef, amo.Pipeline, bool) {
	a, z, ok := strings.Cut(s, ".")
	pid, err1 := strconv.ParseInt(a, 10, 64)
	sid, err2 := strconv.ParseInt(z, 10, 64)
	pl, found := findPipeline(snap, amo.PipelineID(pid))
	if !ok || err1 != nil || err2 != nil || !found ||
		!slices.ContainsFunc(pl.Statuses, func(st amo.Status) bool { return int64(st.ID) == sid }) {
		return amo.StatusRef{}, amo.Pipeline{}, false
	}
	return amo.StatusRef{PipelineID: pl.ID, StatusID: amo.StatusID(sid)}, pl, true
}

// setLimit sets (a duration; a bare number is in days, as R4's defaults are written) or
// removes ("-") a stage's R4 limit, returning a new list.
func setLimit(limits []checks.StageLimit, ref amo.StatusRef, text string) ([]checks.StageLimit, bool) {
	var old checks.StageLimit
	if i := slices.IndexFunc(limits, func(l checks.StageLimit) bool { return l.Stage == ref }); i >= 0 {
		old = limits[i]
	}
	out := slices.DeleteFunc(slices.Clone(limits), func(l checks.StageLimit) bool { return l.Stage == ref })
	if strings.TrimSpace(text) == "-" {
		return out, true
	}
	mode, rest := stageTimeOf(text)
	d, err := parseDuration(rest, unitDays)
	if err != nil {
		return nil, false
	}
	if mode == "" { // a limit typed alone keeps the stage's choice of working or calendar time
		mode = old.Time
	}
	if mode == stageTimeDefault {
		mode = checks.StageTimeAuto
	}
	return append(out, checks.StageLimit{Stage: ref, Limit: d, Time: mode}), true
}

// stageTimeWords are the words that, after a stage limit, choose how it counts time ("1 ч
// рабочее", "2 days calendar", "1 h laborable"); "auto" goes back to the default choice.
var stageTimeWords = []struct {
	prefix string
	mode   checks.StageTime
}{
	{"рабоч", checks.StageTimeWorking}, {"work", checks.StageTimeWorking}, {"labor", checks.StageTimeWorking},
	{"hábil", checks.StageTimeWorking}, {"habil", checks.StageTimeWorking},
	{"календ", checks.StageTimeCalendar}, {"calend", checks.StageTimeCalendar}, {"natural", checks.StageTimeCalendar},
	{"авто", stageTimeDefault}, {"auto", stageTimeDefault},
}

// stageTimeDefault is what stageTimeOf returns for "auto": back to checks.StageTimeAuto.
const stageTimeDefault checks.StageTime = "auto"

// stageTimeOf splits a trailing time-counting word off a stage limit's text. The mode is ""
// when there is none, "auto" for the default choice.
func stageTimeOf(text string) (checks.StageTime, string) {
	f := strings.Fields(text)
	if len(f) < 2 {
		return "", text
	}
	last := strings.ToLower(strings.Trim(f[len(f)-1], "().,"))
	for _, w := range stageTimeWords {
		if strings.HasPrefix(last, w.prefix) {
			return w.mode, strings.Join(f[:len(f)-1], " ")
		}
	}
	return "", text
}

// limitText shows a stage's R4 limit ("2 д"), or "-" when it has none.
func limitText(p Printer, limits []checks.StageLimit, ref amo.StatusRef) string {
	if i := slices.IndexFunc(limits, func(l checks.StageLimit) bool { return l.Stage == ref }); i >= 0 {
		l := limits[i]
		mode := "calendar"
		if l.Time.Working(l.Limit.D()) {
			mode = "working"
		}
		return showDuration(p, l.Limit, unitDays) + " " + p.T("bot.settings.limit."+mode)
	}
	return "-"
}
