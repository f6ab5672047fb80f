package bot

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"time"

	tele "gopkg.in/telebot.v3"

	"salesguard/amo"
	"salesguard/checks"
	"salesguard/notify"
	"salesguard/report"
)

// uniqReport is the callback unique of the report's file buttons; data
// "<c|x|v>:<from yyyymmdd>:<to yyyymmdd>:<manager id, 0 = everyone the presser sees>".
const uniqReport = "rep"

// Report file kinds in callback data.
const (
	fileChart = "c"
	fileXLSX  = "x"
	fileCSV   = "v"
)

// zone is the account's time zone: the calendar's setting, else the snapshot's, else UTC.
func (b *Bot) zone(account string) *time.Location {
	if tz := b.src.Settings(account).Calendar.TimeZone; tz != "" {
		if loc, err := time.LoadLocation(tz); err == nil {
			return loc
		}
	}
	return location(b.src.Snapshot(account))
}

// today is the current day in the account's time zone.
func (b *Bot) today(account string) checks.Date {
	return checks.DateOf(b.clock.Now().In(b.zone(account)))
}

// onReport shows the daily table of a period: "/report [period] [manager]". A manager sees
// only themselves; a head only their team. Under the last message: the files, and a button
// per rule and per manager that opens the violations behind the count (the drill-down).
func (b *Bot) onReport(c tele.Context, p Person) error {
	pr, mgr, uerr := b.reportArgs(p, c.Message().Payload)
	if uerr != nil {
		return b.say(c, p, uerr.key, uerr.args...)
	}
	rows, err := b.reportRows(p, pr, mgr)
	if err != nil {
		return err
	}
	snap := b.src.Snapshot(p.Account)
	texts := reportText(b.printer(p, c), snap, pr, rows)
	if len(texts) > 0 {
		texts[0] = b.headed(c, p, b.printer(p, c), texts[0])
	}
	for i, text := range texts {
		var buttons [][]notify.Button
		if i == len(texts)-1 {
			buttons = append(b.reportButtons(b.printer(p, c), pr, mgr), reportDrillButtons(b.printer(p, c), snap, pr, mgr, rows)...)
		}
		if err := reply(c, text, buttons); err != nil {
			return err
		}
	}
	return nil
}

// reportArgs parses "[period] [manager]" for a person and resolves the manager they may see
// (0: everyone they see).
func (b *Bot) reportArgs(p Person, payload string) (period, amo.UserID, *userError) {
	fields := strings.Fields(payload)
	today := b.today(p.Account)
	var pr period
	if len(fields) > 0 && isPeriodWord(fields[0]) {
		var uerr *userError
		if pr, uerr = parsePeriod(fields[0], today); uerr != nil {
			return period{}, 0, uerr
		}
		fields = fields[1:]
	} else {
		pr = period{today, today}
	}
	var mgr amo.UserID
	if len(fields) > 0 {
		name := strings.Join(fields, " ")
		id, ok := findUser(b.src.Snapshot(p.Account), name)
		if !ok {
			return period{}, 0, &userError{key: "bot.report.bad_args", args: []any{name}}
		}
		mgr = id
	}
	if p.Role == RoleManager {
		if p.AmoUserID == 0 || (mgr != 0 && mgr != p.AmoUserID) {
			return period{}, 0, &userError{key: "bot.report.only_self"}
		}
		mgr = p.AmoUserID
	}
	if mgr != 0 && !p.Sees(mgr) {
		return period{}, 0, &userError{key: "bot.report.only_self"}
	}
	return pr, mgr, nil
}

// findUser resolves a manager by amoCRM id ("12" or "#12") or name (case-insensitive; a
// unique prefix is enough).
func findUser(snap *amo.Snapshot, s string) (amo.UserID, bool) {
	if snap == nil {
		return 0, false
	}
	if n, err := strconv.ParseInt(strings.TrimPrefix(s, "#"), 10, 64); err == nil {
		for _, u := range snap.Users {
			if int64(u.ID) == n {
				return u.ID, true
			}
		}
		return 0, false
	}
	var prefix []amo.UserID
	for _, u := range snap.Users {
		name := strings.TrimSpace(u.Name)
		if strings.EqualFold(name, s) {
			return u.ID, true
		}
		if len(s) >= 2 && strings.HasPrefix(strings.ToLower(name), strings.ToLower(s)) {
			prefix = append(prefix, u.ID)
		}
	}
	if len(prefix) == 1 {
		return prefix[0], true
	}
	return 0, false
}

