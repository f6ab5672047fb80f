package bot

import (
	"fmt"
	"slices"
	"strings"
	"time"

	tele "gopkg.in/telebot.v3"

	"salesguard/amo"
	"salesguard/checks"
)

// onCallVerdict stores a head's verdict on a call of a weekly review sample and redraws the
// manager's message with it; pressing the other button changes the verdict. The data is user
// input and the rights are checked at the press: the presser must be a head or an admin now,
// in a private chat; the week must have started at most reviewDays ago; the call must be in
// the sample stored for that week, of a manager the presser sees.
func (b *Bot) onCallVerdict(c tele.Context, p Person) error {
	ok, week, note, valid := parseCallVerdictData(c.Data())
	if !valid || !isPrivate(c) || (p.Role != RoleHead && p.Role != RoleAdmin) {
		return c.Respond()
	}
	today := b.today(p.Account)
	if today.Before(week) || week.Before(today.AddDays(-reviewDays)) {
		return c.Respond()
	}
	calls, found, err := b.store.In(p.Account).ReviewSample(week)
	if err != nil {
		return fmt.Errorf("review sample of %s: %w", week, err)
	}
	i := slices.IndexFunc(calls, func(rc checks.ReviewCall) bool { return rc.NoteID == note })
	if !found || i < 0 || !p.Sees(calls[i].ManagerID) {
		return c.Respond()
	}
	rc := calls[i]
	v := CallVerdict{Week: week, Day: callDay(week, rc.At, b.zone(p.Account)), NoteID: note, DealID: rc.DealID,
		Manager: rc.ManagerID, OK: ok, By: p.TelegramID, ByName: p.Name, At: b.clock.Now()}
	if err := b.store.In(p.Account).PutCallVerdict(v); err != nil {
		return fmt.Errorf("store verdict on call %d: %w", note, err)
	}
	notice := "bot.review.saved_not_ok"
	if ok {
		notice = "bot.review.saved_ok"
	}
	if err := b.respond(c, p, notice); err != nil {
		return err
	}
	return b.refreshReview(c, p, week, rc.ManagerID, calls)
}

// callDay is the local day of a sampled call, kept within its week (the sample was drawn over
// the week's local days; a time zone changed since must not move a call out of it).
func callDay(week checks.Date, at time.Time, loc *time.Location) checks.Date {
	d := checks.DateOf(at.In(loc))
	switch {
	case d.Before(week):
		return week
	case week.AddDays(6).Before(d):
		return week.AddDays(6)
	}
	return d
}

// refreshReview redraws the pressed manager's message with the verdicts given so far.
func (b *Bot) refreshReview(c tele.Context, p Person, week checks.Date, m amo.UserID, calls []checks.ReviewCall) error {
	if c.Message() == nil {
		return nil
	}
	vs, err := b.store.In(p.Account).CallVerdicts(week, week.AddDays(6))
	if err != nil {
		return fmt.Errorf("call verdicts: %w", err)
	}
	var mine []checks.ReviewCall
	for _, rc := range calls {
		if rc.ManagerID == m {
			mine = append(mine, rc)
		}
	}
	text, rows := reviewBlock(b.printer(p, c), b.src.Snapshot(p.Account), b.dealNames(p.Account), week, m, mine, vs)
	if err := c.Edit(text, options(false, rows)); err != nil && !strings.Contains(err.Error(), "message is not modified") {
		return fmt.Errorf("redraw call review: %w", err)
	}
	return nil
}

// reviewRows returns the table rows of the call verdicts on the days from..to: each call
// judged not OK is an R7 violation (checks.CallVerdictRows).
func (b *Bot) reviewRows(account string, from, to checks.Date) ([]checks.TableRow, error) {
	vs, err := b.store.In(account).CallVerdicts(from, to)
	if err != nil {
		return nil, fmt.Errorf("call verdicts: %w", err)
	}
	return checks.CallVerdictRows(TableVerdicts(vs)), nil
}
