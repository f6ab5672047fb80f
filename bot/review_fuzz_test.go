package bot

import (
	"strconv"
	"testing"
	"time"

	"salesguard/amo"
	"salesguard/checks"
)

// FuzzParseCallVerdictData: the call review buttons' data is user input. The parser refuses
// what callVerdictData cannot have written, reads back exactly what it wrote, and every
// button reviewBlock builds fits Telegram's 64 bytes and parses back to its call.
func FuzzParseCallVerdictData(f *testing.F) {
	week := dayCode(reviewWeek)
	for _, s := range []string{"o:" + week + ":5", "x:" + week + ":9223372036854775807", "x:" + week + ":0", "o:" + week + ":-1",
		"v:" + week + ":1", "o:2026030:1", "o:20260230:1", "o:" + week, "o:" + week + ":1:2", "o:" + week + ":+7",
		"o:" + week + ":07", "O:" + week + ":5", "o::5", ""} {
		f.Add(s, int32(20500), int64(5), true)
	}
	pr := mustPrinter(f, "en")
	f.Fuzz(func(t *testing.T, s string, days int32, note int64, incoming bool) {
		ok, w, id, valid := parseCallVerdictData(s)
		if valid {
			if id <= 0 || callVerdictData(ok, w, id) != s {
				t.Fatalf("parseCallVerdictData(%q) = %v %v %d, which builds %q", s, ok, w, id, callVerdictData(ok, w, id))
			}
		} else if ok || w != (checks.Date{}) || id != 0 {
			t.Fatalf("refused %q but returned %v %v %d", s, ok, w, id)
		}
		if note <= 0 {
			return
		}
		wk := fuzzDate(days)
		rc := checks.ReviewCall{NoteID: amo.NoteID(note), DealID: 12, ManagerID: 1, At: time.Unix(int64(days)*3600, 0),
			Duration: time.Duration(note%7200) * time.Second, Incoming: incoming, Link: "https://rec.example/" + strconv.FormatInt(note, 10)}
		_, rows := reviewBlock(pr, fixtureSnap(), func(amo.LeadID) string { return "deal" }, wk, 1, []checks.ReviewCall{rc}, nil)
		for i, row := range rows {
			for j, b := range row {
				g, w, id, v := parseCallVerdictData(b.Data)
				if !v || w != wk || id != rc.NoteID || g != (j == 0) || len("\f"+b.Unique+"|"+b.Data) > maxCallbackData {
					t.Fatalf("button %d.%d %q reads back as %v %v %d %v", i, j, b.Data, g, w, id, v)
				}
			}
		}
	})
}
