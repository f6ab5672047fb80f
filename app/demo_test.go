package app

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"salesguard/bot"
	"salesguard/locales"
)

func TestDemoReplaysADay(t *testing.T) {
	cat, err := locales.Load()
	if err != nil {
		t.Fatal(err)
	}
	loc, _ := time.LoadLocation("Europe/London")
	var out bytes.Buffer
	err = Demo(context.Background(), DemoOptions{
		Out: &out, Catalog: cat, Renderer: bot.NewRenderer(cat), Lang: "en",
		Seed: 1, Managers: 3, Leads: 20, History: 1, Days: 1,
		Start: time.Date(2026, 11, 24, 8, 0, 0, 0, loc),
	})
	if err != nil {
		t.Fatal(err)
	}
	s := out.String()
	t.Log(s[:min(len(s), 6000)])
	for _, want := range []string{"alert", "digest", "plan"} {
		if !strings.Contains(s, "· "+want) {
			t.Errorf("the demo printed no %s", want)
		}
	}
}

func TestDemoStartReplaysAMondayFromFourDays(t *testing.T) {
	loc := time.UTC
	for day := 1; day <= 7; day++ { // 2026-06-01 is a Monday
		now := time.Date(2026, 6, day, 15, 0, 0, 0, loc)
		for _, days := range []int{1, 3, 4, 5, 10} {
			start := demoStart(now, days)
			if start.Weekday() == time.Saturday || start.Weekday() == time.Sunday {
				t.Fatalf("%s, %d days: starts on a %s", now.Weekday(), days, start.Weekday())
			}
			if days < weeklyDemoDays {
				if want := nextWorkday(now); !start.Equal(want) {
					t.Errorf("%s, %d days: start %s, want the next working day %s", now.Weekday(), days, start, want)
				}
				continue
			}
			monday := false
			for d, i := start, 0; i < days; d, i = nextWorkday(d), i+1 {
				monday = monday || d.Weekday() == time.Monday
			}
			if !monday {
				t.Errorf("%s, %d days from %s: no Monday replayed", now.Weekday(), days, start.Format("Mon 2006-01-02"))
			}
		}
	}
}
