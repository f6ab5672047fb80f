package checks

import (
	"math/rand/v2"
	"testing"
	"time"
)

// TestWorkSpanMatchesWalk: the summed span gives the calendar's working time for any two
// moments, across nights, weekends, holidays, a moved working day, daylight saving time and
// days that end at midnight, and outside the span too.
func TestWorkSpanMatchesWalk(t *testing.T) {
	for _, zone := range []string{"Europe/Moscow", "America/New_York", "Europe/Madrid"} {
		t.Run(zone, func(t *testing.T) {
			cs := DefaultSettings().Calendar
			cs.TimeZone = zone
			cs.Week[time.Saturday] = DayHours{Start: 10 * 60, End: 24 * 60}
			cs.Holidays = []Date{{2026, 3, 9}, {2026, 11, 4}, {2026, 12, 31}}
			cs.Workdays = []Date{{2026, 11, 1}}
			cal, err := NewCalendar(cs, "")
			if err != nil {
				t.Fatal(err)
			}
			now := time.Date(2026, 12, 2, 15, 0, 0, 0, cal.Location())
			in := &Input{Cal: cal}
			in.work = newWorkSpan(cal, DateOf(now).AddDays(-spanDays), DateOf(now))
			r := rand.New(rand.NewPCG(1, 2))
			for range 3000 {
				from := now.Add(-time.Duration(r.Int64N(int64(500 * 24 * time.Hour))))
				to := from.Add(time.Duration(r.Int64N(int64(120 * 24 * time.Hour))))
				if r.IntN(10) == 0 {
					to = from.Add(time.Duration(r.Int64N(int64(10 * time.Hour))))
				}
				if got, want := in.workingDuration(from, to), cal.WorkingDuration(from, to); got != want {
					t.Fatalf("%v … %v: %v, want %v", from, to, got, want)
				}
			}
		})
	}
}
