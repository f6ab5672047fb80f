package checks

import (
	"cmp"
	"slices"
	"time"

	"salesguard/amo"
)

// PendingLead is a new lead nobody has taken yet, with its R1 deadline (RULES.md R1): what
// /unanswered lists, late or not.
type PendingLead struct {
	DealID  amo.LeadID `json:"deal_id"`
	Name    string     `json:"name"`
	Manager amo.UserID `json:"manager"`
	// Created is when the lead came in.
	Created time.Time `json:"created"`
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
	deals := in.WS.Deals()
	for i := range deals {
		d := &deals[i]
		created := d.CreatedAt()
		if !d.Live() || !d.IsOpen() || !in.Meaning.IsWatched(d) || created.Before(since) || created.After(in.Now) {
			continue
		}
		if _, taken := firstAction(newView(in, int32(i))); taken {
			continue
		}
		due := in.Cal.AddWorking(created, limit).In(in.Cal.Location())
		left := in.Cal.WorkingDuration(in.Now, due)
		if in.Now.After(due) {
			left = -in.Cal.WorkingDuration(due, in.Now)
		}
		out = append(out, PendingLead{DealID: d.ID, Name: in.WS.DealName(d), Manager: d.Responsible, Created: created, Due: due, Left: left})
	}
	slices.SortFunc(out, func(a, b PendingLead) int {
		return cmp.Or(a.Due.Compare(b.Due), cmp.Compare(a.DealID, b.DealID))
	})
	return out
}