// reportRows collects the table of a period: the stored days, today's live table when today
// is not stored yet, the audit verdicts marked "violation" as R13 and the sampled calls judged
// not OK as R7 (tallyOf); only the managers the person sees (and mgr, when set).
func (b *Bot) reportRows(p Person, pr period, mgr amo.UserID) ([]checks.TableRow, error) {
	t, err := b.tallyOf(p, pr, tallyQuery{verdicts: true, manager: mgr})
	if err != nil {
		return nil, fmt.Errorf("report: %w", err)
	}
	return t.rows, nil
}

// reportButtons offers the chart and the files of the shown report.
func (b *Bot) reportButtons(pr Printer, per period, mgr amo.UserID) [][]notify.Button {
	data := func(kind string) string {
		return kind + ":" + dayCode(per.from) + ":" + dayCode(per.to) + ":" + strconv.FormatInt(int64(mgr), 10)
	}
	return [][]notify.Button{{
		{Text: pr.T("bot.report.button.chart"), Unique: uniqReport, Data: data(fileChart)},
		{Text: "XLSX", Unique: uniqReport, Data: data(fileXLSX)},
		{Text: "CSV", Unique: uniqReport, Data: data(fileCSV)},
	}}
}

// parseReportData reads a file button's data strictly.
func parseReportData(data string) (kind string, pr period, mgr amo.UserID, ok bool) {
	parts := strings.Split(data, ":")
	if len(parts) != 4 || (parts[0] != fileChart && parts[0] != fileXLSX && parts[0] != fileCSV) {
		return "", period{}, 0, false
	}
	from, ok1 := parseDayCode(parts[1])
	to, ok2 := parseDayCode(parts[2])
	id, err := strconv.ParseInt(parts[3], 10, 64)
	if !ok1 || !ok2 || err != nil || id < 0 || to.Before(from) {
		return "", period{}, 0, false
	}
	pr = period{from, to}
	if pr.days() > maxReportDays {
		return "", period{}, 0, false
	}
	return parts[0], pr, amo.UserID(id), true
}

// onReportFile sends the chart (a photo), the XLSX or the CSV of a report. The data is user
// input: the period and the manager are checked again against what the presser may see.
func (b *Bot) onReportFile(c tele.Context, p Person) error {
	kind, pr, mgr, ok := parseReportData(c.Data())
	if !ok || !isPrivate(c) {
		return c.Respond()
	}
	if p.Role == RoleManager && (p.AmoUserID == 0 || mgr != p.AmoUserID) || mgr != 0 && !p.Sees(mgr) {
		return c.Respond()
	}
	// The workbook lists the violations behind the counts too (its findings sheet).
	tl, err := b.tallyOf(p, pr, tallyQuery{verdicts: true, items: kind == fileXLSX, manager: mgr})
	if err != nil {
		return fmt.Errorf("report file: %w", err)
	}
	if err := c.Respond(); err != nil {
		return err
	}
	lang := langOf(p, c)
	lp := b.cat.Printer(lang)
	snap := b.src.Snapshot(p.Account)
	t := report.Table{From: pr.from, To: pr.to, Rows: tl.rows, Managers: managerNames(snap, tl.rows),
		Findings: findingRows(snap, tl.items)}
	name := "report-" + pr.from.String() + "-" + pr.to.String()
	caption := esc(lp.T("bot.report.caption", lp.Date(pr.from.In(time.UTC)), lp.Date(pr.to.In(time.UTC))))
	var what any
	switch kind {
	case fileChart:
		data, err := report.Chart(t, lp, report.ByManager)
		if err != nil {
			return fmt.Errorf("report chart: %w", err)
		}
		what = &tele.Photo{File: tele.FromReader(bytes.NewReader(data)), Caption: caption}
	case fileXLSX:
		data, err := report.XLSX(t, lp)
		if err != nil {
			return fmt.Errorf("report xlsx: %w", err)
		}
		what = &tele.Document{File: tele.FromReader(bytes.NewReader(data)), Caption: caption, FileName: name + ".xlsx",
			MIME: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
	default:
		data, err := report.CSV(t, lp)
		if err != nil {
			return fmt.Errorf("report csv: %w", err)
		}
		what = &tele.Document{File: tele.FromReader(bytes.NewReader(data)), Caption: caption, FileName: name + ".csv",
			MIME: "text/csv"}
	}
	if _, err := c.Bot().Send(c.Chat(), what, &tele.SendOptions{ParseMode: tele.ModeHTML}); err != nil {
		return fmt.Errorf("send report file: %w", err)
	}
	return nil
}

// managerNames names the managers of the rows from the snapshot.
func managerNames(snap *amo.Snapshot, rows []checks.TableRow) map[amo.UserID]string {
	out := map[amo.UserID]string{}
	for _, r := range rows {
		out[r.Manager] = userName(snap, r.Manager)
	}
	return out
}
