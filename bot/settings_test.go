package bot

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	tele "gopkg.in/telebot.v3"

	"salesguard/amo"
	"salesguard/checks"
)

// settingsHarness has an admin (in lang) and a snapshot with two pipelines and loss reasons.
func settingsHarness(t *testing.T, lang string) *harness {
	t.Helper()
	h := newHarness(t, lang)
	h.store.people[idAdmin] = Person{TelegramID: idAdmin, Name: "Ada", Role: RoleAdmin, Account: "acme", Lang: lang}
	h.src.snap.Pipelines = []amo.Pipeline{
		{ID: 5, Name: "Sales <main>", Statuses: []amo.Status{{ID: 51, PipelineID: 5, Name: "New & hot"}, {ID: 52, PipelineID: 5, Name: "Missed call"}}},
		{ID: 6, Name: "Partners", Statuses: []amo.Status{{ID: 61, PipelineID: 6, Name: "Intro"}}},
		{ID: 7, Name: "Old", IsArchive: true},
	}
	h.src.snap.LossReasons = []amo.LossReason{{ID: 70, Name: "Can't reach"}, {ID: 71, Name: "Other"}}
	h.src.snap.CustomFields = []amo.CustomField{
		{ID: 80, EntityType: amo.EntityLeads, Name: "Budget <EUR>"},
		{ID: 81, EntityType: amo.EntityContacts, Name: "Phone & more"},
	}
	return h
}

// sendDoc delivers a private document message; the fake Telegram serves its content.
func (h *harness) sendDoc(from int64, name string, data []byte) {
	h.msgID++
	id := "file" + name
	h.tg.putFile(id, data)
	h.bot.ProcessUpdate(tele.Update{ID: h.msgID, Message: &tele.Message{ID: h.msgID, Sender: h.user(from, "en"),
		Chat:     &tele.Chat{ID: from, Type: tele.ChatPrivate},
		Document: &tele.Document{File: tele.File{FileID: id, FileSize: int64(len(data))}, FileName: name}}})
}

