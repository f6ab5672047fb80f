package checks

import (
	"cmp"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"salesguard/amo"
)

// RuleID names a rule of shared/RULES.md.
type RuleID string

// The rules, in the order of shared/RULES.md. RuleDataHealth is not a discipline rule: it reports
// that the CRM data needed by other rules is missing (e.g. no call notes at all).
const (
	R1             RuleID = "R1"  // new leads taken within 15 working minutes
	R2             RuleID = "R2"  // no open deal without a task
	R3             RuleID = "R3"  // no overdue tasks
	R4             RuleID = "R4"  // not too long in a stage
	R5             RuleID = "R5"  // lost deals carry a concrete loss reason
	R6             RuleID = "R6"  // enough attempts before closing as unreachable
	R7             RuleID = "R7"  // real touches, call review
	R8             RuleID = "R8"  // tasks closed with a result
	R9             RuleID = "R9"  // a comment after every conversation
	R10            RuleID = "R10" // key fields are filled
	R11            RuleID = "R11" // no forgotten clients
	R12            RuleID = "R12" // zero unsorted leads at the end of the day
	R13            RuleID = "R13" // the daily audit sample
	RuleDataHealth RuleID = "DATA"
)

// AllRuleIDs lists the discipline rules in order.
var AllRuleIDs = []RuleID{R1, R2, R3, R4, R5, R6, R7, R8, R9, R10, R11, R12, R13}

// Level says who a finding is for.
type Level string

// Levels: a warning goes to the responsible manager, an escalation to the head, info is
// reported (tables, digests, samples) but is not an alert, and data-health goes to the admin.
const (
	LevelWarning    Level = "warning"
	LevelEscalation Level = "escalation"
	LevelInfo       Level = "info"
	LevelDataHealth Level = "data_health"
)

// Unit says how to read a finding's Value and Limit.
type Unit string

// Units of Value and Limit.
const (
	UnitNone    Unit = ""
	UnitMinutes Unit = "minutes" // working minutes
	UnitSeconds Unit = "seconds"
	UnitHours   Unit = "hours"
	UnitDays    Unit = "days"
	UnitCount   Unit = "count"
)

// ScopeKind says what part of the account a finding was evaluated with.
type ScopeKind uint8

// Scopes: one deal (every per-deal rule), one task on no deal of the account (R3), or the whole
// account (R7's telephony trouble, R13's sample, data health).
const (
	ScopeDeal ScopeKind = iota
	ScopeTask
	ScopeAccount
)

// Scope is the unit of incremental evaluation: re-evaluating a scope yields all of its
// findings, and the ledger compares them with what it holds for that scope only.
type Scope struct {
	Kind ScopeKind `json:"kind"`
	ID   int64     `json:"id"` // the deal or task id; 0 for the account
}

// R6 criteria, as bits of Finding.Failed.
const (
	FailTotal uint8 = 1 << iota
	FailPerDay
	FailHours
	FailMessage
)

