package bot

import (
	"math"
	"strconv"
	"testing"
	"time"

	"salesguard/checks"
	"salesguard/locales"
)

func TestParseDuration(t *testing.T) {
	const m, h, d = time.Minute, time.Hour, 24 * time.Hour
	tests := []struct {
		in   string
		unit durationUnit
		want time.Duration
	}{
		{"10", unitMinutes, 10 * m},
		{"10", unitHours, 10 * h},
		{"10", unitDays, 10 * d},
		{"45", unitSeconds, 45 * time.Second},
		{"1,5", unitHours, 90 * m},
		{"0", unitMinutes, 0},
		{"10 мин", unitHours, 10 * m},
		{"10мин", unitHours, 10 * m},
		{"10 Минут", unitHours, 10 * m},
		{"1 минута", unitHours, m},
		{"3 минуты", unitHours, 3 * m},
		{"5 м", unitHours, 5 * m},
		{"2 ч", unitMinutes, 2 * h},
		{"1 час", unitMinutes, h},
		{"2 часа", unitMinutes, 2 * h},
		{"5 часов", unitMinutes, 5 * h},
		{"1,5 ч", unitMinutes, 90 * m},
		{"1.5 ч", unitMinutes, 90 * m},
		{"1 д", unitMinutes, d},
		{"2 дн", unitMinutes, 2 * d},
		{"1 день", unitMinutes, d},
		{"3 дня", unitMinutes, 3 * d},
		{"5 дней", unitMinutes, 5 * d},
		{"1 ч 30 мин", unitMinutes, 90 * m},
		{"1 ч и 30 мин", unitMinutes, 90 * m},
		{"1 ч, 30 мин", unitMinutes, 90 * m},
		{"30 сек", unitMinutes, 30 * time.Second},
		{"90 min", unitHours, 90 * m},
		{"90 mins", unitHours, 90 * m},
		{"1 minute", unitHours, m},
		{"2 hours", unitMinutes, 2 * h},
		{"2 hrs.", unitMinutes, 2 * h},
		{"1 hour and 30 minutes", unitMinutes, 90 * m},
		{"1 day", unitMinutes, d},
		{"2 Days", unitMinutes, 2 * d},
		{"3 días", unitMinutes, 3 * d},
		{"3 DÍAS", unitMinutes, 3 * d},
		{"1 dia", unitMinutes, d},
		{"2 horas", unitMinutes, 2 * h},
		{"1 hora y 15 minutos", unitMinutes, 75 * m},
		{"20 segundos", unitMinutes, 20 * time.Second},
		{"1 semana", unitMinutes, 7 * d},
		{"2h30m", unitDays, 150 * m},
		{"15m", unitDays, 15 * m},
		{"5d", unitMinutes, 5 * d},
		{"1h30m", unitMinutes, 90 * m},
		{"90s", unitMinutes, 90 * time.Second},
		{"1.5s", unitMinutes, 1500 * time.Millisecond},
		{"100ms", unitMinutes, 100 * time.Millisecond},
		{"+15m", unitMinutes, 15 * m},
		{"  15 мин  ", unitHours, 15 * m},
		{".5h", unitMinutes, 30 * m},
		{"0,000000001 сек", unitMinutes, 1},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := parseDuration(tt.in, tt.unit)
			if err != nil || got.D() != tt.want {
				t.Errorf("parseDuration(%q) = %v, %v; want %v", tt.in, got.D(), err, tt.want)
			}
		})
	}
}

func TestParseDurationRefuses(t *testing.T) {
	for _, in := range []string{"", " ", "soon", "-5m", "−5 мин", "1 ч 30", "30 1 ч", "10 лет", "five days", "1,,5 ч", "1.h",
		"мин", "1 ч и", "and 1 h", "1e3 min", "9999999999999999999999 d", "106752 д", "3000000 h", "1 ч,", "1 parsec", "5 мин назад"} {
		if d, err := parseDuration(in, unitMinutes); err == nil {
			t.Errorf("parseDuration(%q) = %v, want refused", in, d.D())
		}
	}
}

