package bot

import (
	"strconv"
	"strings"
	"testing"

	"salesguard/amo"
	"salesguard/checks"
)

func date(t *testing.T, s string) checks.Date {
	t.Helper()
	d, err := checks.ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// The period words are accepted in English, Russian and Spanish, in any case, from anyone;
// other words are still not periods.
func TestParsePeriodWords(t *testing.T) {
	today := checks.DateOf(fixtureNow) // Wednesday 2026-03-11
	day, week, month := [2]string{"2026-03-11", "2026-03-11"}, [2]string{"2026-03-09", "2026-03-11"}, [2]string{"2026-03-01", "2026-03-11"}
	cases := []struct {
		lang, in string
		want     [2]string // from, to; empty for "not a period"
	}{
		{"en", "today", day}, {"en", "Today", day}, {"en", "WEEK", week}, {"en", "month", month},
		{"ru", "сегодня", day}, {"ru", "Сегодня", day}, {"ru", "НЕДЕЛЯ", week}, {"ru", "неделя", week}, {"ru", "Месяц", month},
		{"es", "hoy", day}, {"es", "HOY", day}, {"es", "Semana", week}, {"es", "mes", month}, {"es", "MES", month},
		{"en", "yesterday", [2]string{}}, {"ru", "вчера", [2]string{}}, {"ru", "недели", [2]string{}},
		{"es", "ayer", [2]string{}}, {"es", "meses", [2]string{}},
	}
	for _, tc := range cases {
		t.Run(tc.lang+"/"+tc.in, func(t *testing.T) {
			got, uerr := parsePeriod(tc.in, today)
			if tc.want[0] == "" {
				if uerr == nil || uerr.key != "bot.report.bad_period" || isPeriodWord(tc.in) {
					t.Fatalf("parsePeriod(%q) = %v, %v; want bot.report.bad_period", tc.in, got, uerr)
				}
				return
			}
			if uerr != nil || !isPeriodWord(tc.in) {
				t.Fatalf("parsePeriod(%q): %v (period word: %v)", tc.in, uerr, isPeriodWord(tc.in))
			}
			if got.from != date(t, tc.want[0]) || got.to != date(t, tc.want[1]) {
				t.Errorf("parsePeriod(%q) = %s..%s, want %s..%s", tc.in, got.from, got.to, tc.want[0], tc.want[1])
			}
		})
	}
}

// The period error lists the period words in the reader's language.
func TestPeriodErrorsListLocalWords(t *testing.T) {
	for lang, words := range map[string][]string{"en": {"today", "week", "month"}, "ru": {"сегодня", "неделя", "месяц"}, "es": {"hoy", "semana", "mes"}} {
		t.Run(lang, func(t *testing.T) {
			h := newHarness(t, lang)
			p := h.bot.cat.Printer(lang)
			for _, key := range []string{"bot.report.bad_period", "bot.report.bad_args"} {
				text := p.T(key, "x")
				for _, w := range words {
					if !strings.Contains(text, w) {
						t.Errorf("%s in %s lacks %q: %s", key, lang, w, text)
					}
				}
			}
		})
	}
}

func TestParsePeriod(t *testing.T) {
	today := checks.DateOf(fixtureNow) // Wednesday 2026-03-11
	cases := []struct {
		in       string
		from, to string
		errKey   string
	}{
		{"", "2026-03-11", "2026-03-11", ""},
		{"today", "2026-03-11", "2026-03-11", ""},
		{"WEEK", "2026-03-09", "2026-03-11", ""},
		{"month", "2026-03-01", "2026-03-11", ""},
		{"2026-03-05", "2026-03-05", "2026-03-05", ""},
		{"2026-02-01..2026-02-28", "2026-02-01", "2026-02-28", ""},
		{"2025-03-11..2026-03-11", "2025-03-11", "2026-03-11", ""},
		{"yesterday", "", "", "bot.report.bad_period"},
		{"2026-02-30", "", "", "bot.report.bad_period"},
		{"2026-03-01..", "", "", "bot.report.bad_period"},
		{"2026-03-01...2026-03-02", "", "", "bot.report.bad_period"},
		{"01.03.2026", "", "", "bot.report.bad_period"},
		{"2026-03-10..2026-03-01", "", "", "bot.report.reversed"},
		{"2026-03-01..2026-03-12", "", "", "bot.report.future"},
		{"2025-03-10..2026-03-11", "", "", "bot.report.too_long"},
	}
	for _, tc := range cases {
		t.Run(tc.in, func(t *testing.T) {
			got, uerr := parsePeriod(tc.in, today)
			if tc.errKey != "" {
				if uerr == nil || uerr.key != tc.errKey {
					t.Fatalf("parsePeriod(%q) = %v, %v; want error %s", tc.in, got, uerr, tc.errKey)
				}
				return
			}
			if uerr != nil {
				t.Fatalf("parsePeriod(%q): %v", tc.in, uerr)
			}
			if got.from != date(t, tc.from) || got.to != date(t, tc.to) {
				t.Errorf("parsePeriod(%q) = %s..%s, want %s..%s", tc.in, got.from, got.to, tc.from, tc.to)
			}
		})
	}
}

// reportHarness adds stored rows of earlier days and a verdict to the fixture.
func reportHarness(t *testing.T, lang string) *harness {
	t.Helper()
	h := newHarness(t, lang)
	h.store.people[idAdmin] = Person{TelegramID: idAdmin, Name: "Ada", Role: RoleAdmin, Account: "acme", Lang: lang}
	day := checks.DateOf(fixtureNow)
	h.store.table = []checks.TableRow{
		{Day: day.AddDays(-1), Manager: 2, Rule: checks.R3, Count: 5},
		{Day: day.AddDays(-2), Manager: 1, Rule: checks.R2, Count: 2},
		{Day: day.AddDays(-2), Manager: 3, Rule: checks.R11, Count: 1},
	}
	h.store.verdicts = []Verdict{{Day: day.AddDays(-1), DealID: 11, Manager: 2, OK: false, By: idHead}}
	return h
}

func TestReportGolden(t *testing.T) {
	cases := []struct {
		name string
		from int64
		text string
	}{
		{"report_week_admin", idAdmin, "/report week"},
		{"report_today_head", idHead, "/report"},
		{"report_manager_self", idManager, "/report week"},
		{"report_admin_for_manager", idAdmin, "/report 2026-03-09..2026-03-11 Boris"},
		{"report_bad_period", idHead, "/report 2026-13-01"},
		{"report_bad_args", idHead, "/report weak"},
		{"report_manager_other", idManager, "/report week Boris"},
		{"report_empty", idHead, "/report 2026-01-01..2026-01-31"},
	}
	for _, lang := range langs {
		for _, tc := range cases {
			t.Run(tc.name+"."+lang, func(t *testing.T) {
				h := reportHarness(t, lang)
				h.send(tc.from, lang, tc.text)
				calls := h.tg.take("setMyCommands")
				if len(calls) == 0 {
					t.Fatal("no answer")
				}
				var got strings.Builder
				for _, c := range calls {
					if c.Method != "sendMessage" || c.Params["parse_mode"] != "HTML" {
						t.Fatalf("call %+v, want an HTML sendMessage", c)
					}
					got.WriteString(showCall(c))
				}
				golden(t, tc.name+"."+lang, got.String())
			})
		}
	}
}

func TestReportCountsVerdictsAndEscapes(t *testing.T) {
	h := reportHarness(t, "en")
	h.send(idAdmin, "en", "/report week")
	calls := h.tg.take("setMyCommands")
	text := calls[0].Params["text"]
	if strings.Contains(text, "<boss>") || !strings.Contains(text, "Boris &lt;boss&gt;") {
		t.Errorf("manager name not escaped:\n%s", text)
	}
	if !strings.Contains(text, "R13") {
		t.Errorf("a violation verdict is not counted as R13:\n%s", text)
	}
}

func TestReportLongIsSplit(t *testing.T) {
	h := reportHarness(t, "en")
	day := checks.DateOf(fixtureNow)
	for i := range 300 {
		h.store.table = append(h.store.table, checks.TableRow{Day: day.AddDays(-1), Manager: amo.UserID(1000 + i), Rule: checks.R2, Count: 1})
	}
	h.send(idAdmin, "en", "/report week")
	calls := h.tg.take("setMyCommands")
	if len(calls) < 2 {
		t.Fatalf("%d messages, want the long report split", len(calls))
	}
	for i, c := range calls {
		if n := len(c.Params["text"]); n > 4096 {
			t.Errorf("message %d has %d bytes", i, n)
		}
		if strings.Count(c.Params["text"], "<pre>") != strings.Count(c.Params["text"], "</pre>") {
			t.Errorf("message %d has an unclosed <pre>", i)
		}
		if hasButtons := c.Params["reply_markup"] != ""; hasButtons != (i == len(calls)-1) {
			t.Errorf("message %d: buttons %v, want them on the last message only", i, hasButtons)
		}
	}
}

func TestReportFileButtons(t *testing.T) {
	cases := []struct {
		data   string
		method string
		field  string
		suffix string
	}{
		{"c:20260309:20260311:0", "sendPhoto", "photo", ""},
		{"x:20260309:20260311:0", "sendDocument", "document", ".xlsx"},
		{"v:20260309:20260311:0", "sendDocument", "document", ".csv"},
		{"x:20260309:20260311:2", "sendDocument", "document", ".xlsx"},
	}
	for _, tc := range cases {
		t.Run(tc.data, func(t *testing.T) {
			h := reportHarness(t, "en")
			h.press(idHead, "\frep|"+tc.data)
			var sent []call
			for _, c := range h.tg.take() {
				if c.Method == tc.method {
					sent = append(sent, c)
				}
			}
			if len(sent) != 1 {
				t.Fatalf("%d %s calls, want 1", len(sent), tc.method)
			}
			size, _ := strconv.Atoi(sent[0].Params[tc.field+".size"])
			if size == 0 {
				t.Errorf("%s sent an empty file", tc.method)
			}
			if !strings.HasSuffix(sent[0].Params[tc.field], tc.suffix) {
				t.Errorf("file name %q, want suffix %q", sent[0].Params[tc.field], tc.suffix)
			}
		})
	}
}

func TestReportFileButtonsRefuseForgedData(t *testing.T) {
	cases := []struct {
		from int64
		data string
	}{
		{idManager, "x:20260309:20260311:0"}, // a manager asking for everyone
		{idManager, "x:20260309:20260311:2"}, // a manager asking for a colleague
		{idHead, "x:20260311:20260309:0"},    // reversed
		{idHead, "x:20200101:20260311:0"},    // too long
		{idHead, "z:20260309:20260311:0"},    // unknown kind
		{idHead, "x:2026-03-09:20260311:0"},  // bad day
		{idHead, "x:20260309:20260311:-1"},   // bad manager
		{idHead, "x:20260309:20260311"},      // missing part
		{idStranger, "x:20260309:20260311:0"},
	}
	for _, tc := range cases {
		t.Run(roleName(tc.from)+"/"+tc.data, func(t *testing.T) {
			h := reportHarness(t, "en")
			h.press(tc.from, "\frep|"+tc.data)
			if n := h.tg.count("sendDocument") + h.tg.count("sendPhoto"); n != 0 {
				t.Errorf("%d files sent for forged data", n)
			}
		})
	}
}

func TestReportManagerOwnFile(t *testing.T) {
	h := reportHarness(t, "en")
	h.press(idManager, "\frep|v:20260309:20260311:1")
	calls := h.tg.take()
	for _, c := range calls {
		if c.Method == "sendDocument" {
			if data := c.Params["document.data"]; strings.Contains(data, "Boris") {
				t.Errorf("a manager's CSV shows a colleague:\n%s", data)
			}
			return
		}
	}
	t.Fatalf("no sendDocument in %+v", calls)
}