// Finding is one violation (or observation) found by a rule. It carries data, not text:
// rendering belongs to the bot and the locales. Strings in it are shared with the working set
// (no copy is made per finding); numbers are rendered when a message is.
type Finding struct {
	Rule      RuleID        `json:"rule"`
	Level     Level         `json:"level"`
	AccountID amo.AccountID `json:"account_id"`
	Scope     Scope         `json:"scope"`
	DealID    amo.LeadID    `json:"deal_id"`
	ManagerID amo.UserID    `json:"manager_id"`
	// Due is when the finding became due (e.g. the R1 deadline, the task's complete_till).
	Due time.Time `json:"due"`
	// Value is what was measured and Limit what was allowed, both in Unit. For R1's not-taken
	// leads, R4 and R11 Value is measured at the evaluation that produced the finding.
	Value float64 `json:"value"`
	Limit float64 `json:"limit"`
	Unit  Unit    `json:"unit,omitempty"`
	// Kind refines the rule (e.g. R5 "no_reason" / "other_without_note" / "cant_reach_contradicted").
	Kind string `json:"kind,omitempty"`

	// What the finding is about, beyond the deal; each set by the rules that need it.
	DealName string        `json:"deal_name,omitempty"` // the deal's name
	Stage    amo.StatusRef `json:"stage,omitzero"`      // the deal's stage
	Task     amo.TaskID    `json:"task,omitempty"`      // R3: the earliest overdue task (on no deal: the task); R8
	TaskText string        `json:"task_text,omitempty"` // R3, R8
	Result   string        `json:"result,omitempty"`    // R8: the task's result
	TaskBy   amo.UserID    `json:"task_by,omitempty"`   // R8: the task's responsible
	Note     amo.NoteID    `json:"note,omitempty"`      // R5 (the long call), R9 (the call)
	CallAt   time.Time     `json:"call_at,omitzero"`    // R9, R5
	Incoming bool          `json:"incoming,omitempty"`  // R9, R5: an incoming call
	Link     string        `json:"link,omitempty"`      // R5, R9: the recording; R13: the deal's card
	Day      Date          `json:"day,omitzero"`        // R6 no attempt today, R7, R13
	Count    int           `json:"count,omitempty"`     // R3 overdue tasks; R6 attempts; R7 calls; data health open deals
	Extra    int           `json:"extra,omitempty"`     // R6 distinct hours; R7 calls in the trouble band; data health window days
	Failed   uint8         `json:"failed,omitempty"`    // R6: the criteria that failed (Fail*)
	Reason   string        `json:"reason,omitempty"`    // R6: "cant_reach" or "missed_call_stage"
	Fields   []amo.FieldID `json:"fields,omitempty"`    // R10: the missing fields
}

// Subject distinguishes several findings of one rule on one deal, as text: "task:<id>",
// "note:<id>", "day:<date>", "manager:<id>/day:<date>", "audit:<date>" or "" (see Key).
func (f *Finding) Subject() string {
	switch {
	case f.Rule == R3 && f.Scope.Kind == ScopeTask, f.Rule == R8:
		return "task:" + strconv.FormatInt(int64(f.Task), 10)
	case f.Rule == R5 && f.Note != 0, f.Rule == R9:
		return "note:" + strconv.FormatInt(int64(f.Note), 10)
	case f.Rule == R7 && f.Kind == KindTelephonyTrouble:
		return "manager:" + strconv.FormatInt(int64(f.ManagerID), 10) + "/day:" + f.Day.String()
	case f.Rule == R6 && f.Kind == KindNoAttemptToday, f.Rule == R7:
		return "day:" + f.Day.String()
	case f.Rule == R13:
		return "audit:" + f.Day.String()
	case f.Rule == RuleDataHealth && f.ManagerID != 0:
		return "manager:" + strconv.FormatInt(int64(f.ManagerID), 10)
	}
	return ""
}

// FailedCriteria names R6's failed criteria: "total", "per_day", "hours", "message".
func (f *Finding) FailedCriteria() []string {
	var out []string
	for i, name := range [...]string{"total", "per_day", "hours", "message"} {
		if f.Failed&(1<<i) != 0 {
			out = append(out, name)
		}
	}
	return out
}

// KeySize is the length of a finding key.
const KeySize = 32

// Key identifies a finding for the ledger: an alert is sent once per key. It is fixed-width
// binary: scope kind (1), scope id (8), rule (1), level (1), kind (1), day (4), deal (8),
// subject (8: the task, note or manager the finding is about), so keys of one scope share a
// prefix and sort by scope.
type Key [KeySize]byte

// Key returns the finding's ledger key.
func (f *Finding) Key() Key {
	var k Key
	k[0] = byte(f.Scope.Kind)
	binary.BigEndian.PutUint64(k[1:9], uint64(f.Scope.ID))
	k[9] = ruleCode(f.Rule)
	k[10] = levelCode(f.Level)
	k[11] = kindCode(f.Kind)
	if !f.Day.IsZero() {
		binary.BigEndian.PutUint32(k[12:16], uint32(f.Day.Days()))
	}
	binary.BigEndian.PutUint64(k[16:24], uint64(f.DealID))
	binary.BigEndian.PutUint64(k[24:32], uint64(f.subjectID()))
	return k
}

