package bot

import (
	"slices"

	"salesguard/amo"
	"salesguard/checks"
	"salesguard/notify"
)

// catchUpPerRule bounds the deals listed under each rule of a catch-up message.
const catchUpPerRule = 5

// CatchUp renders the one message a person gets when they start receiving alerts (they
// joined, were mapped to an amoCRM user, or became a head): the problems already open for
// them, grouped by rule with links to the deals. head picks the escalations' wording.
func (r *Renderer) CatchUp(fs []checks.Finding, snap *amo.Snapshot, head bool, lang string) notify.Message {
	p := r.p(lang)
	fs = slices.Clone(fs)
	checks.SortFindings(fs)
	header := "catchup.header.manager"
	if head {
		header = "catchup.header.head"
	}
	lines := []string{"<b>" + esc(p.N(header, len(fs))) + "</b>"}
	now := snapNow(snap)
	for i := 0; i < len(fs); {
		j := i
		for j < len(fs) && fs[j].Rule == fs[i].Rule {
			j++
		}
		lines = append(lines, "", "<b>"+esc(p.T("catchup.rule", p.T("rule."+string(fs[i].Rule)+".name"), j-i))+"</b>")
		for k, f := range fs[i:j] {
			if k == catchUpPerRule {
				lines = append(lines, esc(p.N("bot.list.more", j-i-k)))
				break
			}
			lines = append(lines, bullet(sentence(p, f, snap, now)))
		}
		i = j
	}
	lines = append(lines, "", esc(p.T("catchup.footer")))
	return notify.Message{Kind: notify.KindCatchUp, Text: joinBlock(lines)}
}
