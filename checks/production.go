package checks

import (
	"maps"
	"slices"
	"time"
)

// production is a national production calendar: official days off that fall on weekdays and
// weekend days made working days, per year, plus a rule for years with no decree yet.
type production struct {
	// years holds the decreed calendar of each year it knows.
	years map[int]productionYear
	// from and to bound the years apply fills (decreed or provisional).
	from, to int
	// provisional computes the days of a year with no decree.
	provisional func(year int) productionYear
}

type productionYear struct {
	off  []Date // weekdays that are days off (holidays and moved days off)
	work []Date // weekend days that are working days
}

// productionCalendars are the built-in production calendars by code. Data, not state: never
// modified after start.
var productionCalendars = map[string]production{
	"RU": {years: ruYears, from: 2025, to: 2030, provisional: ruProvisional},
}

func productionNames() []string { return slices.Sorted(maps.Keys(productionCalendars)) }

// apply adds the calendar's days off and working days to the maps.
func (p production) apply(off, work map[Date]bool) {
	for y := p.from; y <= p.to; y++ {
		py, ok := p.years[y]
		if !ok {
			py = p.provisional(y)
		}
		for _, d := range py.off {
			off[d] = true
		}
		for _, d := range py.work {
			work[d] = true
		}
	}
}

func days(year int, month time.Month, ds ...int) []Date {
	out := make([]Date, len(ds))
	for i, d := range ds {
		out[i] = Date{year, month, d}
	}
	return out
}

func concat(parts ...[]Date) []Date { return slices.Concat(parts...) }

// ruYears is the Russian production calendar (five-day week) as decreed:
//   - 2025: Постановление Правительства РФ от 04.10.2024 № 1335 «О переносе выходных дней в
//     2025 году»: days off moved from Sat 4 Jan to Fri 2 May, Sun 5 Jan to Wed 31 Dec, Sun 23 Feb
//     to Thu 8 May, Sat 8 Mar to Fri 13 Jun, Sat 1 Nov to Mon 3 Nov (Sat 1 Nov is a working day).
//   - 2026: Постановление Правительства РФ от 24.09.2025 № 1466 «О переносе выходных дней в
//     2026 году»: Sat 3 Jan to Fri 9 Jan, Sun 4 Jan to Thu 31 Dec; Feb 23 and Mar 9 (for Sun 8
//     Mar), May 11 (for Sat 9 May) are days off.
//
// Shortened pre-holiday days are not modelled. Later years use ruProvisional until their
// decree is added here.
var ruYears = map[int]productionYear{
	2025: {
		off: concat(days(2025, time.January, 1, 2, 3, 6, 7, 8), days(2025, time.May, 1, 2, 8, 9),
			days(2025, time.June, 12, 13), days(2025, time.November, 3, 4), days(2025, time.December, 31)),
		work: days(2025, time.November, 1),
	},
	2026: {
		off: concat(days(2026, time.January, 1, 2, 5, 6, 7, 8, 9), days(2026, time.February, 23),
			days(2026, time.March, 9), days(2026, time.May, 1, 11), days(2026, time.June, 12),
			days(2026, time.November, 4), days(2026, time.December, 31)),
	},
}

// ruProvisional applies the Labour Code (ТК РФ ст. 112) to a year with no decree: the public
// holidays 1–8 Jan, 23 Feb, 8 Mar, 1 May, 9 May, 12 Jun and 4 Nov are days off, and a holiday
// other than in January that falls on a weekend moves the day off to the next working day. The
// government's extra transfers of the January weekend days are unknown until decreed.
func ruProvisional(year int) productionYear {
	var py productionYear
	taken := map[Date]bool{}
	for d := 1; d <= 8; d++ {
		day := Date{year, time.January, d}
		taken[day] = true
		if wd := day.Weekday(); wd != time.Saturday && wd != time.Sunday {
			py.off = append(py.off, day)
		}
	}
	for _, h := range []Date{{year, time.February, 23}, {year, time.March, 8}, {year, time.May, 1},
		{year, time.May, 9}, {year, time.June, 12}, {year, time.November, 4}} {
		day := h
		for taken[day] || day.Weekday() == time.Saturday || day.Weekday() == time.Sunday {
			day = day.AddDays(1)
		}
		taken[day] = true
		py.off = append(py.off, day)
	}
	return py
}