func (h *harness) settings(t *testing.T) checks.Settings {
	t.Helper()
	s, err := h.store.LoadSettings()
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestSettingsFieldsAcceptGoodRefuseBad(t *testing.T) {
	ref := amo.StatusRef{PipelineID: 5, StatusID: 51}
	cases := []struct {
		press string // the button that asks for the value
		bad   []string
		good  string
		check func(s checks.Settings) bool
	}{
		{"f:r1.limit", []string{"soon", "0s", "8d"}, "20m", func(s checks.Settings) bool { return s.R1.Limit.D() == 20*time.Minute }},
		{"f:r1.escalate_factor", []string{"x", "0.5"}, "1,5", func(s checks.Settings) bool { return s.R1.EscalateFactor == 1.5 }},
		{"f:r5.other_note_within", []string{"tomorrow", "0s"}, "12h", func(s checks.Settings) bool { return s.R5.OtherNoteWithin.D() == 12*time.Hour }},
		{"f:r5.long_call", []string{"a minute", "-1m"}, "90s", func(s checks.Settings) bool { return s.R5.LongCall.D() == 90*time.Second }},
		{"f:r8.min_length", []string{"five", "-1"}, "0", func(s checks.Settings) bool { return s.R8.MinLength == 0 }},
		{"f:r8.trivial", []string{strings.Repeat("x", 51)}, " ок , done,,+ , ок ",
			func(s checks.Settings) bool { return slices.Equal(s.R8.Trivial, []string{"ок", "done", "+"}) }},
		{"f:r6.per_day", []string{"three", "0"}, "4", func(s checks.Settings) bool { return s.R6.PerDay == 4 }},
		{"f:r6.window", []string{"five days", "-1h", "0"}, "7d", func(s checks.Settings) bool { return s.R6.Window.D() == 7*24*time.Hour }},
		{"f:r6.distinct_hours", []string{"25"}, "3", func(s checks.Settings) bool { return s.R6.DistinctHours == 3 }},
		{"f:r7.trouble_max", []string{"10s"}, "45s", func(s checks.Settings) bool { return s.R7.TroubleMax.D() == 45*time.Second }},
		{"f:r7.review_sample", []string{"0"}, "5", func(s checks.Settings) bool { return s.R7.ReviewSample == 5 }},
		{"f:r9.within", []string{"0m"}, "1h", func(s checks.Settings) bool { return s.R9.Within.D() == time.Hour }},
		{"f:r11.days", []string{"0", "4000"}, "45", func(s checks.Settings) bool { return s.R11.Days == 45 }},
		{"f:r13.per_manager", []string{"0", "101"}, "5", func(s checks.Settings) bool { return s.R13.PerManager == 5 }},
		{"f:plan.minutes_per_task", []string{"0"}, "4", func(s checks.Settings) bool { return s.Plan.MinutesPerTask == 4 }},
		{"f:calendar.time_zone", []string{"Mars/Olympus"}, "Europe/Madrid", func(s checks.Settings) bool { return s.Calendar.TimeZone == "Europe/Madrid" }},
		{"f:calendar.week.1", []string{"18:00-09:00", "9-18", "25:00-26:00"}, "10:00-19:00",
			func(s checks.Settings) bool { return s.Calendar.Week[1] == checks.DayHours{Start: 600, End: 1140} }},
		{"f:calendar.week.6", []string{"all day"}, "10:00–14:00", func(s checks.Settings) bool { return s.Calendar.Week[6].End == 14*60 }},
		{"f:calendar.holidays", []string{"2026-05-32", "May 1"}, "2026-05-01, 2026-05-09..2026-05-11",
			func(s checks.Settings) bool { return len(s.Calendar.Holidays) == 4 }},
		{"f:calendar.workdays", []string{"soon"}, "2026-05-16", func(s checks.Settings) bool { return len(s.Calendar.Workdays) == 1 }},
		{"f:calendar.absences", []string{"Nobody 2026-07-01", "Olga 2026-07-14..2026-07-01", "2026-07-01"}, "Boris 2026-07-01..2026-07-14 vacation\n3 2026-08-03",
			func(s checks.Settings) bool {
				return len(s.Calendar.Absences) == 2 && s.Calendar.Absences[0].Manager == 2 && s.Calendar.Absences[0].Note == "vacation"
			}},
		{"f:schedule.plan_after_start", []string{"13h"}, "15m", func(s checks.Settings) bool { return s.Schedule.PlanAfterStart.D() == 15*time.Minute }},
		{"f:schedule.nudge_before_end", []string{"-5m"}, "30m", func(s checks.Settings) bool { return s.Schedule.NudgeBeforeEnd.D() == 30*time.Minute }},
		{"f:schedule.digest_after_end", []string{"later"}, "10m", func(s checks.Settings) bool { return s.Schedule.DigestAfterEnd.D() == 10*time.Minute }},
		{"f:schedule.weekly_on", []string{"9", "someday"}, "fri", func(s checks.Settings) bool { return s.Schedule.WeeklyOn == time.Friday }},
		{"f:schedule.weekly_after_start", []string{"an hour", "13 h"}, "1h", func(s checks.Settings) bool { return s.Schedule.WeeklyAfterStart.D() == time.Hour }},
		{"f:schedule.digest_chat", []string{"team"}, "-100123", func(s checks.Settings) bool { return s.Schedule.DigestChat == -100123 }},
		{"st:l:5:51", []string{"forever", "0s"}, "2d", func(s checks.Settings) bool {
			return len(s.R4.Limits) == 1 && s.R4.Limits[0].Stage == ref && s.R4.Limits[0].Limit.D() == 48*time.Hour
		}},
	}
	for _, tc := range cases {
		t.Run(tc.press, func(t *testing.T) {
			h := settingsHarness(t, "en")
			h.press(idAdmin, "\fset|"+tc.press)
			prompt := h.tg.take()
			if !slices.ContainsFunc(prompt, func(c call) bool { return c.Method == "sendMessage" }) {
				t.Fatalf("no prompt: %+v", prompt)
			}
			for _, bad := range tc.bad {
				h.send(idAdmin, "en", bad)
				calls := h.tg.take()
				if h.store.saves != 0 {
					t.Fatalf("%q was saved", bad)
				}
				if len(calls) != 1 || !strings.Contains(calls[0].Params["text"], "Not saved") ||
					!strings.Contains(calls[0].Params["text"], "Allowed") {
					t.Errorf("answer to %q = %+v, want the reason and what is allowed", bad, calls)
				}
			}
			h.send(idAdmin, "en", tc.good)
			if h.store.saves != 1 || !tc.check(h.settings(t)) {
				t.Fatalf("%q: saves = %d, settings %+v", tc.good, h.store.saves, h.settings(t))
			}
			if h.store.history[0].Who != "tg:100" {
				t.Errorf("change recorded as %q", h.store.history[0].Who)
			}
			if err := h.settings(t).Validate(); err != nil {
				t.Errorf("saved settings are invalid: %v", err)
			}
		})
	}
}

func TestSettingsToggles(t *testing.T) {
	first := amo.StatusRef{PipelineID: 5, StatusID: 51}
	cases := []struct {
		presses []string
		saves   int
		check   func(s checks.Settings) bool
	}{
		{[]string{"t:r:R5"}, 1, func(s checks.Settings) bool { return !s.Enabled(checks.R5) }},
		{[]string{"t:r:R5", "t:r:R5"}, 2, func(s checks.Settings) bool { return s.Enabled(checks.R5) }},
		{[]string{"t:r:DATA"}, 1, func(s checks.Settings) bool { return !s.Enabled(checks.RuleDataHealth) }},
		{[]string{"t:p:5"}, 1, func(s checks.Settings) bool { return slices.Equal(s.Pipelines, []amo.PipelineID{6}) }},
		{[]string{"t:p:5", "t:p:6"}, 1, func(s checks.Settings) bool { return slices.Equal(s.Pipelines, []amo.PipelineID{6}) }},
		{[]string{"t:p:7"}, 1, func(s checks.Settings) bool { return slices.Equal(s.Pipelines, []amo.PipelineID{5, 6, 7}) }},
		{[]string{"t:c:70", "t:o:71"}, 2, func(s checks.Settings) bool {
			return slices.Equal(s.LossReasons.CantReach, []amo.LossReasonID{70}) && slices.Equal(s.LossReasons.Other, []amo.LossReasonID{71})
		}},
		{[]string{"st:f:5:51"}, 1, func(s checks.Settings) bool { return slices.Equal(s.Stages.First, []amo.StatusRef{first}) }},
		{[]string{"st:m:5:52"}, 1, func(s checks.Settings) bool { return len(s.Stages.MissedCall) == 1 }},
		{[]string{"t:pub", "t:esc"}, 2, func(s checks.Settings) bool { return s.Schedule.PublicRanking && s.Schedule.EscalationsOffHours }},
		{[]string{"t:byname"}, 1, func(s checks.Settings) bool { return !s.R4.ByName }},
	}
	for _, tc := range cases {
		t.Run(strings.Join(tc.presses, ","), func(t *testing.T) {
			h := settingsHarness(t, "en")
			for _, p := range tc.presses {
				h.press(idAdmin, "\fset|"+p)
			}
			if h.store.saves != tc.saves || !tc.check(h.settings(t)) {
				t.Errorf("saves = %d (want %d), settings %+v", h.store.saves, tc.saves, h.settings(t))
			}
		})
	}
}

func TestSettingsScreens(t *testing.T) {
	for _, lang := range langs {
		for _, data := range []string{"m", "thr", "cal", "sch", "rl", "pl", "lim", "sp", "lr", "h", "sm:f", "sm:m", "pp:l:5", "pp:f:6",
			"rq", "rqe", "rqf:l", "rqf:c", "rqp:l:80", "rqs:l:80:5", "pri", "pp:o:5"} {
			t.Run(lang+"/"+data, func(t *testing.T) {
				h := settingsHarness(t, lang)
				h.press(idAdmin, "\fset|"+data)
				calls := h.tg.take()
				i := slices.IndexFunc(calls, func(c call) bool { return c.Method == "editMessageText" })
				if i < 0 {
					t.Fatalf("no redraw: %+v", calls)
				}
				text := calls[i].Params["text"]
				if strings.Contains(text, "bot.settings.") || strings.Contains(calls[i].Params["reply_markup"], "bot.settings.") {
					t.Errorf("missing catalog key:\n%s\n%s", text, calls[i].Params["reply_markup"])
				}
				if strings.Contains(text, "<main>") || strings.Contains(text, "New & hot") {
					t.Errorf("unescaped CRM name:\n%s", text)
				}
			})
		}
	}
}

func TestSettingsMainGolden(t *testing.T) {
	for _, lang := range langs {
		t.Run(lang, func(t *testing.T) {
			h := settingsHarness(t, lang)
			h.send(idAdmin, lang, "/settings")
			calls := h.tg.take("setMyCommands")
			if len(calls) != 1 {
				t.Fatalf("calls = %+v", calls)
			}
			golden(t, "settings_main."+lang, showCall(calls[0]))
		})
	}
}

func TestSettingsForgedButtonsChangeNothing(t *testing.T) {
	for _, data := range []string{"f:nope", "f:", "st:l:9:1", "st:l:5:99", "st:q:5:51", "st:l:5", "t:p:999", "t:r:R99",
		"t:c:999", "t:pub:1", "pp:l:x", "pp:z:5", "sm:q", "zzz", "t:amo:1", "t:pri", "t:prod", "t:prod:ru", "t:prod:R1",
		"rqe:1", "rqf:x", "rqp:l:81", "rqp:l:80:1", "rqs:l:80:9", "rqs:c:80:5", "rq+:l:80:5:99", "rq+:l:999:5:51", "rq+:x:80:5:51",
		"rq+:l:80:5", "rq-:l:80:5:51", "st:o:5:99", "pp:o:9", "t:p:5" + strings.Repeat("0", 70)} {
		t.Run(data, func(t *testing.T) {
			h := settingsHarness(t, "en")
			h.press(idAdmin, "\fset|"+data)
			h.send(idAdmin, "en", "20m") // not awaited: must not be taken as a value
			if h.store.saves != 0 {
				t.Errorf("forged %q saved settings", data)
			}
			if n := h.tg.count("editMessageText"); n != 0 {
				t.Errorf("forged %q redrew the menu", data)
			}
		})
	}
}

func TestSettingsNonAdminsGetNothing(t *testing.T) {
	for _, from := range []int64{idHead, idManager, idStranger} {
		t.Run(roleName(from), func(t *testing.T) {
			h := settingsHarness(t, "en")
			h.send(from, "en", "/settings")
			h.send(from, "en", "/settings export")
			for _, data := range []string{"m", "x", "f:r1.limit", "t:r:R1", "st:l:5:51", "t:p:5"} {
				h.press(from, "\fset|"+data)
			}
			h.send(from, "en", "20m")
			good, _ := json.Marshal(checks.DefaultSettings())
			h.sendDoc(from, "settings.json", good)
			for _, c := range h.tg.take("setMyCommands") {
				switch {
				case c.Method == "sendDocument" || c.Method == "editMessageText" || c.Method == "getFile":
					t.Errorf("non-admin got %s", c.Method)
				case c.Method == "sendMessage" && strings.Contains(c.Params["reply_markup"], "set|"):
					t.Errorf("non-admin got the settings menu: %s", c.Params["text"])
				}
			}
			if h.store.saves != 0 {
				t.Errorf("a non-admin changed the settings")
			}
		})
	}
}
