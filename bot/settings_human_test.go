package bot

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"salesguard/checks"
)

// lastText is the text of the last message or redraw the bot sent.
func lastText(t *testing.T, calls []call) string {
	t.Helper()
	for i := len(calls) - 1; i >= 0; i-- {
		if calls[i].Method == "sendMessage" || calls[i].Method == "editMessageText" {
			return calls[i].Params["text"]
		}
	}
	t.Fatalf("no message in %+v", calls)
	return ""
}

// Typed values in human words are saved, and the confirmation shows them back the same way.
func TestSettingsTypedHumanValues(t *testing.T) {
	tests := []struct {
		lang, press, text string
		check             func(s checks.Settings) bool
		shown             string
	}{
		{"ru", "f:r1.limit", "10", func(s checks.Settings) bool { return s.R1.Limit.D() == 10*time.Minute }, "10 мин"},
		{"ru", "f:r1.limit", "1,5 ч", func(s checks.Settings) bool { return s.R1.Limit.D() == 90*time.Minute }, "1 ч 30 мин"},
		{"ru", "f:r1.limit", "20m", func(s checks.Settings) bool { return s.R1.Limit.D() == 20*time.Minute }, "20 мин"},
		{"en", "f:r6.window", "3", func(s checks.Settings) bool { return s.R6.Window.D() == 72*time.Hour }, "3 days"},
		{"en", "f:r6.window", "1 day", func(s checks.Settings) bool { return s.R6.Window.D() == 24*time.Hour }, "1 day"},
		{"es", "f:r6.window", "3 días", func(s checks.Settings) bool { return s.R6.Window.D() == 72*time.Hour }, "3 días"},
		{"es", "f:r5.long_call", "90", func(s checks.Settings) bool { return s.R5.LongCall.D() == 90*time.Second }, "1 min 30 s"},
		{"en", "f:r9.within", "45 mins", func(s checks.Settings) bool { return s.R9.Within.D() == 45*time.Minute }, "45 min"},
		{"ru", "f:schedule.nudge_before_end", "2", func(s checks.Settings) bool { return s.Schedule.NudgeBeforeEnd.D() == 2*time.Hour }, "2 ч"},
		{"ru", "f:r1.escalate_factor", "2,5", func(s checks.Settings) bool { return s.R1.EscalateFactor == 2.5 }, "2,5"},
		{"en", "f:r1.escalate_factor", "2,5", func(s checks.Settings) bool { return s.R1.EscalateFactor == 2.5 }, "2.5"},
		{"ru", "f:r11.days", "45,0", func(s checks.Settings) bool { return s.R11.Days == 45 }, "45"},
		{"ru", "f:schedule.weekly_on", "пятница", func(s checks.Settings) bool { return s.Schedule.WeeklyOn == time.Friday }, "пятница"},
		{"es", "f:schedule.weekly_on", "mié", func(s checks.Settings) bool { return s.Schedule.WeeklyOn == time.Wednesday }, "miércoles"},
		{"en", "st:l:5:51", "2", func(s checks.Settings) bool { return len(s.R4.Limits) == 1 && s.R4.Limits[0].Limit.D() == 48*time.Hour }, "2 days (calendar time)"},
		{"ru", "st:l:5:51", "12 ч", func(s checks.Settings) bool { return len(s.R4.Limits) == 1 && s.R4.Limits[0].Limit.D() == 12*time.Hour }, "12 ч (календарное время)"},
	}
	for _, tt := range tests {
		t.Run(tt.lang+"/"+tt.press+"/"+tt.text, func(t *testing.T) {
			h := settingsHarness(t, tt.lang)
			h.press(idAdmin, "\fset|"+tt.press)
			h.tg.take()
			h.send(idAdmin, tt.lang, tt.text)
			text := lastText(t, h.tg.take())
			if h.store.saves != 1 || !tt.check(h.settings(t)) {
				t.Fatalf("%q: saves %d, settings %+v\n%s", tt.text, h.store.saves, h.settings(t), text)
			}
			if !strings.Contains(text, "<code>"+tt.shown+"</code>") {
				t.Errorf("confirmation lacks %q:\n%s", tt.shown, text)
			}
		})
	}
}