// subjectID is the id a finding is about besides its deal and day.
func (f *Finding) subjectID() int64 {
	switch {
	case f.Rule == R3 && f.Scope.Kind == ScopeTask, f.Rule == R8:
		return int64(f.Task)
	case f.Rule == R5 && f.Note != 0, f.Rule == R9:
		return int64(f.Note)
	case f.Rule == R7 && f.Kind == KindTelephonyTrouble, f.Rule == RuleDataHealth:
		return int64(f.ManagerID)
	}
	return 0
}

// String returns the key as hex, for messages and callback lookups.
func (k Key) String() string { return hex.EncodeToString(k[:]) }

// ScopeOf returns the scope a key belongs to.
func (k Key) ScopeOf() Scope {
	return Scope{Kind: ScopeKind(k[0]), ID: int64(binary.BigEndian.Uint64(k[1:9]))}
}

// Rule returns the rule of a key.
func (k Key) Rule() RuleID { return ruleOfCode(k[9]) }

// Deal returns the deal of a key.
func (k Key) Deal() amo.LeadID { return amo.LeadID(binary.BigEndian.Uint64(k[16:24])) }

// Day returns the day of a key (zero for none).
func (k Key) Day() Date {
	if n := binary.BigEndian.Uint32(k[12:16]); n != 0 {
		return DateFromDays(int(n))
	}
	return Date{}
}

// ScopePrefix returns the 9-byte prefix every key of a scope starts with.
func ScopePrefix(s Scope) []byte {
	b := make([]byte, 9)
	b[0] = byte(s.Kind)
	binary.BigEndian.PutUint64(b[1:9], uint64(s.ID))
	return b
}

// ParseKey reads a key written by Key.String.
func ParseKey(s string) (Key, error) {
	var k Key
	if len(s) != 2*KeySize {
		return k, errors.New("finding key: wrong length")
	}
	if _, err := hex.Decode(k[:], []byte(s)); err != nil {
		return k, errors.New("finding key: not hex")
	}
	return k, nil
}

// KeyFromBytes copies a key stored as bytes; ok is false for a slice of the wrong size.
func KeyFromBytes(b []byte) (Key, bool) {
	var k Key
	if len(b) != KeySize {
		return k, false
	}
	copy(k[:], b)
	return k, true
}

// Codes of rules, levels and kinds in keys. New values are appended: keys are persisted.
var (
	ruleCodes  = []RuleID{"", R1, R2, R3, R4, R5, R6, R7, R8, R9, R10, R11, R12, R13, RuleDataHealth}
	levelCodes = []Level{"", LevelWarning, LevelEscalation, LevelInfo, LevelDataHealth}
	kindCodes  = []string{"", KindNotTaken, KindTakenLate, KindNoReason, KindOtherWithoutNote,
		KindCantReachContradicted, KindUnjustifiedClosure, KindNoAttemptToday, KindTelephonyTrouble,
		KindFakedActivity, KindEmptyResult, KindTrivialResult, KindNoComment, KindMissingFields,
		KindAudit, KindNoCallData, KindNoCallDataManager, KindDirector}
)

func ruleCode(r RuleID) byte   { return byte(max(slices.Index(ruleCodes, r), 0)) }
func levelCode(l Level) byte   { return byte(max(slices.Index(levelCodes, l), 0)) }
func kindCode(k string) byte   { return byte(max(slices.Index(kindCodes, k), 0)) }
func ruleOfCode(c byte) RuleID { return codeAt(ruleCodes, c) }

func codeAt[T any](list []T, c byte) T {
	if int(c) < len(list) {
		return list[c]
	}
	var zero T
	return zero
}

// KeyFields decodes the rule, level and kind of a key.
func (k Key) KeyFields() (RuleID, Level, string) {
	return codeAt(ruleCodes, k[9]), codeAt(levelCodes, k[10]), codeAt(kindCodes, k[11])
}

// SortFindings orders findings deterministically: by rule (in rulebook order), manager, deal,
// level, kind and subject.
func SortFindings(fs []Finding) {
	if len(fs) < 64 {
		slices.SortFunc(fs, func(a, b Finding) int { return compareFindings(&a, &b) })
		return
	}
	// Findings are large: sort small keys holding the leading fields (rule, manager, deal) and
	// the position, comparing the findings themselves only on a tie; then move each finding once.
	keys := sortedKeys(len(fs), func(i int) *Finding { return &fs[i] })
	idx := make([]int32, len(fs))
	for i := range keys {
		idx[i] = keys[i].i
	}
	for i := range idx { // apply the permutation in place, cycle by cycle
		if idx[i] < 0 {
			continue
		}
		tmp, j := fs[i], i
		for {
			k := int(idx[j])
			idx[j] = -1
			if k == i {
				fs[j] = tmp
				break
			}
			fs[j] = fs[k]
			j = k
		}
	}
}

