package bot

import (
	"fmt"
	"time"

	tele "gopkg.in/telebot.v3"

	"salesguard/checks"
	"salesguard/notify"
)

// defaultDayStart is when "until tomorrow" ends on a day with no working hours configured.
const defaultDayStart = checks.Clock(9 * 60)

// findFinding looks up the open finding a button names, if it has the given level and the
// person sees it. A forged or stale key finds nothing.
func (b *Bot) findFinding(p Person, key string, level checks.Level) (checks.Finding, bool) {
	k, ok := parseShortKey(key)
	if !ok {
		return checks.Finding{}, false
	}
	f, ok := b.src.OpenFinding(p.Account, k)
	if !ok || f.Level != level || !p.Sees(f.ManagerID) {
		return checks.Finding{}, false
	}
	return f, true
}

// onSnooze silences a warning for an hour or until the start of the next day. Only the
// manager responsible for the finding may snooze it.
func (b *Bot) onSnooze(c tele.Context, p Person) error {
	period, key, ok := parseSnooze(c.Data())
	if !ok || p.Role != RoleManager {
		return c.Respond()
	}
	f, ok := b.findFinding(p, key, checks.LevelWarning)
	if !ok {
		return c.Respond()
	}
	now := b.clock.Now()
	until := now.Add(time.Hour)
	if period == snoozeTomorrow {
		until = b.tomorrow(p.Account, now)
	}
	if err := b.store.In(p.Account).Snooze(f.Key().String(), until); err != nil {
		return fmt.Errorf("snooze %s: %w", f.Key().String(), err)
	}
	pr := b.printer(p, c)
	loc := location(b.src.Snapshot(p.Account))
	if err := c.Respond(&tele.CallbackResponse{Text: pr.T("bot.alert.snoozed", pr.Time(until.In(loc)))}); err != nil {
		return err
	}
	if err := b.dropActions(c, p, f); err != nil {
		return err
	}
	return c.Send(esc(pr.T("bot.alert.snoozed_note", pr.Time(until.In(loc))))) // what happens next, in the chat
}

// tomorrow is the start of the next day's working hours in the account's time zone.
func (b *Bot) tomorrow(account string, now time.Time) time.Time {
	loc := location(b.src.Snapshot(account))
	day := checks.DateOf(now.In(loc)).AddDays(1)
	start := b.src.Settings(account).Calendar.Week[day.Weekday()].Start
	if start == 0 {
		start = defaultDayStart
	}
	return start.On(day, loc)
}

// onAck records a head's acknowledgement of an escalation.
func (b *Bot) onAck(c tele.Context, p Person) error {
	key := c.Data()
	if !isShortKey(key) || (p.Role != RoleHead && p.Role != RoleAdmin) {
		return c.Respond()
	}
	f, ok := b.findFinding(p, key, checks.LevelEscalation)
	if !ok {
		return c.Respond()
	}
	if err := b.store.In(p.Account).Ack(f.Key().String(), p.TelegramID, b.clock.Now()); err != nil {
		return fmt.Errorf("acknowledge %s: %w", f.Key().String(), err)
	}
	if err := b.respond(c, p, "bot.alert.acked"); err != nil {
		return err
	}
	if err := b.dropActions(c, p, f); err != nil {
		return err
	}
	return c.Send(esc(b.printer(p, c).T("bot.alert.acked_note")))
}

// dropActions leaves only the "open deal" button on the pressed alert.
func (b *Bot) dropActions(c tele.Context, p Person, f checks.Finding) error {
	if c.Message() == nil {
		return nil
	}
	var rows [][]notify.Button
	if u := dealURL(b.src.Snapshot(p.Account), f.DealID); u != "" {
		rows = [][]notify.Button{{{Text: b.printer(p, c).T("button.open_deal"), URL: u}}}
	}
	mk := markup(rows)
	if mk == nil {
		mk = &tele.ReplyMarkup{InlineKeyboard: [][]tele.InlineButton{}}
	}
	_, err := c.Bot().EditReplyMarkup(c.Message(), mk)
	if err != nil {
		return fmt.Errorf("drop alert buttons: %w", err)
	}
	return nil
}
