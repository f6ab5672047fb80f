package bot

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
	"time"

	"salesguard/amo"
	"salesguard/checks"
	"salesguard/notify"
)

// uniqCallVerdict is the callback unique of the call review buttons; data
// "<o|x>:<yyyymmdd week start>:<note id>" (at most 30 bytes).
const uniqCallVerdict = "rvw"

// Verdict letters in the call review buttons' data.
const (
	reviewOK    = "o"
	reviewNotOK = "x"
)

// reviewDays is how many days after its week started a call sample may still be judged: the
// head reviews last week's calls during this week, and may come back to them a while later.
const reviewDays = 42

// CallVerdict is a head's verdict on one call of the weekly review sample (R7: each manager's
// calls of at least a minute, listened to against the script). A call judged not OK counts in
// the table as an R7 violation of its manager on the day of the call.
type CallVerdict struct {
	Week    checks.Date // the first day of the sample's week
	Day     checks.Date // the local day of the call
	NoteID  amo.NoteID
	DealID  amo.LeadID
	Manager amo.UserID
	OK      bool
	By      int64  // Telegram id of the reviewer
	ByName  string // the reviewer's name when they judged
	At      time.Time
}

// ReviewStore keeps the weekly call review: the samples the weekly report sent and the heads'
// verdicts on them. storage implements it (through app).
type ReviewStore interface {
	// ReviewSample returns the call sample of the week starting on week as the weekly report
	// sent it; ok is false when no report covered that week.
	ReviewSample(week checks.Date) (calls []checks.ReviewCall, ok bool, err error)
	// PutCallVerdict stores a verdict, replacing an earlier one on the same call.
	PutCallVerdict(v CallVerdict) error
	// CallVerdicts returns the verdicts on the calls made on the days from..to (inclusive).
	CallVerdicts(from, to checks.Date) ([]CallVerdict, error)
}

// TableVerdicts converts call verdicts to what the table counts (checks.CallVerdictRows).
func TableVerdicts(vs []CallVerdict) []checks.CallVerdict {
	out := make([]checks.CallVerdict, len(vs))
	for i, v := range vs {
		out[i] = checks.CallVerdict{Day: v.Day, Manager: v.Manager, NoteID: v.NoteID, OK: v.OK}
	}
	return out
}

// callVerdictData builds a button's data.
func callVerdictData(ok bool, week checks.Date, note amo.NoteID) string {
	letter := reviewNotOK
	if ok {
		letter = reviewOK
	}
	return letter + ":" + dayCode(week) + ":" + strconv.FormatInt(int64(note), 10)
}

// parseCallVerdictData reads callVerdictData's output strictly: anything else is refused.
func parseCallVerdictData(data string) (ok bool, week checks.Date, note amo.NoteID, valid bool) {
	parts := strings.Split(data, ":")
	if len(parts) != 3 || (parts[0] != reviewOK && parts[0] != reviewNotOK) {
		return false, checks.Date{}, 0, false
	}
	week, okWeek := parseDayCode(parts[1])
	id, err := strconv.ParseInt(parts[2], 10, 64)
	if !okWeek || err != nil || id <= 0 || strconv.FormatInt(id, 10) != parts[2] {
		return false, checks.Date{}, 0, false
	}
	return parts[0] == reviewOK, week, amo.NoteID(id), true
}

// ReviewCalls renders one manager's calls of the review sample of the week starting on week:
// each call's time, direction, length, deal and recording (only an http(s) link becomes a
// link), its verdict so far and who gave it, and a pair of OK / not OK buttons per call. It is
// a weekly message: only the heads who get the weekly report receive it, never the manager.
func (r *Renderer) ReviewCalls(week checks.Date, m amo.UserID, calls []checks.ReviewCall, vs []CallVerdict,
	snap *amo.Snapshot, names func(amo.LeadID) string, lang string) notify.Message {
	text, rows := reviewBlock(r.p(lang), snap, names, week, m, calls, vs)
	return notify.Message{Kind: notify.KindWeekly, Text: text, Buttons: rows}
}

