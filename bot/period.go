package bot

import (
	"strings"
	"time"

	"salesguard/checks"
)

// maxReportDays bounds a report's period, so a typo cannot ask for years of rows.
const maxReportDays = 366

// period is an inclusive range of days.
type period struct{ from, to checks.Date }

// days is the number of days in the period.
func (p period) days() int {
	return int(p.to.In(time.UTC).Sub(p.from.In(time.UTC))/(24*time.Hour)) + 1
}

// userError is a refusal to show the person: a catalog key and its plain-text arguments.
type userError struct {
	key  string
	args []any
}

func (e *userError) Error() string { return e.key }

// Period words: the English word is the canonical one; Russian and Spanish are accepted from
// everyone, whatever their language (case-insensitive).
const (
	periodToday = "today"
	periodWeek  = "week"
	periodMonth = "month"
)

// periodWord maps a period word in English, Russian or Spanish to its canonical English word;
// "" when w is not a period word.
func periodWord(w string) string {
	switch strings.ToLower(strings.TrimSpace(w)) {
	case "today", "сегодня", "hoy":
		return periodToday
	case "week", "неделя", "semana":
		return periodWeek
	case "month", "месяц", "mes":
		return periodMonth
	}
	return ""
}

// isPeriodWord reports whether a word names a period rather than a manager.
func isPeriodWord(w string) bool {
	return periodWord(w) != "" || (len(w) >= 10 && w[0] >= '0' && w[0] <= '9')
}

// parsePeriod reads "today", "week" (Monday to today), "month" (the 1st to today), the same
// words in Russian or Spanish (periodWord), a day "YYYY-MM-DD" or a range
// "YYYY-MM-DD..YYYY-MM-DD", relative to today. The end may not be after
// today, the start not after the end, and the period is at most maxReportDays long.
func parsePeriod(s string, today checks.Date) (period, *userError) {
	bad := &userError{key: "bot.report.bad_period", args: []any{s}}
	if strings.TrimSpace(s) == "" {
		return period{today, today}, nil
	}
	switch periodWord(s) {
	case periodToday:
		return period{today, today}, nil
	case periodWeek:
		return period{today.AddDays(-((int(today.Weekday()) + 6) % 7)), today}, nil
	case periodMonth:
		return period{checks.Date{Year: today.Year, Month: today.Month, Day: 1}, today}, nil
	}
	a, z, isRange := strings.Cut(s, "..")
	from, err := checks.ParseDate(strings.TrimSpace(a))
	if err != nil {
		return period{}, bad
	}
	to := from
	if isRange {
		if to, err = checks.ParseDate(strings.TrimSpace(z)); err != nil {
			return period{}, bad
		}
	}
	pr := period{from, to}
	switch {
	case to.Before(from):
		return period{}, &userError{key: "bot.report.reversed", args: []any{from.String(), to.String()}}
	case today.Before(to):
		return period{}, &userError{key: "bot.report.future", args: []any{to.String(), today.String()}}
	case pr.days() > maxReportDays:
		return period{}, &userError{key: "bot.report.too_long", args: []any{maxReportDays}}
	}
	return pr, nil
}

// dayCode writes a date compactly for callback data ("20260311").
func dayCode(d checks.Date) string { return strings.ReplaceAll(d.String(), "-", "") }

// parseDayCode reads dayCode's output strictly.
func parseDayCode(s string) (checks.Date, bool) {
	if len(s) != 8 {
		return checks.Date{}, false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return checks.Date{}, false
		}
	}
	d, err := checks.ParseDate(s[:4] + "-" + s[4:6] + "-" + s[6:])
	return d, err == nil
}
