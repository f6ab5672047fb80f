package locales

import (
	"testing"
	"time"
)

func TestDuration(t *testing.T) {
	c := mustLoad(t)
	tests := []struct {
		d          time.Duration
		ru, en, es string
	}{
		{0, "0 сек", "0 s", "0 s"},
		{45 * time.Second, "45 сек", "45 s", "45 s"},
		{59600 * time.Millisecond, "1 мин", "1 min", "1 min"},
		{15 * time.Minute, "15 мин", "15 min", "15 min"},
		{65 * time.Minute, "1 ч 5 мин", "1 h 5 min", "1 h 5 min"},
		{2 * time.Hour, "2 ч", "2 h", "2 h"},
		{2*time.Hour + 15*time.Minute + 20*time.Second, "2 ч 15 мин", "2 h 15 min", "2 h 15 min"},
		{24 * time.Hour, "1 день", "1 day", "1 día"},
		{48 * time.Hour, "2 дня", "2 days", "2 días"},
		{49*time.Hour + 40*time.Minute, "2 дня 2 ч", "2 days 2 h", "2 días 2 h"},
		{5 * 24 * time.Hour, "5 дней", "5 days", "5 días"},
		{21 * 24 * time.Hour, "21 день", "21 days", "21 días"},
		{-5 * time.Minute, "−5 мин", "−5 min", "−5 min"},
	}
	for _, tt := range tests {
		t.Run(tt.d.String(), func(t *testing.T) {
			for lang, want := range map[string]string{"ru": tt.ru, "en": tt.en, "es": tt.es} {
				if got := c.Printer(lang).Duration(tt.d); got != want {
					t.Errorf("%s: Duration(%v) = %q, want %q", lang, tt.d, got, want)
				}
			}
		})
	}
}

func TestDatesAndTimes(t *testing.T) {
	c := mustLoad(t)
	msk := time.FixedZone("MSK", 3*60*60)
	at := time.Date(2026, time.November, 25, 14, 5, 0, 0, msk) // a Wednesday
	tests := []struct {
		lang                       string
		date, dateTime, clock, day string
	}{
		{"ru", "25.11.2026", "25.11.2026 14:05", "14:05", "среда"},
		{"en", "Nov 25, 2026", "Nov 25, 2026 14:05", "14:05", "Wednesday"},
		{"es", "25/11/2026", "25/11/2026 14:05", "14:05", "miércoles"},
	}
	for _, tt := range tests {
		t.Run(tt.lang, func(t *testing.T) {
			p := c.Printer(tt.lang)
			for name, pair := range map[string][2]string{
				"Date":     {p.Date(at), tt.date},
				"DateTime": {p.DateTime(at), tt.dateTime},
				"Time":     {p.Time(at), tt.clock},
				"Weekday":  {p.Weekday(at.Weekday()), tt.day},
			} {
				if pair[0] != pair[1] {
					t.Errorf("%s = %q, want %q", name, pair[0], pair[1])
				}
			}
		})
	}
}

func TestWeekdaysAllNamed(t *testing.T) {
	c := mustLoad(t)
	for _, lang := range c.Languages() {
		p := c.Printer(lang)
		seen := map[string]bool{}
		for d := time.Sunday; d <= time.Saturday; d++ {
			name := p.Weekday(d)
			if name == "" || seen[name] || p.Has(name) {
				t.Errorf("%s: Weekday(%v) = %q", lang, d, name)
			}
			seen[name] = true
		}
	}
}

func TestNumbers(t *testing.T) {
	c := mustLoad(t)
	tests := []struct {
		lang                      string
		number, percent, up, down string
	}{
		{"ru", "1\u00a0234\u00a0567", "87\u00a0%", "▲ +3", "▼ −1\u00a0250"},
		{"en", "1,234,567", "87%", "▲ +3", "▼ −1,250"},
		{"es", "1.234.567", "87\u00a0%", "▲ +3", "▼ −1.250"},
	}
	for _, tt := range tests {
		t.Run(tt.lang, func(t *testing.T) {
			p := c.Printer(tt.lang)
			for name, pair := range map[string][2]string{
				"Number":  {p.Number(1234567), tt.number},
				"Percent": {p.Percent(0.8712), tt.percent},
				"Delta+":  {p.Delta(3), tt.up},
				"Delta-":  {p.Delta(-1250), tt.down},
				"Delta0":  {p.Delta(0), "= 0"},
			} {
				if pair[0] != pair[1] {
					t.Errorf("%s = %q, want %q", name, pair[0], pair[1])
				}
			}
		})
	}
}
