package bot

import (
	"slices"
	"strings"
	"time"

	"salesguard/amo"
	"salesguard/checks"
	"salesguard/notify"
)

// nudgeMaxLines caps the deals listed in a pre-close nudge; the rest are counted.
const nudgeMaxLines = 30

// snapNow is the moment a snapshot describes (the renderer reads no clock).
func snapNow(snap *amo.Snapshot) time.Time {
	if snap == nil {
		return time.Time{}
	}
	return snap.TakenAt
}

// Reminder renders an escalation again, for heads who have not acknowledged it: the alert
// under a line saying it is a reminder (Value already brought up to now by the caller).
func (r *Renderer) Reminder(f checks.Finding, snap *amo.Snapshot, lang string) notify.Message {
	m := r.Alert(f, snap, lang)
	m.Kind = notify.KindReminder // its own kind: an alert goes once, a reminder until acknowledged
	m.Text = esc(r.p(lang).T("alert.reminder")) + "\n" + m.Text
	return m
}

// Alert renders a finding for its recipient: a warning for the responsible manager (with
// snooze buttons) or an escalation for the head (naming the manager, with an acknowledge
// button). Both open the deal's card. ChatID is left for the caller.
func (r *Renderer) Alert(f checks.Finding, snap *amo.Snapshot, lang string) notify.Message {
	p := r.p(lang)
	said := sentence(p, f, snap, snapNow(snap))
	text := joinLines("<b>"+esc(ruleName(p, f.Rule))+"</b>", said, managerLine(p, f, snap, said))
	var rows [][]notify.Button
	if u := dealURL(snap, f.DealID); u != "" {
		rows = append(rows, []notify.Button{{Text: p.T("button.open_deal"), URL: u}})
	}
	k := shortKey(f.Key())
	switch f.Level {
	case checks.LevelEscalation:
		rows = append(rows, []notify.Button{{Text: p.T("bot.button.ack"), Unique: uniqAck, Data: k}})
	case checks.LevelWarning:
		rows = append(rows, []notify.Button{
			{Text: p.T("bot.button.snooze_hour"), Unique: uniqSnooze, Data: snoozeHour + ":" + k},
			{Text: p.T("bot.button.snooze_tomorrow"), Unique: uniqSnooze, Data: snoozeTomorrow + ":" + k},
		})
	}
	return notify.Message{Kind: notify.KindAlert, Text: text, Buttons: rows, FindingKey: f.Key().String()}
}

// Fixed renders the edit of an earlier alert once its finding has cleared: "fixed", the deal
// and no buttons (an edit without a keyboard removes the old one).
func (r *Renderer) Fixed(f checks.Finding, snap *amo.Snapshot, lang string, alert notify.SentRef) notify.Message {
	p := r.p(lang)
	text := joinLines(
		"<b>"+esc(p.T("alert.fixed"))+"</b> · "+esc(ruleName(p, f.Rule)),
		"<s>"+dealLink(snap, f.DealID, f.DealName)+"</s>",
	)
	ref := alert
	return notify.Message{Kind: notify.KindFixed, ChatID: alert.ChatID, Text: text, FindingKey: f.Key().String(), Edit: &ref}
}

// Nudge renders a manager's pre-close reminder (R2 deals without a task, R3 overdue tasks, R4
// stale stages, R12 unsorted deals): counts, then one line per deal with its link. end is the
// end of the working day, shown in its location.
func (r *Renderer) Nudge(fs []checks.Finding, snap *amo.Snapshot, end time.Time, lang string) notify.Message {
	p := r.p(lang)
	fs = slices.Clone(fs)
	checks.SortFindings(fs)
	if len(fs) == 0 {
		return notify.Message{Kind: notify.KindNudge, Text: esc(p.T("nudge.all_clear"))}
	}
	counts := map[checks.RuleID]int{}
	for _, f := range fs {
		counts[f.Rule]++
	}
	lines := []string{"<b>" + esc(p.T("nudge.header", p.Time(end))) + "</b>"}
	for _, c := range []struct {
		rule checks.RuleID
		key  string
	}{{checks.R2, "nudge.no_task"}, {checks.R3, "nudge.overdue"}, {checks.R4, "nudge.stale"}, {checks.R12, "nudge.unsorted"}} {
		if n := counts[c.rule]; n > 0 {
			lines = append(lines, esc(p.N(c.key, n)))
		}
	}
	lines = append(lines, "")
	for i, f := range fs {
		if i == nudgeMaxLines {
			lines = append(lines, esc(p.N("bot.list.more", len(fs)-i)))
			break
		}
		lines = append(lines, bullet(sentence(p, f, snap, snapNow(snap))))
	}
	lines = append(lines, "", esc(p.T("nudge.footer")))
	return notify.Message{Kind: notify.KindNudge, Text: joinBlock(lines)}
}

// DataHealth renders the admin's notice that data some rules need is missing.
func (r *Renderer) DataHealth(fs []checks.Finding, snap *amo.Snapshot, lang string) notify.Message {
	p := r.p(lang)
	lines := []string{"<b>" + esc(p.T("health.title")) + "</b>"}
	for _, f := range fs {
		lines = append(lines, bullet(sentence(p, f, snap, snapNow(snap))))
	}
	return notify.Message{Kind: notify.KindDataHealth, Text: joinLines(lines...)}
}

// managerLine names the responsible manager under an escalation.
func managerLine(p Printer, f checks.Finding, snap *amo.Snapshot, said string) string {
	name := userName(snap, f.ManagerID)
	if f.Level != checks.LevelEscalation || strings.Contains(said, esc(name)) {
		return ""
	}
	return esc(p.T("alert.manager", name))
}
