package checks

import (
	"strconv"
	"strings"
	"unicode"
)

// Kinds of R8 findings.
const (
	KindEmptyResult   = "empty_result"
	KindTrivialResult = "trivial_result"
)

// r8LookbackDays is how many local days before today R8 looks back: tasks completed since the
// start of yesterday, so a task closed late in the evening is still caught the next morning.
const r8LookbackDays = 1

// evalR8 checks that tasks are closed with a result (shared/RULES.md R8): a task on a watched
// deal completed (by its updated_at) since the start of yesterday whose result is empty, is
// one of the Trivial phrases once trimmed of spaces and punctuation and lowercased, or has
// fewer than MinLength letters.
func evalR8(in *Input) []Finding {
	s := in.Settings.R8
	loc := in.Cal.Location()
	from := DateOf(in.Now.In(loc)).AddDays(-r8LookbackDays).In(loc)
	trivial := make(map[string]bool, len(s.Trivial))
	for _, t := range s.Trivial {
		trivial[trimResult(t)] = true
	}
	var out []Finding
	for i := range in.Snap.Tasks {
		t := &in.Snap.Tasks[i]
		if !t.IsCompleted || t.UpdatedAt.Before(from) || t.UpdatedAt.After(in.Now) {
			continue
		}
		l, ok := in.Ix.taskLead(in.Snap.Tasks, i)
		if !ok {
			l = in.Ix.Leads[t.LeadID()]
		}
		if l == nil || !in.Meaning.IsWatched(l) {
			continue
		}
		letters := countLetters(t.Result)
		kind := resultKind(t.Result, letters, s.MinLength, trivial)
		if kind == "" {
			continue
		}
		out = addFinding(out, Finding{
			Rule: R8, Level: LevelWarning, AccountID: in.Snap.Account.ID, DealID: l.ID,
			ManagerID: l.ResponsibleUserID, Due: t.UpdatedAt, Value: float64(letters),
			Limit: float64(s.MinLength), Unit: UnitCount, Kind: kind,
			Subject: "task:" + strconv.FormatInt(int64(t.ID), 10),
			Args: map[string]string{
				"result": t.Result, "task": t.Text,
				"task_responsible": strconv.FormatInt(int64(t.ResponsibleUserID), 10),
			},
		})
	}
	return sortOneRule(out)
}

// resultKind classifies a task result: empty, trivial, or "" when it says something.
func resultKind(result string, letters, minLength int, trivial map[string]bool) string {
	switch {
	case blank(result):
		return KindEmptyResult
	case trivial[trimResult(result)] || letters < minLength:
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
