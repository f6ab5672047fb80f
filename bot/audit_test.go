package bot

import (
	"strings"
	"testing"
	"time"

	"salesguard/amo"
	"salesguard/checks"
)

// auditHarness gives the fixture a sample: Olga's deals 10 and 12, Boris's deal 11.
func auditHarness(t *testing.T, lang string) *harness {
	t.Helper()
	h := reportHarness(t, lang)
	h.store.verdicts = nil
	h.src.audit = map[amo.UserID][]amo.LeadID{1: {10, 12}, 2: {11}}
	return h
}

func TestAuditGolden(t *testing.T) {
	for _, lang := range langs {
		t.Run(lang, func(t *testing.T) {
			h := auditHarness(t, lang)
			h.send(idHead, lang, "/audit")
			var got strings.Builder
			for _, c := range h.tg.take("setMyCommands") {
				got.WriteString(showCall(c))
			}
			golden(t, "audit_head."+lang, got.String())
		})
	}
}

func TestAuditVerdicts(t *testing.T) {
	h := auditHarness(t, "en")
	day := dayCode(checks.DateOf(fixtureNow))
	h.press(idHead, "\faud|o:"+day+":10")
	h.press(idHead, "\faud|v:"+day+":11")
	if len(h.store.verdicts) != 2 {
		t.Fatalf("verdicts = %+v, want 2", h.store.verdicts)
	}
	ok, bad := h.store.verdicts[0], h.store.verdicts[1]
	if !ok.OK || ok.DealID != 10 || ok.Manager != 1 || ok.By != idHead {
		t.Errorf("OK verdict = %+v", ok)
	}
	if bad.OK || bad.DealID != 11 || bad.Manager != 2 {
		t.Errorf("violation verdict = %+v", bad)
	}
	if n := h.tg.count("editMessageText"); n != 2 {
		t.Errorf("%d redraws, want 2", n)
	}
	h.tg.take()
	h.send(idHead, "en", "Called the client <twice> & no note")
	if got := h.store.verdicts[1].Comment; got != "Called the client <twice> & no note" {
		t.Errorf("comment = %q", got)
	}
	// the next text is no longer a comment
	h.send(idHead, "en", "hello")
	if got := h.store.verdicts[1].Comment; got != "Called the client <twice> & no note" {
		t.Errorf("comment overwritten: %q", got)
	}
	// the violation is counted in the report as R13
	h.tg.take()
	h.send(idHead, "en", "/report")
	if text := h.tg.take("setMyCommands")[0].Params["text"]; !strings.Contains(text, "R13") {
		t.Errorf("report lacks the R13 verdict:\n%s", text)
	}
}

func TestAuditCommentExpires(t *testing.T) {
	h := auditHarness(t, "en")
	h.press(idHead, "\faud|v:"+dayCode(checks.DateOf(fixtureNow))+":11")
	h.clock.Advance(awaitTTL + time.Minute)
	h.send(idHead, "en", "too late")
	if got := h.store.verdicts[0].Comment; got != "" {
		t.Errorf("comment after the wait = %q, want none", got)
	}
}

func TestAuditForgedCallbacksStoreNothing(t *testing.T) {
	today := checks.DateOf(fixtureNow)
	cases := []struct {
		name string
		from int64
		data string
	}{
		{"deal not in sample", idHead, "o:" + dayCode(today) + ":13"},
		{"future day", idHead, "o:" + dayCode(today.AddDays(1)) + ":10"},
		{"too old", idHead, "o:" + dayCode(today.AddDays(-30)) + ":10"},
		{"bad kind", idHead, "x:" + dayCode(today) + ":10"},
		{"bad day", idHead, "o:2026-03-11:10"},
		{"bad deal", idHead, "o:" + dayCode(today) + ":-10"},
		{"extra part", idHead, "o:" + dayCode(today) + ":10:1"},
		{"manager", idManager, "o:" + dayCode(today) + ":10"},
		{"stranger", idStranger, "o:" + dayCode(today) + ":10"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := auditHarness(t, "en")
			h.press(tc.from, "\faud|"+tc.data)
			if len(h.store.verdicts) != 0 {
				t.Errorf("stored %+v from forged data", h.store.verdicts)
			}
		})
	}
	t.Run("head outside team", func(t *testing.T) {
		h := auditHarness(t, "en")
		head := h.store.people[idHead]
		head.Team = []amo.UserID{1}
		h.store.people[idHead] = head
		h.press(idHead, "\faud|o:"+dayCode(today)+":11")
		if len(h.store.verdicts) != 0 {
			t.Errorf("stored %+v for another team's deal", h.store.verdicts)
		}
	})
}

func TestAuditAccess(t *testing.T) {
	h := auditHarness(t, "en")
	h.send(idManager, "en", "/audit")
	calls := h.tg.take("setMyCommands")
	if len(calls) != 1 || calls[0].Params["text"] != esc(mustCatalog(t).Printer("en").T("bot.error.forbidden")) {
		t.Errorf("manager got %+v, want the refusal", calls)
	}
}
