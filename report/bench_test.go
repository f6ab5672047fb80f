package report

import "testing"

// The sizes of a busy month: 30 days × 20 managers × 13 rules.
const benchDays, benchManagers = 30, 20

func BenchmarkXLSX(b *testing.B) {
	tb, p := bigTable(benchDays, benchManagers), mustPrinter(b, "ru")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := XLSX(tb, p); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCSV(b *testing.B) {
	tb, p := bigTable(benchDays, benchManagers), mustPrinter(b, "ru")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := CSV(tb, p); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkChart(b *testing.B) {
	tb, p := bigTable(benchDays, benchManagers), mustPrinter(b, "ru")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Chart(tb, p, ByManager); err != nil {
			b.Fatal(err)
		}
	}
}
