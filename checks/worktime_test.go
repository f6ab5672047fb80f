package checks

import (
	"math/rand/v2"
	"testing"
	"time"
)

func mustCalendar(t testing.TB, cs CalendarSettings, tz string) *Calendar {
	t.Helper()
	c, err := NewCalendar(cs, tz)
	if err != nil {
		t.Fatalf("new calendar: %v", err)
	}
	return c
}

func TestAddWorking(t *testing.T) {
	def := DefaultSettings().Calendar
	withHoliday := def
	withHoliday.Holidays = []Date{{2026, time.November, 23}} // Monday
	withWorkday := def
	withWorkday.Workdays = []Date{{2026, time.November, 21}} // Saturday
	ru := def
	ru.Production = "RU"
	tests := []struct {
		name string
		cs   CalendarSettings
		tz   string
		from string // local "2006-01-02 15:04"
		d    time.Duration
		want string
	}{
		{"inside the day", def, "Europe/Moscow", "2026-11-18 10:00", 15 * time.Minute, "2026-11-18 10:15"},
		{"night lead", def, "Europe/Moscow", "2026-11-18 23:00", 15 * time.Minute, "2026-11-19 09:15"},
		{"before opening", def, "Europe/Moscow", "2026-11-18 06:00", 15 * time.Minute, "2026-11-18 09:15"},
		{"across closing", def, "Europe/Moscow", "2026-11-18 17:55", 15 * time.Minute, "2026-11-19 09:10"},
		{"ends at closing", def, "Europe/Moscow", "2026-11-18 17:45", 15 * time.Minute, "2026-11-18 18:00"},
		{"friday evening", def, "Europe/Moscow", "2026-11-20 17:55", 15 * time.Minute, "2026-11-23 09:10"},
		{"weekend lead", def, "Europe/Moscow", "2026-11-21 12:00", 15 * time.Minute, "2026-11-23 09:15"},
		{"holiday monday", withHoliday, "Europe/Moscow", "2026-11-20 18:30", 15 * time.Minute, "2026-11-24 09:15"},
		{"moved saturday", withWorkday, "Europe/Moscow", "2026-11-20 18:30", 15 * time.Minute, "2026-11-21 09:15"},
		{"several days", def, "Europe/Moscow", "2026-11-18 09:00", 20 * time.Hour, "2026-11-20 11:00"},
		{"zero", def, "Europe/Moscow", "2026-11-21 12:00", 0, "2026-11-21 12:00"},
		{"RU new year", ru, "Europe/Moscow", "2025-12-30 17:55", 15 * time.Minute, "2026-01-12 09:10"},
		{"RU 2025 working saturday", ru, "Europe/Moscow", "2025-10-31 17:55", 15 * time.Minute, "2025-11-01 09:10"},
		{"RU 8 march 2026", ru, "Europe/Moscow", "2026-03-06 18:00", time.Minute, "2026-03-10 09:01"},
		{"Madrid spring forward", def, "Europe/Madrid", "2026-03-27 17:00", 2 * time.Hour, "2026-03-30 10:00"},
		{"Madrid fall back", def, "Europe/Madrid", "2026-10-23 17:00", 2 * time.Hour, "2026-10-26 10:00"},
		{"Mexico City", def, "America/Mexico_City", "2026-11-18 23:00", 15 * time.Minute, "2026-11-19 09:15"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := mustCalendar(t, tt.cs, tt.tz)
			loc := c.Location()
			from, err := time.ParseInLocation("2006-01-02 15:04", tt.from, loc)
			if err != nil {
				t.Fatal(err)
			}
			got := c.AddWorking(from, tt.d).In(loc).Format("2006-01-02 15:04")
			if got != tt.want {
				t.Errorf("AddWorking(%s, %s) = %s, want %s", tt.from, tt.d, got, tt.want)
			}
		})
	}
}

