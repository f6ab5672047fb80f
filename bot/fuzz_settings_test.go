package bot

import (
	"bytes"
	"encoding/json"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"salesguard/amo"
	"salesguard/checks"
	"salesguard/locales"
)

// Fuzz targets for what admins type or upload as settings, and for period words (issue 10):
// a parse never panics, and a value it accepts, written back the way the bot shows it
// (valueText in each language, the export's JSON), parses to the same value.
//
// Where that round trip does not hold today the target says so and skips the case:
//   - a word list holding only "-" is written "-", which reads back as the empty list.

// fuzzMaxText caps typed text: a Telegram message holds at most 4096 characters.
const fuzzMaxText = 4096

// allFields are the typed settings, with R8's trivial results (a list of words).
func allFields() []field {
	fs := slices.Concat(thresholdFields, calendarFields, scheduleFields)
	return append(fs, field{"r8.trivial", func(s *checks.Settings) any { return &s.R8.Trivial }})
}

// roundTrips reports whether a parsed value of v is known to survive valueText, per the list
// above.
func roundTrips(v any) bool {
	switch x := v.(type) {
	case *[]string:
		return !slices.Equal(*x, []string{"-"})
	}
	return true
}

// sameValue compares two parsed values (NaN equals NaN; nil and empty lists are equal).
func sameValue(a, b any) bool {
	switch x := a.(type) {
	case *float64:
		y := *b.(*float64)
		return *x == y || math.IsNaN(*x) && math.IsNaN(y)
	case *[]string:
		return slices.Equal(*x, *b.(*[]string))
	case *[]checks.Date:
		return slices.Equal(*x, *b.(*[]checks.Date))
	case *[]checks.Absence:
		return slices.Equal(*x, *b.(*[]checks.Absence))
	}
	return reflect.DeepEqual(a, b)
}

func FuzzParseInto(f *testing.F) {
	for i, s := range []string{"15m", "1h30m", "5d", "-5d", "-120h", "0", "2.5", "1,5", "NaN", "-Inf", "1e400", "3", "mon", "Sunday", "7",
		"10 мин", "1 ч 30 мин", "1,5 ч", "3 días", "90 min", "2 д", "1.5s", "пятница", "miércoles", "3,0",
		"-1001234567890", "Europe/Moscow", "-", "09:00-18:00", "9:00 – 18:30", "24:00-00:00", "2026-01-01, 2026-01-02..2026-01-08",
		"Olga 2026-03-01..2026-03-05 отпуск\n#2 2026-03-10", "да, ок\nok,ok", "-,", "999999999999d", "  "} {
		f.Add(uint8(i), s)
	}
	snap := fixtureSnap()
	fields := allFields()
	cat, err := locales.Load()
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, pick uint8, text string) {
		if len(text) > fuzzMaxText {
			t.Skip()
		}
		fd := fields[int(pick)%len(fields)]
		s := checks.DefaultSettings()
		v := fd.ptr(&s)
		if parseInto(v, text, snap) != nil || !roundTrips(v) {
			return
		}
		for _, lang := range langs {
			shown := valueText(cat.Printer(lang), v)
			s2 := checks.DefaultSettings()
			v2 := fd.ptr(&s2)
			if err := parseInto(v2, shown, snap); err != nil {
				t.Fatalf("%s: %q parsed, shown in %s as %q, which does not parse", fd.path, text, lang, shown)
			}
			if !sameValue(v, v2) {
				t.Fatalf("%s: %q parsed, shown in %s as %q, reads back as another value", fd.path, text, lang, shown)
			}
		}
	})
}

func FuzzParseWeekday(f *testing.F) {
	for _, s := range []string{"0", "6", "7", "-1", "mon", "Monday", "TUESDAY", "we", "sat", "1 (Monday)", "", "9223372036854775808"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		wd, err := parseWeekday(s)
		if err != nil {
			if wd != 0 {
				t.Fatalf("refused %q with %v", s, wd)
			}
			return
		}
		if wd < time.Sunday || wd > time.Saturday {
			return // numbers out of range are Validate's to refuse
		}
		for _, again := range []string{strconv.Itoa(int(wd)), wd.String(), strings.ToLower(wd.String()[:3])} {
			if got, err := parseWeekday(again); err != nil || got != wd {
				t.Fatalf("%q is %v, but %q reads as %v, %v", s, wd, again, got, err)
			}
		}
	})
}

func FuzzParseHours(f *testing.F) {
	for _, s := range []string{"09:00-18:00", "9:00 – 18:30", "00:00-24:00", "24:01-1:00", "18:00-09:00", "9-18", "-", "09:00-", "+9:00-+18:00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		h, err := parseHours(s, s == "-")
		if err != nil {
			return
		}
		if h.Start < 0 || h.Start > 24*60 || h.End < 0 || h.End > 24*60 {
			t.Fatalf("%q gave hours %+v", s, h)
		}
		shown := valueText(nil, &h)
		if again, err := parseHours(shown, shown == "-"); err != nil || again != h {
			t.Fatalf("%q is %+v, shown as %q, reads back as %+v, %v", s, h, shown, again, err)
		}
	})
}

func FuzzParseDates(f *testing.F) {
	for _, s := range []string{"2026-01-01", "2026-01-01, 2026-01-02..2026-01-08", "2026-01-01..2026-03-03", "2026-01-01..2026-03-04",
		"2026-02-30", "today", "0000-01-01;9999-12-31", "2026-01-08..2026-01-01", "-", "2026-01-01\n2026-01-01"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if len(s) > fuzzMaxText {
			t.Skip()
		}
		ds, err := parseDates(s, s == "-")
		if err != nil {
			return
		}
		for i := 1; i < len(ds); i++ {
			if !ds[i-1].Before(ds[i]) {
				t.Fatalf("%q: dates not sorted and unique: %v", s, ds)
			}
		}
		shown := valueText(nil, &ds)
		if again, err := parseDates(shown, shown == "-"); err != nil || !slices.Equal(again, ds) {
			t.Fatalf("%q is %v, shown as %q, reads back as %v, %v", s, ds, shown, again, err)
		}
	})
}

