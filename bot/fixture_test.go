package bot

import (
	"time"

	"salesguard/amo"
	"salesguard/checks"
	"salesguard/workset"
)

// fixtureNow is a Wednesday afternoon in UTC.
var fixtureNow = time.Date(2026, 3, 11, 15, 30, 0, 0, time.UTC)

// The deal whose name would break HTML if it were not escaped.
const hostileDeal = `<b>Acme</b> & "Co"`

func fixtureSnap() *amo.Snapshot {
	return &amo.Snapshot{
		TakenAt: fixtureNow,
		BaseURL: "https://acme.amocrm.ru",
		Account: amo.Account{ID: 7, Name: "Acme", TimeZone: "UTC"},
		Users: []amo.User{
			{ID: 1, Name: "Olga", IsActive: true},
			{ID: 2, Name: "Boris <boss>", IsActive: true},
			{ID: 3, Name: "Anna", IsActive: true},
		},
		Pipelines: []amo.Pipeline{{ID: 1, Name: "Sales", Statuses: []amo.Status{{ID: 1, PipelineID: 1, Name: "Missed call"}}}},
		Leads: []amo.Lead{
			{ID: 10, Name: hostileDeal, ResponsibleUserID: 1, StatusID: 1},
			{ID: 11, Name: "Beta", ResponsibleUserID: 2, StatusID: 1},
			{ID: 12, Name: "Gamma", ResponsibleUserID: 1, StatusID: 1},
			{ID: 13, Name: "Delta", ResponsibleUserID: 2, StatusID: amo.StatusLost},
			{ID: 14, Name: "Epsilon", ResponsibleUserID: 1, StatusID: amo.StatusLost},
			{ID: 15, Name: "Zeta", ResponsibleUserID: 3, StatusID: 1},
		},
	}
}

func fixtureFindings() []checks.Finding {
	fs := []checks.Finding{
		{Rule: checks.R1, Level: checks.LevelWarning, AccountID: 7, DealID: 12, ManagerID: 1, Kind: checks.KindNotTaken,
			Value: 25, Limit: 15, Unit: checks.UnitMinutes, DealName: "Gamma"},
		{Rule: checks.R1, Level: checks.LevelEscalation, AccountID: 7, DealID: 12, ManagerID: 1, Kind: checks.KindNotTaken,
			Value: 35, Limit: 15, Unit: checks.UnitMinutes, DealName: "Gamma"},
		{Rule: checks.R2, Level: checks.LevelWarning, AccountID: 7, DealID: 11, ManagerID: 2, DealName: "Beta"},
		{Rule: checks.R3, Level: checks.LevelWarning, AccountID: 7, DealID: 10, ManagerID: 1, Value: 1, Unit: checks.UnitCount,
			Due: fixtureNow.Add(-26 * time.Hour), DealName: hostileDeal, TaskText: "Call <back> & confirm"},
		{Rule: checks.R3, Level: checks.LevelWarning, AccountID: 7, DealID: 11, ManagerID: 2, Value: 3, Unit: checks.UnitCount,
			Due: fixtureNow.Add(-2 * time.Hour), DealName: "Beta", TaskText: "Send the quote"},
		{Rule: checks.R3, Level: checks.LevelWarning, AccountID: 7, DealID: 15, ManagerID: 3, Value: 1, Unit: checks.UnitCount,
			Due: fixtureNow.Add(-90 * time.Minute), DealName: "Zeta", TaskText: "Demo"},
		{Rule: checks.R4, Level: checks.LevelWarning, AccountID: 7, DealID: 11, ManagerID: 2, Value: 7.5, Limit: 5,
			Unit: checks.UnitDays, DealName: "Beta", Stage: amo.StatusRef{PipelineID: 1, StatusID: 1}},
		{Rule: checks.R5, Level: checks.LevelWarning, AccountID: 7, DealID: 13, ManagerID: 2, Kind: checks.KindNoReason,
			DealName: "Delta"},
		{Rule: checks.R6, Level: checks.LevelWarning, AccountID: 7, DealID: 14, ManagerID: 1, Kind: checks.KindUnjustifiedClosure,
			Value: 4, Limit: 15, Unit: checks.UnitCount, DealName: "Epsilon"},
		{Rule: checks.R6, Level: checks.LevelEscalation, AccountID: 7, DealID: 14, ManagerID: 1, Kind: checks.KindUnjustifiedClosure,
			Value: 4, Limit: 15, Unit: checks.UnitCount, DealName: "Epsilon"},
		{Rule: checks.R6, Level: checks.LevelWarning, AccountID: 7, DealID: 12, ManagerID: 1, Kind: checks.KindNoAttemptToday,
			Limit: 1, Unit: checks.UnitCount, DealName: "Gamma", Stage: amo.StatusRef{PipelineID: 1, StatusID: 1}},
		{Rule: checks.RuleDataHealth, Level: checks.LevelDataHealth, AccountID: 7, Kind: checks.KindNoCallData,
			Extra: 7},
	}
	checks.SortFindings(fs)
	return fs
}