func TestWorkingDuration(t *testing.T) {
	def := DefaultSettings().Calendar
	allDay := CalendarSettings{}
	for wd := range allDay.Week {
		allDay.Week[wd] = DayHours{Start: 0, End: 24 * 60}
	}
	tests := []struct {
		name     string
		cs       CalendarSettings
		tz       string
		from, to string
		want     time.Duration
	}{
		{"same day", def, "Europe/Moscow", "2026-11-18 10:00", "2026-11-18 12:30", 150 * time.Minute},
		{"reversed", def, "Europe/Moscow", "2026-11-18 12:00", "2026-11-18 10:00", 0},
		{"overnight", def, "Europe/Moscow", "2026-11-18 17:00", "2026-11-19 10:00", 2 * time.Hour},
		{"week", def, "Europe/Moscow", "2026-11-16 00:00", "2026-11-23 00:00", 45 * time.Hour},
		{"weekend only", def, "Europe/Moscow", "2026-11-21 00:00", "2026-11-22 23:59", 0},
		{"year", def, "Europe/Moscow", "2026-01-05 00:00", "2027-01-04 00:00", 260 * 9 * time.Hour},
		{"Madrid DST day is 23h", allDay, "Europe/Madrid", "2026-03-29 00:00", "2026-03-30 00:00", 23 * time.Hour},
		{"Madrid fall-back day is 25h", allDay, "Europe/Madrid", "2026-10-25 00:00", "2026-10-26 00:00", 25 * time.Hour},
		{"Mexico City", def, "America/Mexico_City", "2026-11-18 08:00", "2026-11-18 19:00", 9 * time.Hour},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := mustCalendar(t, tt.cs, tt.tz)
			from, _ := time.ParseInLocation("2006-01-02 15:04", tt.from, c.Location())
			to, _ := time.ParseInLocation("2006-01-02 15:04", tt.to, c.Location())
			if got := c.WorkingDuration(from, to); got != tt.want {
				t.Errorf("WorkingDuration = %s, want %s", got, tt.want)
			}
		})
	}
}

// TestWorkingTimeProperties checks, over random moments and durations, that AddWorking is
// monotone and additive and that WorkingDuration inverts it from working moments.
func TestWorkingTimeProperties(t *testing.T) {
	for _, tz := range []string{"Europe/Moscow", "Europe/Madrid", "America/Mexico_City"} {
		t.Run(tz, func(t *testing.T) {
			cs := DefaultSettings().Calendar
			cs.Production = "RU"
			c := mustCalendar(t, cs, tz)
			r := rand.New(rand.NewPCG(1, 2))
			base := time.Date(2025, 1, 1, 0, 0, 0, 0, c.Location())
			for range 2000 {
				t0 := base.Add(time.Duration(r.Int64N(int64(3 * 365 * 24 * time.Hour))))
				a := time.Duration(r.Int64N(int64(40 * time.Hour)))
				b := time.Duration(r.Int64N(int64(40 * time.Hour)))
				ta := c.AddWorking(t0, a)
				if ta.Before(t0) {
					t.Fatalf("AddWorking(%s, %s) = %s is before the start", t0, a, ta)
				}
				if tab := c.AddWorking(t0, a+b); !c.AddWorking(ta, b).Equal(tab) {
					t.Fatalf("not additive at %s: %s then %s", t0, a, b)
				}
				if a < b && c.AddWorking(t0, b).Before(ta) {
					t.Fatalf("not monotone at %s", t0)
				}
				if got := c.WorkingDuration(t0, ta); got != a {
					t.Fatalf("WorkingDuration(%s, AddWorking(+%s)) = %s", t0, a, got)
				}
			}
		})
	}
}

func TestCalendarDays(t *testing.T) {
	cs := DefaultSettings().Calendar
	cs.Production = "RU"
	cs.Holidays = []Date{{2026, time.November, 18}}
	cs.Workdays = []Date{{2026, time.January, 9}}
	cs.Absences = []Absence{{Manager: 5, From: Date{2026, 11, 10}, To: Date{2026, 11, 20}}}
	c := mustCalendar(t, cs, "Europe/Moscow")
	tests := []struct {
		d    Date
		want bool
	}{
		{Date{2026, 1, 8}, false},   // RU new year
		{Date{2026, 1, 9}, true},    // explicit workday beats the production calendar
		{Date{2026, 2, 23}, false},  // RU
		{Date{2026, 3, 9}, false},   // RU, for Sunday 8 March
		{Date{2026, 11, 18}, false}, // explicit holiday
		{Date{2026, 11, 19}, true},
		{Date{2026, 11, 21}, false}, // Saturday
		{Date{2025, 11, 1}, true},   // RU 2025 working Saturday
		{Date{2025, 11, 3}, false},  // RU 2025
		{Date{2027, 5, 3}, false},   // RU 2027 provisional: 1 May is a Saturday
		{Date{2027, 11, 4}, false},  // RU 2027
		{Date{2027, 11, 5}, true},
	}
	for _, tt := range tests {
		if got := c.IsWorkingDay(tt.d); got != tt.want {
			t.Errorf("IsWorkingDay(%s) = %v, want %v", tt.d, got, tt.want)
		}
	}
	if !c.IsAbsent(5, Date{2026, 11, 10}) || !c.IsAbsent(5, Date{2026, 11, 20}) || c.IsAbsent(5, Date{2026, 11, 21}) || c.IsAbsent(6, Date{2026, 11, 15}) {
		t.Error("absence range is wrong")
	}
	s, e, ok := c.DayBounds(Date{2026, 11, 19})
	if !ok || s.Hour() != 9 || e.Hour() != 18 || s.Location() != c.Location() {
		t.Errorf("DayBounds = %s, %s, %v", s, e, ok)
	}
	if _, _, ok := c.DayBounds(Date{2026, 11, 22}); ok {
		t.Error("Sunday has bounds")
	}
}

