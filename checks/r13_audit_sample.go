package checks

import (
	"encoding/binary"
	"hash/fnv"
	"slices"
	"sort"
	"strconv"
	"time"

	"salesguard/amo"
)

// KindAudit is the kind of R13 findings.
const KindAudit = "audit"

// evalR13 emits the daily audit sample (shared/RULES.md R13): PerManager deals touched today
// by each manager, as info findings for the head, who marks each one OK or violation. The
// sample is drawn once today's working day has ended, so it is taken from a settled day and
// later polls the same evening draw the same deals; nothing is drawn on days off.
func evalR13(in *Input) []Finding {
	loc := in.Cal.Location()
	today := DateOf(in.Now.In(loc))
	_, end, ok := in.Cal.DayBounds(today)
	if !ok || in.Now.Before(end) {
		return nil
	}
	var out []Finding
	for m, ids := range AuditSample(in, today, in.Settings.R13.PerManager) {
		if in.Cal.IsAbsent(m, today) {
			continue
		}
		for _, id := range ids {
			out = append(out, Finding{
				Rule: R13, Level: LevelInfo, AccountID: in.Snap.Account.ID, DealID: id, ManagerID: m,
				Due: end, Limit: float64(in.Settings.R13.PerManager), Unit: UnitCount, Kind: KindAudit,
				Subject: "audit:" + today.String(),
				Args:    map[string]string{"url": in.Snap.DealURL(id)},
			})
		}
	}
	SortFindings(out)
	return out
}

// AuditSample picks, for each manager, n of their watched deals touched on day (local time):
// created or updated that day, or with an event, a note or a task created or updated that
// day, by anyone. The pick is reproducible with no global random state: candidates are ordered
// by deal id and drawn with a generator seeded by an FNV-64a hash of the day and the manager.
// Each manager's deals are returned in id order; managers with no touched deal are left out.
func AuditSample(in *Input, day Date, n int) map[amo.UserID][]amo.LeadID {
	loc := in.Cal.Location()
	from, to := day.In(loc), day.AddDays(1).In(loc)
	out := map[amo.UserID][]amo.LeadID{}
	for m, leads := range in.Ix.LeadsByManager {
		if m == 0 {
			continue
		}
		var cands []amo.LeadID
		for _, l := range leads {
			if in.Meaning.IsWatched(l) && touchedIn(in, l, from, to) {
				cands = append(cands, l.ID)
			}
		}
		if len(cands) == 0 {
			continue
		}
		slices.Sort(cands)
		picked := pickN(cands, n, sampleSeed(0, "audit", day, m))
		slices.Sort(picked)
		out[m] = picked
	}
	return out
}

// touchedIn reports whether a deal shows any activity in [from, to).
func touchedIn(in *Input, l *amo.Lead, from, to time.Time) bool {
	within := func(t time.Time) bool { return !t.Before(from) && t.Before(to) }
	if within(l.CreatedAt) || within(l.UpdatedAt) {
		return true
	}
	evs := in.Ix.EventsByLead[l.ID]
	if i := sort.Search(len(evs), func(i int) bool { return !evs[i].CreatedAt.Before(from) }); i < len(evs) && evs[i].CreatedAt.Before(to) {
		return true
	}
	if ns := notesFrom(in.Ix.NotesByLead[l.ID], from); len(ns) > 0 && ns[0].CreatedAt.Before(to) {
		return true
	}
	for _, t := range in.Ix.TasksByLead[l.ID] {
		if within(t.CreatedAt) || within(t.UpdatedAt) {
			return true
		}
	}
	return false
}

// sampleSeed hashes (FNV-64a) what identifies a sample: a caller's seed, the purpose, the day
// and the manager, so each manager's pick is independent and stable.
func sampleSeed(seed uint64, purpose string, day Date, m amo.UserID) uint64 {
	h := fnv.New64a()
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], seed)
	h.Write(b[:])
	h.Write([]byte(purpose + "|" + day.String() + "|" + strconv.FormatInt(int64(m), 10)))
	return h.Sum64()
}

// pickN returns n items of xs (all of them when n ≥ len(xs)) drawn by a partial Fisher–Yates
// shuffle driven by splitmix64, an algorithm fixed here so picks never change across Go
// releases. xs is not modified.
func pickN[T any](xs []T, n int, seed uint64) []T {
	if n <= 0 {
		return nil
	}
	c := slices.Clone(xs)
	if n >= len(c) {
		return c
	}
	state := seed
	for i := 0; i < n; i++ {
		state += 0x9e3779b97f4a7c15
		z := state
		z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
		z = (z ^ (z >> 27)) * 0x94d049bb133111eb
		z ^= z >> 31
		j := i + int(z%uint64(len(c)-i))
		c[i], c[j] = c[j], c[i]
	}
	return c[:n]
}
