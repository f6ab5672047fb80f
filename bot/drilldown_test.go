package bot

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"salesguard/amo"
	"salesguard/checks"
	"salesguard/report"
)

// drillYesterday is the stored day of the drill-down fixture.
var drillYesterday = checks.DateOf(fixtureNow).AddDays(-1)

// drillHarness is the fixture with an admin, yesterday stored as the digest job stores a day
// (its table and the findings it was counted from: 23 deals without a task, enough for three
// pages, a stale stage, a late taking and an escalation that does not count) and an audit
// verdict of "violation" with a comment.
func drillHarness(t *testing.T, lang string) *harness {
	t.Helper()
	h := newHarness(t, lang)
	h.store.people[idAdmin] = Person{TelegramID: idAdmin, Name: "Ada", Role: RoleAdmin, Account: "acme", Lang: lang}
	h.store.storeDay(drillYesterday, drillFindings())
	h.store.verdicts = []Verdict{{Day: drillYesterday, DealID: 11, Manager: 2, OK: false, Comment: "Rude <b>to</b> the client", By: idHead}}
	return h
}

func drillFindings() []checks.Finding {
	var fs []checks.Finding
	for i := range 23 {
		fs = append(fs, checks.Finding{Rule: checks.R2, Level: checks.LevelWarning, AccountID: 7, DealID: amo.LeadID(100 + i),
			ManagerID: amo.UserID(1 + i%3), DealName: fmt.Sprintf("Deal %02d", i)})
	}
	due := drillYesterday.In(time.UTC).Add(10 * time.Hour)
	return append(fs,
		checks.Finding{Rule: checks.R4, Level: checks.LevelWarning, AccountID: 7, DealID: 11, ManagerID: 2, DealName: "Beta",
			Value: 9, Limit: 5, Unit: checks.UnitDays},
		checks.Finding{Rule: checks.R4, Level: checks.LevelEscalation, AccountID: 7, DealID: 11, ManagerID: 2, DealName: "Beta",
			Value: 9, Limit: 5, Unit: checks.UnitDays},
		checks.Finding{Rule: checks.R1, Level: checks.LevelInfo, Kind: checks.KindTakenLate, AccountID: 7, DealID: 12, ManagerID: 1,
			DealName: "Gamma", Value: 47, Limit: 15, Unit: checks.UnitMinutes, Due: due},
	)
}

// pressed returns the messages a press sent or edited, without the callback answers.
func pressed(h *harness) []call {
	var out []call
	for _, c := range h.tg.take("setMyCommands") {
		if c.Method != "answerCallbackQuery" {
			out = append(out, c)
		}
	}
	return out
}

// buttonsOf reads the inline keyboard of a recorded call.
func buttonsOf(t *testing.T, c call) [][]struct{ Text, Data string } {
	t.Helper()
	var m struct {
		InlineKeyboard [][]struct {
			Text string `json:"text"`
			Data string `json:"callback_data"`
		} `json:"inline_keyboard"`
	}
	if raw := c.Params["reply_markup"]; raw != "" {
		if err := json.Unmarshal([]byte(raw), &m); err != nil {
			t.Fatalf("reply_markup %q: %v", raw, err)
		}
	}
	out := make([][]struct{ Text, Data string }, len(m.InlineKeyboard))
	for i, row := range m.InlineKeyboard {
		for _, b := range row {
			out[i] = append(out[i], struct{ Text, Data string }{b.Text, b.Data})
		}
	}
	return out
}