func FuzzParseAbsences(f *testing.F) {
	for _, s := range []string{"Olga 2026-03-01..2026-03-05 отпуск", "#2 2026-03-10", "1 2026-03-10..2026-03-01", "Boris <boss> 2026-01-01 sick\nAnna 2026-01-02",
		"Ol 2026-03-01", "O 2026-03-01", "Nobody 2026-03-01", "2026-03-01", "Olga 2026-13-01", "-", "\n\n"} {
		f.Add(s)
	}
	snap := fixtureSnap()
	f.Fuzz(func(t *testing.T, s string) {
		if len(s) > fuzzMaxText {
			t.Skip()
		}
		as, err := parseAbsences(s, s == "-", snap)
		if err != nil {
			return
		}
		for _, a := range as {
			if !slices.ContainsFunc(snap.Users, func(u amo.User) bool { return u.ID == a.Manager }) {
				t.Fatalf("%q: absence of unknown manager %d", s, a.Manager)
			}
		}
		shown := valueText(nil, &as)
		if again, err := parseAbsences(shown, shown == "-", snap); err != nil || !slices.Equal(again, as) {
			t.Fatalf("%q is %+v, shown as %q, reads back as %+v, %v", s, as, shown, again, err)
		}
	})
}

// FuzzDecodeSettings imports settings files: decoding never panics, and the export of what
// was imported imports to the same settings.
func FuzzDecodeSettings(f *testing.F) {
	def, err := json.MarshalIndent(checks.DefaultSettings(), "", "  ")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(def)
	for _, s := range []string{`{}`, `{"r1":{"limit":"15m"}}`, `{"r1":{"limit":"-5d"}}`, `{"r1":{"limit":15}}`, `{"calendar":{"week":{"1":{"start":"09:00","end":"18:00"}}}}`,
		`{"calendar":{"holidays":["2026-01-01"]}}`, `{"unknown":1}`, `{} {}`, `{}{`, `[]`, `null`, ``, `{"r8":{"trivial":["-"]}}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > maxSettingsFile {
			t.Skip()
		}
		s, err := decodeSettings(data)
		if err != nil {
			if !reflect.DeepEqual(s, checks.Settings{}) {
				t.Fatalf("refused settings, yet returned %+v", s)
			}
			return
		}
		_ = s.Validate()
		out, err := json.Marshal(s)
		if err != nil {
			t.Fatalf("imported settings do not export: %v", err)
		}
		again, err := decodeSettings(out)
		if err != nil {
			if strings.Contains(err.Error(), `"-`) && strings.Contains(err.Error(), `d"`) {
				return // a negative whole number of days, see the list at the top
			}
			t.Fatalf("exported settings %s do not import: %v", out, err)
		}
		// The export is stable: importing it and exporting again gives the same file (nil and
		// empty lists are the same settings).
		if out2, _ := json.Marshal(again); !bytes.Equal(out2, out) {
			t.Fatalf("settings change on export and import:\n%s\n%s", out, out2)
		}
	})
}

func FuzzParsePeriod(f *testing.F) {
	for _, s := range []string{"", "today", "Неделя", "MES", "month", "2026-03-01", "2026-03-01..2026-03-11", " 2026-03-01 .. 2026-03-11 ",
		"2026-03-11..2026-03-01", "2026-03-12", "2025-01-01..2026-03-11", "2026-02-30", "..", "2026-03-01..", "hoy "} {
		f.Add(s, int32(20523))
	}
	f.Fuzz(func(t *testing.T, s string, todayDays int32) {
		today := fuzzDate(todayDays)
		pr, uerr := parsePeriod(s, today)
		if uerr != nil {
			if pr != (period{}) || uerr.key == "" {
				t.Fatalf("%q refused as %q, yet period %v", s, uerr.key, pr)
			}
			return
		}
		if pr.to.Before(pr.from) || today.Before(pr.to) || pr.days() < 1 || pr.days() > maxReportDays {
			t.Fatalf("%q on %v gave %v..%v", s, today, pr.from, pr.to)
		}
		if w := periodWord(s); w == "" && strings.TrimSpace(s) != "" {
			// A date or a range: written back, it reads the same.
			text := pr.from.String() + ".." + pr.to.String()
			if again, uerr := parsePeriod(text, today); uerr != nil || again != pr {
				t.Fatalf("%q is %v, but %q reads as %v, %v", s, pr, text, again, uerr)
			}
		}
	})
}

func FuzzParseDayCode(f *testing.F) {
	for _, s := range []string{"20260311", "00000101", "99991231", "20260230", "2026031", "202603111", "2026-3-1", "+2026031", "２０２６０３１１"} {
		f.Add(s, int32(20523))
	}
	f.Fuzz(func(t *testing.T, s string, days int32) {
		if d, ok := parseDayCode(s); ok {
			if dayCode(d) != s {
				t.Fatalf("parseDayCode(%q) = %v, written %q", s, d, dayCode(d))
			}
		} else if d != (checks.Date{}) {
			t.Fatalf("refused %q, yet returned %v", s, d)
		}
		d := fuzzDate(days)
		if got, ok := parseDayCode(dayCode(d)); !ok || got != d {
			t.Fatalf("dayCode(%v) = %q reads back as %v, %v", d, dayCode(d), got, ok)
		}
	})
}
