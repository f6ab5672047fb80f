package app

import (
	"strings"
	"time"

	"salesguard/checks"
	"salesguard/locales"
)

// skippedItems counts the amoCRM items a sync skipped as malformed (a wrong type, no id), with
// the first few warnings as examples: one bad item never stops a sync, but the admins must know
// that some of their data is not checked.
type skippedItems struct {
	n        int
	examples []string
}

// skippedExamples is how many warnings the admins' notice quotes.
const skippedExamples = 3

func (s *skippedItems) add(warning string) {
	if !strings.Contains(warning, " skipped") {
		return // a warning about the page, not an item
	}
	s.n++
	if len(s.examples) < skippedExamples {
		s.examples = append(s.examples, warning)
	}
}

// skippedJob remembers the day the admins were last told about skipped items.
const skippedJob = "data-health:skipped-items"

// tellSkipped tells the admins, at most once a day, how many amoCRM items were skipped since
// they were last told, with examples naming the list and the item. The count starts again
// after each notice; the metric salesguard_amocrm_items_skipped_total keeps the total.
func (a *App) tellSkipped(acc *accountState, now time.Time) {
	if acc.skipped.n == 0 {
		return
	}
	if a.opt.Metrics != nil {
		a.opt.Metrics.ItemsSkipped.WithLabelValues(acc.Key).Add(float64(acc.skipped.n))
	}
	loc := a.location(acc)
	last, err := a.store.LastRun(acc.Key, skippedJob)
	if err != nil {
		acc.log.Warn("skipped items notice", "err", err)
		return
	}
	if !last.IsZero() && checks.DateOf(last.In(loc)) == checks.DateOf(now.In(loc)) {
		return // told today: the count grows until tomorrow's notice
	}
	if err := a.store.SetLastRun(acc.Key, skippedJob, now); err != nil {
		acc.log.Warn("remember skipped items notice", "err", err)
		return
	}
	s := acc.skipped
	acc.skipped = skippedItems{}
	a.tellAdmins(acc, now, func(p *locales.Printer) string {
		return p.N("health.skipped_items", s.n) + "\n" + strings.Join(s.examples, "\n")
	})
}
