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

// Weekly renders the weekly report of from..to: the week's total, the ranking of the managers
// (best first) and the violations by rule from d (a digest built over the week's rows), then
// the explanations given for deals lost with the "other" reason (each with its first deal and
// how many more gave it), so the head can add new loss reasons. The ranking's change is
// against d's Yesterday, which for a weekly digest the app fills with the week before. The app attaches the week's chart. Every CRM string is escaped.
func (r *Renderer) Weekly(d checks.Digest, from, to checks.Date, others []checks.OtherText, snap *amo.Snapshot, lang string) notify.Message {
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
	return notify.Message{Kind: notify.KindWeekly, Text: joinBlock(lines)}
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
