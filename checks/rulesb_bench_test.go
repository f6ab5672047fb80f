package checks

import (
	"salesguard/workset"
	"testing"
	"time"
)

// BenchmarkSamples measures the weekly and daily samples on a prepared 100k-deal input
// (synthAccount of bench_test.go), and R13 after the end of the working day.
func BenchmarkSamples(b *testing.B) {
	now := time.Date(2026, 11, 18, 19, 0, 0, 0, time.UTC)
	in, err := NewInput(workset.FromSnapshot(synthAccount(100_000, now)), DefaultSettings(), now)
	if err != nil {
		b.Fatal(err)
	}
	day := DateOf(now.In(in.Cal.Location()))
	cases := []struct {
		name string
		run  func()
	}{
		{"AuditSample", func() { AuditSample(in, day, 3) }},
		{"R13-evening", func() { evalR13(in) }},
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