func TestDrillDownGolden(t *testing.T) {
	y := dayCode(drillYesterday)
	cases := []struct {
		name, data string
	}{
		{"drill_rule", "do:20260311:20260311:R3:0:0"},           // from the digest: today's R3, every manager
		{"drill_manager", "do:20260311:20260311:-:1:0"},         // from the digest: Olga's line, by rule
		{"drill_page", "dp:" + y + ":" + y + ":R2:0:1"},         // the second page of a stored day's R2
		{"drill_period", "ro:20260309:20260311:-:2:0"},          // from /report week: Boris, with a verdict
		{"drill_index", "ri:20260309:20260311:-:0:0"},           // "back": the week's summary
		{"drill_empty", "dp:20260301:20260301:R5:0:0"},          // nothing counted that day
		{"drill_rule_manager", "rp:" + y + ":" + y + ":R2:3:0"}, // a rule of one manager (a filtered report)
	}
	for _, lang := range langs {
		for _, tc := range cases {
			t.Run(tc.name+"."+lang, func(t *testing.T) {
				h := drillHarness(t, lang)
				h.press(idHead, "\fdd|"+tc.data)
				calls := pressed(h)
				if len(calls) != 1 {
					t.Fatalf("calls = %+v, want one message", calls)
				}
				want := "editMessageText"
				if tc.data[1] == drillOpen {
					want = "sendMessage"
				}
				if c := calls[0]; c.Method != want || c.Params["parse_mode"] != "HTML" || c.Params["chat_id"] != strconv.FormatInt(idHead, 10) {
					t.Fatalf("call %s to %s (%s), want an HTML %s to the head", c.Method, c.Params["chat_id"], c.Params["parse_mode"], want)
				}
				if strings.Contains(calls[0].Params["text"], "<boss>") || strings.Contains(calls[0].Params["text"], "<b>to</b>") {
					t.Errorf("unescaped CRM text:\n%s", calls[0].Params["text"])
				}
				golden(t, tc.name+"."+lang, calls[0].Method+"\n"+showCall(calls[0]))
			})
		}
	}
}

// listAll opens a list and turns its pages to the end, returning the bullet lines of every
// page and the text of the first.
func listAll(t *testing.T, h *harness, from int64, data string) (first string, lines []string) {
	t.Helper()
	for page := 0; data != ""; page++ {
		if page > 50 {
			t.Fatal("the pages never end")
		}
		h.press(from, "\fdd|"+data)
		calls := pressed(h)
		if len(calls) != 1 {
			t.Fatalf("press %q: calls %+v", data, calls)
		}
		text := calls[0].Params["text"]
		if page == 0 {
			first = text
		}
		for _, l := range strings.Split(text, "\n") {
			if strings.HasPrefix(l, "• ") {
				lines = append(lines, l)
			}
		}
		data = ""
		for _, row := range buttonsOf(t, calls[0]) {
			for _, b := range row {
				if strings.HasSuffix(b.Text, "»") {
					data = strings.TrimPrefix(b.Data, "\fdd|")
				}
			}
		}
	}
	return first, lines
}

// TestDrillCountEqualsList presses every drill-down button of the digest and of a week's
// report and turns all pages: each list has as many violations as its button counted, and
// the list's header says the same number.
func TestDrillCountEqualsList(t *testing.T) {
	h := drillHarness(t, "en")
	h.send(idAdmin, "en", "/digest")
	h.send(idAdmin, "en", "/report week")
	var buttons []struct{ Text, Data string }
	for _, c := range h.tg.take("setMyCommands") {
		for _, row := range buttonsOf(t, c) {
			for _, b := range row {
				if strings.HasPrefix(b.Data, "\fdd|") {
					buttons = append(buttons, b)
				}
			}
		}
	}
	if len(buttons) < 15 {
		t.Fatalf("%d drill-down buttons under the digest and the report, want every rule and manager", len(buttons))
	}
	p := mustCatalog(t).Printer("en")
	for _, b := range buttons {
		_, n, _ := strings.Cut(b.Text, " · ")
		count, err := strconv.Atoi(n)
		if err != nil {
			t.Fatalf("button %q has no count", b.Text)
		}
		first, lines := listAll(t, h, idAdmin, strings.TrimPrefix(b.Data, "\fdd|"))
		if len(lines) != count {
			t.Errorf("button %q (%s): %d violations listed\n%s", b.Text, b.Data, len(lines), first)
		}
		if !strings.Contains(first, p.Count("violations", count)) || strings.Contains(first, "⚠️") {
			t.Errorf("button %q: the header does not say %d violations:\n%s", b.Text, count, first)
		}
	}
}

