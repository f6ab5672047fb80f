package bot

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"salesguard/amo"
	"salesguard/checks"
)

// field is a setting the admin types: its path (as in the settings JSON and in Validate's
// problems) and where it lives in Settings.
type field struct {
	path string
	ptr  func(s *checks.Settings) any
}

// Settings sections whose values are typed, in menu order.
var (
	thresholdFields = []field{
		{"r1.limit", func(s *checks.Settings) any { return inMinutes(&s.R1.Limit) }},
		{"r1.escalate_factor", func(s *checks.Settings) any { return &s.R1.EscalateFactor }},
		{"escalation.director_factor", func(s *checks.Settings) any { return &s.Escalation.DirectorFactor }},
		{"escalation.remind_every", func(s *checks.Settings) any { return inMinutes(&s.Escalation.RemindEvery) }},
		{"escalation.director_chat", func(s *checks.Settings) any { return &s.Escalation.DirectorChat }},
		{"r5.other_note_within", func(s *checks.Settings) any { return inDays(&s.R5.OtherNoteWithin) }},
		{"r5.long_call", func(s *checks.Settings) any { return inSeconds(&s.R5.LongCall) }},
		{"r6.per_day", func(s *checks.Settings) any { return &s.R6.PerDay }},
		{"r6.first_days", func(s *checks.Settings) any { return &s.R6.FirstDays }},
		{"r6.total", func(s *checks.Settings) any { return &s.R6.Total }},
		{"r6.window", func(s *checks.Settings) any { return inDays(&s.R6.Window) }},
		{"r6.distinct_hours", func(s *checks.Settings) any { return &s.R6.DistinctHours }},
		{"r7.real_touch", func(s *checks.Settings) any { return inSeconds(&s.R7.RealTouch) }},
		{"r7.trouble_min", func(s *checks.Settings) any { return inSeconds(&s.R7.TroubleMin) }},
		{"r7.trouble_max", func(s *checks.Settings) any { return inSeconds(&s.R7.TroubleMax) }},
		{"r7.short_call", func(s *checks.Settings) any { return inSeconds(&s.R7.ShortCall) }},
		{"r7.short_run", func(s *checks.Settings) any { return &s.R7.ShortRun }},
		{"r7.review_min", func(s *checks.Settings) any { return inSeconds(&s.R7.ReviewMin) }},
		{"r7.review_sample", func(s *checks.Settings) any { return &s.R7.ReviewSample }},
		{"r8.min_length", func(s *checks.Settings) any { return &s.R8.MinLength }},
		{"r8.trivial", func(s *checks.Settings) any { return &s.R8.Trivial }},
		{"r9.min_call", func(s *checks.Settings) any { return inSeconds(&s.R9.MinCall) }},
		{"r9.within", func(s *checks.Settings) any { return inMinutes(&s.R9.Within) }},
		{"r11.days", func(s *checks.Settings) any { return &s.R11.Days }},
		{"r13.per_manager", func(s *checks.Settings) any { return &s.R13.PerManager }},
		{"plan.minutes_per_task", func(s *checks.Settings) any { return &s.Plan.MinutesPerTask }},
	}
	calendarFields = append([]field{
		{"calendar.time_zone", func(s *checks.Settings) any { return &s.Calendar.TimeZone }},
	}, append(weekFields(), []field{
		{"calendar.holidays", func(s *checks.Settings) any { return &s.Calendar.Holidays }},
		{"calendar.workdays", func(s *checks.Settings) any { return &s.Calendar.Workdays }},
		{"calendar.absences", func(s *checks.Settings) any { return &s.Calendar.Absences }},
	}...)...)
	scheduleFields = []field{
		{"schedule.plan_after_start", func(s *checks.Settings) any { return inMinutes(&s.Schedule.PlanAfterStart) }},
		{"schedule.nudge_before_end", func(s *checks.Settings) any { return inHours(&s.Schedule.NudgeBeforeEnd) }},
		{"schedule.digest_after_end", func(s *checks.Settings) any { return inMinutes(&s.Schedule.DigestAfterEnd) }},
		{"schedule.weekly_on", func(s *checks.Settings) any { return &s.Schedule.WeeklyOn }},
		{"schedule.weekly_after_start", func(s *checks.Settings) any { return inMinutes(&s.Schedule.WeeklyAfterStart) }},
		{"schedule.digest_chat", func(s *checks.Settings) any { return &s.Schedule.DigestChat }},
	}
)