func TestShowDuration(t *testing.T) {
	cat := mustCatalog(t)
	tests := []struct {
		d          time.Duration
		unit       durationUnit
		ru, en, es string
	}{
		{15 * time.Minute, unitMinutes, "15 мин", "15 min", "15 min"},
		{90 * time.Minute, unitMinutes, "1 ч 30 мин", "1 h 30 min", "1 h 30 min"},
		{24 * time.Hour, unitMinutes, "1 д", "1 day", "1 día"},
		{5 * 24 * time.Hour, unitDays, "5 д", "5 days", "5 días"},
		{26*time.Hour + 5*time.Second, unitDays, "1 д 2 ч 5 сек", "1 day 2 h 5 sec", "1 día 2 h 5 s"},
		{30 * time.Second, unitSeconds, "30 сек", "30 sec", "30 s"},
		{1500 * time.Millisecond, unitSeconds, "1,5 сек", "1.5 sec", "1,5 s"},
		{0, unitMinutes, "0 мин", "0 min", "0 min"},
		{0, unitDays, "0 д", "0 days", "0 días"},
		{-15 * time.Minute, unitMinutes, "-15 мин", "-15 min", "-15 min"},
	}
	for _, tt := range tests {
		for lang, want := range map[string]string{"ru": tt.ru, "en": tt.en, "es": tt.es} {
			if got := showDuration(cat.Printer(lang), checks.Duration(tt.d), tt.unit); got != want {
				t.Errorf("%s: showDuration(%v) = %q, want %q", lang, tt.d, got, want)
			}
		}
	}
}

// Every duration, shown in every language, reads back as itself, whatever the field's unit.
func TestShowDurationReadsBack(t *testing.T) {
	cat := mustCatalog(t)
	values := []time.Duration{0, 1, time.Millisecond, time.Second, 59 * time.Second, time.Minute + time.Nanosecond,
		time.Hour, 25*time.Hour + 61*time.Second, 7 * 24 * time.Hour, 36500 * 24 * time.Hour, math.MaxInt64}
	for _, lang := range langs {
		p := cat.Printer(lang)
		for _, d := range values {
			for u := unitSeconds; u <= unitDays; u++ {
				shown := showDuration(p, checks.Duration(d), u)
				if got, err := parseDuration(shown, u); err != nil || got.D() != d {
					t.Errorf("%s: %v shown as %q reads back as %v, %v", lang, d, shown, got.D(), err)
				}
			}
		}
	}
}

