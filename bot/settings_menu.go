package bot

import (
	"slices"
	"strconv"

	"salesguard/amo"
	"salesguard/checks"
	"salesguard/notify"
)

// uniqSettings is the callback unique of the settings menu. Data (all user input, parsed
// strictly, the sender re-checked as an admin on every press):
//
//	<screen>                         show a screen: m thr cal sch rl pl lim sp lr rq pri h
//	sm:<f|m>                         pick the pipeline of the first / missed-call stages
//	pp:<l|f|m|o>:<pipeline>          list a pipeline's stages for limits / first / missed call / plan order
//	st:<l|f|m|o>:<pipeline>:<status> a stage: ask for its limit, or toggle its meaning or place
//	f:<path>                         ask for a typed value
//	rqe rqf rqp rqs rq+ rq-          R10's required fields (settings_required.go)
//	t:r:<rule> | t:p:<pipeline> | t:c:<reason> | t:o:<reason> | t:pub | t:esc | t:byname
//	t:amo | t:cbx | t:pri | t:prod:<code>  R10 from_amo, R10 checkbox rule, clear the plan's priority, production calendar
//	x                              export the settings as a JSON file
const uniqSettings = "set"

// Stage modes of the stage pickers.
const (
	modeLimit  = "l"
	modeFirst  = "f"
	modeMissed = "m"
)

// menuButton is a settings button.
func menuButton(text, data string) notify.Button {
	return notify.Button{Text: text, Unique: uniqSettings, Data: data}
}

// backRow returns to a screen.
func backRow(p Printer, screen string) []notify.Button {
	return []notify.Button{menuButton("« "+p.T("bot.settings.back"), screen)}
}

// pairs lays buttons out two a row.
func pairs(bs []notify.Button) [][]notify.Button {
	var rows [][]notify.Button
	for i := 0; i < len(bs); i += 2 {
		rows = append(rows, bs[i:min(i+2, len(bs))])
	}
	return rows
}

// mark prefixes a toggle's label with its state.
func mark(on bool, label string) string {
	if on {
		return "✅ " + label
	}
	return "▫️ " + label
}

// mainScreen lists the sections.
func mainScreen(p Printer) (string, [][]notify.Button) {
	var bs []notify.Button
	for _, sec := range []string{"pl", "lim", "sp", "lr", "rq", "pri", "cal", "thr", "rl", "sch", "h"} {
		bs = append(bs, menuButton(p.T("bot.settings.section."+sec), sec))
	}
	bs = append(bs, menuButton(p.T("bot.settings.section.x"), "x"))
	text := "<b>" + esc(p.T("bot.settings.title")) + "</b>\n" + esc(p.T("bot.settings.intro"))
	return text, pairs(bs)
}

// fieldsScreen lists typed fields with their values, one a row.
func fieldsScreen(p Printer, s checks.Settings, title string, fs []field, back string) (string, [][]notify.Button) {
	var rows [][]notify.Button
	for _, f := range fs {
		rows = append(rows, []notify.Button{menuButton(fieldLabel(p, f.path)+": "+cut(valueText(p, f.ptr(&s)), 30), "f:"+f.path)})
	}
	return "<b>" + esc(title) + "</b>\n" + esc(p.T("bot.settings.pick_field")), append(rows, backRow(p, back))
}

// scheduleScreen adds the digest toggles to the schedule's fields.
func scheduleScreen(p Printer, s checks.Settings) (string, [][]notify.Button) {
	text, rows := fieldsScreen(p, s, p.T("bot.settings.section.sch"), scheduleFields, "m")
	toggles := [][]notify.Button{
		{menuButton(mark(s.Schedule.PublicRanking, p.T("bot.settings.f.schedule.public_ranking")), "t:pub")},
		{menuButton(mark(s.Schedule.EscalationsOffHours, p.T("bot.settings.f.schedule.escalations_off_hours")), "t:esc")},
	}
	return text, append(rows[:len(rows)-1], append(toggles, rows[len(rows)-1])...)
}

// rulesScreen toggles the rules.
func rulesScreen(p Printer, s checks.Settings) (string, [][]notify.Button) {
	var bs []notify.Button
	for _, r := range append(slices.Clone(checks.AllRuleIDs), checks.RuleDataHealth) {
		bs = append(bs, menuButton(mark(s.Enabled(r), string(r)+" "+ruleName(p, r)), "t:r:"+string(r)))
	}
	return "<b>" + esc(p.T("bot.settings.section.rl")) + "</b>", append(pairs(bs), backRow(p, "m"))
}

// watched reports whether a pipeline is watched under the settings.
func watched(s checks.Settings, pl amo.Pipeline) bool {
	if len(s.Pipelines) == 0 {
		return !pl.IsArchive
	}
	return slices.Contains(s.Pipelines, pl.ID)
}

