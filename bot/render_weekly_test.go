package bot

import (
	"strings"
	"testing"
	"time"

	"salesguard/amo"
	"salesguard/checks"
	"salesguard/notify"
)

func TestWeeklyAndLateDigestGolden(t *testing.T) {
	r := NewRenderer(mustCatalog(t))
	src := fixtureSource()
	day := checks.DateOf(fixtureNow)
	others := []checks.OtherText{
		{Text: "Too <expensive> & far", Count: 2, Deals: []amo.LeadID{13, 14}, Names: []string{"Delta", "Epsilon"}},
		{Text: "Went to a competitor", Count: 7, Deals: []amo.LeadID{1, 2, 3, 4, 5, 6, 7}},
	}
	for _, lang := range langs {
		msgs := map[string]notify.Message{
			"weekly":       r.Weekly(src.digest, day.AddDays(-7), day.AddDays(-1), others, WeeklyReview{}, src.snap, lang),
			"weekly_empty": r.Weekly(checks.Digest{Day: day}, day.AddDays(-7), day.AddDays(-1), nil, WeeklyReview{}, src.snap, lang),
			"digest_late":  r.LateDigest(src.digest, src.snap, fixtureNow.Add(-3*time.Hour), lang),
		}
		for name, m := range msgs {
			t.Run(name+"."+lang, func(t *testing.T) {
				if m.Kind != notify.KindWeekly && m.Kind != notify.KindDigest {
					t.Errorf("kind = %s", m.Kind)
				}
				if strings.Contains(m.Text, "<expensive>") || strings.Contains(m.Text, "<boss>") {
					t.Errorf("unescaped CRM text:\n%s", m.Text)
				}
				golden(t, name+"."+lang, showMessage(m))
			})
		}
	}
}

func TestLateDigestAddsOnlyTheMarker(t *testing.T) {
	r := NewRenderer(mustCatalog(t))
	src := fixtureSource()
	plain := r.Digest(src.digest, src.snap, "en").Text
	late := r.LateDigest(src.digest, src.snap, fixtureNow, "en").Text
	marker := esc(mustCatalog(t).Printer("en").T("digest.late", mustCatalog(t).Printer("en").DateTime(fixtureNow)))
	if strings.Replace(late, "\n"+marker, "", 1) != plain {
		t.Errorf("late digest differs from the digest by more than the marker:\n%s", late)
	}
}

func TestFunnelGolden(t *testing.T) {
	ref := func(p, s int64) amo.StatusRef {
		return amo.StatusRef{PipelineID: amo.PipelineID(p), StatusID: amo.StatusID(s)}
	}
	for _, lang := range langs {
		t.Run(lang, func(t *testing.T) {
			h := newHarness(t, lang)
			h.src.snap.Pipelines = []amo.Pipeline{{ID: 5, Name: "Sales <main>", Statuses: []amo.Status{
				{ID: 51, PipelineID: 5, Name: "New & hot", Sort: 10}, {ID: 52, PipelineID: 5, Name: "Talks", Sort: 20}}}}
			h.src.funnel = checks.FunnelStats{
				Stages: []checks.StageStat{
					{Stage: ref(5, 51), Entered: 10, Left: 8, AvgTime: 95 * time.Minute, Now: 2},
					{Stage: ref(5, 52), Entered: 6, Left: 0, Now: 6},
					{Stage: ref(5, int64(amo.StatusLost)), Entered: 2},
				},
				Transitions: []checks.Transition{
					{From: ref(5, 51), To: ref(5, 52), Count: 6},
					{From: ref(5, 51), To: ref(5, int64(amo.StatusLost)), Count: 2},
				},
			}
			h.send(idHead, lang, "/funnel month")
			calls := h.tg.take("setMyCommands")
			if len(calls) != 1 {
				t.Fatalf("calls = %+v", calls)
			}
			golden(t, "funnel_head."+lang, showCall(calls[0]))
		})
	}
}

func TestFunnelBadPeriod(t *testing.T) {
	h := newHarness(t, "en")
	h.send(idHead, "en", "/funnel year")
	calls := h.tg.take("setMyCommands")
	if len(calls) != 1 || !strings.Contains(calls[0].Params["text"], "week") {
		t.Errorf("calls = %+v, want the allowed periods", calls)
	}
}
