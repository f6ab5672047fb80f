package checks

import (
	"testing"
	"time"

	"salesguard/amo"
)

func TestR3Overdue(t *testing.T) {
	now := mskAt(t, 2026, 11, 18, 12, 0)
	tests := []struct {
		name  string
		tasks []amo.Task
		want  []Finding // only Rule-independent fields compared: DealID, Value, Due, Subject
	}{
		{"due in the future", []amo.Task{task(1, 1, now.Add(time.Minute), false)}, nil},
		{"due exactly now", []amo.Task{task(1, 1, now, false)}, nil},
		{"a second late", []amo.Task{task(1, 1, now.Add(-time.Second), false)},
			[]Finding{{DealID: 1, Value: 1, Due: now.Add(-time.Second)}}},
		{"completed", []amo.Task{task(1, 1, now.Add(-time.Hour), true)}, nil},
		{"two on one deal", []amo.Task{task(1, 1, now.Add(-time.Hour), false), task(2, 1, now.Add(-3*time.Hour), false)},
			[]Finding{{DealID: 1, Value: 2, Due: now.Add(-3 * time.Hour)}}},
		{"task on no deal", []amo.Task{task(5, 0, now.Add(-time.Hour), false)},
			[]Finding{{Rule: R3, Value: 1, Due: now.Add(-time.Hour), Task: 5, Scope: Scope{Kind: ScopeTask, ID: 5}}}},
		{"deal outside watched pipelines", []amo.Task{task(1, 2, now.Add(-time.Hour), false)}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			snap := baseSnap()
			snap.Leads = []amo.Lead{lead(1, tWork), lead(2, tWork)}
			snap.Leads[1].PipelineID = 99
			snap.Tasks = tt.tasks
			fs := Evaluate(mustInput(t, snap, DefaultSettings(), now), R3)
			if len(fs) != len(tt.want) {
				t.Fatalf("got %+v, want %+v", fs, tt.want)
			}
			for i, w := range tt.want {
				g := fs[i]
				if g.DealID != w.DealID || g.Value != w.Value || !g.Due.Equal(w.Due) || g.Subject() != w.Subject() ||
					g.Level != LevelWarning || g.ManagerID != tManager {
					t.Errorf("got %+v, want %+v", g, w)
				}
			}
		})
	}
}
