package checks

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"salesguard/workset"
)

// Kinds of R8 findings.
const (
	KindEmptyResult   = "empty_result"
	KindTrivialResult = "trivial_result"
)

// r8LookbackDays is how many local days before today R8 looks back: tasks completed since the
// start of yesterday, so a task closed late in the evening is still caught the next morning.
const r8LookbackDays = 1

// r8 checks that a deal's tasks are closed with a result (shared/RULES.md R8): a task on a
// watched deal completed (by its updated_at) since the start of yesterday whose result is
// empty, is one of the Trivial phrases once trimmed of spaces and punctuation and lowercased,
// or has fewer than MinLength letters.
func r8(v *view, o *out) {
	if !v.watched() {
		return
	}
	in := v.in
	s := in.Settings.R8
	loc := in.Cal.Location()
	from := in.r8From
	v.tasks(func(t *workset.Task) {
		if !t.Completed {
			return
		}
		at := workset.Time(t.Updated)
		if at.After(in.Now) {
			o.wakeAfter(at)
			return
		}
		if at.Before(from) {
			return
		}
		o.wakeAt(DateOf(at.In(loc)).AddDays(r8LookbackDays + 1).In(loc)) // leaves the look-back
		trivial := in.trivial()                                          // builds trivialMax too
		// Only counts below both bounds matter (a finding quotes the count, and is exact then):
		// a long result is not counted to its end.
		result := in.WS.TaskResult(t)
		letters := countLettersUpTo(result, max(s.MinLength, in.trivialMax)+1)
		kind := resultKind(result, letters, s.MinLength, trivial, in.trivialMax)
		if kind == "" {
			return
		}
		f := v.base(R8, LevelWarning)
		f.Due, f.Value, f.Limit, f.Unit, f.Kind = at, float64(letters), float64(s.MinLength), UnitCount, kind
		f.Task, f.TaskText, f.Result, f.TaskBy = t.ID, in.WS.TaskText(t), result, t.Responsible
		o.add(f)
	})
}

// trivial returns the R8 trivial phrases, trimmed, as a set (built once per input).
func (in *Input) trivial() map[string]bool {
	if in.trivialSet == nil {
		in.trivialSet = make(map[string]bool, len(in.Settings.R8.Trivial))
		for _, t := range in.Settings.R8.Trivial {
			tt := trimResult(t)
			in.trivialSet[tt] = true
			in.trivialMax = max(in.trivialMax, countLetters(tt))
		}
	}
	return in.trivialSet
}

// resultKind classifies a task result: empty, trivial, or "" when it says something. A
// result with more letters than the longest trivial phrase (maxLetters) cannot be one: trimming
// and lowercasing keep the letters, so it is not lowercased at all (most results).
func resultKind(result string, letters, minLength int, trivial map[string]bool, maxLetters int) string {
	switch {
	case blank(result):
		return KindEmptyResult
	case letters < minLength:
		return KindTrivialResult
	case letters <= maxLetters && trivial[trimResult(result)]:
		return KindTrivialResult
	}
	return ""
}

// trimResult lowercases a result and trims spaces, punctuation and symbols from both ends, so
// "Ок!" matches "ок" and "+" becomes empty.
func trimResult(s string) string {
	return strings.ToLower(strings.TrimFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || unicode.IsPunct(r) || unicode.IsSymbol(r)
	}))
}

// countLettersUpTo counts the letters of s in any script, stopping at limit.
func countLettersUpTo(s string, limit int) int {
	n := 0
	for i := 0; i < len(s) && n < limit; {
		if b := s[i]; b < utf8.RuneSelf { // ASCII: no decoding, no table
			if (b|0x20)-'a' < 26 {
				n++
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if unicode.IsLetter(r) {
			n++
		}
		i += size
	}
	return n
}

// countLetters counts the letters of s in any script.
func countLetters(s string) int {
	n := 0
	for _, r := range s {
		if unicode.IsLetter(r) {
			n++
		}
	}
	return n
}