// TestDrillListShowsTheMismatch: a stored day whose findings the history no longer holds
// says how many were counted and how many are listed.
func TestDrillListShowsTheMismatch(t *testing.T) {
	h := drillHarness(t, "en")
	h.store.table = append(h.store.table, checks.TableRow{Day: drillYesterday, Manager: 1, Rule: checks.R11, Count: 2})
	h.press(idHead, "\fdd|dp:"+dayCode(drillYesterday)+":"+dayCode(drillYesterday)+":R11:0:0")
	calls := pressed(h)
	want := esc(mustCatalog(t).Printer("en").T("bot.drill.mismatch", "2", "0"))
	if len(calls) != 1 || !strings.Contains(calls[0].Params["text"], want) {
		t.Fatalf("calls %+v, want the mismatch warning %q", calls, want)
	}
}

// TestDrillPagesFitTelegram: long and hostile names never push a page past Telegram's limit,
// every page's HTML is balanced and each violation appears once.
func TestDrillPagesFitTelegram(t *testing.T) {
	h := drillHarness(t, "ru")
	long := strings.Repeat(`&<"`, 100)
	var fs []checks.Finding
	for i := range 57 {
		fs = append(fs, checks.Finding{Rule: checks.R10, Level: checks.LevelWarning, DealID: amo.LeadID(500 + i), ManagerID: amo.UserID(40 + i%7),
			DealName: long + strconv.Itoa(i), Kind: checks.KindMissingFields, Value: 3, Unit: checks.UnitCount})
	}
	for i := range 7 {
		h.src.snap.Users = append(h.src.snap.Users, amo.User{ID: amo.UserID(40 + i), Name: strings.Repeat("Ш&", 80)})
	}
	day := drillYesterday.AddDays(-1)
	h.store.storeDay(day, fs)
	_, lines := listAll(t, h, idAdmin, "dp:"+dayCode(day)+":"+dayCode(day)+":R10:0:0")
	if len(lines) != len(fs) {
		t.Errorf("%d lines over the pages, want %d", len(lines), len(fs))
	}
	seen := map[string]bool{}
	for _, l := range lines {
		if seen[l] {
			t.Errorf("listed twice: %s", l)
		}
		seen[l] = true
	}
	h.press(idAdmin, "\fdd|dp:"+dayCode(day)+":"+dayCode(day)+":R10:0:0")
	for page := 0; ; page++ {
		calls := pressed(h)
		text := calls[0].Params["text"]
		if len(text) > 4096 || strings.Count(text, "<b>") != strings.Count(text, "</b>") || strings.Count(text, "<a ") != strings.Count(text, "</a>") {
			t.Fatalf("page %d: %d bytes, unbalanced tags?\n%s", page, len(text), text)
		}
		next := ""
		for _, row := range buttonsOf(t, calls[0]) {
			for _, b := range row {
				if strings.HasSuffix(b.Text, "»") {
					next = b.Data
				}
			}
		}
		if next == "" {
			break
		}
		h.press(idAdmin, next)
	}
}

// TestDrillButtonsFitCallbackData: the largest ids and the longest period still fit in
// Telegram's 64 bytes of callback data, and read back.
func TestDrillButtonsFitCallbackData(t *testing.T) {
	p := mustCatalog(t).Printer("es")
	from, to := checks.DateOf(fixtureNow).AddDays(-maxReportDays+1), checks.DateOf(fixtureNow)
	base := drillRef{source: drillReport, view: drillPage, from: from, to: to, manager: 1<<63 - 1}
	rules := []checks.RuleCount{{Rule: checks.R13, Count: 99999}, {Rule: checks.R1, Count: 1}}
	managers := []drillManager{{id: 1<<63 - 1, name: strings.Repeat("Ñ", 40), count: 1}, {id: 1, name: "A", count: 0}}
	rows := drillButtons(p, base, rules, managers)
	n := 0
	for _, row := range rows {
		for _, b := range row {
			n++
			if full := "\f" + b.Unique + "|" + b.Data; len(full) > maxCallbackData {
				t.Errorf("%q: %d bytes of callback data", full, len(full))
			}
			if _, ok := parseDrillData(b.Data); !ok {
				t.Errorf("%q does not parse back", b.Data)
			}
		}
	}
	if n != 3 {
		t.Errorf("%d buttons, want one per rule and per manager with violations", n)
	}
	ref := base.with(drillPage, checks.R13, 1<<63-1, maxListPage)
	if s := drillData(ref); len(s)+len("\fdd|") > maxCallbackData {
		t.Errorf("%q is too long", s)
	}
}

