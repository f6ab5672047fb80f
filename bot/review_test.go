package bot

import (
	"strconv"
	"strings"
	"testing"
	"time"

	tele "gopkg.in/telebot.v3"

	"salesguard/amo"
	"salesguard/checks"
)

// reviewWeek is the week of the test sample: Monday Mar 2 – Sunday Mar 8 2026, judged on
// Wednesday Mar 11 (fixtureNow).
var reviewWeek = checks.Date{Year: 2026, Month: 3, Day: 2}

// reviewSample is a sample with every case the messages must handle: a link with "&", a
// hostile deal name, a javascript: link, a call on no deal, a manager named like HTML.
func reviewSample() map[amo.UserID][]checks.ReviewCall {
	at := func(day, h, m int) time.Time { return time.Date(2026, 3, day, h, m, 0, 0, time.UTC) }
	return map[amo.UserID][]checks.ReviewCall{
		1: {
			{NoteID: 5, DealID: 12, ManagerID: 1, At: at(3, 14, 20), Duration: 95 * time.Second, Link: "https://rec.example/5.mp3?a=1&b=2"},
			{NoteID: 7, DealID: 10, ManagerID: 1, At: at(5, 10, 5), Duration: 3 * time.Minute, Incoming: true, Link: "https://rec.example/7.mp3"},
		},
		2: {
			{NoteID: 6, DealID: 11, ManagerID: 2, At: at(4, 9, 0), Duration: 70 * time.Second, Link: "javascript:alert(1)"},
			{NoteID: 8, ManagerID: 2, At: at(6, 17, 45), Duration: 61 * time.Second, Link: "http://rec.example/8.mp3"},
		},
	}
}

// reviewHarness is the report harness with the sample stored for reviewWeek.
func reviewHarness(t *testing.T, lang string) *harness {
	t.Helper()
	h := reportHarness(t, lang)
	s := reviewSample()
	h.store.putSample(reviewWeek, append(s[1], s[2]...))
	return h
}

func TestWeeklyReviewGolden(t *testing.T) {
	r := NewRenderer(mustCatalog(t))
	src := fixtureSource()
	day := checks.DateOf(fixtureNow)
	rv := WeeklyReview{
		Sample:      reviewSample(),
		PrevWeek:    reviewWeek.AddDays(-7),
		PrevSampled: map[amo.UserID]int{1: 3, 2: 2, 3: 1},
		PrevTallies: []checks.ReviewTally{{Manager: 1, Reviewed: 3, NotOK: 1}, {Manager: 2, Reviewed: 1}},
	}
	vs := []CallVerdict{{Week: reviewWeek, Day: reviewWeek.AddDays(1), NoteID: 5, Manager: 1, OK: true, By: idHead, ByName: "Helga <Head>"}}
	names := func(id amo.LeadID) string { return src.DealName("acme", id) }
	for _, lang := range langs {
		t.Run(lang, func(t *testing.T) {
			var got strings.Builder
			got.WriteString(showMessage(r.Weekly(src.digest, day.AddDays(-7), day.AddDays(-1), nil, rv, src.snap, lang)))
			for _, m := range ReviewManagers(src.snap, rv.Sample) {
				msg := r.ReviewCalls(reviewWeek, m, rv.Sample[m], vs, src.snap, names, lang)
				got.WriteString("=== manager " + strconv.FormatInt(int64(m), 10) + " ===\n" + showMessage(msg))
				for _, row := range msg.Buttons {
					for _, b := range row {
						if len(b.Data)+len(b.Unique)+2 > maxCallbackData {
							t.Errorf("button data %q is over %d bytes", b.Data, maxCallbackData)
						}
					}
				}
			}
			text := got.String()
			for _, bad := range []string{"javascript:", "<b>Acme</b>", "<boss>", "<Head>", "a=1&b=2"} {
				if strings.Contains(text, bad) {
					t.Errorf("unsafe text %q in:\n%s", bad, text)
				}
			}
			golden(t, "weekly_review."+lang, text)
		})
	}
}

// TestWeeklyWithoutReviewIsUnchanged: no sample, no section (the weekly goldens stay).
func TestWeeklyWithoutReviewIsUnchanged(t *testing.T) {
	r := NewRenderer(mustCatalog(t))
	src := fixtureSource()
	day := checks.DateOf(fixtureNow)
	empty := WeeklyReview{Sample: map[amo.UserID][]checks.ReviewCall{2: nil}, PrevWeek: reviewWeek, PrevSampled: map[amo.UserID]int{}}
	a := r.Weekly(src.digest, day.AddDays(-7), day.AddDays(-1), nil, WeeklyReview{}, src.snap, "en").Text
	b := r.Weekly(src.digest, day.AddDays(-7), day.AddDays(-1), nil, empty, src.snap, "en").Text
	if a != b || strings.Contains(a, "🎧") {
		t.Errorf("an empty review changes the report:\n%s\n---\n%s", a, b)
	}
}

