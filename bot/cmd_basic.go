package bot

import (
	"fmt"
	"slices"

	tele "gopkg.in/telebot.v3"

	"salesguard/checks"
	"salesguard/notify"
)

// languages the bot speaks, with their names as their speakers write them.
var languages = []struct{ code, name string }{{"en", "English"}, {"ru", "Русский"}, {"es", "Español"}}

// onStart greets a known person with what their role can do, and publishes their menu again,
// so it is right from this moment whatever happened to it before.
func (b *Bot) onStart(c tele.Context, p Person) error {
	if isPrivate(c) {
		if err := b.syncPerson(p); err != nil {
			b.log.Warn("publish commands", "user_id", p.TelegramID, "err", Redact(err, b.cfg.Token))
		}
	}
	pr := b.printer(p, c)
	text := "<b>" + esc(pr.T("bot.start."+string(p.Role))) + "</b>\n\n" + b.helpText(pr, p)
	return reply(c, text, nil)
}

// onHelp lists the commands the person may use.
func (b *Bot) onHelp(c tele.Context, p Person) error {
	return reply(c, b.helpText(b.printer(p, c), p), nil)
}

func (b *Bot) helpText(pr Printer, p Person) string {
	lines := []string{"<b>" + esc(pr.T("bot.help.title")) + "</b>"}
	for _, cmd := range b.commands() {
		if slices.Contains(cmd.roles, p.Role) {
			lines = append(lines, "/"+cmd.name+" — "+esc(pr.T("bot.cmd."+cmd.name)))
		}
	}
	if p.Role == RoleManager && p.AmoUserID == 0 {
		lines = append(lines, "", esc(pr.T("bot.help.unmapped")))
	}
	return joinBlock(lines)
}

// onLang offers the languages.
func (b *Bot) onLang(c tele.Context, p Person) error {
	var row []notify.Button
	for _, l := range languages {
		row = append(row, notify.Button{Text: l.name, Unique: uniqLang, Data: l.code})
	}
	return reply(c, esc(b.printer(p, c).T("bot.lang.choose")), [][]notify.Button{row})
}

// onLangButton saves the chosen language and republishes the person's command menu.
func (b *Bot) onLangButton(c tele.Context, p Person) error {
	code := c.Data()
	if !slices.ContainsFunc(languages, func(l struct{ code, name string }) bool { return l.code == code }) {
		return c.Respond()
	}
	p.Lang = code
	if err := b.store.PutPerson(p); err != nil {
		return fmt.Errorf("save language of %d: %w", p.TelegramID, err)
	}
	if err := b.syncPerson(p); err != nil {
		b.log.Warn("publish commands", "user_id", p.TelegramID, "err", Redact(err, b.cfg.Token))
	}
	if err := c.Respond(); err != nil {
		return err
	}
	return c.Edit(esc(b.printer(p, c).T("bot.lang.set")), options(false, nil))
}

// onUnknown answers unknown text in a private chat with a pointer to /help.
func (b *Bot) onUnknown(c tele.Context, p Person) error {
	if !isPrivate(c) {
		return nil
	}
	return b.say(c, p, "bot.error.unknown")
}

// onToday shows a manager their morning plan, and a head or admin the plan of each manager
// they see (task count and time).
func (b *Bot) onToday(c tele.Context, p Person) error {
	plans, err := b.src.Plans(p.Account)
	if err != nil {
		return fmt.Errorf("plans of %s: %w", p.Account, err)
	}
	snap := b.src.Snapshot(p.Account)
	day := checks.DateOf(b.clock.Now().In(location(snap)))
	lang := langOf(p, c)
	if p.Role == RoleManager {
		mp := checks.ManagerPlan{Manager: p.AmoUserID}
		for _, pl := range plans {
			if p.AmoUserID != 0 && pl.Manager == p.AmoUserID {
				mp = pl
			}
		}
		m := b.render.PlanNow(mp, snap, b.clock.Now(), lang)
		return reply(c, m.Text, nil)
	}
	pr := b.printer(p, c)
	lines := []string{planHeader(pr, day, b.clock.Now().In(location(snap)).Hour(), location(snap))}
	for _, pl := range plans {
		if !p.Sees(pl.Manager) || len(pl.Items) == 0 {
			continue
		}
		lines = append(lines, bullet("<b>"+esc(userName(snap, pl.Manager))+"</b>: "+
			esc(pr.N("plan.summary", len(pl.Items), pr.Duration(pl.Total)))))
	}
	if len(lines) == 1 {
		lines = append(lines, esc(pr.T("plan.empty")))
	}
	return reply(c, joinLines(lines...), nil)
}

// onDigest sends today's digest now; a head with a team sees only their managers.
func (b *Bot) onDigest(c tele.Context, p Person) error {
	d, err := b.src.Digest(p.Account)
	if err != nil {
		return fmt.Errorf("digest of %s: %w", p.Account, err)
	}
	d = visibleDigest(d, p)
	m := b.render.Digest(d, b.src.Snapshot(p.Account), langOf(p, c))
	return reply(c, m.Text, m.Buttons) // the drill-down buttons
}

// visibleDigest keeps the managers and deals a person sees, with the totals of those managers.
func visibleDigest(d checks.Digest, p Person) checks.Digest {
	if p.Role == RoleAdmin || len(p.Team) == 0 {
		return d
	}
	d.Managers = slices.DeleteFunc(slices.Clone(d.Managers), func(m checks.ManagerDigest) bool { return !p.Sees(m.Manager) })
	d.Deals = slices.DeleteFunc(slices.Clone(d.Deals), func(f checks.Finding) bool { return !p.Sees(f.ManagerID) })
	d.Total, d.Yesterday, d.WeekAvg = 0, 0, 0
	byRule := map[checks.RuleID]int{}
	for _, m := range d.Managers {
		d.Total += m.Total
		d.Yesterday += m.Yesterday
		d.WeekAvg += m.WeekAvg
		for _, rc := range m.ByRule {
			byRule[rc.Rule] += rc.Count
		}
	}
	d.Totals = slices.DeleteFunc(slices.Clone(d.Totals), func(rc checks.RuleCount) bool { return byRule[rc.Rule] == 0 })
	for i := range d.Totals {
		d.Totals[i].Count = byRule[d.Totals[i].Rule]
	}
	return d
}
