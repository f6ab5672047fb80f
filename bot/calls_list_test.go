package bot

import (
	"strings"
	"testing"

	"salesguard/amo"
	"salesguard/checks"
)

// TestCallsListsEachProblemOnce: R7's faked activity is a warning for the manager and an info
// for the head on the same deal; /calls shows it once and counts the deal once. A manager's
// /calls does not show which of their calls the head will review.
func TestCallsListsEachProblemOnce(t *testing.T) {
	h := newHarness(t, "en")
	faked := checks.Finding{Rule: checks.R7, Level: checks.LevelWarning, AccountID: 7, DealID: 10, ManagerID: 1,
		Kind: checks.KindFakedActivity, Value: 6, Limit: 5, Unit: checks.UnitCount, Day: checks.DateOf(fixtureNow), DealName: "Acme"}
	info := faked
	info.Level = checks.LevelInfo
	h.src.findings = []checks.Finding{faked, info}
	h.src.review = map[amo.UserID][]checks.ReviewCall{}
	h.send(idHead, "en", "/calls")
	calls := h.tg.take("setMyCommands")
	if len(calls) != 1 {
		t.Fatalf("calls: %+v", calls)
	}
	text := calls[0].Params["text"]
	if n := strings.Count(text, "very short calls in a row"); n != 1 || !strings.Contains(text, "1 deal") {
		t.Errorf("head /calls lists the problem %d times:\n%s", n, text)
	}

	h = newHarness(t, "en") // the fixture's review sample has a call of manager 1
	h.send(idManager, "en", "/calls")
	calls = h.tg.take("setMyCommands")
	if len(calls) != 1 || strings.Contains(calls[0].Params["text"], "rec.example") {
		t.Errorf("a manager sees the calls to review: %+v", calls)
	}
}
