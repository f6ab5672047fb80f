package bot

import (
	"strings"
	"testing"
	"time"

	"salesguard/amo"
	"salesguard/checks"
	"salesguard/notify"
)

// alertCase is one kind of alert message: a rule, a level and a kind, with the numbers the
// message quotes (the value, the limit, counts).
type alertCase struct {
	name string
	f    checks.Finding
}

// everyAlert returns one finding of every alert the service sends (every rule, level and kind
// an alert exists for), on the fixture's hostile deal, with distinct numbers so a golden file
// shows which number went where.
func everyAlert(snap *amo.Snapshot) []alertCase {
	base := func(rule checks.RuleID, level checks.Level, kind string) checks.Finding {
		return checks.Finding{Rule: rule, Level: level, Kind: kind, DealID: 10, DealName: hostileDeal, ManagerID: 1,
			Scope: checks.Scope{Kind: checks.ScopeDeal, ID: 10}, Due: fixtureNow.Add(-150 * time.Minute)}
	}
	with := func(f checks.Finding, value, limit float64, unit checks.Unit) checks.Finding {
		f.Value, f.Limit, f.Unit = value, limit, unit
		return f
	}
	stage := amo.StatusRef{PipelineID: 1, StatusID: 1}
	r3 := base(checks.R3, checks.LevelWarning, "")
	r3.Value, r3.TaskText = 1, "Call <back>"
	r3n := r3
	r3n.Value = 3
	r4 := with(base(checks.R4, checks.LevelWarning, ""), 6, 5, checks.UnitDays)
	r4.Stage = stage
	r4w := with(base(checks.R4, checks.LevelWarning, ""), 61, 60, checks.UnitMinutes)
	r4w.Stage = stage
	r6 := with(base(checks.R6, checks.LevelWarning, checks.KindUnjustifiedClosure), 4, 15, checks.UnitCount)
	r6.Count, r6.Extra, r6.Failed = 4, 1, 3
	r6e := r6
	r6e.Level = checks.LevelEscalation
	r6t := base(checks.R6, checks.LevelWarning, checks.KindNoAttemptToday)
	r6t.Stage = stage
	r5c := with(base(checks.R5, checks.LevelWarning, checks.KindCantReachContradicted), 95, 60, checks.UnitSeconds)
	r5ce := r5c
	r5ce.Level = checks.LevelEscalation
	r7f := with(base(checks.R7, checks.LevelWarning, checks.KindFakedActivity), 6, 5, checks.UnitCount)
	r7t := with(base(checks.R7, checks.LevelWarning, checks.KindTelephonyTrouble), 4, 3, checks.UnitCount)
	r7t.Extra = 4
	r8e := base(checks.R8, checks.LevelWarning, checks.KindEmptyResult)
	r8e.TaskText = "Send the offer"
	r8t := r8e
	r8t.Kind, r8t.Result = checks.KindTrivialResult, "ok"
	r9 := with(base(checks.R9, checks.LevelWarning, checks.KindNoComment), 125, 30, checks.UnitSeconds)
	r9.Link = "https://rec.example/9.mp3"
	r10 := base(checks.R10, checks.LevelWarning, checks.KindMissingFields)
	r10.Fields = []amo.FieldID{501, 502}
	r12 := base(checks.R12, checks.LevelWarning, "")
	r12.Stage = stage
	dh := with(base(checks.RuleDataHealth, checks.LevelDataHealth, checks.KindNoCallData), 0, 0, checks.UnitNone)
	dh.DealID, dh.DealName, dh.ManagerID, dh.Extra = 0, "", 0, 3
	dhm := dh
	dhm.Kind, dhm.ManagerID = checks.KindNoCallDataManager, 2
	return []alertCase{
		{"R1 warning (22 of 15 min)", with(base(checks.R1, checks.LevelWarning, checks.KindNotTaken), 22, 15, checks.UnitMinutes)},
		{"R1 escalation (31 of 15 min)", with(base(checks.R1, checks.LevelEscalation, checks.KindNotTaken), 31, 15, checks.UnitMinutes)},
		{"R1 director (61 of 15 min)", with(base(checks.R1, checks.LevelEscalation, checks.KindDirector), 61, 15, checks.UnitMinutes)},
		{"R2 warning", base(checks.R2, checks.LevelWarning, "")},
		{"R3 warning (one task, 2 h 30 min)", r3},
		{"R3 warning (3 tasks)", r3n},
		{"R4 warning (6 of 5 days)", r4},
		{"R4 warning (61 of 60 working minutes)", r4w},
		{"R5 warning, no reason", base(checks.R5, checks.LevelWarning, checks.KindNoReason)},
		{"R5 warning, other without a note (24 h)", with(base(checks.R5, checks.LevelWarning, checks.KindOtherWithoutNote), 0, 24, checks.UnitHours)},
		{"R5 warning, can't reach contradicted (95 s)", r5c},
		{"R5 escalation, can't reach contradicted (95 s)", r5ce},
		{"R6 warning, unjustified closure (4 of 15)", r6},
		{"R6 escalation, unjustified closure (4 of 15)", r6e},
		{"R6 warning, no attempt today", r6t},
		{"R7 warning, faked activity (6 short calls)", r7f},
		{"R7 warning, telephony trouble (4 calls)", r7t},
		{"R8 warning, empty result", r8e},
		{"R8 warning, trivial result", r8t},
		{"R9 warning (125 s call)", r9},
		{"R10 warning (2 fields)", r10},
		{"R11 warning (45 of 30 days)", with(base(checks.R11, checks.LevelWarning, ""), 45, 30, checks.UnitDays)},
		{"R12 warning", r12},
		{"R13 info, audit", base(checks.R13, checks.LevelInfo, checks.KindAudit)},
		{"DATA no call data (3 days)", dh},
		{"DATA no call data of a manager (3 days)", dhm},
	}
}

