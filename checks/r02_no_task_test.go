package checks

import (
	"slices"
	"testing"
	"time"

	"salesguard/amo"
)

func TestR2NoTask(t *testing.T) {
	now := mskAt(t, 2026, 11, 18, 17, 0)
	tests := []struct {
		name  string
		setup func(s *amo.Snapshot)
		want  []amo.LeadID
	}{
		{"no task", nil, []amo.LeadID{1}},
		{"open task", func(s *amo.Snapshot) { s.Tasks = []amo.Task{task(1, 1, now.Add(time.Hour), false)} }, nil},
		{"overdue open task still counts as a task", func(s *amo.Snapshot) {
			s.Tasks = []amo.Task{task(1, 1, now.Add(-time.Hour), false)}
		}, nil},
		{"only completed tasks", func(s *amo.Snapshot) {
			s.Tasks = []amo.Task{task(1, 1, now, true)}
		}, []amo.LeadID{1}},
		{"tasks win over a stale closest_task_at", func(s *amo.Snapshot) {
			s.Leads[0].ClosestTaskAt = now
			s.Tasks = []amo.Task{task(1, 2, now, false)}
		}, []amo.LeadID{1}},
		{"closest_task_at when no tasks were synced", func(s *amo.Snapshot) { s.Leads[0].ClosestTaskAt = now }, nil},
		{"closed deal", func(s *amo.Snapshot) { s.Leads[0].StatusID = amo.StatusWon }, nil},
		{"unsorted deal", func(s *amo.Snapshot) { s.Leads[0].StatusID = tUnsorted }, nil},
		{"deleted deal", func(s *amo.Snapshot) { s.Leads[0].IsDeleted = true }, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			snap := baseSnap()
			snap.Leads = []amo.Lead{lead(1, tWork, created(now.Add(-48*time.Hour)))}
			if tt.setup != nil {
				tt.setup(snap)
			}
			fs := Evaluate(mustInput(t, snap, DefaultSettings(), now), R2)
			if got := dealIDs(fs); !slices.Equal(got, tt.want) {
				t.Errorf("deals %v, want %v", got, tt.want)
			}
		})
	}
}
