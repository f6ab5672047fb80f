package checks

import (
	"runtime"
	"slices"
	"sync"
	"testing"
	"time"

	"salesguard/amo"
	"salesguard/internal/benchacct"
	"salesguard/internal/cputime"
	"salesguard/workset"
)

// The checks benchmarks run on benchacct's account (the large shape: 100k leads, 300k tasks,
// 300k notes, 1M events), read into a working set through the amo client as the service
// reads it: once per process, untimed. Goals (issue 9, 2 cores) next to each benchmark.

var benchSet struct {
	once sync.Once
	ws   *workset.Set
	now  time.Time
}

// largeSet returns the benchmark account's working set and its "now". Benchmarks that change
// the set work on what only they use (an engine of their own); the set itself stays as read.
func largeSet(b *testing.B) (*workset.Set, time.Time) {
	b.Helper()
	benchSet.once.Do(func() {
		acc := benchacct.New(b)
		benchSet.ws, _ = acc.Workset(b)
		benchSet.now = acc.Clock.Now()
		runtime.GC() // the build's garbage (the sync's pages) is not the first timed op's to collect
	})
	if benchSet.ws == nil {
		b.Fatal("the benchmark account could not be read (see the first benchmark's error)")
	}
	return benchSet.ws, benchSet.now
}

// BenchmarkFullEvaluation times the reference path: the input and every enabled rule over
// the whole account. Goal ≤ 150 ms.
func BenchmarkFullEvaluation(b *testing.B) {
	ws, now := largeSet(b)
	b.ReportAllocs()
	var fs []Finding
	cpu := cputime.Process()
	for b.Loop() {
		in, err := NewInput(ws, DefaultSettings(), now)
		if err != nil {
			b.Fatal(err)
		}
		fs = EvaluateEnabled(in)
	}
	// The CPU of all the workers: over the ns/op, how much the evaluation runs in parallel.
	b.ReportMetric(float64(cputime.Process()-cpu)/float64(b.N)/1e6, "cpu_ms/op")
	b.ReportMetric(float64(len(fs)), "findings")
}

// BenchmarkRules times each rule alone over the whole account (a breakdown of
// BenchmarkFullEvaluation; the rules share its 150 ms).
func BenchmarkRules(b *testing.B) {
	ws, now := largeSet(b)
	for _, r := range append(slices.Clone(AllRuleIDs), RuleDataHealth) {
		b.Run(string(r), func(b *testing.B) {
			b.ReportAllocs()
			var fs []Finding
			for b.Loop() {
				in, err := NewInput(ws, DefaultSettings(), now)
				if err != nil {
					b.Fatal(err)
				}
				fs = Evaluate(in, r)
			}
			b.ReportMetric(float64(len(fs)), "findings")
		})
	}
}

// BenchmarkEngineFull times the engine's first evaluation of the account: every scope
// evaluated, hashed and queued for its deadline (the evaluation part of the first cycle,
// whose goal with the ledger is ≤ 2 s).
func BenchmarkEngineFull(b *testing.B) {
	ws, now := largeSet(b)
	b.ReportAllocs()
	scopes := 0
	for b.Loop() {
		in, err := NewInput(ws, DefaultSettings(), now)
		if err != nil {
			b.Fatal(err)
		}
		scopes = 0
		if err := NewEngine().Full(in, func(ScopeResult) error { scopes++; return nil }); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(scopes), "scopes")
}

// readyEngine returns an engine that evaluated the whole account at now, with the
// account-wide rules throttled as the service throttles them (app.accountEvery).
func readyEngine(b *testing.B, ws *workset.Set, now time.Time) (*Engine, *Input) {
	b.Helper()
	in, err := NewInput(ws, DefaultSettings(), now)
	if err != nil {
		b.Fatal(err)
	}
	e := NewEngine()
	e.AccountEvery = 5 * time.Minute
	if err := e.Full(in, func(ScopeResult) error { return nil }); err != nil {
		b.Fatal(err)
	}
	return e, in
}

// BenchmarkStepIdle times the evaluation of an idle poll: 10 s later, nothing changed, only
// the deadlines that passed are evaluated. Goal ≤ 20 ms (the idle cycle's budget).
func BenchmarkStepIdle(b *testing.B) {
	ws, now := largeSet(b)
	e, in := readyEngine(b, ws, now)
	b.ReportAllocs()
	scopes := 0
	for b.Loop() {
		now = now.Add(10 * time.Second)
		if err := e.Step(in.At(now), workset.Dirty{}, func(ScopeResult) error { scopes++; return nil }); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(scopes)/float64(b.N), "scopes/op")
}

// BenchmarkStep100Deals times the evaluation of a poll that changed 100 deals: they, the
// deals sharing their contacts, the deadlines that passed and the account-wide rules are
// evaluated. Goal ≤ 50 ms (the whole cycle's budget).
func BenchmarkStep100Deals(b *testing.B) {
	ws, now := largeSet(b)
	e, in := readyEngine(b, ws, now)
	var open []amo.LeadID
	for _, d := range ws.Deals() {
		if d.Live() && d.IsOpen() {
			open = append(open, d.ID)
		}
	}
	b.ReportAllocs()
	scopes, i := 0, 0
	for b.Loop() {
		now = now.Add(10 * time.Second)
		dirty := workset.Dirty{Account: true}
		for range 100 {
			dirty.Deals = append(dirty.Deals, open[i%len(open)])
			i += 7919 // a prime stride: different deals each time
		}
		slices.Sort(dirty.Deals)
		dirty.Deals = slices.Compact(dirty.Deals)
		if err := e.Step(in.At(now), dirty, func(ScopeResult) error { scopes++; return nil }); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(scopes)/float64(b.N), "scopes/op")
}

// BenchmarkSamples times the weekly and daily samples and R13 after the end of the working
// day over the whole account (part of the scheduled jobs; no goal of their own).
func BenchmarkSamples(b *testing.B) {
	ws, now := largeSet(b)
	in, err := NewInput(ws, DefaultSettings(), now)
	if err != nil {
		b.Fatal(err)
	}
	evening := in.At(time.Date(now.Year(), now.Month(), now.Day(), 16, 0, 0, 0, time.UTC)) // 19:00 in Moscow
	day := DateOf(now.In(in.Cal.Location()))
	cases := []struct {
		name string
		run  func()
	}{
		{"AuditSample", func() { AuditSample(in, day, 3) }},
		{"R13-evening", func() { evalR13(evening) }},
		{"ReviewSample", func() { ReviewSample(in, day.AddDays(-7), 1) }},
		{"OtherReasonTexts", func() { OtherReasonTexts(in, now.Add(-7*24*time.Hour), now) }},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				c.run()
			}
		})
	}
}
