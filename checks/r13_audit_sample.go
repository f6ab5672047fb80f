package checks

import (
	"cmp"
	"encoding/binary"
	"hash/fnv"
	"slices"
	"strconv"
	"time"

	"salesguard/amo"
	"salesguard/workset"
)

// KindAudit is the kind of R13 findings.
const KindAudit = "audit"

// r13 emits the daily audit sample (shared/RULES.md R13): PerManager deals touched today by
// each manager, as info findings for the head, who marks each one OK or violation. The sample
// is drawn once today's working day has ended, so it is taken from a settled day and later
// evaluations the same evening draw the same deals; nothing is drawn on days off.
func r13(in *Input, o *out) {
	o.wakeAt(in.nextDay)
	_, end, ok := in.Cal.DayBounds(in.today)
	if !ok {
		return
	}
	if in.Now.Before(end) {
		o.wakeAt(end)
		return
	}
	for m, ids := range AuditSample(in, in.today, in.Settings.R13.PerManager) {
		if in.Cal.IsAbsent(m, in.today) {
			continue
		}
		for _, id := range ids {
			f := Finding{
				Rule: R13, Level: LevelInfo, AccountID: in.AccountID(), Scope: Scope{Kind: ScopeAccount}, DealID: id,
				ManagerID: m, Due: end, Limit: float64(in.Settings.R13.PerManager), Unit: UnitCount, Kind: KindAudit,
				Day: in.today, Link: in.DealURL(id),
			}
			if d := in.WS.DealByID(id); d != nil {
				f.DealName, f.Stage = in.WS.DealName(d), d.Stage
			}
			o.add(f)
		}
	}
}

// AuditSample picks, for each manager, n of their watched deals touched on day (local time):
// created or updated that day, or with an event, a note or a task created or updated that day,
// by anyone. The pick is reproducible with no global random state: candidates are ordered by
// deal id and drawn with a generator seeded by an FNV-64a hash of the day and the manager.
// Each manager's deals are returned in id order; managers with no touched deal are left out.
// Activity older than the working set's window (workset.ActWindow) is not known.
func AuditSample(in *Input, day Date, n int) map[amo.UserID][]amo.LeadID {
	loc := in.Cal.Location()
	from, to := day.In(loc), day.AddDays(1).In(loc)
	cands := map[amo.UserID][]amo.LeadID{}
	deals := in.WS.Deals()
	for i := range deals {
		d := &deals[i]
		if !d.Live() || d.Responsible == 0 || !in.Meaning.IsWatched(d) || !touchedIn(newView(in, int32(i)), from, to) {
			continue
		}
		cands[d.Responsible] = append(cands[d.Responsible], d.ID)
	}
	out := make(map[amo.UserID][]amo.LeadID, len(cands))
	for m, ids := range cands {
		slices.Sort(ids)
		picked := pickN(ids, n, sampleSeed(0, "audit", day, m))
		slices.Sort(picked)
		out[m] = picked
	}
	return out
}

// touchedIn reports whether a deal shows any activity in [from, to).
func touchedIn(v *view, from, to time.Time) bool {
	lo, hi := from.Unix(), to.Unix()
	within := func(s int64) bool { return s >= lo && s < hi }
	if within(v.d.Created) || within(v.d.Updated) {
		return true
	}
	if acts := since(v.activity(), from); len(acts) > 0 && acts[0].At < hi {
		return true
	}
	touched := false
	v.trails(func(t *workset.Trail) { touched = touched || t.TouchedIn(lo, hi) })
	v.d.EachMove(func(m workset.Move) bool {
		touched = touched || within(m.At)
		return !touched
	})
	if touched {
		return true
	}
	v.tasks(func(t *workset.Task) { touched = touched || within(t.Created) || within(t.Updated) })
	return touched
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

func itoa(v int64) string { return strconv.FormatInt(v, 10) }

// compareIDs orders deal ids.
func compareIDs(a, b amo.LeadID) int { return cmp.Compare(a, b) }
