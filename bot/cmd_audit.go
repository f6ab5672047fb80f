package bot

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	tele "gopkg.in/telebot.v3"

	"salesguard/amo"
	"salesguard/checks"
	"salesguard/notify"
)

// uniqVerdict is the callback unique of the audit buttons; data "<o|v>:<yyyymmdd>:<deal id>".
const uniqVerdict = "aud"

const (
	// auditDays is how many days back a sample may still be judged (a head reviews yesterday's
	// sample in the morning).
	auditDays = 7
	// maxCommentLen caps a verdict's comment (in characters).
	maxCommentLen = 1000
)

// Verdict is a head's judgement of one deal of a day's audit sample (R13). A violation counts
// in the daily table as an R13 violation of the deal's manager.
type Verdict struct {
	Day     checks.Date
	DealID  amo.LeadID
	Manager amo.UserID
	OK      bool
	Comment string
	By      int64 // Telegram id of the reviewer
	At      time.Time
}

// onAudit shows today's audit sample, one message per manager the person sees, each deal with
// "OK" and "violation" buttons.
func (b *Bot) onAudit(c tele.Context, p Person) error {
	day := b.today(p.Account)
	sample, err := b.src.AuditSample(p.Account, day)
	if err != nil {
		return fmt.Errorf("audit sample of %s: %w", p.Account, err)
	}
	vs, err := b.store.In(p.Account).Verdicts(day, day)
	if err != nil {
		return fmt.Errorf("audit verdicts: %w", err)
	}
	snap := b.src.Snapshot(p.Account)
	pr := b.printer(p, c)
	var managers []amo.UserID
	for m, deals := range sample {
		if p.Sees(m) && len(deals) > 0 {
			managers = append(managers, m)
		}
	}
	if len(managers) == 0 {
		return b.say(c, p, "bot.audit.empty")
	}
	slices.SortFunc(managers, func(a, b amo.UserID) int {
		return cmp.Or(strings.Compare(strings.ToLower(userName(snap, a)), strings.ToLower(userName(snap, b))), cmp.Compare(a, b))
	})
	head := "<b>" + esc(pr.T("bot.audit.header", pr.Date(day.In(time.UTC)))) + "</b>\n" + esc(pr.T("bot.audit.hint"))
	if err := reply(c, b.headed(c, p, pr, head), nil); err != nil {
		return err
	}
	for _, m := range managers {
		text, rows := auditBlock(pr, snap, b.dealNames(p.Account), day, m, sample[m], vs)
		if err := reply(c, text, rows); err != nil {
			return err
		}
	}
	return nil
}

// auditBlock renders one manager's sampled deals with their verdicts so far and the buttons.
func auditBlock(pr Printer, snap *amo.Snapshot, name func(amo.LeadID) string, day checks.Date, m amo.UserID, deals []amo.LeadID, vs []Verdict) (string, [][]notify.Button) {
	lines := []string{"<b>" + esc(userName(snap, m)) + "</b>"}
	var rows [][]notify.Button
	for i, id := range deals {
		n := strconv.Itoa(i + 1)
		mark := esc(pr.T("bot.audit.pending"))
		for _, v := range vs {
			if v.Day == day && v.DealID == id {
				switch {
				case v.OK:
					mark = esc(pr.T("bot.audit.ok"))
				case v.Comment != "":
					mark = esc(pr.T("bot.audit.violation_comment", v.Comment))
				default:
					mark = esc(pr.T("bot.audit.violation"))
				}
			}
		}
		lines = append(lines, n+". "+dealLink(snap, id, name(id))+" — "+mark)
		data := ":" + dayCode(day) + ":" + strconv.FormatInt(int64(id), 10)
		rows = append(rows, []notify.Button{
			{Text: n + " " + pr.T("bot.audit.button.ok"), Unique: uniqVerdict, Data: "o" + data},
			{Text: n + " " + pr.T("bot.audit.button.violation"), Unique: uniqVerdict, Data: "v" + data},
		})
	}
	return joinLines(lines...), rows
}

