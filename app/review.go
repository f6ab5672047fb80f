package app

import (
	"hash/fnv"
	"slices"

	"salesguard/amo"
	"salesguard/bot"
	"salesguard/checks"
)

// reviewSeed is the seed of an account's weekly call review pick (checks.ReviewSample): the
// same for /calls during the week and for the weekly report after it.
func reviewSeed(account string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(account))
	return h.Sum64()
}

// weeklyReview is the call review of a weekly report (R7), for every manager; forHead keeps
// what one head sees.
type weeklyReview struct {
	week     checks.Date
	sample   map[amo.UserID][]checks.ReviewCall // the reported week's calls, as stored
	verdicts []bot.CallVerdict                  // already given on them (a report sent again)
	prev     bot.WeeklyReview                   // the week before's sample and its verdicts
}

// reviewOf draws the call review sample of the week starting on week and stores it, unless a
// sample of that week is stored already (the report sent again after a crash: the head gets
// the same calls), and reads the verdicts on the week before's sample. Nothing when R7 is off.
func (a *App) reviewOf(key string, in *checks.Input, week checks.Date) (weeklyReview, error) {
	rv := weeklyReview{week: week}
	if !in.Settings.Enabled(checks.R7) {
		return rv, nil
	}
	picked := checks.ReviewSample(in, week, reviewSeed(key))
	managers := make([]amo.UserID, 0, len(picked))
	for m := range picked {
		managers = append(managers, m)
	}
	slices.Sort(managers)
	var all []checks.ReviewCall
	for _, m := range managers {
		all = append(all, picked[m]...)
	}
	stored, err := a.store.SaveReviewSample(key, week, all)
	if err != nil {
		return rv, err
	}
	rv.sample = byCallManager(stored)
	vs, err := a.store.CallVerdicts(key, week, week.AddDays(6))
	if err != nil {
		return rv, err
	}
	rv.verdicts = botCallVerdicts(vs)
	rv.prev, err = a.prevReview(key, week.AddDays(-7))
	return rv, err
}

// prevReview tallies the verdicts on the stored sample of the week starting on week.
func (a *App) prevReview(key string, week checks.Date) (bot.WeeklyReview, error) {
	calls, ok, err := a.store.ReviewSample(key, week)
	if err != nil || !ok || len(calls) == 0 {
		return bot.WeeklyReview{}, err
	}
	vs, err := a.store.CallVerdicts(key, week, week.AddDays(6))
	if err != nil {
		return bot.WeeklyReview{}, err
	}
	sampled := map[amo.UserID]int{}
	in := map[amo.NoteID]bool{}
	for _, rc := range calls {
		sampled[rc.ManagerID]++
		in[rc.NoteID] = true
	}
	var judged []bot.CallVerdict
	for _, v := range botCallVerdicts(vs) {
		if v.Week == week && in[v.NoteID] {
			judged = append(judged, v)
		}
	}
	return bot.WeeklyReview{PrevWeek: week, PrevSampled: sampled, PrevTallies: checks.ReviewTallies(bot.TableVerdicts(judged))}, nil
}

// forHead keeps the managers a head sees (their team; everyone when it is empty).
func (rv weeklyReview) forHead(team []amo.UserID) bot.WeeklyReview {
	sees := func(m amo.UserID) bool { return len(team) == 0 || slices.Contains(team, m) }
	out := bot.WeeklyReview{Sample: map[amo.UserID][]checks.ReviewCall{}, PrevWeek: rv.prev.PrevWeek, PrevSampled: map[amo.UserID]int{}}
	for m, calls := range rv.sample {
		if sees(m) {
			out.Sample[m] = calls
		}
	}
	for m, n := range rv.prev.PrevSampled {
		if sees(m) {
			out.PrevSampled[m] = n
		}
	}
	for _, t := range rv.prev.PrevTallies {
		if sees(t.Manager) {
			out.PrevTallies = append(out.PrevTallies, t)
		}
	}
	return out
}

// byCallManager groups calls by manager, keeping their order.
func byCallManager(calls []checks.ReviewCall) map[amo.UserID][]checks.ReviewCall {
	out := map[amo.UserID][]checks.ReviewCall{}
	for _, rc := range calls {
		out[rc.ManagerID] = append(out[rc.ManagerID], rc)
	}
	return out
}

// weekTable returns the table of the days from..to as /report shows it: the stored days, the
// audit verdicts marked "violation" (R13) and the sampled calls judged not OK (R7).
func (a *App) weekTable(key string, from, to checks.Date) ([]checks.TableRow, error) {
	rows, err := a.store.Table(key, from, to)
	if err != nil {
		return nil, err
	}
	audit, err := a.store.Verdicts(key, from, to)
	if err != nil {
		return nil, err
	}
	for _, v := range audit {
		if !v.OK {
			rows = append(rows, checks.TableRow{Day: v.Day, Manager: v.Manager, Rule: checks.R13, Count: 1})
		}
	}
	calls, err := a.store.CallVerdicts(key, from, to)
	if err != nil {
		return nil, err
	}
	return append(rows, checks.CallVerdictRows(bot.TableVerdicts(botCallVerdicts(calls)))...), nil
}
