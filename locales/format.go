package locales

import (
	"math"
	"strings"
	"time"
)

// Duration renders a span the way people write it: "1 ч 5 мин" / "1 h 5 min", "2 дня 3 ч" /
// "2 days 3 h", "45 сек" / "45 s". It keeps the two largest units (days and hours, or hours
// and minutes), rounding to the smaller one (to the second below a minute), and prefixes a
// negative span with "−".
func (p *Printer) Duration(d time.Duration) string {
	sign := ""
	if d < 0 {
		sign, d = "−", -d
	}
	if r := d.Round(time.Second); r < time.Minute {
		return sign + p.T("fmt.duration.seconds", p.Number(int(r/time.Second)))
	}
	if d = d.Round(time.Minute); d >= 24*time.Hour {
		d = d.Round(time.Hour)
	}
	days, hours, mins := int(d/(24*time.Hour)), int(d/time.Hour)%24, int(d/time.Minute)%60
	var parts []string
	switch {
	case days > 0:
		parts = append(parts, p.Count("days", days))
		if hours > 0 {
			parts = append(parts, p.T("fmt.duration.hours", p.Number(hours)))
		}
	case hours > 0:
		parts = append(parts, p.T("fmt.duration.hours", p.Number(hours)))
		if mins > 0 {
			parts = append(parts, p.T("fmt.duration.minutes", p.Number(mins)))
		}
	default:
		parts = append(parts, p.T("fmt.duration.minutes", p.Number(mins)))
	}
	return sign + strings.Join(parts, " ")
}

// Date formats the calendar day of t in t's location (convert to the account's time zone
// first): ru "25.11.2026", en "Nov 25, 2026", es "25/11/2026".
func (p *Printer) Date(t time.Time) string { return t.Format(p.T("fmt.layout.date")) }

// DateTime formats t in t's location: ru "25.11.2026 14:05", en "Nov 25, 2026 14:05",
// es "25/11/2026 14:05".
func (p *Printer) DateTime(t time.Time) string { return t.Format(p.T("fmt.layout.datetime")) }

// Time formats the time of day of t in t's location, 24-hour: "14:05".
func (p *Printer) Time(t time.Time) string { return t.Format(p.T("fmt.layout.time")) }

// Weekday names a day of the week in lower case as used inside a sentence: "среда",
// "Wednesday", "miércoles".
func (p *Printer) Weekday(d time.Weekday) string {
	return p.T("fmt.weekday." + strings.ToLower(d.String()))
}

// Percent formats a ratio (0.87) as a whole percentage: ru/es "87 %", en "87%".
func (p *Printer) Percent(ratio float64) string {
	return p.T("fmt.percent", p.Number(int(math.Round(ratio*100))))
}

// Delta formats a change against an earlier period: "▲ +3", "▼ −2", "= 0", with the
// locale's digit grouping.
func (p *Printer) Delta(n int) string {
	switch {
	case n > 0:
		return p.T("fmt.delta.up", p.Number(n))
	case n < 0:
		return p.T("fmt.delta.down", p.Number(-n))
	default:
		return p.T("fmt.delta.same")
	}
}
