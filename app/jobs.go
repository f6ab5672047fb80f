package app

import (
	"fmt"
	"time"

	"salesguard/amo"
	"salesguard/bot"
	"salesguard/checks"
	"salesguard/notify"
	"salesguard/report"
)

// runJobs runs the daily and weekly jobs that are due for an account: the morning plan, the
// pre-close nudge, the end-of-day digest and the weekly report, each in the account's time zone
// and working calendar. A digest missed while the service was down is sent once, marked late.
func (a *App) runJobs(acc *accountState, s checks.Settings, now time.Time) error {
	acc.mu.RLock()
	cal, err := checks.NewCalendar(s.Calendar, acc.ws.Dict().Account.TimeZone)
	acc.mu.RUnlock()
	if err != nil {
		return fmt.Errorf("calendar: %w", err)
	}
	for _, job := range scheduledJobs {
		last, err := a.store.LastRun(acc.Key, job)
		if err != nil {
			return fmt.Errorf("job %s: %w", job, err)
		}
		if last.IsZero() {
			if err := a.store.SetLastRun(acc.Key, job, now); err != nil {
				return fmt.Errorf("job %s: %w", job, err)
			}
			continue
		}
		occ, ok := dueOccurrence(job, cal, s.Schedule, last, now, 2*a.opt.PollInterval+time.Minute)
		if !ok {
			continue
		}
		if err := a.runJob(acc, s, cal, occ, now); err != nil {
			return fmt.Errorf("job %s of %s: %w", job, occ.Day, err)
		}
		if err := a.store.SetLastRun(acc.Key, job, now); err != nil {
			return fmt.Errorf("job %s: %w", job, err)
		}
		acc.log.Info("job done", "job", job, "day", occ.Day.String(), "late", occ.Late)
	}
	return nil
}

func (a *App) runJob(acc *accountState, s checks.Settings, cal *checks.Calendar, occ occurrence, now time.Time) error {
	acc.mu.RLock()
	defer acc.mu.RUnlock()
	dir, err := a.directory(acc)
	if err != nil {
		return err
	}
	in, err := checks.NewInput(acc.ws, s, now)
	if err != nil {
		return err
	}
	q := &queue{app: a, acc: acc, dir: dir, cal: cal, sched: s.Schedule, ladder: s.Escalation, now: now, snap: acc.view(now)}
	switch occ.Job {
	case JobPlan:
		for _, mp := range checks.Plan(in, occ.Day) {
			for _, r := range dir.managers[mp.Manager] {
				q.add(a.opt.Renderer.Plan(mp, q.snap, occ.Day, r.Lang), r.Chat, now)
			}
		}
	case JobNudge:
		// R12 is found only when the day ends: the nudge lists what it will report then.
		a.nudge(q, enabledOf(s, append(checks.Evaluate(in, checks.R2, checks.R3, checks.R4), checks.UnsortedAtDayEnd(in)...)), occ)
	case JobDigest:
		if err := a.digest(q, in, checks.EvaluateEnabled(in), occ); err != nil {
			return err
		}
	case JobWeekly:
		if err := a.weekly(q, in, occ); err != nil {
			return err
		}
	}
	for _, m := range q.out {
		if _, err := a.store.Enqueue(m.Message, m.At); err != nil {
			return err
		}
	}
	return nil
}

// enabledOf keeps the findings of the rules the settings switch on.
func enabledOf(s checks.Settings, fs []checks.Finding) []checks.Finding {
	out := fs[:0]
	for _, f := range fs {
		if s.Enabled(f.Rule) {
			out = append(out, f)
		}
	}
	return out
}

// nudgeRules are the rules of the pre-close nudge: what a manager can still fix today.
var nudgeRules = map[checks.RuleID]bool{checks.R2: true, checks.R3: true, checks.R4: true, checks.R12: true}

// nudge sends each manager present today their deals without tasks, overdue tasks, stale
// deals and unsorted leads, an hour before the end of the day.
func (a *App) nudge(q *queue, fs []checks.Finding, occ occurrence) {
	by := map[int64][]checks.Finding{}
	_, end, _ := q.cal.DayBounds(occ.Day)
	for _, f := range fs {
		if !nudgeRules[f.Rule] || f.Level != checks.LevelWarning || q.cal.IsAbsent(f.ManagerID, occ.Day) {
			continue
		}
		for _, r := range q.dir.managers[f.ManagerID] {
			by[r.Chat] = append(by[r.Chat], f)
		}
	}
	for _, rs := range q.dir.managers {
		for _, r := range rs {
			if list := by[r.Chat]; len(list) > 0 {
				q.add(a.opt.Renderer.Nudge(list, q.snap, end, r.Lang), r.Chat, q.now)
			}
		}
	}
}

