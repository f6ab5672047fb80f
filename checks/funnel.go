package checks

import (
	"cmp"
	"slices"
	"time"

	"salesguard/amo"
	"salesguard/workset"
)

// StageStat is how deals moved through one stage within a period (RULES.md R4 "Reported").
type StageStat struct {
	Stage amo.StatusRef `json:"stage"`
	// Entered and Left count moves into and out of the stage within the period.
	Entered int `json:"entered"`
	Left    int `json:"left"`
	// AvgTime is the mean time in the stage of the stays that ended within the period.
	AvgTime time.Duration `json:"avg_time"`
	// Now is the number of open deals in the stage at the evaluation.
	Now int `json:"now"`
}

// Transition counts moves from one stage to another within a period.
type Transition struct {
	From  amo.StatusRef `json:"from"`
	To    amo.StatusRef `json:"to"`
	Count int           `json:"count"`
}

// FunnelStats are the stage statistics of the watched pipelines.
type FunnelStats struct {
	// Stages are in pipeline order (pipeline id, then the stage's sort).
	Stages []StageStat `json:"stages"`
	// Transitions are sorted by From, then To (in the same order as Stages).
	Transitions []Transition `json:"transitions"`
}

// Funnel computes, from the status-change events of the deals in watched pipelines, the time
// deals spent in each stage and the stage-to-stage moves within [from, to). A deal's first
// stay starts at its creation in the status before its first change (or its current status),
// and a deal created within the period counts as entering that first stage.
func Funnel(in *Input, from, to time.Time) FunnelStats {
	type acc struct {
		st    StageStat
		total time.Duration
	}
	stages := map[amo.StatusRef]*acc{}
	get := func(r amo.StatusRef) *acc {
		a := stages[r]
		if a == nil {
			a = &acc{st: StageStat{Stage: r}}
			stages[r] = a
		}
		return a
	}
	moves := map[[2]amo.StatusRef]int{}
	within := func(t time.Time) bool { return !t.Before(from) && t.Before(to) }
	deals := in.WS.Deals()
	for i := range deals {
		d := &deals[i]
		if !d.Live() || !in.Meaning.IsWatched(d) {
			continue
		}
		if d.IsOpen() {
			get(d.Stage).st.Now++
		}
		var cur *amo.StatusRef
		since := d.CreatedAt()
		moved := false
		// A deal created within the period entered its first stage then: creation is the move
		// into it, though no status-change event says so (otherwise the first stage "came in 0").
		entered := func(r amo.StatusRef) {
			if within(since) {
				get(r).st.Entered++
			}
		}
		d.EachMove(func(m workset.Move) bool {
			after, ok := in.stageOf(m.To)
			if !ok {
				return true
			}
			if !moved {
				moved = true
				if before, ok := in.stageOf(m.From); ok {
					cur = &before
					entered(before)
				}
			}
			at := workset.Time(m.At)
			if cur != nil && within(at) {
				sa := get(*cur)
				sa.st.Left++
				sa.total += at.Sub(since)
				moves[[2]amo.StatusRef{*cur, after}]++
			}
			if within(at) {
				get(after).st.Entered++
			}
			cur, since = &after, at
			return true
		})
		if !moved {
			entered(d.Stage)
		}
	}
	order := func(a, b amo.StatusRef) int {
		return cmp.Or(cmp.Compare(a.PipelineID, b.PipelineID), cmp.Compare(stageSort(in, a), stageSort(in, b)),
			cmp.Compare(a.StatusID, b.StatusID))
	}
	var fs FunnelStats
	for _, a := range stages {
		if a.st.Left > 0 {
			a.st.AvgTime = a.total / time.Duration(a.st.Left)
		}
		fs.Stages = append(fs.Stages, a.st)
	}
	slices.SortFunc(fs.Stages, func(a, b StageStat) int { return order(a.Stage, b.Stage) })
	for k, n := range moves {
		fs.Transitions = append(fs.Transitions, Transition{From: k[0], To: k[1], Count: n})
	}
	slices.SortFunc(fs.Transitions, func(a, b Transition) int { return cmp.Or(order(a.From, b.From), order(a.To, b.To)) })
	return fs
}

// stageSort returns a stage's sort order; won and lost come after every other stage.
func stageSort(in *Input, r amo.StatusRef) int {
	if r.StatusID == amo.StatusWon || r.StatusID == amo.StatusLost {
		return 1 << 30
	}
	if st := in.Statuses[r]; st != nil {
		return st.Sort
	}
	return 1<<30 - 1
}