// weekFields are the working hours of each weekday, Monday first.
func weekFields() []field {
	out := make([]field, 0, 7)
	for i := range 7 {
		wd := (i + 1) % 7
		out = append(out, field{"calendar.week." + strconv.Itoa(wd), func(s *checks.Settings) any { return &s.Calendar.Week[wd] }})
	}
	return out
}

// fieldByPath finds a typed field; stage limits ("r4.<pipeline>.<status>") are not here.
func fieldByPath(path string) (field, bool) {
	for _, fs := range [][]field{thresholdFields, calendarFields, scheduleFields} {
		if i := slices.IndexFunc(fs, func(f field) bool { return f.path == path }); i >= 0 {
			return fs[i], true
		}
	}
	return field{}, false
}

// fieldLabel names a field in the person's language.
func fieldLabel(p Printer, path string) string {
	if wd, ok := strings.CutPrefix(path, "calendar.week."); ok {
		n, _ := strconv.Atoi(wd)
		return p.Weekday(time.Weekday(n))
	}
	return p.T("bot.settings.f." + path)
}

// allowedKey names the catalog text saying what a field accepts.
func allowedKey(v any) string {
	switch x := v.(type) {
	case durationField:
		return [...]string{"bot.settings.allowed.duration.seconds", "bot.settings.allowed.duration.minutes",
			"bot.settings.allowed.duration.hours", "bot.settings.allowed.duration.days"}[x.unit]
	case *int:
		return "bot.settings.allowed.int"
	case *float64:
		return "bot.settings.allowed.float"
	case *time.Weekday:
		return "bot.settings.allowed.weekday"
	case *int64:
		return "bot.settings.allowed.chat"
	case *string:
		return "bot.settings.allowed.zone"
	case *checks.DayHours:
		return "bot.settings.allowed.hours"
	case *[]checks.Date:
		return "bot.settings.allowed.dates"
	case *[]checks.Absence:
		return "bot.settings.allowed.absences"
	case *[]string:
		return "bot.settings.allowed.words"
	}
	return "bot.settings.allowed.duration.minutes"
}

// valueText writes a field's value in the person's language, in a form parseInto reads back
// as the same value ("1 ч 30 мин", "1,5", "понедельник"; "-" for empty).
func valueText(p Printer, v any) string {
	switch x := v.(type) {
	case durationField:
		return showDuration(p, *x.d, x.unit)
	case *checks.Duration: // a field that declares no unit (TestDurationFieldsDeclareUnits)
		return showDuration(p, *x, unitMinutes)
	case *int:
		return strconv.Itoa(*x)
	case *float64:
		return showNumber(p, *x)
	case *time.Weekday:
		return showWeekday(p, *x)
	case *int64:
		return strconv.FormatInt(*x, 10)
	case *string:
		return cmpOr(*x, "-")
	case *checks.DayHours:
		if x.Start == 0 && x.End == 0 {
			return "-"
		}
		return x.Start.String() + "-" + x.End.String()
	case *[]checks.Date:
		out := make([]string, 0, len(*x))
		for _, d := range *x {
			out = append(out, d.String())
		}
		return cmpOr(strings.Join(out, ", "), "-")
	case *[]checks.Absence:
		out := make([]string, 0, len(*x))
		for _, a := range *x {
			out = append(out, strings.TrimSpace(fmt.Sprintf("%d %s..%s %s", a.Manager, a.From, a.To, a.Note)))
		}
		return cmpOr(strings.Join(out, "\n"), "-")
	case *[]string:
		return cmpOr(strings.Join(*x, ", "), "-")
	}
	return ""
}

func cmpOr(s, empty string) string {
	if s == "" {
		return empty
	}
	return s
}

// errFormat means typed text does not have the field's syntax.
var errFormat = errors.New("bad format")