// digest stores the day's table and sends the digest to the heads (and the team chat).
func (a *App) digest(q *queue, in *checks.Input, fs []checks.Finding, occ occurrence) error {
	key := q.acc.Key
	today := checks.Table(fs, occ.Day)
	if err := a.store.PutTableAt(key, occ.Day, q.now, today); err != nil { // q.now: the ledger's moment (drill-down)
		return err
	}
	yesterday, err := a.store.Table(key, occ.Day.AddDays(-1), occ.Day.AddDays(-1))
	if err != nil {
		return err
	}
	week, err := a.store.Table(key, occ.Day.AddDays(-7), occ.Day.AddDays(-1))
	if err != nil {
		return err
	}
	d := checks.BuildDigest(occ.Day, today, yesterday, week, fs, q.acc.ws)
	d.AddResponses(checks.ResponseStats(in, occ.Day))
	render := func(d checks.Digest, lang string) notify.Message {
		if occ.Late {
			m := a.opt.Renderer.LateDigest(d, q.snap, occ.At, lang)
			m.Late = true
			return m
		}
		return a.opt.Renderer.Digest(d, q.snap, lang)
	}
	for _, r := range q.dir.heads {
		q.add(render(d, r.Lang), r.Chat, q.now)
	}
	if chat := q.sched.DigestChat; chat != 0 {
		team := d
		if !q.sched.PublicRanking {
			team.Managers, team.Deals = nil, nil
		}
		q.add(render(team, a.opt.Lang), chat, q.now)
	}
	return nil
}

// weekly sends the heads the report of the past seven days: the ranking against the week
// before, the violations by rule (the verdicts included, as /report counts them), the texts of
// "other" loss reasons, the call review and the trend chart; then, one message per manager
// the head sees, the week's calls to listen to with the verdict buttons (R7). Only the heads
// get them: a manager never learns which of their calls are reviewed.
func (a *App) weekly(q *queue, in *checks.Input, occ occurrence) error {
	from, to := occ.Day.AddDays(-7), occ.Day.AddDays(-1)
	rows, err := a.weekTable(q.acc.Key, from, to)
	if err != nil {
		return err
	}
	prev, err := a.weekTable(q.acc.Key, from.AddDays(-7), from.AddDays(-1))
	if err != nil {
		return err
	}
	rv, err := a.reviewOf(q.acc.Key, in, from)
	if err != nil {
		return fmt.Errorf("call review: %w", err)
	}
	snap := q.snap
	d := checks.BuildDigest(to, rows, prev, nil, nil, q.acc.ws)
	loc := in.Cal.Location()
	others := checks.OtherReasonTexts(in, from.In(loc), occ.Day.In(loc))
	names := map[amo.UserID]string{}
	for _, u := range snap.Users {
		names[u.ID] = u.Name
	}
	for _, r := range q.dir.heads {
		review := rv.forHead(r.Team)
		m := a.opt.Renderer.Weekly(d, from, to, others, review, snap, r.Lang)
		m.Late = occ.Late
		table := report.Table{From: from, To: to, Rows: rows, Managers: names}
		if png, err := report.Chart(table, a.opt.Catalog.Printer(r.Lang), report.ByManager); err == nil {
			m.Attachment = &notify.Attachment{Name: "week-" + to.String() + ".png", MIME: "image/png", IsPhoto: true, Data: png}
		} else {
			q.acc.log.Warn("weekly chart", "err", err)
		}
		q.add(m, r.Chat, q.now)
		a.reviewMessages(q, rv, review, r)
	}
	return nil
}

// reviewMessages queues to a head one message per manager of their review sample, ordered by
// name, each call with its OK / not OK buttons. The caller holds acc.mu (deal names).
func (a *App) reviewMessages(q *queue, rv weeklyReview, review bot.WeeklyReview, r recipient) {
	dealName := func(id amo.LeadID) string {
		if d := q.acc.ws.DealByID(id); d != nil {
			return q.acc.ws.DealName(d)
		}
		return ""
	}
	for _, m := range bot.ReviewManagers(q.snap, review.Sample) {
		msg := a.opt.Renderer.ReviewCalls(rv.week, m, review.Sample[m], rv.verdicts, q.snap, dealName, r.Lang)
		q.add(msg, r.Chat, q.now)
	}
}
