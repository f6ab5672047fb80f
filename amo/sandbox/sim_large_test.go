package sandbox

import (
	"testing"
	"time"
)

func TestSimWorkingClock(t *testing.T) {
	s := NewSim(NewWorld(time.Time{}), SimConfig{TimeZone: "Europe/Moscow", Quiet: true})
	msk := s.Location()
	at := func(day, h, m int) time.Time { return time.Date(2026, 3, day, h, m, 0, 0, msk) } // 2 March 2026 is a Monday
	tests := []struct {
		name string
		from time.Time
		add  time.Duration
		want time.Time
	}{
		{"inside the day", at(2, 10, 0), 15 * time.Minute, at(2, 10, 15)},
		{"before opening", at(2, 7, 30), 15 * time.Minute, at(2, 9, 15)},
		{"over the evening", at(2, 17, 50), 15 * time.Minute, at(3, 9, 5)},
		{"at night", at(2, 23, 0), 15 * time.Minute, at(3, 9, 15)},
		{"friday to monday", at(6, 17, 0), 2 * time.Hour, at(9, 10, 0)},
		{"saturday", at(7, 12, 0), time.Minute, at(9, 9, 1)},
		{"a full day", at(2, 9, 0), 9 * time.Hour, at(2, 18, 0)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := s.addWorking(tt.from.UTC(), tt.add); !got.Equal(tt.want) {
				t.Errorf("addWorking(%v, %v) = %v, want %v", tt.from, tt.add, got.In(msk), tt.want)
			}
		})
	}
}

func TestBuildLarge(t *testing.T) {
	w := NewWorld(simStart)
	s := BuildLarge(w, 500, 1500, 2000, 1)
	d := snapshot(w)
	if len(d.Leads) != 500 || len(d.Contacts) != 500 || len(d.Tasks) != 1500 || len(d.Notes) != 1000 || len(d.Events) != 1000 {
		t.Fatalf("counts: %d leads, %d contacts, %d tasks, %d notes, %d events",
			len(d.Leads), len(d.Contacts), len(d.Tasks), len(d.Notes), len(d.Events))
	}
	if len(s.Managers()) != 20 || !d.Now.Equal(simStart) {
		t.Fatalf("%d managers, now %v", len(s.Managers()), d.Now)
	}
	checkInvariants(t, &d)
}

func BenchmarkPopulate(b *testing.B) {
	for b.Loop() {
		mustPopulate(b, SimConfig{Seed: 1, Managers: 20, LeadsPerDay: 100, Days: 30})
	}
}

func BenchmarkBuildLarge(b *testing.B) {
	for b.Loop() {
		BuildLarge(NewWorld(simStart), 100_000, 300_000, 500_000, 1)
	}
}