// parseInto reads typed text into the field v points to; "-" empties lists, the time zone
// and a weekday's hours. snap resolves manager names in absences.
func parseInto(v any, text string, snap *amo.Snapshot) error {
	text = strings.TrimSpace(text)
	empty := text == "-"
	var err error
	switch x := v.(type) {
	case durationField:
		*x.d, err = parseDuration(text, x.unit)
	case *checks.Duration:
		*x, err = parseDuration(text, unitMinutes)
	case *int:
		*x, err = parseInt(text)
	case *float64:
		*x, err = parseNumber(text)
	case *time.Weekday:
		*x, err = parseWeekday(text)
	case *int64:
		*x, err = strconv.ParseInt(text, 10, 64)
	case *string:
		*x = text
		if empty {
			*x = ""
		}
	case *checks.DayHours:
		*x, err = parseHours(text, empty)
	case *[]checks.Date:
		*x, err = parseDates(text, empty)
	case *[]checks.Absence:
		*x, err = parseAbsences(text, empty, snap)
	case *[]string:
		*x, err = parseWords(text, empty)
	default:
		err = errFormat
	}
	if err != nil {
		return errFormat
	}
	return nil
}

// parseWeekday reads a weekday: its number (0 is Sunday), its name in en, ru or es, or a
// prefix of three letters or more ("mon", "пон", "mié").
func parseWeekday(s string) (time.Weekday, error) {
	if i := strings.IndexByte(s, '('); i > 0 { // "1 (Monday)", as older versions showed it
		s = strings.TrimSpace(s[:i])
	}
	if n, err := strconv.Atoi(strings.TrimSpace(s)); err == nil {
		return time.Weekday(n), nil // Validate checks the range
	}
	if wd, ok := weekdayByName(s); ok {
		return wd, nil
	}
	return 0, errFormat
}

func parseHours(s string, empty bool) (checks.DayHours, error) {
	if empty {
		return checks.DayHours{}, nil
	}
	a, z, ok := strings.Cut(strings.ReplaceAll(s, "–", "-"), "-")
	if !ok {
		return checks.DayHours{}, errFormat
	}
	start, err1 := checks.ParseClock(strings.TrimSpace(a))
	end, err2 := checks.ParseClock(strings.TrimSpace(z))
	if err1 != nil || err2 != nil {
		return checks.DayHours{}, errFormat
	}
	return checks.DayHours{Start: start, End: end}, nil
}

// parseDates reads dates and ranges ("2026-01-01, 2026-01-02..2026-01-08") separated by
// commas, spaces or lines; a range is at most 62 days.
func parseDates(s string, empty bool) ([]checks.Date, error) {
	if empty {
		return nil, nil
	}
	var out []checks.Date
	for _, tok := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == '\n' || r == ';' }) {
		pr, uerr := parsePeriod(tok, checks.Date{Year: 9999, Month: 12, Day: 31})
		if uerr != nil || periodWord(tok) != "" || pr.days() > 62 {
			return nil, errFormat
		}
		for d := pr.from; !pr.to.Before(d); d = d.AddDays(1) {
			if !slices.Contains(out, d) {
				out = append(out, d)
			}
		}
	}
	slices.SortFunc(out, checks.Date.Compare)
	return out, nil
}

// parseAbsences reads one absence a line: "<manager id or name> <from>[..<to>] [note]".
func parseAbsences(s string, empty bool, snap *amo.Snapshot) ([]checks.Absence, error) {
	if empty {
		return nil, nil
	}
	var out []checks.Absence
	for _, line := range strings.Split(s, "\n") {
		f := strings.Fields(line)
		if len(f) == 0 {
			continue
		}
		i := slices.IndexFunc(f, func(w string) bool { return len(w) >= 10 && w[0] >= '0' && w[0] <= '9' && strings.Count(w, "-") >= 2 })
		if i < 1 {
			return nil, errFormat
		}
		m, ok := findUser(snap, strings.Join(f[:i], " "))
		if !ok {
			return nil, errFormat
		}
		a, z, isRange := strings.Cut(f[i], "..")
		from, err := checks.ParseDate(a)
		to := from
		if err == nil && isRange {
			to, err = checks.ParseDate(z)
		}
		if err != nil {
			return nil, errFormat
		}
		out = append(out, checks.Absence{Manager: m, From: from, To: to, Note: strings.Join(f[i+1:], " ")})
	}
	return out, nil
}
