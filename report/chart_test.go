package report

import (
	"bytes"
	"fmt"
	"image/png"
	"slices"
	"strings"
	"testing"

	"salesguard/amo"
	"salesguard/checks"
)

func TestChartIsAPNGOfTheRightSize(t *testing.T) {
	tables := map[string]Table{
		"small":       smallTable(),
		"many":        bigTable(10, 12),
		"empty":       {},
		"quiet week":  {From: day(1), To: day(7)},
		"one day":     {Rows: []checks.TableRow{{Day: day(5), Manager: 1, Rule: checks.R3, Count: 2}}},
		"long names":  {Rows: []checks.TableRow{{Day: day(5), Manager: 1, Rule: checks.R3, Count: 2}}, Managers: map[amo.UserID]string{1: strings.Repeat("Константинопольский ", 5)}},
		"unknown ids": {Rows: []checks.TableRow{{Day: day(5), Manager: 7, Rule: "R99", Count: 2}}},
	}
	for name, tb := range tables {
		langs := []string{"ru"} // Cyrillic legend and title; the other languages on one table
		if name == "small" {
			langs = []string{"en", "ru", "es"}
		}
		for _, lang := range langs {
			for _, by := range []ChartBy{ByManager, ByRule} {
				t.Run(fmt.Sprintf("%s/%s/%s", name, lang, by), func(t *testing.T) {
					b, err := Chart(tb, mustPrinter(t, lang), by)
					if err != nil {
						t.Fatalf("Chart: %v", err)
					}
					img, err := png.Decode(bytes.NewReader(b))
					if err != nil {
						t.Fatalf("decode png: %v", err)
					}
					if got := img.Bounds().Size(); got.X != ChartWidth || got.Y != ChartHeight {
						t.Errorf("size = %v, want %dx%d", got, ChartWidth, ChartHeight)
					}
				})
			}
		}
	}
}

func TestChartIsDeterministic(t *testing.T) {
	p := mustPrinter(t, "ru")
	a, err := Chart(smallTable(), p, ByManager)
	if err != nil {
		t.Fatalf("Chart: %v", err)
	}
	b, err := Chart(smallTable(), p, ByManager)
	if err != nil {
		t.Fatalf("Chart: %v", err)
	}
	if !bytes.Equal(a, b) {
		t.Error("two charts of the same table differ")
	}
}

func TestChartRejectsUnknownBy(t *testing.T) {
	if _, err := Chart(smallTable(), mustPrinter(t, "en"), ChartBy(7)); err == nil {
		t.Fatal("Chart by 7: want an error")
	}
}

func TestChartSeriesTopNAndOthers(t *testing.T) {
	p := mustPrinter(t, "en")
	tb := Table{From: day(1), To: day(2), Managers: map[amo.UserID]string{}}
	// Manager m has m violations on day 1 and none on day 2; manager 0 has none at all.
	for m := range ChartTopN + 4 {
		tb.Managers[amo.UserID(m)] = fmt.Sprintf("M%02d", m)
		if m > 0 {
			tb.Rows = append(tb.Rows, checks.TableRow{Day: day(1), Manager: amo.UserID(m), Rule: checks.R1, Count: m})
		}
	}
	v, err := newView(tb, p)
	if err != nil {
		t.Fatalf("newView: %v", err)
	}
	ss := chartSeries(v, p, ByManager)
	if len(ss) != ChartTopN+1 {
		t.Fatalf("%d series, want %d", len(ss), ChartTopN+1)
	}
	var names []string
	for _, s := range ss[:ChartTopN] {
		names = append(names, s.name)
	}
	if want := []string{"M11", "M10", "M09", "M08", "M07", "M06", "M05", "M04"}; !slices.Equal(names, want) {
		t.Errorf("top names = %q, want %q", names, want)
	}
	others := ss[ChartTopN]
	// The rest are M03, M02, M01: 6 violations, 2 per manager on day 1.
	if !others.others || others.total != 6 || !slices.Equal(others.values, []float64{2, 0}) || others.name != "Others (3), average" {
		t.Errorf("others = %+v", others)
	}
	// One manager more than N: no "others" line for a single person.
	tb.Rows = tb.Rows[len(tb.Rows)-(ChartTopN+1):]
	v, _ = newView(tb, p)
	if ss := chartSeries(v, p, ByManager); len(ss) != ChartTopN+1 || ss[ChartTopN].others {
		t.Errorf("N+1 managers: got %d series (last others=%v), want all named", len(ss), ss[len(ss)-1].others)
	}
}

func TestChartSeriesByRule(t *testing.T) {
	p := mustPrinter(t, "ru")
	v, err := newView(smallTable(), p)
	if err != nil {
		t.Fatalf("newView: %v", err)
	}
	ss := chartSeries(v, p, ByRule)
	var got []string
	for _, s := range ss {
		got = append(got, fmt.Sprintf("%s=%v", s.name[:strings.Index(s.name, ".")], s.values))
	}
	// R3 (5) first, then R1 (3), then R12 (1); rules with no violations get no line.
	if want := []string{"R3=[1 4 0]", "R1=[2 0 1]", "R12=[0 0 1]"}; !slices.Equal(got, want) {
		t.Errorf("series = %q, want %q", got, want)
	}
}

func TestIntTicks(t *testing.T) {
	tests := []struct {
		hi   float64
		want []string
	}{
		{1, []string{"0", "1"}},
		{4.3, []string{"0", "1", "2", "3", "4"}},
		{37.8, []string{"0", "10", "20", "30"}},
		{1300, []string{"0", "500", "1000"}},
	}
	for _, tt := range tests {
		var got []string
		for _, tk := range intTicks(0, tt.hi) {
			got = append(got, tk.Label)
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("intTicks(0, %v) = %q, want %q", tt.hi, got, tt.want)
		}
	}
}

func TestTruncateName(t *testing.T) {
	if got := truncateName("Константин", 6); got != "Конст…" {
		t.Errorf("truncateName = %q", got)
	}
	if got := truncateName("Анна", 6); got != "Анна" {
		t.Errorf("truncateName = %q", got)
	}
}

// The bot may render charts for two chats at once; gonum/plot's font cache is shared.
func TestChartConcurrentCalls(t *testing.T) {
	p := mustPrinter(t, "ru")
	errs := make(chan error, 2)
	for _, by := range []ChartBy{ByManager, ByRule} {
		go func() {
			_, err := Chart(smallTable(), p, by)
			errs <- err
		}()
	}
	for range 2 {
		if err := <-errs; err != nil {
			t.Errorf("Chart: %v", err)
		}
	}
}