func fixtureSource() *fakeSource {
	snap := fixtureSnap()
	fs := fixtureFindings()
	day := checks.DateOf(fixtureNow)
	today := checks.Table(fs, day)
	yesterday := []checks.TableRow{{Day: day.AddDays(-1), Manager: 2, Rule: checks.R3, Count: 5}}
	week := []checks.TableRow{
		{Day: day.AddDays(-2), Manager: 1, Rule: checks.R3, Count: 2},
		{Day: day.AddDays(-3), Manager: 2, Rule: checks.R2, Count: 4},
	}
	item := func(id amo.TaskID, text string, till time.Time, deal *amo.Lead) checks.PlanItem {
		it := checks.PlanItem{Manager: 1, TaskID: id, Text: text, Till: till}
		if deal != nil {
			it.DealID, it.DealName = deal.ID, deal.Name
			it.Stage = amo.StatusRef{PipelineID: 1, StatusID: deal.StatusID}
		}
		return it
	}
	at := func(h int) time.Time { return time.Date(2026, 3, 11, h, 0, 0, 0, time.UTC) }
	return &fakeSource{
		snap:     snap,
		findings: fs,
		settings: checks.Settings{Calendar: checks.CalendarSettings{
			Week:     [7]checks.DayHours{3: {Start: 9 * 60, End: 18 * 60}, 4: {Start: 10 * 60, End: 18 * 60}},
			Absences: []checks.Absence{{Manager: 2, From: day.AddDays(5), To: day.AddDays(12)}, {Manager: 3, From: day.AddDays(-20), To: day.AddDays(-10)}},
		}},
		digest: checks.BuildDigest(day, today, yesterday, week, fs, workset.FromSnapshot(snap)),
		plans: []checks.ManagerPlan{
			{Manager: 1, Total: 9 * time.Minute, Items: []checks.PlanItem{
				overdue(item(1, "Overdue <call>", time.Date(2026, 3, 9, 11, 0, 0, 0, time.UTC), &snap.Leads[0])),
				item(2, "Send the invoice", at(10), &snap.Leads[2]),
				item(3, "Free task", at(16), nil),
			}},
			{Manager: 2, Total: 3 * time.Minute, Items: []checks.PlanItem{manager(2, item(4, "Call", at(12), &snap.Leads[1]))}},
		},
		review: map[amo.UserID][]checks.ReviewCall{
			1: {{NoteID: 5, DealID: 12, ManagerID: 1, Duration: 95 * time.Second, Link: "https://rec.example/5.mp3"}},
			2: {{NoteID: 6, DealID: 11, ManagerID: 2, Duration: 70 * time.Second, Link: "javascript:alert(1)"}},
		},
	}
}

func overdue(it checks.PlanItem) checks.PlanItem { it.Overdue = true; return it }

func manager(m amo.UserID, it checks.PlanItem) checks.PlanItem { it.Manager = m; return it }
