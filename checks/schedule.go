package checks

import "time"

// ScheduleSettings say when the scheduled messages go out, relative to each working day of the
// account's calendar (so a short Friday moves the nudge with it), and where the digest goes.
type ScheduleSettings struct {
	// PlanAfterStart: the morning plan goes to each manager this long after the day starts.
	PlanAfterStart Duration `json:"plan_after_start"`
	// NudgeBeforeEnd: the pre-close nudge goes to each manager this long before the day ends.
	NudgeBeforeEnd Duration `json:"nudge_before_end"`
	// DigestAfterEnd: the end-of-day digest goes to the heads this long after the day ends.
	DigestAfterEnd Duration `json:"digest_after_end"`
	// WeeklyOn is the weekday of the weekly report, sent at the start of that working day
	// plus WeeklyAfterStart.
	WeeklyOn         time.Weekday `json:"weekly_on"`
	WeeklyAfterStart Duration     `json:"weekly_after_start"`
	// DigestChat is a team group chat that also gets the digest (0 = none).
	DigestChat int64 `json:"digest_chat,omitempty"`
	// PublicRanking lets the ranking ("hall of fame") go to DigestChat; off by default.
	PublicRanking bool `json:"public_ranking,omitempty"`
	// EscalationsOffHours lets escalations reach the heads outside working hours.
	EscalationsOffHours bool `json:"escalations_off_hours,omitempty"`
}

// DefaultSchedule returns the default times: plan at the start of the day, nudge an hour before
// the end, digest at the end, weekly report on Monday 30 minutes after the start.
func DefaultSchedule() ScheduleSettings {
	return ScheduleSettings{
		NudgeBeforeEnd:   Duration(time.Hour),
		WeeklyOn:         time.Monday,
		WeeklyAfterStart: Duration(30 * time.Minute),
	}
}

func (s ScheduleSettings) validate(v *validator) {
	within := func(name string, d Duration) {
		if d < 0 || d.D() > 12*time.Hour {
			v.add(name, d, "duration_range", Duration(0), Duration(12*time.Hour))
		}
	}
	within("schedule.plan_after_start", s.PlanAfterStart)
	within("schedule.nudge_before_end", s.NudgeBeforeEnd)
	within("schedule.digest_after_end", s.DigestAfterEnd)
	within("schedule.weekly_after_start", s.WeeklyAfterStart)
	if s.WeeklyOn < time.Sunday || s.WeeklyOn > time.Saturday {
		v.add("schedule.weekly_on", int(s.WeeklyOn), "weekday")
	}
}
