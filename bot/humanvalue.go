package bot

import (
	"math"
	"math/bits"
	"strconv"
	"strings"
	"time"
	"unicode"

	"salesguard/checks"
)

// Values as people type them (issue 11): "10", "10 мин", "2 ч", "1,5 ч", "3 días", "2h30m",
// "5d"; numbers with a decimal comma or point. The words are read in every language the bot
// speaks, whatever the person's language, and values are shown back in the person's language
// ("1 ч 30 мин", "1 h 30 min") through plural catalog entries, in a form that reads back as
// the same value.

// durationUnit is the unit a bare number of a duration setting is read in ("15" in minutes).
type durationUnit int

// Units of duration settings, smallest first.
const (
	unitSeconds durationUnit = iota
	unitMinutes
	unitHours
	unitDays
)

// oneDay is 24 hours: settings count a day as 24 hours, as checks.Duration's "5d" does.
const oneDay = 24 * time.Hour

// size is the length of one unit.
func (u durationUnit) size() time.Duration {
	return [...]time.Duration{time.Second, time.Minute, time.Hour, oneDay}[u]
}

// key is the plural catalog entry that writes a number of units; the number is argument 2,
// already formatted (argument 1 is the count that picks the form).
func (u durationUnit) key() string {
	return [...]string{"bot.settings.unit.seconds", "bot.settings.unit.minutes", "bot.settings.unit.hours", "bot.settings.unit.days"}[u]
}

// durationField is a duration setting together with its unit; settings_fields.go declares
// every duration field with seconds, minutes, hours or days.
type durationField struct {
	d    *checks.Duration
	unit durationUnit
}

func inSeconds(d *checks.Duration) durationField { return durationField{d, unitSeconds} }
func inMinutes(d *checks.Duration) durationField { return durationField{d, unitMinutes} }
func inHours(d *checks.Duration) durationField   { return durationField{d, unitHours} }
func inDays(d *checks.Duration) durationField    { return durationField{d, unitDays} }

// unitWords are the unit words and abbreviations read in durations (lower case; a trailing
// dot is dropped first, "мин." is "мин"): Go's own (ns … h) plus "d", and ru, en, es words in
// every plural form.
var unitWords = func() map[string]time.Duration {
	m := map[string]time.Duration{}
	add := func(d time.Duration, words string) {
		for _, w := range strings.Fields(words) {
			m[w] = d
		}
	}
	add(time.Nanosecond, "ns нс")
	add(time.Microsecond, "us µs μs мкс")
	add(time.Millisecond, "ms мс")
	add(time.Second, "s sec secs second seconds с сек секунда секунды секунд секунду seg segs segundo segundos")
	add(time.Minute, "m min mins minute minutes м мин минута минуты минут минуту minuto minutos")
	add(time.Hour, "h hr hrs hour hours ч час часа часов часу hora horas")
	add(oneDay, "d day days д дн день дня дней сут сутки суток día días dia dias")
	add(7*oneDay, "w wk wks week weeks нед неделя недели недель неделю semana semanas")
	return m
}()

// joinWords may stand between the parts of a duration: "1 ч и 30 мин", "1 hour and 30 min".
var joinWords = map[string]bool{"и": true, "and": true, "y": true}

// parseDuration reads a duration as people write it: one or more parts "<number>[ ]<unit>" in
// any order, optionally separated by spaces, commas or "и"/"and"/"y" ("1 ч 30 мин",
// "2h30m", "1,5 ч"), or one bare number in the field's unit ("15"). Case does not matter.
// Negative durations and values beyond time.Duration are refused. Fractions are exact to the
// nanosecond (the rest is dropped, as time.ParseDuration does).
func parseDuration(s string, unit durationUnit) (checks.Duration, error) {
	rest := strings.TrimPrefix(strings.ToLower(strings.TrimSpace(s)), "+")
	var total uint64
	parts := 0
	for {
		var joined bool
		if rest, joined = skipJoins(rest, parts > 0); rest == "" {
			if joined {
				return 0, errFormat // "1 ч и" ends with a join
			}
			break
		}
		n, r, ok := leadingDecimal(rest)
		if !ok {
			return 0, errFormat
		}
		word, r := leadingWord(strings.TrimLeftFunc(r, unicode.IsSpace))
		size := unit.size()
		if word != "" {
			if size, ok = unitWords[word]; !ok {
				return 0, errFormat
			}
		} else if parts > 0 || strings.TrimSpace(r) != "" {
			return 0, errFormat // a bare number stands alone: "1 ч 30" is not 1 h 30 min
		}
		v, ok := n.times(uint64(size))
		if total += v; !ok || total > math.MaxInt64 {
			return 0, errFormat
		}
		rest, parts = r, parts+1
	}
	if parts == 0 {
		return 0, errFormat
	}
	return checks.Duration(total), nil
}