// gatherSorted returns the findings of parts in one slice of their size, sorted as
// SortFindings sorts: each finding is copied once, into its place. The findings of deals come
// by manager, then by deal (see byManager), so each rule's findings come mostly in
// their final order: they are spread by rule on every core, and only a rule whose findings are
// out of order somewhere is sorted again.
func gatherSorted(parts [][]Finding, total int) []Finding {
	if total < 64 {
		out := make([]Finding, 0, total)
		for _, p := range parts {
			out = append(out, p...)
		}
		SortFindings(out)
		return out
	}
	out := make([]Finding, total)
	buckets := len(AllRuleIDs) + 1 // ruleOrder's values
	// The parts are split in one group per core, of about the same number of findings.
	groups := inGroups(parts, total, runtime.GOMAXPROCS(0))
	counts := make([][]int, len(groups))
	forEach(len(groups), total, func(g int) {
		counts[g] = make([]int, buckets)
		for _, p := range groups[g] {
			for i := range p {
				counts[g][ruleOrder(p[i].Rule)]++
			}
		}
	})
	starts := make([]int, buckets+1) // each rule's findings: out[starts[r]:starts[r+1]]
	next := make([][]int, len(groups))
	for g := range next {
		next[g] = make([]int, buckets)
	}
	at := 0
	for r := range buckets {
		starts[r] = at
		for g := range groups {
			next[g][r] = at
			at += counts[g][r]
		}
	}
	starts[buckets] = at
	forEach(len(groups), total, func(g int) {
		pos := next[g]
		for _, p := range groups[g] {
			for i := range p {
				r := ruleOrder(p[i].Rule)
				out[pos[r]] = p[i]
				pos[r]++
			}
		}
	})
	forEach(buckets, total, func(r int) {
		fs := out[starts[r]:starts[r+1]]
		for i := 1; i < len(fs); i++ {
			if compareFindings(&fs[i-1], &fs[i]) > 0 {
				SortFindings(fs)
				return
			}
		}
	})
	return out
}

// inGroups splits parts in at most n runs of neighbouring parts holding about total/n
// findings each.
func inGroups(parts [][]Finding, total, n int) [][][]Finding {
	if n < 2 || total < parallelFloor {
		return [][][]Finding{parts}
	}
	groups := make([][][]Finding, 0, n)
	from, sum := 0, 0
	for i, p := range parts {
		sum += len(p)
		if len(groups) < n-1 && sum >= total*(len(groups)+1)/n {
			groups = append(groups, parts[from:i+1])
			from = i + 1
		}
	}
	return append(groups, parts[from:])
}

