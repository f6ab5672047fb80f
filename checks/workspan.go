package checks

import "time"

// spanDays is how many days back from the evaluation a workSpan holds: stays in a stage older
// than that are measured by walking the calendar.
const spanDays = 400

// workSpan holds the working time of a run of days, summed, so the working time between two
// moments within the run costs a few look-ups instead of a walk over its days (R4 measures
// every stale deal's stay in working time). It is built with the input and only read after.
type workSpan struct {
	first int             // the first day held, as Date.Days
	cum   []time.Duration // cum[i]: the working time of the days first … first+i-1
}

// newWorkSpan sums the working time of the days from first to last, both included.
func newWorkSpan(c *Calendar, first, last Date) workSpan {
	n := max(last.Days()-first.Days()+1, 0)
	sp := workSpan{first: first.Days(), cum: make([]time.Duration, n+1)}
	d := first
	for i := range n {
		var w time.Duration
		if s, e, ok := c.DayBounds(d); ok {
			w = e.Sub(s)
		}
		sp.cum[i+1] = sp.cum[i] + w
		d = d.AddDays(1)
	}
	return sp
}

// workingDuration returns c.WorkingDuration(from, to): the two end days are clipped, the whole
// days between them come from the sums; moments outside the span walk the calendar.
func (in *Input) workingDuration(from, to time.Time) time.Duration {
	c, sp := in.Cal, &in.work
	if !to.After(from) {
		return 0
	}
	fd, td := DateOf(from.In(c.loc)), DateOf(to.In(c.loc))
	i, j := fd.Days()-sp.first, td.Days()-sp.first
	if fd == td || i < 0 || j >= len(sp.cum) {
		return c.WorkingDuration(from, to)
	}
	return c.clipped(fd, from, to) + (sp.cum[j] - sp.cum[i+1]) + c.clipped(td, from, to)
}

// clipped returns the working time of day d within [from, to].
func (c *Calendar) clipped(d Date, from, to time.Time) time.Duration {
	s, e, ok := c.DayBounds(d)
	if !ok {
		return 0
	}
	if s.Before(from) {
		s = from
	}
	if e.After(to) {
		e = to
	}
	if !e.After(s) {
		return 0
	}
	return e.Sub(s)
}