// skipJoins drops spaces and, between parts, commas, semicolons and join words; joined tells
// whether it dropped any of those.
func skipJoins(s string, between bool) (string, bool) {
	joined := false
	for {
		s = strings.TrimLeftFunc(s, unicode.IsSpace)
		if !between {
			return s, joined
		}
		if s != "" && (s[0] == ',' || s[0] == ';') {
			s, joined = s[1:], true
			continue
		}
		if w, t := leadingWord(s); joinWords[w] {
			s, joined = t, true
			continue
		}
		return s, joined
	}
}

// decimal is a non-negative number read exactly: whole + frac/scale, scale a power of ten.
type decimal struct {
	whole, frac, scale uint64
}

// times returns the number times size in whole nanoseconds (the fraction rounded down), and
// false when that does not fit in an int64.
func (n decimal) times(size uint64) (uint64, bool) {
	hi, lo := bits.Mul64(n.whole, size)
	if hi != 0 || lo > math.MaxInt64 {
		return 0, false
	}
	fhi, flo := bits.Mul64(n.frac, size)
	part, _ := bits.Div64(fhi, flo, n.scale) // frac < scale, so the quotient fits
	sum := lo + part
	return sum, sum <= math.MaxInt64
}

// maxFracDigits keeps 10^digits within a uint64; later digits are read and dropped.
const maxFracDigits = 19

// leadingDecimal reads digits with an optional decimal point or comma and fraction ("1,5",
// "2.25", ".5") at the start of s.
func leadingDecimal(s string) (decimal, string, bool) {
	n := decimal{scale: 1}
	i, digits := 0, 0
	for ; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
		hi, lo := bits.Mul64(n.whole, 10)
		lo, carry := bits.Add64(lo, uint64(s[i]-'0'), 0)
		if hi != 0 || carry != 0 {
			return decimal{}, s, false
		}
		n.whole, digits = lo, digits+1
	}
	if i+1 < len(s) && (s[i] == '.' || s[i] == ',') && s[i+1] >= '0' && s[i+1] <= '9' {
		kept := 0
		for i++; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
			if kept < maxFracDigits {
				n.frac, n.scale, kept = n.frac*10+uint64(s[i]-'0'), n.scale*10, kept+1
			}
			digits++
		}
	}
	return n, s[i:], digits > 0
}

// leadingWord reads a run of letters (and one trailing abbreviation dot) at the start of s.
func leadingWord(s string) (string, string) {
	end := len(s)
	for i, r := range s {
		if !unicode.IsLetter(r) {
			end = i
			break
		}
	}
	word, rest := s[:end], s[end:]
	if word != "" {
		rest = strings.TrimPrefix(rest, ".")
	}
	return word, rest
}

// showDuration writes a duration in the person's language, whole days, hours, minutes and
// seconds, largest first ("1 д 2 ч", "1 h 30 min", "45 s"); a part of a second is written as
// a decimal fraction of seconds ("1,5 сек") so the text reads back exactly. Zero is written
// in the field's unit ("0 мин").
func showDuration(p Printer, d checks.Duration, unit durationUnit) string {
	if d == 0 {
		return p.N(unit.key(), 0, "0")
	}
	sign, u := "", uint64(d)
	if d < 0 {
		sign, u = "-", ^uint64(d)+1
	}
	var parts []string
	for _, un := range []durationUnit{unitDays, unitHours, unitMinutes} {
		if n := u / uint64(un.size()); n > 0 {
			parts = append(parts, p.N(un.key(), int(n), strconv.FormatUint(n, 10)))
			u %= uint64(un.size())
		}
	}
	secs, nanos := u/uint64(time.Second), u%uint64(time.Second)
	switch {
	case nanos > 0:
		frac := strings.TrimRight(strconv.FormatUint(nanos+uint64(time.Second), 10)[1:], "0")
		// T renders the "other" form, the CLDR category of fractions in ru, en and es.
		parts = append(parts, p.T(unitSeconds.key(), 0, strconv.FormatUint(secs, 10)+decimalSep(p)+frac))
	case secs > 0:
		parts = append(parts, p.N(unitSeconds.key(), int(secs), strconv.FormatUint(secs, 10)))
	}
	return sign + strings.Join(parts, " ")
}

// decimalSep is the person's decimal separator ("," in ru and es, "." in en).
func decimalSep(p Printer) string { return p.T("bot.settings.decimal_sep") }
