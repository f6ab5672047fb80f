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
	text := "<b>" + esc(pr.T("bot.start."+string(p.Role))) + "</b>\n\n" + b.helpText(pr, p, isMulti(c))
	return reply(c, b.headed(c, p, pr, text), nil)
}

// onHelp lists the commands the person may use.
func (b *Bot) onHelp(c tele.Context, p Person) error {
	pr := b.printer(p, c)
	return reply(c, b.headed(c, p, pr, b.helpText(pr, p, isMulti(c))), nil)
}

// helpText lists the commands of p's role; /account only for someone in several accounts.
func (b *Bot) helpText(pr Printer, p Person, multi bool) string {
	lines := []string{"<b>" + esc(pr.T("bot.help.title")) + "</b>"}
	for _, cmd := range b.commands() {
		if inMenu(cmd, p, multi) {
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
	if err := b.saveLang(c, p); err != nil {
		return err
	}
	if err := b.syncPerson(p); err != nil {
		b.log.Warn("publish commands", "user_id", p.TelegramID, "err", Redact(err, b.cfg.Token))
	}
	if err := c.Respond(); err != nil {
		return err
	}
	return c.Edit(esc(b.printer(p, c).T("bot.lang.set")), options(false, nil))
}

// saveLang stores p's language in each of their memberships: a person reads every account in
// the language they chose.
func (b *Bot) saveLang(c tele.Context, p Person) error {
	ms := membersOf(c)
	if !slices.ContainsFunc(ms, func(m Person) bool { return m.Account == p.Account }) {
		ms = append(ms, p)
	}
	for _, m := range ms {
		if m.Account == p.Account {
			m = p
		}
		m.Lang = p.Lang
		if err := b.store.PutPerson(m); err != nil {
			return fmt.Errorf("save language of %d in account %s: %w", m.TelegramID, m.Account, err)
		}
	}
	return nil
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
		return reply(c, b.headed(c, p, b.printer(p, c), m.Text), nil)
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
	return reply(c, b.headed(c, p, pr, joinLines(lines...)), nil)
}

// onDigest sends today's digest now; a head with a team sees only their managers.
func (b *Bot) onDigest(c tele.Context, p Person) error {
	d, err := b.src.Digest(p.Account)
	if err != nil {
		return fmt.Errorf("digest of %s: %w", p.Account, err)
	}
	d = visibleDigest(d, p)
	m := b.render.Digest(d, b.src.Snapshot(p.Account), langOf(p, c))
	return reply(c, b.headed(c, p, b.printer(p, c), m.Text), m.Buttons) // the drill-down buttons
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
