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

// historyShown is how many settings revisions the history screen lists.
const historyShown = 10

// onSettings opens the settings menu; "/settings export" sends them as a JSON file.
func (b *Bot) onSettings(c tele.Context, p Person) error {
	switch strings.ToLower(strings.TrimSpace(c.Message().Payload)) {
	case "":
		b.inputs.clear(p.TelegramID)
		text, rows := mainScreen(b.printer(p, c))
		return reply(c, b.headed(c, p, b.printer(p, c), text), rows)
	case "export":
		return b.exportSettings(c, p)
	}
	return b.say(c, p, "bot.settings.usage")
}

// onSettingsButton handles a press in the settings menu. The sender must be an admin in a
// private chat, every time: callback data is user input and may be replayed or forged.
func (b *Bot) onSettingsButton(c tele.Context, p Person) error {
	data := c.Data()
	if p.Role != RoleAdmin || !isPrivate(c) || len(data) > 64 {
		return c.Respond()
	}
	s, err := b.store.In(p.Account).LoadSettings()
	if err != nil {
		return fmt.Errorf("load settings: %w", err)
	}
	pr := b.printer(p, c)
	snap := b.src.Snapshot(p.Account)
	action, arg, _ := strings.Cut(data, ":")
	switch action {
	case "x":
		if err := c.Respond(); err != nil {
			return err
		}
		return b.exportSettings(c, p)
	case "f":
		f, ok := fieldByPath(arg)
		if !ok {
			return c.Respond()
		}
		return b.askField(c, p, f.path, fieldLabel(pr, f.path), valueText(pr, f.ptr(&s)), pr.T(allowedKey(f.ptr(&s))))
	case "st":
		return b.onStage(c, p, s, snap, arg)
	case "t":
		return b.onToggle(c, p, s, snap, arg)
	case "rq+", "rq-":
		return b.onRequired(c, p, s, snap, action, arg)
	case "h":
		revs, err := b.store.In(p.Account).SettingsHistory(historyShown)
		if err != nil {
			return fmt.Errorf("settings history: %w", err)
		}
		return b.show(c, historyText(pr, revs, b.zone(p.Account), b.authorNames(pr, p.Account), snap), [][]notify.Button{backRow(pr, "m")})
	}
	text, rows, ok := screen(pr, s, snap, data)
	if !ok {
		return c.Respond()
	}
	return b.show(c, text, rows)
}

// screen renders a menu screen named by callback data; ok is false for unknown data.
func screen(pr Printer, s checks.Settings, snap *amo.Snapshot, data string) (string, [][]notify.Button, bool) {
	action, arg, _ := strings.Cut(data, ":")
	var text string
	var rows [][]notify.Button
	switch action {
	case "m":
		text, rows = mainScreen(pr)
	case "thr":
		text, rows = fieldsScreen(pr, s, pr.T("bot.settings.section.thr"), thresholdFields, "m")
	case "cal":
		text, rows = calendarScreen(pr, s)
	case "sch":
		text, rows = scheduleScreen(pr, s)
	case "rl":
		text, rows = rulesScreen(pr, s)
	case "pl":
		text, rows = pipelinesScreen(pr, s, snap)
	case "lim":
		text, rows = pipelinePicker(pr, snap, modeLimit, pr.T("bot.settings.section.lim"), "m")
	case "sp":
		text, rows = specialScreen(pr, s)
	case "lr":
		text, rows = reasonsScreen(pr, s, snap)
	case "sm":
		if arg != modeFirst && arg != modeMissed {
			return "", nil, false
		}
		text, rows = pipelinePicker(pr, snap, arg, pr.T(map[string]string{modeFirst: "bot.settings.stages.first", modeMissed: "bot.settings.stages.missed_call"}[arg]), "sp")
	case "rq":
		text, rows = requiredScreen(pr, s, snap)
	case "rqe", "rqf", "rqp", "rqs":
		var ok bool
		if text, rows, ok = requiredStep(pr, snap, action, arg); !ok {
			return "", nil, false
		}
	case "pri":
		text, rows = priorityScreen(pr, s, snap)
	case "pp":
		mode, id, ok := strings.Cut(arg, ":")
		n, err := strconv.ParseInt(id, 10, 64)
		pl, found := findPipeline(snap, amo.PipelineID(n))
		if !ok || err != nil || !found || !slices.Contains([]string{modeLimit, modeFirst, modeMissed, modeOrder}, mode) {
			return "", nil, false
		}
		text, rows = stagesScreen(pr, s, pl, mode)
	default:
		return "", nil, false
	}
	return text, rows, true
}

// show answers the press and redraws the pressed message with a screen.
func (b *Bot) show(c tele.Context, text string, rows [][]notify.Button) error {
	if err := c.Respond(); err != nil {
		return err
	}
	if c.Message() == nil {
		return reply(c, text, rows)
	}
	if err := c.Edit(text, options(false, rows)); err != nil && !strings.Contains(err.Error(), "message is not modified") {
		return fmt.Errorf("redraw settings: %w", err)
	}
	return nil
}

// askField asks the admin to type a value and waits for it (awaitTTL).
func (b *Bot) askField(c tele.Context, p Person, path, label, value, allowed string) error {
	b.inputs.set(p.TelegramID, await{account: p.Account, kind: awaitSetting, field: path, until: b.clock.Now().Add(awaitTTL)})
	if err := c.Respond(); err != nil {
		return err
	}
	pr := b.printer(p, c)
	text := joinLines("<b>"+esc(label)+"</b>", esc(pr.T("bot.settings.now"))+" <code>"+esc(value)+"</code>",
		esc(pr.T("bot.settings.allowed", allowed)), esc(pr.T("bot.settings.send_value")))
	return reply(c, text, nil)
}

