package bot

import (
	"math"
	"strconv"
	"strings"
	"time"
)

// Numbers and weekdays as people type them (issue 11): a decimal comma or point, a weekday's
// name in any language the bot speaks; shown back in the person's language.

// parseNumber reads a number written with a decimal point or a comma ("1,5", "2.25").
func parseNumber(s string) (float64, error) {
	s = strings.TrimSpace(s)
	if !strings.Contains(s, ".") {
		s = strings.Replace(s, ",", ".", 1)
	}
	return strconv.ParseFloat(s, 64)
}

// maxExactInt is the largest integer a float64 holds exactly (2^53).
const maxExactInt = 1 << 53

// parseInt reads a whole number; "3,0" and "3.0" are 3 too, "1,5" is refused.
func parseInt(s string) (int, error) {
	if n, err := strconv.Atoi(strings.TrimSpace(s)); err == nil {
		return n, nil
	}
	f, err := parseNumber(s)
	if err != nil || f != math.Trunc(f) || math.Abs(f) > maxExactInt {
		return 0, errFormat
	}
	return int(f), nil
}

// showNumber writes a number with the person's decimal separator ("1,5" / "1.5"), digits
// ungrouped so it reads back as the same number.
func showNumber(p Printer, x float64) string {
	return strings.Replace(strconv.FormatFloat(x, 'f', -1, 64), ".", decimalSep(p), 1)
}

// weekdayNames are the names and abbreviations of the days in ru and es (English ones are
// matched from time.Weekday's names), lower case, Sunday first.
var weekdayNames = [7][]string{
	{"воскресенье", "вс", "вск", "domingo", "dom"},
	{"понедельник", "пн", "lunes", "lu"},
	{"вторник", "вт", "martes", "ma"},
	{"среда", "ср", "среду", "miércoles", "miercoles", "mi", "mié", "mie"},
	{"четверг", "чт", "jueves", "ju"},
	{"пятница", "пт", "пятницу", "viernes", "vi"},
	{"суббота", "сб", "субботу", "sábado", "sabado", "sá", "sa", "sáb", "sab"},
}

// weekdayByName finds a weekday by its name in ru, es or en, or by a prefix of three letters
// or more of a name.
func weekdayByName(s string) (time.Weekday, bool) {
	s = strings.TrimSuffix(strings.ToLower(strings.TrimSpace(s)), ".")
	long := len([]rune(s)) >= 3
	for wd := time.Sunday; wd <= time.Saturday; wd++ {
		for _, name := range append([]string{strings.ToLower(wd.String())}, weekdayNames[wd]...) {
			if s == name || long && strings.HasPrefix(name, s) {
				return wd, true
			}
		}
	}
	return 0, false
}

// showWeekday names a weekday in the person's language; a number out of range stays a number.
func showWeekday(p Printer, wd time.Weekday) string {
	if wd < time.Sunday || wd > time.Saturday {
		return strconv.Itoa(int(wd))
	}
	return p.Weekday(wd)
}
