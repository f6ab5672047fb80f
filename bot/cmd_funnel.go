package bot

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	tele "gopkg.in/telebot.v3"

	"salesguard/amo"
	"salesguard/checks"
	"salesguard/locales"
)

// funnelMoves is how many onward moves each stage lists (the most frequent).
const funnelMoves = 3

// onFunnel shows, for the last 7 ("week", the default) or 30 ("month") days, the average
// time deals spent in each stage of the watched pipelines and where they went next.
func (b *Bot) onFunnel(c tele.Context, p Person) error {
	days := 7
	arg := strings.TrimSpace(c.Message().Payload)
	switch periodWord(arg) {
	case periodWeek:
	case periodMonth:
		days = 30
	default:
		if arg != "" {
			return b.say(c, p, "bot.funnel.bad_period", arg)
		}
	}
	loc := b.zone(p.Account)
	now := b.clock.Now()
	fromDay := checks.DateOf(now.In(loc)).AddDays(-(days - 1))
	fs, err := b.src.Funnel(p.Account, fromDay.In(loc), now)
	if err != nil {
		return fmt.Errorf("funnel of %s: %w", p.Account, err)
	}
	text := b.headed(c, p, b.printer(p, c), funnelText(b.cat.Printer(langOf(p, c)), b.src.Snapshot(p.Account), fs, fromDay.In(loc), now.In(loc)))
	for _, part := range splitText(text, reportMessageLimit) {
		if err := reply(c, part, nil); err != nil {
			return err
		}
	}
	return nil
}

// funnelText renders the stages by pipeline: average time, moves in and out, deals there now,
// and each stage's most frequent next stages with their share of its exits.
func funnelText(p *locales.Printer, snap *amo.Snapshot, fs checks.FunnelStats, from, to time.Time) string {
	lines := []string{"<b>" + esc(p.T("bot.funnel.header", p.Date(from), p.Date(to))) + "</b>"}
	if len(fs.Stages) == 0 {
		return joinLines(append(lines, esc(p.T("bot.funnel.empty")))...)
	}
	next := map[amo.StatusRef][]checks.Transition{}
	for _, t := range fs.Transitions {
		next[t.From] = append(next[t.From], t)
	}
	var pipeline amo.PipelineID = -1
	for _, st := range fs.Stages {
		if st.Stage.PipelineID != pipeline {
			pipeline = st.Stage.PipelineID
			lines = append(lines, "", "<b>"+esc(pipelineName(snap, pipeline))+"</b>")
		}
		avg := "—"
		if st.Left > 0 {
			avg = p.Duration(st.AvgTime.Round(time.Minute))
		}
		lines = append(lines, bullet(esc(p.T("bot.funnel.stage", stageName(p, snap, st.Stage), avg,
			p.Number(st.Entered), p.Number(st.Left), p.Number(st.Now)))))
		moves := slices.Clone(next[st.Stage])
		slices.SortStableFunc(moves, func(a, b checks.Transition) int { return cmp.Compare(b.Count, a.Count) })
		for _, t := range moves[:min(len(moves), funnelMoves)] {
			share := 0.0
			if st.Left > 0 {
				share = float64(t.Count) / float64(st.Left)
			}
			lines = append(lines, "    "+esc(p.T("bot.funnel.move", stageName(p, snap, t.To), p.Number(t.Count), p.Percent(share))))
		}
	}
	return joinBlock(lines)
}

// pipelineName returns a pipeline's name, or "#id".
func pipelineName(snap *amo.Snapshot, id amo.PipelineID) string {
	if snap != nil {
		for _, pl := range snap.Pipelines {
			if pl.ID == id && strings.TrimSpace(pl.Name) != "" {
				return pl.Name
			}
		}
	}
	return "#" + strconv.FormatInt(int64(id), 10)
}

// stageName returns a stage's name; won and lost have catalog names when the snapshot has none.
func stageName(p Printer, snap *amo.Snapshot, r amo.StatusRef) string {
	if snap != nil {
		for _, pl := range snap.Pipelines {
			if pl.ID != r.PipelineID {
				continue
			}
			for _, st := range pl.Statuses {
				if st.ID == r.StatusID && strings.TrimSpace(st.Name) != "" {
					return st.Name
				}
			}
		}
	}
	switch r.StatusID {
	case amo.StatusWon:
		return p.T("bot.funnel.won")
	case amo.StatusLost:
		return p.T("bot.funnel.lost")
	}
	return "#" + strconv.FormatInt(int64(r.StatusID), 10)
}