func TestCallVerdictButtonsRecordAndEdit(t *testing.T) {
	h := reviewHarness(t, "en")
	week := dayCode(reviewWeek)
	h.press(idHead, "\frvw|o:"+week+":5")
	vs := h.store.reviews.verdicts
	if len(vs) != 1 {
		t.Fatalf("verdicts = %+v, want 1", vs)
	}
	want := CallVerdict{Week: reviewWeek, Day: checks.Date{Year: 2026, Month: 3, Day: 3}, NoteID: 5, DealID: 12, Manager: 1,
		OK: true, By: idHead, ByName: "Helga Head", At: fixtureNow}
	if vs[0] != want {
		t.Errorf("verdict = %+v\nwant      %+v", vs[0], want)
	}
	calls := h.tg.take()
	edit := findCall(t, calls, "editMessageText")
	if !strings.Contains(edit.Params["text"], "✅ OK (Helga Head)") || !strings.Contains(edit.Params["text"], "not reviewed") ||
		strings.Contains(edit.Params["text"], "Boris") || !strings.Contains(edit.Params["reply_markup"], "rvw|x:"+week+":7") {
		t.Errorf("redraw = %s\n%s", edit.Params["text"], edit.Params["reply_markup"])
	}
	if ans := findCall(t, calls, "answerCallbackQuery"); ans.Params["text"] != "Marked OK." {
		t.Errorf("answer = %+v", ans.Params)
	}
	// Pressed again, the other button: the verdict changes, still one per call.
	h.clock.Advance(time.Hour)
	h.press(idHead, "\frvw|x:"+week+":5")
	if vs := h.store.reviews.verdicts; len(vs) != 1 || vs[0].OK || !vs[0].At.Equal(fixtureNow.Add(time.Hour)) {
		t.Fatalf("after the change: %+v", vs)
	}
	if edit := findCall(t, h.tg.take(), "editMessageText"); !strings.Contains(edit.Params["text"], "❌ not OK (Helga Head)") {
		t.Errorf("redraw after the change = %s", edit.Params["text"])
	}
	// An admin may judge too, and is named as the one who did.
	h.press(idAdmin, "\frvw|o:"+week+":8")
	if edit := findCall(t, h.tg.take(), "editMessageText"); !strings.Contains(edit.Params["text"], "✅ OK (Ada)") ||
		!strings.Contains(edit.Params["text"], "Boris &lt;boss&gt;") || strings.Contains(edit.Params["text"], "javascript") {
		t.Errorf("admin's redraw = %s", edit.Params["text"])
	}
}

// TestCallVerdictCountsInTheTable: a call judged not OK is an R7 violation in /report and
// in its files; an OK one is not.
func TestCallVerdictCountsInTheTable(t *testing.T) {
	h := reviewHarness(t, "en")
	h.press(idHead, "\frvw|x:"+dayCode(reviewWeek)+":7")
	h.press(idHead, "\frvw|o:"+dayCode(reviewWeek)+":6")
	h.tg.take()
	h.send(idHead, "en", "/report month")
	text := findCall(t, h.tg.take(), "sendMessage").Params["text"]
	if !strings.Contains(text, "R7 — Real touches") {
		t.Errorf("the report lacks the R7 verdict:\n%s", text)
	}
	olga := ""
	for _, line := range strings.Split(text, "\n") {
		if strings.HasPrefix(line, "Olga") {
			olga = line
		}
	}
	if !strings.Contains(olga, " 1 ") {
		t.Errorf("Olga's row = %q, want the R7 violation", olga)
	}
	h.press(idHead, "\frep|v:20260301:20260311:1")
	csv := findCall(t, h.tg.take(), "sendDocument").Params["document.data"]
	if !strings.Contains(csv, "2026-03-05") || !strings.Contains(csv, "R7") {
		t.Errorf("the CSV lacks the R7 verdict of Mar 5:\n%s", csv)
	}
	if strings.Contains(csv, "2026-03-04") {
		t.Errorf("an OK verdict counts in the CSV:\n%s", csv)
	}
}

