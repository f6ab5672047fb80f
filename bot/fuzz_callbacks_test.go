package bot

import (
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"salesguard/amo"
	"salesguard/checks"
	"salesguard/locales"
)

// Fuzz targets for the data of inline buttons (issue 10). Telegram hands it back verbatim, so
// it is user input: each parser must refuse what its builder cannot have written, and read
// back exactly what the builder wrote.

// maxCallbackData is Telegram's limit on a button's callback data, in bytes.
const maxCallbackData = 64

// fuzzKey returns a finding key made of b (zero-padded).
func fuzzKey(b []byte) checks.Key {
	var k checks.Key
	copy(k[:], b)
	return k
}

func FuzzParseShortKey(f *testing.F) {
	k := fuzzKey([]byte("0123456789abcdef0123456789abcdef"))
	f.Add(shortKey(k), []byte("raw key bytes"))
	f.Add(shortKey(checks.Key{}), []byte{})
	f.Add(strings.Repeat("A", shortKeyLen-1)+"B", []byte{0xff})
	f.Add(strings.Repeat("/", shortKeyLen), []byte{1})
	f.Add(shortKey(k)+"=", []byte{2})
	f.Fuzz(func(t *testing.T, s string, raw []byte) {
		key, ok := parseShortKey(s)
		if ok != isShortKey(s) {
			t.Fatalf("parseShortKey(%q) = %v, isShortKey %v", s, ok, !ok)
		}
		if ok {
			if len(s) != shortKeyLen {
				t.Fatalf("accepted %q of %d bytes", s, len(s))
			}
			// Not s itself: unpadded base64 ignores the last character's two spare bits.
			if again, ok := parseShortKey(shortKey(key)); !ok || again != key {
				t.Fatalf("key of %q does not round-trip", s)
			}
		} else if key != (checks.Key{}) {
			t.Fatalf("refused %q but returned a key", s)
		}
		built := fuzzKey(raw)
		if got, ok := parseShortKey(shortKey(built)); !ok || got != built {
			t.Fatalf("shortKey(%x) = %q does not parse back", built, shortKey(built))
		}
	})
}

func FuzzParseSnooze(f *testing.F) {
	k := shortKey(fuzzKey([]byte("a finding key of thirty-two byte")))
	for _, s := range []string{snoozeHour + ":" + k, snoozeTomorrow + ":" + k, "x:" + k, "h:", ":" + k, "h:" + k + ":", "h" + k, ""} {
		f.Add(s, []byte("k"), true)
	}
	f.Fuzz(func(t *testing.T, s string, raw []byte, hour bool) {
		period, key, ok := parseSnooze(s)
		if ok {
			if (period != snoozeHour && period != snoozeTomorrow) || !isShortKey(key) || period+":"+key != s {
				t.Fatalf("parseSnooze(%q) = %q, %q", s, period, key)
			}
		} else if period != "" || key != "" {
			t.Fatalf("refused %q but returned %q, %q", s, period, key)
		}
		want := snoozeTomorrow
		if hour {
			want = snoozeHour
		}
		data := want + ":" + shortKey(fuzzKey(raw))
		if p, key, ok := parseSnooze(data); !ok || p != want || key != shortKey(fuzzKey(raw)) || len(data) > maxCallbackData {
			t.Fatalf("button data %q reads back as %q, %q, %v", data, p, key, ok)
		}
	})
}

func FuzzParsePage(f *testing.F) {
	for _, s := range []string{"overdue:0", "calls:12", "stale:9999", "lost:10000", "notask:-1", "unanswered:+3", "nope:1", "overdue", ":1", "overdue:1:2", "overdue: 1"} {
		f.Add(s, uint8(0), 1)
	}
	f.Fuzz(func(t *testing.T, s string, cmd uint8, page int) {
		c, p, ok := parsePage(s)
		if ok {
			if !isListCommand(c) || p < 0 || p > 9999 {
				t.Fatalf("parsePage(%q) = %q, %d", s, c, p)
			}
			if c2, p2, ok := parsePage(pageData(c, p)); !ok || c2 != c || p2 != p {
				t.Fatalf("page %q %d does not round-trip", c, p)
			}
		} else if c != "" || p != 0 {
			t.Fatalf("refused %q but returned %q, %d", s, c, p)
		}
		name := listCommands[int(cmd)%len(listCommands)]
		data := pageData(name, page)
		c, p, ok = parsePage(data)
		if wantOK := page >= 0 && page <= 9999; ok != wantOK || ok && (c != name || p != page) || len(data) > maxCallbackData && ok {
			t.Fatalf("pageData(%q, %d) = %q reads back as %q, %d, %v", name, page, data, c, p, ok)
		}
	})
}

