package bot

import (
	"strings"
	"time"

	"salesguard/amo"
	"salesguard/checks"
	"salesguard/notify"
)

const (
	// weeklyMaxOthers caps the "other" loss-reason texts the weekly report lists.
	weeklyMaxOthers = 15
)

// WeeklyReview is the call review part of the weekly report (R7, shared/RULES.md): the calls
// of the reported week to listen to, per manager (only managers the head sees), and the
// verdicts on the sample of the week before. The zero value adds nothing to the report.
type WeeklyReview struct {
	// Sample holds the reported week's calls to review per manager; each manager's calls
	// follow the report as their own message (Renderer.ReviewCalls) with the verdict buttons.
	Sample map[amo.UserID][]checks.ReviewCall
	// PrevWeek is the first day of the week before's sample; zero when none was sent.
	PrevWeek checks.Date
	// PrevSampled counts that sample's calls per manager; PrevTallies the verdicts on them.
	PrevSampled map[amo.UserID]int
	PrevTallies []checks.ReviewTally
}

// Weekly renders the weekly report of from..to: the week's total, the ranking of the managers
// (best first) and the violations by rule from d (a digest built over the week's rows), then
// the explanations given for deals lost with the "other" reason (each with its first deal and
// how many more gave it), so the head can add new loss reasons, then the call review (rv):
// how many calls of each manager are to be listened to (they follow as messages of their own)
// and how many of the week before's sampled calls were judged and found not OK. The ranking's
// change is against d's Yesterday, which for a weekly digest the app fills with the week
// before. The app attaches the week's chart. Every CRM string is escaped.
func (r *Renderer) Weekly(d checks.Digest, from, to checks.Date, others []checks.OtherText, rv WeeklyReview, snap *amo.Snapshot, lang string) notify.Message {
	p := r.p(lang)
	lines := []string{"<b>" + esc(p.T("weekly.header", p.Date(from.In(time.UTC)), p.Date(to.In(time.UTC)))) + "</b>", ""}
	lines = append(lines, esc(p.N("weekly.total", d.Total)))
	if len(d.Managers) > 0 {
		lines = append(lines, "", "<b>"+esc(p.T("digest.ranking.title"))+"</b>")
		lines = append(lines, ranking(p, d)...)
	}
	if len(d.Totals) > 0 {
		lines = append(lines, "", "<b>"+esc(p.T("digest.rules.title"))+"</b>")
		for _, rc := range d.Totals {
			lines = append(lines, bullet(esc(p.T("digest.rule", ruleName(p, rc.Rule), p.Number(rc.Count)))))
		}
	}
	if len(others) > 0 {
		lines = append(lines, "", "<b>"+esc(p.T("weekly.other_reasons.title"))+"</b>")
		for i, o := range others {
			if i == weeklyMaxOthers {
				break
			}
			deal := "—"
			if len(o.Deals) > 0 {
				name := ""
				if len(o.Names) > 0 {
					name = o.Names[0]
				}
				deal = dealName(o.Deals[0], name)
			}
			line := p.T("weekly.other_reason", o.Text, deal)
			if len(o.Deals) > 1 {
				line += " (+" + p.Count("deals", len(o.Deals)-1) + ")"
			}
			lines = append(lines, bullet(esc(line)))
		}
	}
	lines = append(lines, weeklyReviewLines(p, rv, snap)...)
	return notify.Message{Kind: notify.KindWeekly, Text: joinBlock(lines)}
}

// weeklyReviewLines renders the call review section of the weekly report: the managers whose
// calls follow, then the tallies of the week before's sample (every manager it had calls of,
// judged or not).
func weeklyReviewLines(p Printer, rv WeeklyReview, snap *amo.Snapshot) []string {
	var lines []string
	if ms := ReviewManagers(snap, rv.Sample); len(ms) > 0 {
		lines = append(lines, "", "<b>"+esc(p.T("weekly.calls.title"))+"</b>")
		for _, m := range ms {
			lines = append(lines, bullet(esc(p.T("weekly.review.manager", userName(snap, m), p.Count("calls", len(rv.Sample[m]))))))
		}
		lines = append(lines, esc(p.T("weekly.review.hint")))
	}
	if rv.PrevWeek.IsZero() || len(rv.PrevSampled) == 0 {
		return lines
	}
	lines = append(lines, "", "<b>"+esc(p.T("weekly.review.prev_title", p.Date(rv.PrevWeek.In(time.UTC)), p.Date(rv.PrevWeek.AddDays(6).In(time.UTC))))+"</b>")
	tally := map[amo.UserID]checks.ReviewTally{}
	for _, t := range rv.PrevTallies {
		tally[t.Manager] = t
	}
	var prev []amo.UserID
	for m, n := range rv.PrevSampled {
		if n > 0 {
			prev = append(prev, m)
		}
	}
	for _, m := range byManagerName(snap, prev) {
		t := tally[m]
		line := p.T("weekly.review.tally", userName(snap, m), p.Number(t.Reviewed), p.Number(rv.PrevSampled[m]))
		if t.NotOK > 0 {
			line += ", " + p.T("weekly.review.not_ok", p.Number(t.NotOK))
		}
		lines = append(lines, bullet(esc(line)))
	}
	return lines
}

// LateDigest renders the digest like Digest, with the digest.late line under the header
// saying the data is as of at (shown in the account's time zone): for a digest sent after
// the bot or the CRM was down at its time.
func (r *Renderer) LateDigest(d checks.Digest, snap *amo.Snapshot, at time.Time, lang string) notify.Message {
	m := r.Digest(d, snap, lang)
	p := r.p(lang)
	late := esc(p.T("digest.late", p.DateTime(at.In(location(snap)))))
	head, rest, _ := strings.Cut(m.Text, "\n")
	m.Text = head + "\n" + late + "\n" + rest
	return m
}