func TestCallVerdictForgedPressesStoreNothing(t *testing.T) {
	week := dayCode(reviewWeek)
	cases := []struct {
		name string
		from int64
		data string
	}{
		{"manager", idManager, "o:" + week + ":5"},
		{"manager judging another", idManager2, "x:" + week + ":5"},
		{"stranger", idStranger, "o:" + week + ":5"},
		{"call not in the sample", idHead, "o:" + week + ":9"},
		{"week not reported", idHead, "o:" + dayCode(reviewWeek.AddDays(-7)) + ":5"},
		{"future week", idHead, "o:" + dayCode(checks.DateOf(fixtureNow).AddDays(1)) + ":5"},
		{"bad letter", idHead, "v:" + week + ":5"},
		{"bad week", idHead, "o:2026-03-02:5"},
		{"signed note", idHead, "o:" + week + ":+5"},
		{"padded note", idHead, "o:" + week + ":05"},
		{"negative note", idHead, "o:" + week + ":-5"},
		{"extra part", idHead, "o:" + week + ":5:1"},
		{"empty", idHead, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := reviewHarness(t, "en")
			h.press(tc.from, "\frvw|"+tc.data)
			if len(h.store.reviews.verdicts) != 0 || h.tg.count("editMessageText") != 0 {
				t.Errorf("stored %+v from forged data", h.store.reviews.verdicts)
			}
		})
	}
	t.Run("too old", func(t *testing.T) {
		h := reviewHarness(t, "en")
		old := checks.DateOf(fixtureNow).AddDays(-reviewDays - 1)
		h.store.putSample(old, []checks.ReviewCall{{NoteID: 5, ManagerID: 1, At: old.In(time.UTC)}})
		h.press(idHead, "\frvw|o:"+dayCode(old)+":5")
		if len(h.store.reviews.verdicts) != 0 {
			t.Errorf("judged a sample of %s", old)
		}
	})
	t.Run("head outside team", func(t *testing.T) {
		h := reviewHarness(t, "en")
		head := h.store.people[idHead]
		head.Team = []amo.UserID{2}
		h.store.people[idHead] = head
		h.press(idHead, "\frvw|o:"+week+":5")
		if len(h.store.reviews.verdicts) != 0 {
			t.Errorf("stored %+v for another team's call", h.store.reviews.verdicts)
		}
	})
	t.Run("head made a manager", func(t *testing.T) {
		h := reviewHarness(t, "en")
		head := h.store.people[idHead]
		head.Role, head.AmoUserID = RoleManager, 1
		h.store.people[idHead] = head
		h.press(idHead, "\frvw|o:"+week+":5")
		if len(h.store.reviews.verdicts) != 0 {
			t.Errorf("a former head judged: %+v", h.store.reviews.verdicts)
		}
	})
	t.Run("group chat", func(t *testing.T) {
		h := reviewHarness(t, "en")
		h.bot.ProcessUpdate(tele.Update{ID: 50, Callback: &tele.Callback{ID: "cb", Sender: h.user(idHead, "en"),
			Message: &tele.Message{ID: 7, Chat: &tele.Chat{ID: -42, Type: tele.ChatGroup}}, Data: "\frvw|o:" + week + ":5"}})
		if len(h.store.reviews.verdicts) != 0 {
			t.Errorf("judged from a group: %+v", h.store.reviews.verdicts)
		}
	})
}

// TestManagerCallsViewHasNoReviewSample: /calls shows the head this week's calls to review,
// and a manager none of theirs, in every language.
func TestManagerCallsViewHasNoReviewSample(t *testing.T) {
	for _, lang := range langs {
		t.Run(lang, func(t *testing.T) {
			h := newHarness(t, lang)
			h.src.review = reviewSample()
			marker := mustCatalog(t).Printer(lang).T("button.listen")
			h.send(idHead, lang, "/calls")
			if text := findCall(t, h.tg.take(), "sendMessage").Params["text"]; !strings.Contains(text, "rec.example/7.mp3") {
				t.Errorf("the head's /calls lacks the sample:\n%s", text)
			}
			for _, id := range []int64{idManager, idManager2} {
				h.send(id, lang, "/calls")
				text := findCall(t, h.tg.take(), "sendMessage").Params["text"]
				if strings.Contains(text, "rec.example") || strings.Contains(text, marker) || strings.Contains(text, "🎧") {
					t.Errorf("manager %d sees the calls to review:\n%s", id, text)
				}
			}
		})
	}
}

// findCall returns the first recorded call of a method.
func findCall(t *testing.T, calls []call, method string) call {
	t.Helper()
	for _, c := range calls {
		if c.Method == method {
			return c
		}
	}
	t.Fatalf("no %s in %+v", method, calls)
	return call{}
}