// fuzzDate returns the date n days after 1970-01-01, folded into the years 0000 to 9999 that
// dates are written in.
func fuzzDate(n int32) checks.Date {
	first := checks.Date{Year: 0, Month: 1, Day: 1}.Days()
	span := checks.Date{Year: 9999, Month: 12, Day: 31}.Days() - first + 1
	d := int(n) % span
	if d < 0 {
		d += span
	}
	return checks.DateFromDays(first + d)
}

func FuzzParseVerdictData(f *testing.F) {
	day := dayCode(checks.DateOf(fixtureNow))
	for _, s := range []string{"o:" + day + ":10", "v:" + day + ":9223372036854775807", "v:" + day + ":0", "o:" + day + ":-1", "x:" + day + ":1",
		"o:2026031:1", "o:20260230:1", "o:" + day, "o:" + day + ":1:2", "o:" + day + ":+7"} {
		f.Add(s, int32(20000), int64(10))
	}
	pr := mustPrinter(f, "en")
	f.Fuzz(func(t *testing.T, s string, days int32, deal int64) {
		good, d, id, valid := parseVerdictData(s)
		if valid {
			if id <= 0 || (s[0] == 'o') != good {
				t.Fatalf("parseVerdictData(%q) = %v %v %d", s, good, d, id)
			}
			letter := map[bool]string{true: "o", false: "v"}[good]
			if g2, d2, id2, v2 := parseVerdictData(letter + ":" + dayCode(d) + ":" + strconv.FormatInt(int64(id), 10)); !v2 || g2 != good || d2 != d || id2 != id {
				t.Fatalf("verdict of %q does not round-trip", s)
			}
		} else if good || d != (checks.Date{}) || id != 0 {
			t.Fatalf("refused %q but returned %v %v %d", s, good, d, id)
		}
		if deal <= 0 {
			return
		}
		// Build with auditBlock, as the audit screen does, and read every button back.
		day := fuzzDate(days)
		_, rows := auditBlock(pr, fixtureSnap(), func(amo.LeadID) string { return "deal" }, day, 1, []amo.LeadID{amo.LeadID(deal)}, nil)
		for _, row := range rows {
			for _, b := range row {
				g, d, id, v := parseVerdictData(b.Data)
				if !v || d != day || id != amo.LeadID(deal) || g != strings.HasPrefix(b.Data, "o") || len(b.Data) > maxCallbackData {
					t.Fatalf("audit button %q reads back as %v %v %d %v", b.Data, g, d, id, v)
				}
			}
		}
	})
}

func FuzzParseReportData(f *testing.F) {
	for _, s := range []string{"c:20260301:20260311:0", "x:20260101:20261231:2", "v:20250101:20260311:1", "c:20260311:20260301:0",
		"c:20260301:20260311:-1", "z:20260301:20260311:0", "c:20260301:20260311", "c:20260301:20260311:0:0", "c:2026030:20260311:0"} {
		f.Add(s, int32(20500), uint16(10), int64(0))
	}
	pr := mustPrinter(f, "en")
	f.Fuzz(func(t *testing.T, s string, from int32, length uint16, mgr int64) {
		kind, per, m, ok := parseReportData(s)
		if ok {
			if kind != fileChart && kind != fileXLSX && kind != fileCSV || per.to.Before(per.from) || per.days() > maxReportDays || m < 0 {
				t.Fatalf("parseReportData(%q) = %q %v %d", s, kind, per, m)
			}
		} else if kind != "" || per != (period{}) || m != 0 {
			t.Fatalf("refused %q but returned %q %v %d", s, kind, per, m)
		}
		if mgr < 0 {
			return
		}
		// Build with reportButtons and read every button back.
		start := fuzzDate(from)
		want := period{start, start.AddDays(int(length) % maxReportDays)}
		if want.to.Year > 9999 {
			return
		}
		for _, row := range (*Bot)(nil).reportButtons(pr, want, amo.UserID(mgr)) {
			for _, b := range row {
				kind, per, m, ok := parseReportData(b.Data)
				if !ok || per != want || m != amo.UserID(mgr) || !strings.HasPrefix(b.Data, kind+":") || len(b.Data) > maxCallbackData {
					t.Fatalf("report button %q reads back as %q %v %d %v", b.Data, kind, per, m, ok)
				}
			}
		}
	})
}

