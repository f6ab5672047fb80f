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