// The prompt and the menu show the current values in the person's words.
func TestSettingsShowHumanValues(t *testing.T) {
	tests := []struct {
		lang, press string
		want        []string
	}{
		{"ru", "f:r1.limit", []string{"<code>15 мин</code>", "число без единицы — в минутах"}},
		{"en", "f:r6.window", []string{"<code>5 days</code>", "a bare number is days"}},
		{"es", "f:r7.real_touch", []string{"<code>30 s</code>", "un número solo son segundos"}},
		{"ru", "f:schedule.weekly_on", []string{"<code>понедельник</code>"}},
		{"ru", "f:r1.escalate_factor", []string{"<code>2</code>"}},
	}
	for _, tt := range tests {
		t.Run(tt.lang+"/"+tt.press, func(t *testing.T) {
			h := settingsHarness(t, tt.lang)
			h.press(idAdmin, "\fset|"+tt.press)
			text := lastText(t, h.tg.take())
			for _, w := range tt.want {
				if !strings.Contains(text, w) {
					t.Errorf("prompt lacks %q:\n%s", w, text)
				}
			}
		})
	}
}

// The screens of typed values, in each language (golden files).
func TestSettingsValueScreensGolden(t *testing.T) {
	for _, lang := range langs {
		for _, screen := range []string{"thr", "sch", "cal"} {
			t.Run(lang+"/"+screen, func(t *testing.T) {
				h := settingsHarness(t, lang)
				s := checks.DefaultSettings()
				s.R1.EscalateFactor = 1.5
				s.R9.Within = checks.Duration(90 * time.Minute)
				s.Schedule.WeeklyOn = time.Friday
				if err := h.store.SaveSettings(s, "tg:100"); err != nil {
					t.Fatal(err)
				}
				h.press(idAdmin, "\fset|"+screen)
				calls := h.tg.take()
				i := slices.IndexFunc(calls, func(c call) bool { return c.Method == "editMessageText" })
				if i < 0 {
					t.Fatalf("no redraw: %+v", calls)
				}
				golden(t, "settings_"+screen+"."+lang, showCall(calls[i]))
			})
		}
	}
}

// englishLeftovers are words of Validate's and encoding/json's English texts: none may reach
// a Russian or Spanish answer.
var englishLeftovers = []string{"allowed", "want", "positive", "duration", "whole number", "json:", "invalid character",
	"cannot unmarshal", "unexpected", "EOF", "looking for", "field"}

func assertNoEnglish(t *testing.T, text string) {
	t.Helper()
	for _, w := range englishLeftovers {
		if strings.Contains(strings.ToLower(text), strings.ToLower(w)) {
			t.Errorf("English %q in:\n%s", w, text)
		}
	}
}

// A refused value is explained wholly in the person's language: the setting, the value in
// their words and what is allowed.
func TestSettingsProblemsWhollyLocalized(t *testing.T) {
	tests := []struct {
		lang, press, text string
		want              []string
	}{
		{"ru", "f:r1.limit", "0", []string{"R1: время на взятие лида: 0 мин — допустимо: длительность больше нуля"}},
		{"ru", "f:r1.limit", "8 д", []string{"8 д — допустимо: не больше 7 д рабочего времени"}},
		{"es", "f:r1.limit", "0", []string{"0 min — se admite: una duración mayor que cero"}},
		{"ru", "f:r7.trouble_max", "10", []string{"10 сек — допустимо: больше, чем «R7: проблемы связи от» (20 сек)"}},
		{"es", "f:r1.escalate_factor", "0,5", []string{"0,5 — se admite: un número de 1 a 100"}},
		{"ru", "f:r11.days", "0", []string{"0 — допустимо: целое число от 1 до 3650"}},
		{"ru", "f:schedule.nudge_before_end", "13", []string{"13 ч — допустимо: длительность от 0 ч до 12 ч"}},
		{"ru", "f:calendar.week.2", "18:00-09:00", []string{"вторник: 18:00-09:00"}},
		{"en", "f:r1.limit", "0", []string{"R1: time to take a lead: 0 min — allowed: a duration longer than zero"}},
	}
	for _, tt := range tests {
		t.Run(tt.lang+"/"+tt.press+"/"+tt.text, func(t *testing.T) {
			h := settingsHarness(t, tt.lang)
			h.press(idAdmin, "\fset|"+tt.press)
			h.tg.take()
			h.send(idAdmin, tt.lang, tt.text)
			text := lastText(t, h.tg.take())
			if h.store.saves != 0 {
				t.Fatalf("%q was saved", tt.text)
			}
			for _, w := range tt.want {
				if !strings.Contains(text, w) {
					t.Errorf("answer lacks %q:\n%s", w, text)
				}
			}
			if tt.lang != "en" {
				assertNoEnglish(t, text)
			}
		})
	}
}