func FuzzParseRequired(f *testing.F) {
	for _, s := range []string{"l:5:1:1", "c:7:0:0", "l:5:1:2", "x:5:1:1", "l:five:1:1", "l:5:1", "l:5:1:1:1", "c:-3:9223372036854775807:-9223372036854775808"} {
		f.Add(s, true, int64(5), int64(1), int64(1))
	}
	snap := fixtureSnap()
	snap.CustomFields = []amo.CustomField{{ID: 5, EntityType: amo.EntityLeads, Name: "Budget"}, {ID: 7, EntityType: amo.EntityContacts, Name: "Phone"}}
	f.Fuzz(func(t *testing.T, s string, contact bool, field, pipeline, status int64) {
		for _, inSnap := range []bool{false, true} {
			r, ok := parseRequired(s, snap, inSnap)
			if !ok {
				continue
			}
			if r.Entity != amo.EntityLeads && r.Entity != amo.EntityContacts {
				t.Fatalf("parseRequired(%q, %v) entity %q", s, inSnap, r.Entity)
			}
			if inSnap {
				if _, found := findField(snap, r.Entity, r.Field); !found {
					t.Fatalf("parseRequired(%q) names field %d not in the snapshot", s, r.Field)
				}
			}
			if again, ok := parseRequired(requiredData(r), snap, inSnap); !ok || again != r {
				t.Fatalf("required %+v of %q does not round-trip (%+v)", r, s, again)
			}
		}
		r := checks.RequiredField{Entity: amo.EntityLeads, Field: amo.FieldID(field),
			From: amo.StatusRef{PipelineID: amo.PipelineID(pipeline), StatusID: amo.StatusID(status)}}
		if contact {
			r.Entity = amo.EntityContacts
		}
		data := requiredData(r)
		if again, ok := parseRequired(data, snap, false); !ok || again != r {
			t.Fatalf("requiredData(%+v) = %q reads back as %+v", r, data, again)
		}
	})
}

// FuzzSettingsScreen renders the settings screen any callback data names: unknown data is
// refused, and every button of a screen carries data Telegram accepts.
func FuzzSettingsScreen(f *testing.F) {
	for _, s := range []string{"m", "thr", "cal", "sch", "rl", "pl", "lim", "sp", "lr", "sm:f", "sm:m", "sm:x", "rq", "rqe", "rqe:x",
		"rqf:l", "rqf:c", "rqp:l:5", "rqs:l:5:1", "pri", "pp:l:1", "pp:o:1", "pp:f:2", "pp:l:x", "h", "x", "f:r1.limit", ""} {
		f.Add(s)
	}
	pr := mustPrinter(f, "ru")
	snap := fixtureSnap()
	snap.CustomFields = []amo.CustomField{{ID: 5, EntityType: amo.EntityLeads, Name: strings.Repeat("Очень длинное имя ", 10)}}
	snap.LossReasons = []amo.LossReason{{ID: 9223372036854775807, Name: "Дорого"}}
	snap.Pipelines = append(snap.Pipelines, amo.Pipeline{ID: 9223372036854775807, Name: "Big",
		Statuses: []amo.Status{{ID: 9223372036854775807, PipelineID: 9223372036854775807, Name: "S"}}})
	s := checks.DefaultSettings()
	f.Fuzz(func(t *testing.T, data string) {
		if len(data) > maxCallbackData {
			t.Skip()
		}
		text, rows, ok := screen(pr, s, snap, data)
		if !ok {
			if text != "" || rows != nil {
				t.Fatalf("refused %q but rendered it", data)
			}
			return
		}
		if !utf8.ValidString(text) {
			t.Fatalf("screen %q is not UTF-8", data)
		}
		for _, row := range rows {
			for _, b := range row {
				if b.URL == "" && (len(b.Data) > maxCallbackData || b.Unique != uniqSettings) {
					t.Fatalf("screen %q: button %q has data %q (%d bytes)", data, b.Text, b.Data, len(b.Data))
				}
			}
		}
	})
}

// mustPrinter returns the catalog printer of lang.
func mustPrinter(f *testing.F, lang string) Printer {
	f.Helper()
	cat, err := locales.Load()
	if err != nil {
		f.Fatal(err)
	}
	return cat.Printer(lang)
}