// pipelinesScreen toggles the watched pipelines.
func pipelinesScreen(p Printer, s checks.Settings, snap *amo.Snapshot) (string, [][]notify.Button) {
	text := "<b>" + esc(p.T("bot.settings.section.pl")) + "</b>\n" + esc(p.T("bot.settings.pipelines.hint"))
	var rows [][]notify.Button
	for _, pl := range snapPipelines(snap) {
		rows = append(rows, []notify.Button{menuButton(mark(watched(s, pl), pl.Name), "t:p:"+strconv.FormatInt(int64(pl.ID), 10))})
	}
	return text, append(rows, backRow(p, "m"))
}

// snapPipelines returns the snapshot's pipelines (none before the first sync).
func snapPipelines(snap *amo.Snapshot) []amo.Pipeline {
	if snap == nil {
		return nil
	}
	return snap.Pipelines
}

// pipelinePicker lists the pipelines for a stage mode.
func pipelinePicker(p Printer, snap *amo.Snapshot, mode, title, back string) (string, [][]notify.Button) {
	var rows [][]notify.Button
	for _, pl := range snapPipelines(snap) {
		rows = append(rows, []notify.Button{menuButton(pl.Name, "pp:"+mode+":"+strconv.FormatInt(int64(pl.ID), 10))})
	}
	text := "<b>" + esc(title) + "</b>\n" + esc(p.T("bot.settings.pick_pipeline"))
	if len(rows) == 0 {
		text += "\n" + esc(p.T("bot.settings.no_snapshot"))
	}
	return text, append(rows, backRow(p, back))
}

// specialScreen chooses which special stages to edit.
func specialScreen(p Printer, s checks.Settings) (string, [][]notify.Button) {
	text := "<b>" + esc(p.T("bot.settings.section.sp")) + "</b>\n" + esc(p.T("bot.settings.auto"))
	rows := [][]notify.Button{
		{menuButton(p.T("bot.settings.stages.first")+" ("+strconv.Itoa(len(s.Stages.First))+")", "sm:"+modeFirst)},
		{menuButton(p.T("bot.settings.stages.missed_call")+" ("+strconv.Itoa(len(s.Stages.MissedCall))+")", "sm:"+modeMissed)},
		backRow(p, "m"),
	}
	return text, rows
}

// stagesScreen lists a pipeline's stages for a mode: with their limits, or as toggles.
func stagesScreen(p Printer, s checks.Settings, pl amo.Pipeline, mode string) (string, [][]notify.Button) {
	var rows [][]notify.Button
	for _, st := range pl.Statuses {
		ref := amo.StatusRef{PipelineID: pl.ID, StatusID: st.ID}
		data := "st:" + mode + ":" + strconv.FormatInt(int64(pl.ID), 10) + ":" + strconv.FormatInt(int64(st.ID), 10)
		label := st.Name
		switch mode {
		case modeLimit:
			if i := slices.IndexFunc(s.R4.Limits, func(l checks.StageLimit) bool { return l.Stage == ref }); i >= 0 {
				label += ": " + showDuration(p, s.R4.Limits[i].Limit, unitDays)
			} else {
				label += ": —"
			}
		case modeFirst:
			label = mark(slices.Contains(s.Stages.First, ref), label)
		case modeMissed:
			label = mark(slices.Contains(s.Stages.MissedCall, ref), label)
		case modeOrder:
			label = orderLabel(s, ref, label)
		}
		rows = append(rows, []notify.Button{menuButton(label, data)})
	}
	back, hint := "sm:"+mode, "bot.settings.auto"
	switch mode {
	case modeOrder:
		back, hint = "pri", "bot.settings.priority.hint"
	case modeLimit:
		back, hint = "lim", "bot.settings.limits.hint"
		rows = append(rows, []notify.Button{menuButton(mark(s.R4.ByName, p.T("bot.settings.limits.by_name")), "t:byname")})
	}
	text := "<b>" + esc(pl.Name) + "</b>\n" + esc(p.T(hint))
	return text, append(rows, backRow(p, back))
}

// reasonsScreen toggles the loss reasons meaning "can't reach" and "other".
func reasonsScreen(p Printer, s checks.Settings, snap *amo.Snapshot) (string, [][]notify.Button) {
	text := "<b>" + esc(p.T("bot.settings.section.lr")) + "</b>\n" + esc(p.T("bot.settings.auto"))
	var rows [][]notify.Button
	if snap == nil || len(snap.LossReasons) == 0 {
		text += "\n" + esc(p.T("bot.settings.no_snapshot"))
	} else {
		for _, r := range snap.LossReasons {
			id := strconv.FormatInt(int64(r.ID), 10)
			rows = append(rows, []notify.Button{
				menuButton(mark(slices.Contains(s.LossReasons.CantReach, r.ID), p.T("bot.settings.reasons.cant_reach", r.Name)), "t:c:"+id),
				menuButton(mark(slices.Contains(s.LossReasons.Other, r.ID), p.T("bot.settings.reasons.other", r.Name)), "t:o:"+id),
			})
		}
	}
	return text, append(rows, backRow(p, "m"))
}

// findPipeline looks a pipeline up in the snapshot.
func findPipeline(snap *amo.Snapshot, id amo.PipelineID) (amo.Pipeline, bool) {
	for _, pl := range snapPipelines(snap) {
		if pl.ID == id {
			return pl, true
		}
	}
	return amo.Pipeline{}, false
}