// parseVerdictData reads "<o|v>:<yyyymmdd>:<deal id>" strictly.
func parseVerdictData(data string) (ok bool, day checks.Date, deal amo.LeadID, valid bool) {
	parts := strings.Split(data, ":")
	if len(parts) != 3 || (parts[0] != "o" && parts[0] != "v") {
		return false, checks.Date{}, 0, false
	}
	day, okDay := parseDayCode(parts[1])
	id, err := strconv.ParseInt(parts[2], 10, 64)
	if !okDay || err != nil || id <= 0 {
		return false, checks.Date{}, 0, false
	}
	return parts[0] == "o", day, amo.LeadID(id), true
}

// onVerdict stores a head's verdict. The data is user input: the deal must be in the sample
// of that day (recomputed), of a manager the presser sees, within the last auditDays days.
// After "violation" the presser's next text message becomes the verdict's comment.
func (b *Bot) onVerdict(c tele.Context, p Person) error {
	ok, day, deal, valid := parseVerdictData(c.Data())
	if !valid || !isPrivate(c) || (p.Role != RoleHead && p.Role != RoleAdmin) {
		return c.Respond()
	}
	today := b.today(p.Account)
	if today.Before(day) || day.Before(today.AddDays(-auditDays)) {
		return c.Respond()
	}
	sample, err := b.src.AuditSample(p.Account, day)
	if err != nil {
		return fmt.Errorf("audit sample of %s: %w", p.Account, err)
	}
	var manager amo.UserID
	for m, deals := range sample {
		if slices.Contains(deals, deal) {
			manager = m
		}
	}
	if manager == 0 || !p.Sees(manager) {
		return c.Respond()
	}
	now := b.clock.Now()
	v := Verdict{Day: day, DealID: deal, Manager: manager, OK: ok, By: p.TelegramID, At: now}
	if err := b.store.In(p.Account).PutVerdict(v); err != nil {
		return fmt.Errorf("store verdict on deal %d: %w", deal, err)
	}
	notice := "bot.audit.saved"
	if !ok {
		b.inputs.set(p.TelegramID, await{account: p.Account, kind: awaitComment, verdict: v, until: now.Add(awaitTTL)})
		notice = "bot.audit.comment_prompt"
	}
	if err := b.respond(c, p, notice); err != nil {
		return err
	}
	return b.refreshAudit(c, p, day, manager, sample[manager])
}

// refreshAudit redraws the pressed manager's block with the new verdict.
func (b *Bot) refreshAudit(c tele.Context, p Person, day checks.Date, m amo.UserID, deals []amo.LeadID) error {
	if c.Message() == nil {
		return nil
	}
	vs, err := b.store.In(p.Account).Verdicts(day, day)
	if err != nil {
		return fmt.Errorf("audit verdicts: %w", err)
	}
	text, rows := auditBlock(b.printer(p, c), b.src.Snapshot(p.Account), b.dealNames(p.Account), day, m, deals, vs)
	if err := c.Edit(text, options(false, rows)); err != nil && !strings.Contains(err.Error(), "message is not modified") {
		return fmt.Errorf("redraw audit: %w", err)
	}
	return nil
}

// saveComment attaches a head's text to their violation verdict, unless the deal has been
// marked OK since.
func (b *Bot) saveComment(c tele.Context, p Person, v Verdict, text string) error {
	vs, err := b.store.In(p.Account).Verdicts(v.Day, v.Day)
	if err != nil {
		return fmt.Errorf("audit verdicts: %w", err)
	}
	idx := slices.IndexFunc(vs, func(x Verdict) bool { return x.DealID == v.DealID })
	if idx < 0 || vs[idx].OK {
		return b.onUnknown(c, p)
	}
	text = strings.TrimSpace(text)
	if utf8.RuneCountInString(text) > maxCommentLen {
		text = string([]rune(text)[:maxCommentLen])
	}
	v = vs[idx]
	v.Comment, v.By, v.At = text, p.TelegramID, b.clock.Now()
	if err := b.store.In(p.Account).PutVerdict(v); err != nil {
		return fmt.Errorf("store verdict comment on deal %d: %w", v.DealID, err)
	}
	return b.say(c, p, "bot.audit.comment_saved")
}

// dealNames looks deal names up in an account.
func (b *Bot) dealNames(account string) func(amo.LeadID) string {
	return func(id amo.LeadID) string { return b.src.DealName(account, id) }
}