// reviewBlock renders a manager's sampled calls with their verdicts and buttons; the weekly
// report and the redraw after a press both use it.
func reviewBlock(p Printer, snap *amo.Snapshot, names func(amo.LeadID) string, week checks.Date, m amo.UserID,
	calls []checks.ReviewCall, vs []CallVerdict) (string, [][]notify.Button) {
	loc := location(snap)
	head := p.T("bot.review.header", userName(snap, m), p.Date(week.In(time.UTC)), p.Date(week.AddDays(6).In(time.UTC)))
	lines := []string{"<b>" + esc(head) + "</b>"}
	var rows [][]notify.Button
	for i, rc := range calls {
		n := strconv.Itoa(i + 1)
		dir := p.T("bot.review.outgoing")
		if rc.Incoming {
			dir = p.T("bot.review.incoming")
		}
		when, length := p.DateTime(rc.At.In(loc)), callLength(p, rc.Duration)
		line := esc(p.T("bot.review.call_no_deal", when, dir, length))
		if rc.DealID != 0 {
			line = p.T("bot.review.call", esc(when), esc(dir), esc(length), dealLink(snap, rc.DealID, names(rc.DealID)))
		}
		rec := esc(p.T("bot.review.no_link"))
		if safeURL(rc.Link) {
			rec = `<a href="` + esc(rc.Link) + `">` + esc(p.T("button.listen")) + "</a>"
		}
		lines = append(lines, n+". "+line+" · "+rec+" — "+reviewMark(p, week, rc.NoteID, vs))
		rows = append(rows, []notify.Button{
			{Text: n + " " + p.T("bot.review.button.ok"), Unique: uniqCallVerdict, Data: callVerdictData(true, week, rc.NoteID)},
			{Text: n + " " + p.T("bot.review.button.not_ok"), Unique: uniqCallVerdict, Data: callVerdictData(false, week, rc.NoteID)},
		})
	}
	return joinLines(lines...), rows
}

// callLength renders a call's length to the second ("1 min 35 s"): the head picks the calls to
// listen to by it, and Printer.Duration rounds to the minute past one.
func callLength(p Printer, d time.Duration) string {
	d = d.Round(time.Second)
	if d < time.Minute || d >= time.Hour {
		return p.Duration(d)
	}
	out := p.T("fmt.duration.minutes", p.Number(int(d/time.Minute)))
	if s := int(d % time.Minute / time.Second); s > 0 {
		out += " " + p.T("fmt.duration.seconds", p.Number(s))
	}
	return out
}

// reviewMark renders a call's verdict (the last one given) and who gave it.
func reviewMark(p Printer, week checks.Date, note amo.NoteID, vs []CallVerdict) string {
	mark := esc(p.T("bot.review.pending"))
	for _, v := range vs {
		if v.Week != week || v.NoteID != note {
			continue
		}
		by := strings.TrimSpace(v.ByName)
		if by == "" {
			by = "#" + strconv.FormatInt(v.By, 10)
		}
		key := "bot.review.not_ok"
		if v.OK {
			key = "bot.review.ok"
		}
		mark = esc(p.T(key, by))
	}
	return mark
}

// ReviewManagers returns the managers of a review sample that have calls, ordered by name (the
// order of the weekly report's review section and of the messages that follow it).
func ReviewManagers(snap *amo.Snapshot, sample map[amo.UserID][]checks.ReviewCall) []amo.UserID {
	var out []amo.UserID
	for m, calls := range sample {
		if len(calls) > 0 {
			out = append(out, m)
		}
	}
	return byManagerName(snap, out)
}

// byManagerName sorts managers by name (case-insensitive), then id, in place.
func byManagerName(snap *amo.Snapshot, ms []amo.UserID) []amo.UserID {
	slices.SortFunc(ms, func(a, b amo.UserID) int {
		return cmp.Or(strings.Compare(strings.ToLower(userName(snap, a)), strings.ToLower(userName(snap, b))), cmp.Compare(a, b))
	})
	return ms
}
