package storage

import (
	"path/filepath"
	"slices"
	"testing"

	"salesguard/checks"
	"salesguard/internal/benchacct"
	"salesguard/workset"
)

// BenchmarkReconcileFirst times the ledger's part of the first cycle on benchacct's account:
// every scope of a full evaluation reconciled with an empty ledger in the service's batches
// (app.reconcileBatch findings each), without messages. The evaluation is done once, untimed.
// Goal with the evaluation: the first cycle ≤ 2 s (issue 9).
func BenchmarkReconcileFirst(b *testing.B) {
	acc := benchacct.New(b)
	ws, _ := acc.Workset(b)
	now := acc.Clock.Now()
	in, err := checks.NewInput(ws, checks.DefaultSettings(), now)
	if err != nil {
		b.Fatal(err)
	}
	var scopes []checks.ScopeResult
	findings := 0
	if err := checks.NewEngine().Full(in, func(s checks.ScopeResult) error {
		s.Findings = slices.Clone(s.Findings)
		scopes = append(scopes, s)
		findings += len(s.Findings)
		return nil
	}); err != nil {
		b.Fatal(err)
	}
	const batch = 4000 // app.reconcileBatch
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		db, err := Open(filepath.Join(b.TempDir(), "db"), Options{})
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		for i := 0; i < len(scopes); {
			j, n := i, 0
			for j < len(scopes) && n < batch {
				n += len(scopes[j].Findings) + 1
				j++
			}
			if _, err := db.Reconcile("main", now, scopes[i:j], nil, nil); err != nil {
				b.Fatal(err)
			}
			i = j
		}
		b.StopTimer()
		db.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(findings), "findings")
}

// BenchmarkLoadWorkset times the working set's part of a restart on benchacct's account:
// every hot record (deals, contacts, tasks) read from bbolt and decoded into a new set. The
// records are written once, untimed. Goal with the first cycle: restart ≤ 2 s (issue 9).
func BenchmarkLoadWorkset(b *testing.B) {
	acc := benchacct.New(b)
	ws, st := acc.Workset(b)
	var recs []Record
	add := func(k workset.RecordKind, id int64) {
		if data, ok := ws.Encode(k, id); ok {
			recs = append(recs, Record{Kind: k, ID: id, Op: workset.OpPut, Data: data})
		}
	}
	for _, d := range ws.Deals() {
		add(workset.RecDeal, int64(d.ID))
	}
	for _, c := range ws.Contacts() {
		add(workset.RecContact, int64(c.ID))
	}
	for _, t := range ws.Tasks() {
		add(workset.RecTask, int64(t.ID))
	}
	meta, err := ws.MarshalMeta()
	if err != nil {
		b.Fatal(err)
	}
	db, err := Open(filepath.Join(b.TempDir(), "db"), Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	if err := db.SavePage("main", recs, &st, meta, ws.Sizes()); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	var got *workset.Set
	for b.Loop() {
		got = workset.New()
		if _, err := db.LoadWorkset("main", got); err != nil {
			b.Fatal(err)
		}
	}
	deals, tasks, contacts, _ := got.Counts()
	b.ReportMetric(float64(deals), "deals")
	b.ReportMetric(float64(tasks), "tasks")
	b.ReportMetric(float64(contacts), "contacts")
}
