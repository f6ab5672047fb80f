package checks

import (
	"testing"
	"time"

	"salesguard/amo"
	"salesguard/workset"
)

func TestPendingResponses(t *testing.T) {
	msk, _ := time.LoadLocation("Europe/Moscow")
	at := func(h, m int) time.Time { return time.Date(2026, 11, 24, h, m, 0, 0, msk) }
	snap := &amo.Snapshot{
		Account:   amo.Account{TimeZone: "Europe/Moscow"},
		Pipelines: []amo.Pipeline{{ID: 1, Statuses: []amo.Status{{ID: 10, PipelineID: 1, Sort: 10}, {ID: 20, PipelineID: 1, Sort: 20}}}},
		Leads: []amo.Lead{
			{ID: 1, PipelineID: 1, StatusID: 10, ResponsibleUserID: 5, CreatedAt: at(10, 0)},  // late by 5 min
			{ID: 2, PipelineID: 1, StatusID: 10, ResponsibleUserID: 5, CreatedAt: at(10, 12)}, // 7 min left
			{ID: 3, PipelineID: 1, StatusID: 20, ResponsibleUserID: 6, CreatedAt: at(10, 5)},  // taken: moved on
		},
		Events: []amo.Event{{ID: "e", Type: amo.EventLeadStatusChanged, EntityType: "lead", EntityID: 3, CreatedBy: 6,
			CreatedAt: at(10, 6), StatusBefore: &amo.StatusRef{PipelineID: 1, StatusID: 10}, StatusAfter: &amo.StatusRef{PipelineID: 1, StatusID: 20}}},
	}
	in, err := NewInput(workset.FromSnapshot(snap), DefaultSettings(), at(10, 20))
	if err != nil {
		t.Fatal(err)
	}
	got := PendingResponses(in)
	if len(got) != 2 {
		t.Fatalf("pending: %+v, want leads 1 and 2", got)
	}
	if got[0].DealID != 1 || got[0].Left != -5*time.Minute {
		t.Errorf("first: lead %d left %s, want lead 1 late by 5m", got[0].DealID, got[0].Left)
	}
	if got[1].DealID != 2 || got[1].Left != 7*time.Minute {
		t.Errorf("second: lead %d left %s, want lead 2 with 7m left", got[1].DealID, got[1].Left)
	}
}
