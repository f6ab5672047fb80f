package checks

import (
	"slices"
	"testing"
	"time"

	"salesguard/amo"
)

func TestR11Forgotten(t *testing.T) {
	now := mskAt(t, 2026, 11, 18, 12, 0)
	day := 24 * time.Hour
	tests := []struct {
		name  string
		setup func(s *amo.Snapshot)
		want  []amo.LeadID
	}{
		{"nothing since creation 40 days ago", nil, []amo.LeadID{1}},
		{"incoming chat 10 days ago", func(s *amo.Snapshot) {
			s.Events = []amo.Event{event("a", amo.EventIncomingChatMessage, 1, now.Add(-10*day))}
		}, nil},
		{"call note exactly 30 days ago", func(s *amo.Snapshot) {
			s.Notes = []amo.Note{{ID: 1, EntityType: amo.EntityLeads, EntityID: 1, NoteType: amo.NoteCallIn, CreatedAt: now.Add(-30 * day)}}
		}, []amo.LeadID{1}},
		{"call note 30 days minus a minute ago", func(s *amo.Snapshot) {
			s.Notes = []amo.Note{{ID: 1, EntityType: amo.EntityLeads, EntityID: 1, NoteType: amo.NoteCallIn, CreatedAt: now.Add(-30*day + time.Minute)}}
		}, nil},
		{"status change is not communication", func(s *amo.Snapshot) {
			s.Events = []amo.Event{moved("a", 1, tNew, tWork, now.Add(-day))}
		}, []amo.LeadID{1}},
		{"closed deal", func(s *amo.Snapshot) { s.Leads[0].StatusID = amo.StatusLost }, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			snap := baseSnap()
			snap.Leads = []amo.Lead{lead(1, tWork, created(now.Add(-40*day)))}
			if tt.setup != nil {
				tt.setup(snap)
			}
			fs := Evaluate(mustInput(t, snap, DefaultSettings(), now), R11)
			if got := dealIDs(fs); !slices.Equal(got, tt.want) {
				t.Errorf("deals %v, want %v (%+v)", got, tt.want, fs)
			}
		})
	}
}
