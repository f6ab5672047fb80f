package app

import (
	"time"

	"salesguard/checks"
)

// Job names, as stored with their last run.
const (
	JobPlan   = "plan"
	JobNudge  = "nudge"
	JobDigest = "digest"
	JobWeekly = "weekly"
)

// scheduledJobs lists the daily and weekly jobs in the order they run within a day.
var scheduledJobs = []string{JobPlan, JobNudge, JobDigest, JobWeekly}

// occurrence is one scheduled run of a job on one working day.
type occurrence struct {
	Job  string
	Day  checks.Date
	At   time.Time
	Late bool // sent after downtime, later than its time by more than the grace period
}

// jobTime returns when job runs on day, and whether it runs that day at all.
func jobTime(job string, cal *checks.Calendar, s checks.ScheduleSettings, day checks.Date) (time.Time, bool) {
	if !cal.IsWorkingDay(day) {
		return time.Time{}, false
	}
	start, end, ok := cal.DayBounds(day)
	if !ok {
		return time.Time{}, false
	}
	switch job {
	case JobPlan:
		return start.Add(s.PlanAfterStart.D()), true
	case JobNudge:
		return end.Add(-s.NudgeBeforeEnd.D()), true
	case JobDigest:
		return end.Add(s.DigestAfterEnd.D()), true
	case JobWeekly:
		if day.Weekday() != s.WeeklyOn {
			return time.Time{}, false
		}
		return start.Add(s.WeeklyAfterStart.D()), true
	}
	return time.Time{}, false
}

// dueOccurrence returns the latest occurrence of job at or before now that has not run since
// last, if it is still worth sending: a plan or nudge only on its own working day before the day
// ends; a digest or weekly report always, once, marked late after the grace period. A zero last
// (the first start) runs nothing in the past: the caller records now as the last run.
func dueOccurrence(job string, cal *checks.Calendar, s checks.ScheduleSettings, last, now time.Time, grace time.Duration) (occurrence, bool) {
	if last.IsZero() {
		return occurrence{}, false
	}
	today := checks.DateOf(now.In(cal.Location()))
	for back := 0; back <= 8; back++ {
		day := today.AddDays(-back)
		at, ok := jobTime(job, cal, s, day)
		if !ok || at.After(now) {
			continue
		}
		if !at.After(last) {
			return occurrence{}, false
		}
		if job == JobPlan || job == JobNudge {
			_, end, _ := cal.DayBounds(day)
			if back > 0 || !now.Before(end) {
				return occurrence{}, false
			}
		}
		return occurrence{Job: job, Day: day, At: at, Late: now.Sub(at) > grace}, true
	}
	return occurrence{}, false
}
