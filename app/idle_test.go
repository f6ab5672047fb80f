package app

import (
	"context"
	"testing"
	"time"
)

// TestIdlePollWritesNothing checks that a poll with nothing new (no change in amoCRM, no
// deadline passing) writes nothing to the database: not the sync state, not the ledger, not
// a commit with nothing in it.
func TestIdlePollWritesNothing(t *testing.T) {
	start := time.Date(2026, 11, 28, 3, 0, 0, 0, msk) // a Saturday night: no working time, no digest
	e := newTestEnv(t, start)
	m := e.sim.Managers()[0]
	e.sim.NewLead(start.Add(-48*time.Hour), m) // open findings to keep, none of them due tonight
	e.runUntil(start.Add(10 * time.Minute))    // the first sync, then the settle minute of its second
	before := e.db.PagesWritten()
	for range 20 {
		e.clk.Advance(time.Minute)
		if err := e.app.Tick(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	if n := e.db.PagesWritten() - before; n != 0 {
		t.Errorf("20 idle polls wrote %d pages, want 0", n)
	}
	if st := e.app.accounts[0].lastCycle; st.Requests == 0 {
		t.Errorf("the last tick polled nothing (%+v): the test does not test polls", st)
	}
}