// Every kind of problem Validate reports has a text in every language, and the Russian and
// Spanish ones are translations, not copies of the English.
func TestSettingsProblemKeysTranslated(t *testing.T) {
	cat := mustCatalog(t)
	en := cat.Printer("en")
	for _, k := range checks.ProblemKeys() {
		key := "bot.settings.want." + k
		for _, lang := range langs {
			p := cat.Printer(lang)
			if !p.Has(key) {
				t.Errorf("%s: missing %s", lang, key)
			} else if lang != "en" && p.T(key) == en.T(key) {
				t.Errorf("%s: %s is the English text", lang, key)
			}
		}
	}
}

// A bad settings file is answered wholly in the person's language, saying what is wrong and
// where.
func TestSettingsImportBadJSONLocalized(t *testing.T) {
	tests := []struct {
		name, data string
		ru, en     string
	}{
		{"empty", "", "файл пустой", "the file is empty"},
		{"truncated", `{"r1": {"limit": "15m"`, "обрывается", "ends too early"},
		{"syntax", "{\n r1: 1}", "строку 2", "line 2"},
		{"type", "{\n \"r11\": {\"days\": \"x\"}\n}", "R11: забытый клиент через дней (r11.days) в строке 2", "(r11.days) on line 2"},
		{"unknown", "{\n\n \"typo\": 1}", "«typo» (строка 3)", "“typo” (line 3)"},
		{"duration", `{"r1": {"limit": "soon"}}`, "«soon» в строке 1 — не длительность", "“soon” on line 1 is not a duration"},
		{"date", `{"calendar": {"holidays": ["2026-02-30"]}}`, "«2026-02-30» в строке 1 — не дата", "is not a date"},
		{"clock", `{"calendar": {"week": [{"start": "25:00"}]}}`, "«25:00» в строке 1 — не время суток", "is not a time of day"},
		{"two values", "{}\n{}", "больше одного JSON-документа (второй начинается в строке 2)", "more than one JSON document"},
		{"array", `[]`, "один JSON-объект", "one JSON object"},
		{"trailing", "{}\n}", "строку 2", "line 2"},
	}
	for _, tt := range tests {
		for _, lang := range []string{"ru", "en"} {
			t.Run(tt.name+"/"+lang, func(t *testing.T) {
				h := settingsHarness(t, lang)
				h.sendDoc(idAdmin, "s.json", []byte(tt.data))
				calls := h.tg.take("setMyCommands", "getFile")
				if h.store.saves != 0 || len(calls) != 1 {
					t.Fatalf("saves %d, calls %+v; want one answer and nothing saved", h.store.saves, calls)
				}
				text := calls[0].Params["text"]
				want := map[string]string{"ru": tt.ru, "en": tt.en}[lang]
				if !strings.Contains(text, esc(want)) {
					t.Errorf("answer lacks %q:\n%s", want, text)
				}
				if lang == "ru" {
					assertNoEnglish(t, text)
				}
			})
		}
	}
}

