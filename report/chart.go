package report

import (
	"bytes"
	"fmt"
	"image/color"
	"math"
	"strconv"
	"time"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"

	"salesguard/checks"
	"salesguard/locales"
)

// The chart's size in pixels, and the resolution its points are drawn at.
const (
	ChartWidth  = 1200
	ChartHeight = 600
	chartDPI    = 96
)

// legendShare is the part of the width kept for the legend, right of the plot.
const legendShare = 0.26

// maxLegendName cuts long manager and rule names in the legend.
const maxLegendName = 28

// palette holds distinguishable line colours (Tableau 10); "others" is drawn grey and dashed.
var palette = []color.RGBA{
	{0x4e, 0x79, 0xa7, 0xff}, {0xf2, 0x8e, 0x2b, 0xff}, {0xe1, 0x57, 0x59, 0xff}, {0x76, 0xb7, 0xb2, 0xff},
	{0x59, 0xa1, 0x4f, 0xff}, {0xed, 0xc9, 0x48, 0xff}, {0xb0, 0x7a, 0xa1, 0xff}, {0xff, 0x9d, 0xa7, 0xff},
	{0x9c, 0x75, 0x5f, 0xff}, {0x3b, 0x3b, 0x98, 0xff},
}

var othersColor = color.RGBA{0x8c, 0x8c, 0x8c, 0xff}

// Chart draws the trend of the period as a ChartWidth × ChartHeight PNG: violations per day,
// one line per manager (ByManager) or per rule (ByRule): the ChartTopN biggest, then one
// dashed line with the average of the rest, with a legend of names right of the plot. Fonts are Liberation (embedded by
// gonum/plot, Latin and Cyrillic), so the output is the same on every machine for the same
// input. An empty period draws the axes and a "no data" note.
func Chart(t Table, p *locales.Printer, by ChartBy) ([]byte, error) {
	if by != ByManager && by != ByRule {
		return nil, fmt.Errorf("chart by %d: want ByManager or ByRule", int(by))
	}
	v, err := newView(t, p)
	if err != nil {
		return nil, err
	}
	plt, legend, err := buildPlot(v, p, by)
	if err != nil {
		return nil, err
	}
	w, h := pixels(ChartWidth), pixels(ChartHeight)
	c := vgimg.NewWith(vgimg.UseWH(w, h), vgimg.UseDPI(chartDPI), vgimg.UseBackgroundColor(color.White))
	dc := draw.New(c)
	legendW := w * legendShare
	plt.Draw(draw.Crop(dc, vg.Points(4), -legendW, vg.Points(4), -vg.Points(8)))
	legend.Draw(draw.Crop(dc, w-legendW+vg.Points(8), -vg.Points(8), 0, -vg.Points(40)))
	var buf bytes.Buffer
	if _, err := (vgimg.PngCanvas{Canvas: c}).WriteTo(&buf); err != nil {
		return nil, fmt.Errorf("encode chart png: %w", err)
	}
	return buf.Bytes(), nil
}

// pixels converts a size in pixels at chartDPI to vg's points.
func pixels(px int) vg.Length { return vg.Length(px) * vg.Inch / chartDPI }

