package checks

import (
	"slices"
	"time"

	"salesguard/amo"
)

// PendingLead is a new lead nobody has taken yet, with its R1 deadline (RULES.md R1): what
// /unanswered lists, late or not.
type PendingLead struct {
	Lead    *amo.Lead  `json:"lead"`
	Manager amo.UserID `json:"manager"`
	// Due is the deadline (creation + the R1 limit in working time).
	Due time.Time `json:"due"`
	// Left is the working time left until Due; negative once the lead is late.
	Left time.Duration `json:"left"`
}

// PendingResponses lists the watched leads created within R1's look-back that have no manager
// action yet, the most urgent first. Unlike R1's findings it includes the leads still within
// their limit, so a manager sees how long is left.
func PendingResponses(in *Input) []PendingLead {
	limit := in.Settings.R1.Limit.D()
	since := in.Now.Add(-r1Lookback)
	var out []PendingLead
	for i := range in.Snap.Leads {
		l := &in.Snap.Leads[i]
		if !l.IsOpen() || !in.Meaning.IsWatched(l) || l.CreatedAt.Before(since) || l.CreatedAt.After(in.Now) {
			continue
		}
		if _, taken := firstAction(in, i, l); taken {
			continue
		}
		due := in.Cal.AddWorking(l.CreatedAt, limit).In(in.Cal.Location())
		left := in.Cal.WorkingDuration(in.Now, due)
		if in.Now.After(due) {
			left = -in.Cal.WorkingDuration(due, in.Now)
		}
		out = append(out, PendingLead{Lead: l, Manager: l.ResponsibleUserID, Due: due, Left: left})
	}
	slices.SortFunc(out, func(a, b PendingLead) int {
		if c := a.Due.Compare(b.Due); c != 0 {
			return c
		}
		return int(a.Lead.ID - b.Lead.ID)
	})
	return out
}