// onStage handles a stage button: ask for its R4 limit, or toggle it as first / missed call.
func (b *Bot) onStage(c tele.Context, p Person, s checks.Settings, snap *amo.Snapshot, arg string) error {
	parts := strings.Split(arg, ":")
	if len(parts) != 3 {
		return c.Respond()
	}
	pid, err1 := strconv.ParseInt(parts[1], 10, 64)
	sid, err2 := strconv.ParseInt(parts[2], 10, 64)
	pl, ok := findPipeline(snap, amo.PipelineID(pid))
	if err1 != nil || err2 != nil || !ok || !slices.ContainsFunc(pl.Statuses, func(st amo.Status) bool { return int64(st.ID) == sid }) {
		return c.Respond()
	}
	ref := amo.StatusRef{PipelineID: pl.ID, StatusID: amo.StatusID(sid)}
	pr := b.printer(p, c)
	next := s
	switch parts[0] {
	case modeLimit:
		path := "r4." + parts[1] + "." + parts[2]
		return b.askField(c, p, path, pl.Name+" → "+stageName(pr, snap, ref), limitText(pr, s.R4.Limits, ref), pr.T("bot.settings.allowed.limit"))
	case modeFirst:
		next.Stages.First = toggle(s.Stages.First, ref)
	case modeMissed:
		next.Stages.MissedCall = toggle(s.Stages.MissedCall, ref)
	case modeOrder:
		next.Plan.Priority = toggle(s.Plan.Priority, ref)
	default:
		return c.Respond()
	}
	return b.saveToggle(c, p, s, next, "pp:"+parts[0]+":"+parts[1])
}

// onToggle flips a rule, a pipeline, a loss reason's meaning, a schedule switch, R10's
// from_amo or the production calendar, or clears the plan's stage priority.
func (b *Bot) onToggle(c tele.Context, p Person, s checks.Settings, snap *amo.Snapshot, arg string) error {
	kind, id, _ := strings.Cut(arg, ":")
	n, numErr := strconv.ParseInt(id, 10, 64)
	next := s
	var back string
	switch {
	case kind == "r" && (slices.Contains(checks.AllRuleIDs, checks.RuleID(id)) || checks.RuleID(id) == checks.RuleDataHealth):
		next.Disabled = toggle(s.Disabled, checks.RuleID(id))
		back = "rl"
	case kind == "p" && numErr == nil:
		pl, ok := findPipeline(snap, amo.PipelineID(n))
		if !ok {
			return c.Respond()
		}
		if len(s.Pipelines) == 0 {
			for _, x := range snapPipelines(snap) {
				if !x.IsArchive {
					next.Pipelines = append(next.Pipelines, x.ID)
				}
			}
		}
		next.Pipelines = toggle(next.Pipelines, pl.ID)
		if len(next.Pipelines) == 0 {
			return c.Respond(&tele.CallbackResponse{Text: b.printer(p, c).T("bot.settings.pipelines.none"), ShowAlert: true})
		}
		back = "pl"
	case (kind == "c" || kind == "o") && numErr == nil:
		if snap == nil || !slices.ContainsFunc(snap.LossReasons, func(r amo.LossReason) bool { return int64(r.ID) == n }) {
			return c.Respond()
		}
		if kind == "c" {
			next.LossReasons.CantReach = toggle(s.LossReasons.CantReach, amo.LossReasonID(n))
		} else {
			next.LossReasons.Other = toggle(s.LossReasons.Other, amo.LossReasonID(n))
		}
		back = "lr"
	case kind == "pub" && id == "":
		next.Schedule.PublicRanking = !s.Schedule.PublicRanking
		back = "sch"
	case kind == "esc" && id == "":
		next.Schedule.EscalationsOffHours = !s.Schedule.EscalationsOffHours
		back = "sch"
	case kind == "byname" && id == "":
		next.R4.ByName = !s.R4.ByName
		back = "lim"
	case kind == "amo" && id == "":
		next.R10.FromAmo = !s.R10.FromAmo
		back = "rq"
	case kind == "cbx" && id == "": // a required checkbox is filled when checked ↔ when set at all
		next.R10.Checkbox = checks.CheckboxSet
		if s.R10.Checkbox == checks.CheckboxSet {
			next.R10.Checkbox = checks.CheckboxDefault
		}
		back = "rq"
	case kind == "pri" && id == "" && len(s.Plan.Priority) > 0:
		next.Plan.Priority = nil
		back = "pri"
	case kind == "prod" && isProductionCode(id):
		next.Calendar.Production = id
		if s.Calendar.Production == id {
			next.Calendar.Production = ""
		}
		back = "cal"
	default:
		return c.Respond()
	}
	return b.saveToggle(c, p, s, next, back)
}

// toggle adds x to a list or removes it, returning a new list.
func toggle[T comparable](list []T, x T) []T {
	if slices.Contains(list, x) {
		return slices.DeleteFunc(slices.Clone(list), func(y T) bool { return y == x })
	}
	return append(slices.Clone(list), x)
}

// saveToggle commits a toggled setting and redraws the screen it was on; a change Validate
// refuses is shown as an alert and nothing is saved.
func (b *Bot) saveToggle(c tele.Context, p Person, cur, next checks.Settings, back string) error {
	pr := b.printer(p, c)
	ps, err := b.commit(p, cur, next)
	if err != nil {
		return err
	}
	if len(ps) > 0 {
		return c.Respond(&tele.CallbackResponse{Text: plainText(joinLines(problemLines(pr, ps)...)), ShowAlert: true})
	}
	text, rows, ok := screen(pr, next, b.src.Snapshot(p.Account), back)
	if !ok {
		return c.Respond()
	}
	return b.show(c, text, rows)
}