// buildPlot makes the plot and its legend (drawn apart, so long names never cover lines).
func buildPlot(v *view, p *locales.Printer, by ChartBy) (*plot.Plot, plot.Legend, error) {
	plt := plot.New()
	from, to := v.periodText(p)
	plt.Title.Text = p.T("report.chart.title."+by.String(), from, to)
	plt.Title.TextStyle.Font = sans(15)
	for _, a := range []*plot.Axis{&plt.X, &plt.Y} {
		a.Label.TextStyle.Font = sans(12)
		a.Tick.Label.Font = sans(10)
	}
	plt.Title.Padding = vg.Points(10)
	plt.X.Label.Text = p.T("report.chart.axis.day")
	plt.Y.Label.Text = p.T("report.chart.axis.count")
	plt.X.Tick.Marker = dayTicks(v.days, p.T("report.layout.day_short"))
	plt.Y.Tick.Marker = plot.TickerFunc(intTicks)
	plt.Add(plotter.NewGrid())
	legend := plot.NewLegend()
	legend.Top, legend.Left = true, true
	legend.TextStyle.Font = sans(11)
	legend.Padding = vg.Points(4)
	ss := chartSeries(v, p, by)
	for i, s := range ss {
		line, points, err := plotter.NewLinePoints(xys(s.values))
		if err != nil {
			return nil, legend, fmt.Errorf("chart line %d: %w", i, err)
		}
		col := color.Color(palette[i%len(palette)])
		if s.others {
			col = othersColor
			line.Dashes = []vg.Length{vg.Points(6), vg.Points(3)}
		}
		line.Color, line.Width = col, vg.Points(2)
		points.Color, points.Shape, points.Radius = col, draw.CircleGlyph{}, vg.Points(2.5)
		plt.Add(line, points)
		name := truncateName(s.name, maxLegendName)
		if !s.others {
			name += " (" + p.Number(s.total) + ")"
		}
		legend.Add(name, line, points)
	}
	if len(ss) == 0 {
		if err := addNoData(plt, v, p); err != nil {
			return nil, legend, err
		}
	}
	plt.X.Min, plt.X.Max = -0.5, math.Max(float64(len(v.days))-0.5, 0.5)
	plt.Y.Min, plt.Y.Max = 0, math.Max(plt.Y.Max*1.08, 1)
	return plt, legend, nil
}

// addNoData writes the "no data" note in the middle of the plot area.
func addNoData(plt *plot.Plot, v *view, p *locales.Printer) error {
	x := float64(max(len(v.days)-1, 0)) / 2
	labels, err := plotter.NewLabels(plotter.XYLabels{XYs: plotter.XYs{{X: x, Y: 0.5}}, Labels: []string{p.T("report.no_data")}})
	if err != nil {
		return fmt.Errorf("chart no-data note: %w", err)
	}
	for i := range labels.TextStyle {
		labels.TextStyle[i].Font = sans(16)
		labels.TextStyle[i].XAlign = draw.XCenter
		labels.TextStyle[i].YAlign = draw.YCenter
		labels.TextStyle[i].Color = othersColor
	}
	plt.Add(labels)
	return nil
}

// sans is Liberation Sans (embedded by gonum/plot; Latin, Cyrillic, Greek) at a size.
func sans(size vg.Length) font.Font {
	return font.Font{Typeface: "Liberation", Variant: "Sans", Size: vg.Points(float64(size))}
}

// xys places one value per day at x = day index.
func xys(values []float64) plotter.XYs {
	out := make(plotter.XYs, len(values))
	for i, y := range values {
		out[i] = plotter.XY{X: float64(i), Y: y}
	}
	return out
}

// dayTicks labels the days of the period with the short day layout, thinning the labels to
// at most about 16 so they never overlap; unlabelled days get minor ticks.
func dayTicks(days []checks.Date, layout string) plot.Ticker {
	step := max(1, (len(days)+15)/16)
	return plot.TickerFunc(func(lo, hi float64) []plot.Tick {
		ticks := make([]plot.Tick, 0, len(days))
		for i, d := range days {
			t := plot.Tick{Value: float64(i)}
			if i%step == 0 {
				t.Label = d.In(time.UTC).Format(layout)
			}
			ticks = append(ticks, t)
		}
		return ticks
	})
}

// intTicks marks whole numbers from 0 with a step of 1, 2 or 5 × 10ⁿ, about six labels:
// counts of violations are never fractional.
func intTicks(_, hi float64) []plot.Tick {
	step := niceStep(hi / 6)
	var ticks []plot.Tick
	for y := 0.0; y <= hi; y += step {
		ticks = append(ticks, plot.Tick{Value: y, Label: strconv.Itoa(int(y))})
	}
	return ticks
}

// niceStep returns the smallest of 1, 2, 5, 10, 20, 50, … that is at least raw.
func niceStep(raw float64) float64 {
	for k := 1.0; ; k *= 10 {
		for _, m := range []float64{1, 2, 5} {
			if m*k >= raw {
				return m * k
			}
		}
	}
}

// truncateName cuts a legend name to n runes, marking the cut with an ellipsis.
func truncateName(s string, n int) string {
	if cut := truncateRunes(s, n); cut != s {
		return truncateRunes(s, n-1) + "…"
	}
	return s
}
