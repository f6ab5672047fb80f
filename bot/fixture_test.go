package bot

import (
	"time"

	"salesguard/amo"
	"salesguard/checks"
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
			Value: 25, Limit: 15, Unit: checks.UnitMinutes, Args: map[string]string{"deal": "Gamma"}},
		{Rule: checks.R1, Level: checks.LevelEscalation, AccountID: 7, DealID: 12, ManagerID: 1, Kind: checks.KindNotTaken,
			Value: 35, Limit: 15, Unit: checks.UnitMinutes, Args: map[string]string{"deal": "Gamma"}},
		{Rule: checks.R2, Level: checks.LevelWarning, AccountID: 7, DealID: 11, ManagerID: 2, Args: map[string]string{"deal": "Beta"}},
		{Rule: checks.R3, Level: checks.LevelWarning, AccountID: 7, DealID: 10, ManagerID: 1, Value: 1, Unit: checks.UnitCount,
			Due: fixtureNow.Add(-26 * time.Hour), Args: map[string]string{"deal": hostileDeal, "task": "Call <back> & confirm"}},
		{Rule: checks.R3, Level: checks.LevelWarning, AccountID: 7, DealID: 11, ManagerID: 2, Value: 3, Unit: checks.UnitCount,
			Due: fixtureNow.Add(-2 * time.Hour), Args: map[string]string{"deal": "Beta", "task": "Send the quote"}},
		{Rule: checks.R3, Level: checks.LevelWarning, AccountID: 7, DealID: 15, ManagerID: 3, Value: 1, Unit: checks.UnitCount,
			Due: fixtureNow.Add(-90 * time.Minute), Args: map[string]string{"deal": "Zeta", "task": "Demo"}},
		{Rule: checks.R4, Level: checks.LevelWarning, AccountID: 7, DealID: 11, ManagerID: 2, Value: 7.5, Limit: 5,
			Unit: checks.UnitDays, Args: map[string]string{"deal": "Beta", "stage": "Missed call"}},
		{Rule: checks.R5, Level: checks.LevelWarning, AccountID: 7, DealID: 13, ManagerID: 2, Kind: checks.KindNoReason,
			Args: map[string]string{"deal": "Delta"}},
		{Rule: checks.R6, Level: checks.LevelWarning, AccountID: 7, DealID: 14, ManagerID: 1, Kind: checks.KindUnjustifiedClosure,
			Value: 4, Limit: 15, Unit: checks.UnitCount},
		{Rule: checks.R6, Level: checks.LevelEscalation, AccountID: 7, DealID: 14, ManagerID: 1, Kind: checks.KindUnjustifiedClosure,
			Value: 4, Limit: 15, Unit: checks.UnitCount},
		{Rule: checks.R6, Level: checks.LevelWarning, AccountID: 7, DealID: 12, ManagerID: 1, Kind: checks.KindNoAttemptToday,
			Limit: 1, Unit: checks.UnitCount, Args: map[string]string{"stage": "Missed call"}},
		{Rule: checks.RuleDataHealth, Level: checks.LevelDataHealth, AccountID: 7, Kind: checks.KindNoCallData,
			Args: map[string]string{"window_days": "7"}},
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
	task := func(id amo.TaskID, text string, h int) amo.Task {
		return amo.Task{ID: id, Text: text, ResponsibleUserID: 1, CompleteTill: time.Date(2026, 3, 11, h, 0, 0, 0, time.UTC)}
	}
	deal := &snap.Leads[0]
	return &fakeSource{
		snap:     snap,
		findings: fs,
		settings: checks.Settings{Calendar: checks.CalendarSettings{
			Week:     [7]checks.DayHours{3: {Start: 9 * 60, End: 18 * 60}, 4: {Start: 10 * 60, End: 18 * 60}},
			Absences: []checks.Absence{{Manager: 2, From: day.AddDays(5), To: day.AddDays(12)}, {Manager: 3, From: day.AddDays(-20), To: day.AddDays(-10)}},
		}},
		digest: checks.BuildDigest(day, today, yesterday, week, fs, snap),
		plans: []checks.ManagerPlan{
			{Manager: 1, Total: 9 * time.Minute, Items: []checks.PlanItem{
				{Manager: 1, Task: amo.Task{ID: 1, Text: "Overdue <call>", CompleteTill: time.Date(2026, 3, 9, 11, 0, 0, 0, time.UTC)}, Deal: deal, Overdue: true},
				{Manager: 1, Task: task(2, "Send the invoice", 10), Deal: &snap.Leads[2]},
				{Manager: 1, Task: task(3, "Free task", 16)},
			}},
			{Manager: 2, Total: 3 * time.Minute, Items: []checks.PlanItem{{Manager: 2, Task: task(4, "Call", 12), Deal: &snap.Leads[1]}}},
		},
		review: map[amo.UserID][]checks.ReviewCall{
			1: {{NoteID: 5, DealID: 12, ManagerID: 1, Duration: 95 * time.Second, Link: "https://rec.example/5.mp3"}},
			2: {{NoteID: 6, DealID: 11, ManagerID: 2, Duration: 70 * time.Second, Link: "javascript:alert(1)"}},
		},
	}
}