// TestEveryAlertGolden renders every alert kind and level, its reminder (escalations) and its
// "fixed" edit, in three languages, into one golden file per language: a text that reads
// wrong, a number in the wrong place or a key missing in one language shows in the diff.
func TestEveryAlertGolden(t *testing.T) {
	r := NewRenderer(mustCatalog(t))
	src := fixtureSource()
	src.snap.CustomFields = append(src.snap.CustomFields,
		amo.CustomField{ID: 501, Name: "Budget", EntityType: amo.EntityLeads}, amo.CustomField{ID: 502, Name: "City", EntityType: amo.EntityLeads})
	src.snap.TakenAt = fixtureNow
	for _, lang := range langs {
		t.Run(lang, func(t *testing.T) {
			var b strings.Builder
			for _, c := range everyAlert(src.snap) {
				var m notify.Message
				if c.f.Rule == checks.RuleDataHealth {
					m = r.DataHealth([]checks.Finding{c.f}, src.snap, lang)
				} else {
					m = r.Alert(c.f, src.snap, lang)
				}
				b.WriteString("=== " + c.name + "\n" + showMessage(m))
				if strings.Contains(m.Text, "alert.") || strings.Contains(m.Text, "%!") || strings.Contains(m.Text, " — "+ruleName(r.p(lang), c.f.Rule)) {
					t.Errorf("%s: a key or a format error in the text: %s", c.name, m.Text)
				}
				if strings.Contains(m.Text, hostileDeal) {
					t.Errorf("%s: the deal name is not escaped", c.name)
				}
				if c.f.Level == checks.LevelEscalation {
					b.WriteString("--- reminder ---\n" + showMessage(r.Reminder(c.f, src.snap, lang)))
				}
				if c.f.Rule != checks.RuleDataHealth && c.f.Rule != checks.R13 {
					b.WriteString("--- fixed ---\n" + showMessage(r.Fixed(c.f, src.snap, lang, notify.SentRef{ChatID: 300, MessageID: 9})))
				}
				b.WriteString("\n")
			}
			golden(t, "alerts_every."+lang, b.String())
		})
	}
}
