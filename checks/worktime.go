package checks

import (
	"fmt"
	"time"

	"salesguard/amo"
)

// maxScanDays bounds the day-by-day walks of the calendar, so a calendar with (almost) no
// working days cannot loop forever: about ten years.
const maxScanDays = 3700

// defaultDay is used for a moved working day when the calendar has no Monday hours.
var defaultDay = DayHours{Start: 9 * 60, End: 18 * 60}

// Calendar answers working-time questions in one time zone: which days are working days, the
// working hours of each, and how much working time lies between two moments. It is immutable
// after NewCalendar and safe for concurrent use.
type Calendar struct {
	loc      *time.Location
	week     [7]DayHours
	holidays map[Date]bool
	workdays map[Date]bool
	absences map[amo.UserID][]Absence
}

// NewCalendar builds the calendar of cs in its time zone, or in accountTZ when cs names none
// (UTC when both are empty). A production calendar (cs.Production) adds its holidays and moved
// working days; cs.Holidays and cs.Workdays take precedence over it.
func NewCalendar(cs CalendarSettings, accountTZ string) (*Calendar, error) {
	tz := cs.TimeZone
	if tz == "" {
		tz = accountTZ
	}
	loc, err := time.LoadLocation(tz)
	if err != nil {
		return nil, fmt.Errorf("calendar time zone %q: %w", tz, err)
	}
	c := &Calendar{
		loc:      loc,
		week:     cs.Week,
		holidays: map[Date]bool{},
		workdays: map[Date]bool{},
		absences: map[amo.UserID][]Absence{},
	}
	if cs.Production != "" {
		p, ok := productionCalendars[cs.Production]
		if !ok {
			return nil, fmt.Errorf("production calendar %q: unknown, want one of %v", cs.Production, productionNames())
		}
		p.apply(c.holidays, c.workdays)
	}
	for _, d := range cs.Holidays {
		c.holidays[d] = true
		delete(c.workdays, d)
	}
	for _, d := range cs.Workdays {
		c.workdays[d] = true
		delete(c.holidays, d)
	}
	for _, a := range cs.Absences {
		c.absences[a.Manager] = append(c.absences[a.Manager], a)
	}
	return c, nil
}

// Location returns the calendar's time zone.
func (c *Calendar) Location() *time.Location { return c.loc }

// hours returns the working hours of a day, ok=false for a day off.
func (c *Calendar) hours(d Date) (DayHours, bool) {
	if c.workdays[d] {
		h := c.week[d.Weekday()]
		if h.End <= h.Start {
			h = c.week[time.Monday]
		}
		if h.End <= h.Start {
			h = defaultDay
		}
		return h, true
	}
	if c.holidays[d] {
		return DayHours{}, false
	}
	h := c.week[d.Weekday()]
	return h, h.End > h.Start
}

// IsWorkingDay reports whether d has working hours.
func (c *Calendar) IsWorkingDay(d Date) bool {
	_, ok := c.hours(d)
	return ok
}

// DayBounds returns the start and end of the working hours of d in the calendar's zone;
// ok is false on a day off.
func (c *Calendar) DayBounds(d Date) (start, end time.Time, ok bool) {
	h, ok := c.hours(d)
	if !ok {
		return time.Time{}, time.Time{}, false
	}
	return h.Start.On(d, c.loc), h.End.On(d, c.loc), true
}

// IsAbsent reports whether manager m is on a day off or a vacation on d.
func (c *Calendar) IsAbsent(m amo.UserID, d Date) bool {
	for _, a := range c.absences[m] {
		if !d.Before(a.From) && !a.To.Before(d) {
			return true
		}
	}
	return false
}

// WorkingDuration returns the working time between from and to (0 when to is not after
// from). It walks whole days, so long spans cost one step per calendar day.
func (c *Calendar) WorkingDuration(from, to time.Time) time.Duration {
	if !to.After(from) {
		return 0
	}
	var total time.Duration
	day := DateOf(from.In(c.loc))
	last := DateOf(to.In(c.loc))
	for i := 0; !last.Before(day) && i <= maxScanDays*10; i++ {
		if s, e, ok := c.DayBounds(day); ok {
			if s.Before(from) {
				s = from
			}
			if e.After(to) {
				e = to
			}
			if e.After(s) {
				total += e.Sub(s)
			}
		}
		day = day.AddDays(1)
	}
	return total
}

// AddWorking returns the moment at which d working time has passed since t: a lead at 23:00
// with 15m is due at 09:15 on the next working day. Non-positive d returns t. When a day's
// working time ends exactly at the result, the end of that day is returned.
func (c *Calendar) AddWorking(t time.Time, d time.Duration) time.Time {
	if d <= 0 {
		return t
	}
	day := DateOf(t.In(c.loc))
	for range maxScanDays {
		if s, e, ok := c.DayBounds(day); ok && e.After(t) {
			if s.Before(t) {
				s = t
			}
			if avail := e.Sub(s); d <= avail {
				return s.Add(d)
			} else if avail > 0 {
				d -= avail
			}
		}
		day = day.AddDays(1)
	}
	// No working time for years: the deadline is effectively never.
	return t.Add(time.Duration(maxScanDays) * 24 * time.Hour)
}

// NextWorking returns t when t is within working time, else the start of the next working
// period: where an alert that falls outside working hours waits.
func (c *Calendar) NextWorking(t time.Time) time.Time {
	day := DateOf(t.In(c.loc))
	for range maxScanDays {
		if s, e, ok := c.DayBounds(day); ok && e.After(t) {
			if s.Before(t) {
				return t
			}
			return s
		}
		day = day.AddDays(1)
	}
	return t
}

// LastDayEnd returns the latest end of a working day at or before t, and that day; ok is false
// when no working day ended within maxScanDays (R12 looks at the deals left at that moment).
func (c *Calendar) LastDayEnd(t time.Time) (day Date, end time.Time, ok bool) {
	day = DateOf(t.In(c.loc))
	for range maxScanDays {
		if _, e, working := c.DayBounds(day); working && !e.After(t) {
			return day, e, true
		}
		day = day.AddDays(-1)
	}
	return Date{}, time.Time{}, false
}

// NextDayEnd returns the first end of a working day after t, and that day; ok is false when
// none comes within maxScanDays.
func (c *Calendar) NextDayEnd(t time.Time) (day Date, end time.Time, ok bool) {
	day = DateOf(t.In(c.loc))
	for range maxScanDays {
		if _, e, working := c.DayBounds(day); working && e.After(t) {
			return day, e, true
		}
		day = day.AddDays(1)
	}
	return Date{}, time.Time{}, false
}
