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
	cur, err := b.store.LoadSettings()
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
		value = func() string { return cmpOr(strings.TrimSpace(text), "-") }
	} else {
		f, ok := fieldByPath(path)
		if !ok {
			return b.say(c, p, "bot.settings.expired")
		}
		label, allowed, back = fieldLabel(pr, path), pr.T(allowedKey(f.ptr(&next))), sectionOf(path)
		if err := parseInto(f.ptr(&next), text, snap); err != nil {
			return b.refuse(c, p, path, []string{esc(pr.T("bot.settings.bad_value", label, cut(text, 100), allowed))})
		}
		value = func() string { return valueText(f.ptr(&next)) }
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
	b.inputs.set(p.TelegramID, await{kind: awaitSetting, field: path, until: b.clock.Now().Add(awaitTTL)})
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

// setLimit sets (a duration) or removes ("-") a stage's R4 limit, returning a new list.
func setLimit(limits []checks.StageLimit, ref amo.StatusRef, text string) ([]checks.StageLimit, bool) {
	out := slices.DeleteFunc(slices.Clone(limits), func(l checks.StageLimit) bool { return l.Stage == ref })
	if strings.TrimSpace(text) == "-" {
		return out, true
	}
	d, err := checks.ParseDuration(text)
	if err != nil {
		return nil, false
	}
	return append(out, checks.StageLimit{Stage: ref, Limit: d}), true
}