func TestNewCalendarErrors(t *testing.T) {
	if _, err := NewCalendar(CalendarSettings{TimeZone: "Mars/Olympus"}, ""); err == nil {
		t.Error("unknown zone accepted")
	}
	if _, err := NewCalendar(CalendarSettings{Production: "XX"}, "UTC"); err == nil {
		t.Error("unknown production calendar accepted")
	}
	c := mustCalendar(t, CalendarSettings{}, "")
	if c.Location() != time.UTC {
		t.Errorf("empty zones: %s", c.Location())
	}
	// A calendar with no working time at all still terminates.
	if got := c.AddWorking(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), time.Minute); got.Year() < 2030 {
		t.Errorf("no working time: %s", got)
	}
}

func TestNextWorking(t *testing.T) {
	cal, err := NewCalendar(DefaultSettings().Calendar, "Europe/Moscow")
	if err != nil {
		t.Fatal(err)
	}
	msk := cal.Location()
	tests := []struct{ in, want time.Time }{
		{time.Date(2026, 11, 24, 8, 1, 0, 0, msk), time.Date(2026, 11, 24, 9, 0, 0, 0, msk)},   // before the day
		{time.Date(2026, 11, 24, 10, 0, 0, 0, msk), time.Date(2026, 11, 24, 10, 0, 0, 0, msk)}, // within
		{time.Date(2026, 11, 24, 18, 0, 0, 0, msk), time.Date(2026, 11, 25, 9, 0, 0, 0, msk)},  // at the end
		{time.Date(2026, 11, 27, 20, 0, 0, 0, msk), time.Date(2026, 11, 30, 9, 0, 0, 0, msk)},  // Friday night
	}
	for _, tt := range tests {
		if got := cal.NextWorking(tt.in); !got.Equal(tt.want) {
			t.Errorf("NextWorking(%s) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

// TestDayEnds covers the ends of working days R12 is checked at: the last one at or before a
// moment and the next one after it, across weekends, holidays, a moved working day, days that
// end at midnight and time zones.
func TestDayEnds(t *testing.T) {
	def := DefaultSettings().Calendar
	holiday := def
	holiday.Holidays = []Date{{2026, time.November, 20}} // Friday
	moved := def
	moved.Workdays = []Date{{2026, time.November, 21}} // Saturday
	late := def
	late.Week[time.Wednesday] = DayHours{Start: 12 * 60, End: 24 * 60}
	tests := []struct {
		name       string
		cs         CalendarSettings
		tz         string
		at         string // local "2006-01-02 15:04"
		last, next string
	}{
		{"mid-day", def, "Europe/Moscow", "2026-11-18 12:00", "2026-11-17 18:00", "2026-11-18 18:00"},
		{"at the end", def, "Europe/Moscow", "2026-11-18 18:00", "2026-11-18 18:00", "2026-11-19 18:00"},
		{"a minute before", def, "Europe/Moscow", "2026-11-18 17:59", "2026-11-17 18:00", "2026-11-18 18:00"},
		{"monday morning", def, "Europe/Moscow", "2026-11-23 08:00", "2026-11-20 18:00", "2026-11-23 18:00"},
		{"weekend", def, "Europe/Moscow", "2026-11-22 12:00", "2026-11-20 18:00", "2026-11-23 18:00"},
		{"holiday friday", holiday, "Europe/Moscow", "2026-11-21 12:00", "2026-11-19 18:00", "2026-11-23 18:00"},
		{"moved saturday", moved, "Europe/Moscow", "2026-11-21 20:00", "2026-11-21 18:00", "2026-11-23 18:00"},
		{"day ending at midnight", late, "Europe/Moscow", "2026-11-18 23:30", "2026-11-17 18:00", "2026-11-19 00:00"},
		{"after a midnight end", late, "Europe/Moscow", "2026-11-19 00:30", "2026-11-19 00:00", "2026-11-19 18:00"},
		{"another zone", def, "America/New_York", "2026-11-18 12:00", "2026-11-17 18:00", "2026-11-18 18:00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := mustCalendar(t, tt.cs, tt.tz)
			parse := func(s string) time.Time {
				v, err := time.ParseInLocation("2006-01-02 15:04", s, c.Location())
				if err != nil {
					t.Fatal(err)
				}
				return v
			}
			at := parse(tt.at)
			if _, got, ok := c.LastDayEnd(at); !ok || !got.Equal(parse(tt.last)) {
				t.Errorf("last end %v (%v), want %s", got, ok, tt.last)
			}
			if _, got, ok := c.NextDayEnd(at); !ok || !got.Equal(parse(tt.next)) {
				t.Errorf("next end %v (%v), want %s", got, ok, tt.next)
			}
		})
	}
}