// forEach calls f(0) … f(n-1), on every core when the work (weight) is large enough.
func forEach(n, weight int, f func(i int)) {
	if n < 2 || weight < parallelFloor || runtime.GOMAXPROCS(0) < 2 {
		for i := range n {
			f(i)
		}
		return
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(n, runtime.GOMAXPROCS(0)) {
		wg.Go(func() {
			for i := int(next.Add(1)) - 1; i < n; i = int(next.Add(1)) - 1 {
				f(i)
			}
		})
	}
	wg.Wait()
}

// sortedKeys returns the sort keys of n findings (at returns the i-th) in SortFindings' order.
// Many keys are sorted in runs on every core, then merged.
func sortedKeys(n int, at func(i int) *Finding) []sortKey {
	keys := make([]sortKey, n)
	packed := true // every id fits its word in order (ids are positive in practice)
	for i := range keys {
		f := at(i)
		packed = packed && f.ManagerID >= 0 && f.ManagerID < 1<<56 && f.DealID >= 0
		keys[i] = sortKey{
			hi: uint64(ruleOrder(f.Rule))<<56 | uint64(f.ManagerID)&(1<<56-1),
			lo: uint64(f.DealID),
			i:  int32(i),
		}
	}
	cmpKeys := func(a, b sortKey) int {
		if !packed {
			return compareFindings(at(int(a.i)), at(int(b.i)))
		}
		if c := cmp.Compare(a.hi, b.hi); c != 0 {
			return c
		}
		if c := cmp.Compare(a.lo, b.lo); c != 0 {
			return c
		}
		return compareFindings(at(int(a.i)), at(int(b.i)))
	}
	runs := inParallel(n, parallelFloor, func(lo, hi int) { slices.SortFunc(keys[lo:hi], cmpKeys) })
	if len(runs) < 2 {
		return keys
	}
	// Merge neighbouring runs pairwise, each pair on its own core, until one run is left; on a
	// tie the left run's key goes first, so the order does not depend on the number of cores.
	buf := make([]sortKey, n)
	for len(runs) > 1 {
		var merged []int
		var wg sync.WaitGroup
		for i := 0; i < len(runs); i += 2 {
			lo := runs[i]
			if i+1 == len(runs) { // an odd run out: moved as it is
				copy(buf[lo:], keys[lo:])
				merged = append(merged, lo)
				continue
			}
			mid, hi := runs[i+1], n
			if i+2 < len(runs) {
				hi = runs[i+2]
			}
			merged = append(merged, lo)
			wg.Go(func() { mergeKeys(buf[lo:hi], keys[lo:mid], keys[mid:hi], cmpKeys) })
		}
		wg.Wait()
		keys, buf, runs = buf, keys, merged
	}
	return keys
}

// mergeKeys merges the sorted a and b into dst (len(a)+len(b) long), a's keys first on a tie.
func mergeKeys(dst, a, b []sortKey, cmpKeys func(a, b sortKey) int) {
	i, j, k := 0, 0, 0
	for i < len(a) && j < len(b) {
		if cmpKeys(b[j], a[i]) < 0 {
			dst[k] = b[j]
			j++
		} else {
			dst[k] = a[i]
			i++
		}
		k++
	}
	k += copy(dst[k:], a[i:])
	copy(dst[k:], b[j:])
}

// inParallel splits [0, n) in one range per core (one range when n is under floor or there is
// one core), calls f with each on its own goroutine and waits; it returns the ranges' starts.
func inParallel(n, floor int, f func(lo, hi int)) []int {
	workers := runtime.GOMAXPROCS(0)
	if workers < 2 || n < floor {
		f(0, n)
		return []int{0}
	}
	starts := make([]int, workers)
	var wg sync.WaitGroup
	for w := range workers {
		lo, hi := n*w/workers, n*(w+1)/workers
		starts[w] = lo
		wg.Go(func() { f(lo, hi) })
	}
	wg.Wait()
	return starts
}

// sortKey is a finding's place in SortFindings: the leading fields of compareFindings packed
// in two words, and the finding's position.
type sortKey struct {
	hi, lo uint64
	i      int32
}

func compareFindings(a, b *Finding) int {
	if a.Rule != b.Rule {
		return cmp.Compare(ruleOrder(a.Rule), ruleOrder(b.Rule))
	}
	if c := cmp.Compare(a.ManagerID, b.ManagerID); c != 0 {
		return c
	}
	if c := cmp.Compare(a.DealID, b.DealID); c != 0 {
		return c
	}
	if c := strings.Compare(string(a.Level), string(b.Level)); c != 0 {
		return c
	}
	if c := strings.Compare(a.Kind, b.Kind); c != 0 {
		return c
	}
	if c := a.Day.Compare(b.Day); c != 0 {
		return c
	}
	return cmp.Compare(a.subjectID(), b.subjectID())
}

// ruleOrder returns a rule's place in AllRuleIDs (len(AllRuleIDs) for data health and unknown
// ids). It runs per rule per deal: it parses "R<n>" rather than searching the list.
func ruleOrder(r RuleID) int {
	if len(r) >= 2 && len(r) <= 3 && r[0] == 'R' {
		n := 0
		for i := 1; i < len(r); i++ {
			c := r[i]
			if c < '0' || c > '9' {
				return len(AllRuleIDs)
			}
			n = n*10 + int(c-'0')
		}
		if n >= 1 && n <= len(AllRuleIDs) {
			return n - 1
		}
	}
	return len(AllRuleIDs)
}
