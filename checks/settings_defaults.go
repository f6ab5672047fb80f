package checks

import "time"

// DefaultSettings returns the settings every new account starts with: all rules on, Monday to
// Friday 09:00–18:00 in the account's time zone, and the thresholds of shared/RULES.md.
func DefaultSettings() Settings {
	day := DayHours{Start: 9 * 60, End: 18 * 60}
	var week [7]DayHours
	for wd := time.Monday; wd <= time.Friday; wd++ {
		week[wd] = day
	}
	return Settings{
		Calendar:   CalendarSettings{Week: week},
		R1:         FirstResponseSettings{Limit: Duration(15 * time.Minute), EscalateFactor: 2},
		Escalation: EscalationSettings{DirectorFactor: 4, RemindEvery: Duration(30 * time.Minute)},
		R4:         StageTimeSettings{ByName: true},
		R5:         LossReasonSettings{OtherNoteWithin: Duration(24 * time.Hour), LongCall: Duration(60 * time.Second)},
		R6: AttemptSettings{
			PerDay: 3, FirstDays: 2, Total: 15, Window: Duration(5 * 24 * time.Hour),
			DistinctHours: 2, MessageAfterMiss: true,
		},
		R7: TouchSettings{
			RealTouch: Duration(30 * time.Second), TroubleMin: Duration(20 * time.Second),
			TroubleMax: Duration(40 * time.Second), ShortCall: Duration(10 * time.Second), ShortRun: 5,
			ReviewMin: Duration(60 * time.Second), ReviewSample: 3,
		},
		R8: ResultSettings{MinLength: 5, Trivial: []string{
			"ок", "ok", "окей", ".", "+", "-", "позвонил", "звонил", "сделано", "готово",
			"done", "called", "listo", "hecho", "llamé",
		}},
		R9:       CommentSettings{MinCall: Duration(30 * time.Second), Within: Duration(30 * time.Minute)},
		R10:      FieldSettings{FromAmo: true, Checkbox: CheckboxChecked},
		R11:      ForgottenSettings{Days: 30},
		R13:      AuditSettings{PerManager: 3},
		Plan:     PlanSettings{MinutesPerTask: 3},
		Schedule: DefaultSchedule(),
	}
}

// Enabled reports whether rule r is switched on.
func (s Settings) Enabled(r RuleID) bool {
	for _, d := range s.Disabled {
		if d == r {
			return false
		}
	}
	return true
}