// TestDigestButtonsCapManagers: a digest of many managers offers buttons to those with the
// most violations only.
func TestDigestButtonsCapManagers(t *testing.T) {
	p := mustCatalog(t).Printer("en")
	d := checks.Digest{Day: checks.DateOf(fixtureNow), Totals: []checks.RuleCount{{Rule: checks.R2, Count: 500}}}
	for i := range 40 {
		d.Managers = append(d.Managers, checks.ManagerDigest{Manager: amo.UserID(i + 1), Name: "M" + strconv.Itoa(i), Total: i})
	}
	rows := digestButtons(p, d)
	var managers []string
	for _, row := range rows[1:] {
		for _, b := range row {
			managers = append(managers, b.Text)
		}
	}
	if len(managers) != drillMaxManagers || managers[0] != "M39 · 39" || managers[len(managers)-1] != "M16 · 16" {
		t.Errorf("manager buttons = %q", managers)
	}
}

// TestReportXLSXListsFindings: the workbook of /report has the findings sheet, one row per
// violation the report counts (stored days from what they were counted from, today live, the
// verdicts), each deal a link to its card.
func TestReportXLSXListsFindings(t *testing.T) {
	h := drillHarness(t, "ru")
	h.press(idHead, "\frep|x:20260309:20260311:0")
	var doc string
	for _, c := range h.tg.take() {
		if c.Method == "sendDocument" {
			doc = c.Params["document.data"]
		}
	}
	f, err := excelize.OpenReader(strings.NewReader(doc))
	if err != nil {
		t.Fatalf("open the workbook: %v", err)
	}
	defer f.Close()
	p := mustCatalog(t).Printer("ru")
	sheet := report.SheetNames(p)[3]
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1+35 { // the week's summary counts 35
		t.Fatalf("%d rows on %q, want the header and 35 violations:\n%q", len(rows), sheet, rows)
	}
	links := 0
	for i := range rows[1:] {
		if ok, link, _ := f.GetCellHyperLink(sheet, "E"+strconv.Itoa(i+2)); ok && strings.HasPrefix(link, "https://acme.amocrm.ru/leads/detail/") {
			links++
		}
	}
	if links != 35 {
		t.Errorf("%d deals linked, want 35", links)
	}
	var verdict []string
	for _, r := range rows {
		if len(r) > 2 && r[2] == "R13" {
			verdict = r
		}
	}
	if len(verdict) < 6 || verdict[4] != "Beta" || !strings.Contains(verdict[5], "Rude <b>to</b> the client") {
		t.Errorf("the audit verdict's row = %q", verdict)
	}
}

// TestDrillCatalogKeys: every literal catalog key of the drill-down code is in every language.
func TestDrillCatalogKeys(t *testing.T) {
	re := regexp.MustCompile(`"((?:bot\.drill|drill\.detail|report\.findings|report\.col|report\.sheet)\.[a-z0-9_.]*[a-z0-9_])"`)
	files, err := filepath.Glob("drilldown*.go")
	if err != nil {
		t.Fatal(err)
	}
	more, _ := filepath.Glob("../report/*.go")
	keys := map[string]bool{}
	for _, f := range append(files, more...) {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range re.FindAllStringSubmatch(string(src), -1) {
			keys[m[1]] = true
		}
	}
	if len(keys) < 12 {
		t.Fatalf("found only %d keys: %v", len(keys), keys)
	}
	cat := mustCatalog(t)
	for _, lang := range langs {
		for k := range keys {
			if !cat.Printer(lang).Has(k) {
				t.Errorf("%s: missing %s", lang, k)
			}
		}
	}
}