func TestParseNumbers(t *testing.T) {
	floats := map[string]float64{"2": 2, "1,5": 1.5, "1.5": 1.5, " 2,25 ": 2.25, "-0,5": -0.5, "100": 100}
	for in, want := range floats {
		if got, err := parseNumber(in); err != nil || got != want {
			t.Errorf("parseNumber(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"", "x", "1,5,5", "1.5,5", "1 5"} {
		if got, err := parseNumber(in); err == nil {
			t.Errorf("parseNumber(%q) = %v, want refused", in, got)
		}
	}
	ints := map[string]int{"3": 3, " 3 ": 3, "3,0": 3, "3.0": 3, "-1": -1, "0": 0}
	for in, want := range ints {
		if got, err := parseInt(in); err != nil || got != want {
			t.Errorf("parseInt(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"1,5", "three", "NaN", "Inf", "1e300", ""} {
		if got, err := parseInt(in); err == nil {
			t.Errorf("parseInt(%q) = %v, want refused", in, got)
		}
	}
	cat := mustCatalog(t)
	for lang, want := range map[string]string{"ru": "1,5", "en": "1.5", "es": "1,5"} {
		if got := showNumber(cat.Printer(lang), 1.5); got != want {
			t.Errorf("%s: showNumber(1.5) = %q, want %q", lang, got, want)
		}
	}
}

func TestWeekdaysReadBackInEveryLanguage(t *testing.T) {
	cat := mustCatalog(t)
	for _, lang := range langs {
		for wd := time.Sunday; wd <= time.Saturday; wd++ {
			shown := showWeekday(cat.Printer(lang), wd)
			if got, err := parseWeekday(shown); err != nil || got != wd {
				t.Errorf("%s: %v shown as %q reads back as %v, %v", lang, wd, shown, got, err)
			}
		}
	}
	for in, want := range map[string]time.Weekday{"пн": time.Monday, "Пятница": time.Friday, "mié": time.Wednesday,
		"sáb": time.Saturday, "sab": time.Saturday, "dom": time.Sunday, "1 (Monday)": time.Monday, "fri": time.Friday, "сре": time.Wednesday} {
		if got, err := parseWeekday(in); err != nil || got != want {
			t.Errorf("parseWeekday(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
}

// TestDurationFieldsDeclareUnits: a duration field says what a bare number means, in the unit
// its default is written in (shared/RULES.md).
func TestDurationFieldsDeclareUnits(t *testing.T) {
	want := map[string]durationUnit{
		"r1.limit": unitMinutes, "r6.window": unitDays, "r9.within": unitMinutes, "r7.real_touch": unitSeconds,
		"schedule.nudge_before_end": unitHours,
	}
	for _, f := range allFields() {
		switch v := f.ptr(&checks.Settings{}).(type) {
		case *checks.Duration:
			t.Errorf("%s: a duration field without a unit; return inMinutes(&…), inHours(&…), …", f.path)
		case durationField:
			if u, ok := want[f.path]; ok && u != v.unit {
				t.Errorf("%s: unit %d, want %d", f.path, v.unit, u)
			}
		}
	}
}

// FuzzHumanDuration: the parser of typed durations never panics, and whatever it accepts,
// shown in each language, reads back as the same value.
func FuzzHumanDuration(f *testing.F) {
	for _, s := range []string{"10", "10 мин", "2 ч", "1 д", "90 min", "3 días", "1,5 ч", "2h30m", "15m", "5d", "1 ч и 30 мин",
		"1 hour and 30 minutes", "0,000000001 сек", ".5h", "9223372036854775807ns", "106751 д 23 ч 47 мин 16,854775807 сек",
		"1e3 min", "-5m", "1 ч 30", "мин.", "", "1.5s", "00000000000000000000001 h", "1,99999999999999999999999 с"} {
		f.Add(s, uint8(0))
	}
	cat, err := locales.Load()
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, s string, u uint8) {
		if len(s) > fuzzMaxText {
			t.Skip()
		}
		unit := durationUnit(int(u) % 4)
		d, err := parseDuration(s, unit)
		if err != nil {
			if d != 0 {
				t.Fatalf("refused %q, yet returned %v", s, d.D())
			}
			return
		}
		if d < 0 {
			t.Fatalf("%q parsed as a negative %v", s, d.D())
		}
		for _, lang := range langs {
			shown := showDuration(cat.Printer(lang), d, unit)
			if again, err := parseDuration(shown, unit); err != nil || again != d {
				t.Fatalf("%q is %v, shown in %s as %q, reads back as %v, %v", s, d.D(), lang, shown, again.D(), err)
			}
		}
	})
}

// FuzzHumanNumber: numbers typed with a comma or a point never panic, and whatever parses,
// shown in each language, reads back as the same number.
func FuzzHumanNumber(f *testing.F) {
	for _, s := range []string{"2", "1,5", "1.5", "-0,25", "NaN", "+Inf", "1e400", "3,0", "0x1p-2", "1_0", ""} {
		f.Add(s)
	}
	cat, err := locales.Load()
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if x, err := parseNumber(s); err == nil {
			for _, lang := range langs {
				shown := showNumber(cat.Printer(lang), x)
				if again, err := parseNumber(shown); err != nil || !(again == x || math.IsNaN(x) && math.IsNaN(again)) {
					t.Fatalf("%q is %v, shown in %s as %q, reads back as %v, %v", s, x, lang, shown, again, err)
				}
			}
		}
		if n, err := parseInt(s); err == nil {
			if again, err := parseInt(strconv.Itoa(n)); err != nil || again != n {
				t.Fatalf("%q is %d, reads back as %d, %v", s, n, again, err)
			}
		}
	})
}
