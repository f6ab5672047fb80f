package checks

import (
	"cmp"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Duration is a time.Duration that reads and writes as text ("15m", "2h30m", "5d") so settings
// files stay readable. A day suffix "d" means 24 hours.
type Duration time.Duration

// D returns the value as a time.Duration.
func (d Duration) D() time.Duration { return time.Duration(d) }

// String formats whole days as "5d" and anything else as time.Duration does.
func (d Duration) String() string {
	td := time.Duration(d)
	if td != 0 && td%(24*time.Hour) == 0 {
		return strconv.FormatInt(int64(td/(24*time.Hour)), 10) + "d"
	}
	return td.String()
}

// maxDurationDays bounds durations written in days (a hundred years): beyond it the hours
// would overflow time.Duration.
const maxDurationDays = 36500

// Kinds of ParseError: what a value was meant to be.
const (
	KindDuration = "duration"
	KindDate     = "date"
	KindClock    = "clock"
)

// ParseError is a value that does not read as its type (in a settings file, say): Kind is
// KindDuration, KindDate or KindClock and Text the value as written. Its message is English,
// for logs and the command line; the bot names Kind in the person's language instead.
type ParseError struct {
	Kind string
	Text string
	// Days is set for a duration written in days ("-5d", "x d"), which has its own syntax.
	Days bool
}

// Error says what was expected.
func (e *ParseError) Error() string {
	switch {
	case e.Kind == KindDuration && e.Days:
		return fmt.Sprintf("duration %q: want a whole number of days like 5d, or 90m, 2h30m", e.Text)
	case e.Kind == KindDuration:
		return fmt.Sprintf("duration %q: want 90m, 2h30m or 5d", e.Text)
	case e.Kind == KindDate:
		return fmt.Sprintf("date %q: want YYYY-MM-DD", e.Text)
	case e.Kind == KindClock:
		return fmt.Sprintf("time of day %q: want HH:MM between 00:00 and 24:00", e.Text)
	}
	return fmt.Sprintf("%s %q: bad format", e.Kind, e.Text)
}

// ParseDuration accepts time.ParseDuration syntax plus a whole number of days ("5d"); negative
// durations are refused. The error is a *ParseError.
func ParseDuration(s string) (Duration, error) {
	s = strings.TrimSpace(s)
	if n, ok := strings.CutSuffix(s, "d"); ok {
		days, err := strconv.Atoi(n)
		if err != nil || days < 0 || days > maxDurationDays {
			return 0, &ParseError{Kind: KindDuration, Text: s, Days: true}
		}
		return Duration(time.Duration(days) * 24 * time.Hour), nil
	}
	td, err := time.ParseDuration(s)
	if err != nil || td < 0 {
		return 0, &ParseError{Kind: KindDuration, Text: s}
	}
	return Duration(td), nil
}

// MarshalText implements encoding.TextMarshaler.
func (d Duration) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (d *Duration) UnmarshalText(b []byte) error {
	v, err := ParseDuration(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// Date is a calendar day with no time zone, written "2006-01-02".
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// DateOf returns the calendar day of t in t's location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{y, m, d}
}

// ParseDate reads "YYYY-MM-DD"; the error is a *ParseError.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, strings.TrimSpace(s))
	if err != nil {
		return Date{}, &ParseError{Kind: KindDate, Text: s}
	}
	return DateOf(t), nil
}

// IsZero reports whether the date is unset.
func (d Date) IsZero() bool { return d == Date{} }

// In returns midnight of the day in loc.
func (d Date) In(loc *time.Location) time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, loc)
}

// AddDays returns the date n days later (earlier for negative n).
func (d Date) AddDays(n int) Date { return DateOf(d.In(time.UTC).AddDate(0, 0, n)) }

// Before reports whether d is earlier than e.
func (d Date) Before(e Date) bool { return d.Compare(e) < 0 }

// Compare returns -1, 0 or +1.
func (d Date) Compare(e Date) int {
	return cmp.Or(cmp.Compare(d.Year, e.Year), cmp.Compare(d.Month, e.Month), cmp.Compare(d.Day, e.Day))
}

// Days returns the number of days since 1970-01-01.
func (d Date) Days() int { return int(d.In(time.UTC).Unix() / 86400) }

// DateFromDays returns the date n days after 1970-01-01.
func DateFromDays(n int) Date { return DateOf(time.Unix(int64(n)*86400, 0).UTC()) }

// Weekday returns the day of the week.
func (d Date) Weekday() time.Weekday { return d.In(time.UTC).Weekday() }

// String formats the date as YYYY-MM-DD.
func (d Date) String() string { return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day) }

// MarshalText implements encoding.TextMarshaler.
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (d *Date) UnmarshalText(b []byte) error {
	v, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// Clock is a time of day in minutes after midnight, written "HH:MM".
type Clock int

// ParseClock reads "HH:MM" (00:00 to 24:00); the error is a *ParseError.
func ParseClock(s string) (Clock, error) {
	h, m, ok := strings.Cut(strings.TrimSpace(s), ":")
	hh, err1 := strconv.Atoi(h)
	mm, err2 := strconv.Atoi(m)
	if !ok || err1 != nil || err2 != nil || hh < 0 || mm < 0 || mm > 59 || hh > 24 || (hh == 24 && mm != 0) {
		return 0, &ParseError{Kind: KindClock, Text: s}
	}
	return Clock(hh*60 + mm), nil
}

// String formats the clock as HH:MM.
func (c Clock) String() string { return fmt.Sprintf("%02d:%02d", int(c)/60, int(c)%60) }

// On returns the moment of the clock on a day in loc. For days with a DST jump the result
// follows time.Date's normalisation.
func (c Clock) On(d Date, loc *time.Location) time.Time {
	return time.Date(d.Year, d.Month, d.Day, int(c)/60, int(c)%60, 0, 0, loc)
}

// MarshalText implements encoding.TextMarshaler.
func (c Clock) MarshalText() ([]byte, error) { return []byte(c.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (c *Clock) UnmarshalText(b []byte) error {
	v, err := ParseClock(string(b))
	if err != nil {
		return err
	}
	*c = v
	return nil
}