// The problems of an imported file name each setting by its label and its JSON path.
func TestSettingsImportProblemsLocalized(t *testing.T) {
	invalid := checks.DefaultSettings()
	invalid.R1.Limit = 0
	invalid.Calendar.Week = [7]checks.DayHours{}
	data, _ := json.Marshal(invalid)
	h := settingsHarness(t, "ru")
	h.sendDoc(idAdmin, "s.json", data)
	text := lastText(t, h.tg.take())
	for _, w := range []string{"Ничего не загружено: 2 проблемы", "R1: время на взятие лида (r1.limit): 0 мин — допустимо: длительность больше нуля",
		"Рабочие часы (calendar.week) — нужно: рабочие часы хотя бы в один день недели"} {
		if !strings.Contains(text, w) {
			t.Errorf("answer lacks %q:\n%s", w, text)
		}
	}
	assertNoEnglish(t, text)
}

// historyFixture is what storage records: one revision per save with a change per leaf path
// (lists as a whole), a first save diffed against the defaults, and an old whole-file entry.
func historyFixture() []SettingsRevision {
	def := checks.DefaultSettings()
	week, _ := json.Marshal(def.Calendar.Week)
	w2 := def.Calendar.Week
	w2[time.Monday] = checks.DayHours{Start: 10 * 60, End: 19 * 60}
	w2[time.Saturday] = checks.DayHours{Start: 10 * 60, End: 14 * 60}
	week2, _ := json.Marshal(w2)
	return []SettingsRevision{
		{At: fixtureNow, Who: "tg:100", Changes: []SettingsChange{
			{Path: "r1.escalate_factor", Old: "2", New: "1.5"},
			{Path: "r1.limit", Old: `"15m"`, New: `"1h30m0s"`},
		}},
		{At: fixtureNow.Add(-26 * time.Hour), Who: "tg:555", Changes: []SettingsChange{
			{Path: "calendar.holidays", Old: "null", New: `["2026-05-01","2026-05-09"]`},
			{Path: "calendar.week", Old: string(week), New: string(week2)},
			{Path: "disabled", Old: "null", New: `["R7","R12"]`},
			{Path: "loss_reasons.other", Old: "null", New: `[71]`},
			{Path: "pipelines", Old: "null", New: `[5,9]`},
			{Path: "r4.by_name", Old: "true", New: "false"},
			{Path: "r4.limits", Old: "null", New: `[{"stage":{"pipeline_id":5,"status_id":51},"limit":"2d"}]`},
			{Path: "r6.window", Old: `"5d"`, New: `"7d"`},
			{Path: "schedule.weekly_on", Old: "1", New: "5"},
			{Path: "stages.first", Old: "null", New: `[{"pipeline_id":5,"status_id":51}]`},
			{Path: "some.new_setting", Old: "1", New: "2"},
		}},
		{At: fixtureNow.Add(-30 * 24 * time.Hour), Who: "config", Changes: []SettingsChange{{Path: "", Old: "null", New: "{}"}}},
	}
}

// The history reads "when · who" (by name, in the account's zone), then each changed setting
// by its label with old → new in the person's words; an import is the list of what it changed.
func TestSettingsHistoryGolden(t *testing.T) {
	for _, lang := range langs {
		t.Run(lang, func(t *testing.T) {
			h := settingsHarness(t, lang)
			h.store.history = historyFixture()
			h.press(idAdmin, "\fset|h")
			calls := h.tg.take()
			i := slices.IndexFunc(calls, func(c call) bool { return c.Method == "editMessageText" })
			if i < 0 {
				t.Fatalf("no history screen: %+v", calls)
			}
			text := calls[i].Params["text"]
			if strings.Contains(text, "tg:") || strings.Contains(text, `"15m"`) || strings.Contains(text, "bot.settings.") {
				t.Errorf("raw ids, JSON or keys in the history:\n%s", text)
			}
			golden(t, "settings_history."+lang, showCall(calls[i]))
		})
	}
}
