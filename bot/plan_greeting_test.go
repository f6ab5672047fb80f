package bot

import (
	"strings"
	"testing"
	"time"

	"salesguard/checks"
)

// TestPlanGreetsByTheTimeOfDay: /today greets by the local hour, in each language.
func TestPlanGreetsByTheTimeOfDay(t *testing.T) {
	r := NewRenderer(mustCatalog(t))
	src := fixtureSource()
	loc := location(src.snap)
	tests := []struct {
		hour int
		want map[string]string
	}{
		{8, map[string]string{"en": "Good morning", "ru": "Доброе утро", "es": "Buenos días"}},
		{14, map[string]string{"en": "Good afternoon", "ru": "Добрый день", "es": "Buenas tardes"}},
		{20, map[string]string{"en": "Good evening", "ru": "Добрый вечер", "es": "Buenas noches"}},
	}
	for _, tt := range tests {
		for lang, want := range tt.want {
			now := time.Date(2026, 3, 11, tt.hour, 38, 0, 0, loc)
			m := r.PlanNow(checks.ManagerPlan{Manager: 1}, src.snap, now, lang)
			if first, _, _ := strings.Cut(m.Text, "\n"); !strings.Contains(first, want) {
				t.Errorf("%02d:38 in %s: %q; want %q", tt.hour, lang, first, want)
			}
		}
	}
}
