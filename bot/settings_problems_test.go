package bot

import (
	"encoding/json"
	"testing"
	"time"

	"salesguard/amo"
	"salesguard/checks"
)

// leafPaths lists the dotted paths of a JSON document's leaves, as storage records changes
// (objects key by key, anything else as a whole).
func leafPaths(t *testing.T, prefix string, raw json.RawMessage) []string {
	t.Helper()
	var obj map[string]json.RawMessage
	if len(raw) == 0 || raw[0] != '{' || json.Unmarshal(raw, &obj) != nil {
		return []string{prefix}
	}
	var out []string
	for k, v := range obj {
		p := k
		if prefix != "" {
			p = prefix + "." + k
		}
		out = append(out, leafPaths(t, p, v)...)
	}
	return out
}

// TestEverySettingHasALabel: every setting the history or a problem may name has a label in
// the person's language, not its JSON path.
func TestEverySettingHasALabel(t *testing.T) {
	s := checks.DefaultSettings()
	ref := amo.StatusRef{PipelineID: 5, StatusID: 51}
	s.Disabled, s.Pipelines = []checks.RuleID{checks.R7}, []amo.PipelineID{5}
	s.Stages = checks.StageSettings{First: []amo.StatusRef{ref}, MissedCall: []amo.StatusRef{ref}}
	s.LossReasons = checks.ReasonSettings{CantReach: []amo.LossReasonID{70}, Other: []amo.LossReasonID{71}}
	s.Calendar.TimeZone, s.Calendar.Production = "Europe/Moscow", "RU"
	day := checks.Date{Year: 2026, Month: 5, Day: 1}
	s.Calendar.Holidays, s.Calendar.Workdays = []checks.Date{day}, []checks.Date{day.AddDays(1)}
	s.Calendar.Absences = []checks.Absence{{Manager: 1, From: day, To: day}}
	s.R4.Limits = []checks.StageLimit{{Stage: ref, Limit: checks.Duration(time.Hour)}}
	s.R10.Required = []checks.RequiredField{{Entity: amo.EntityLeads, Field: 80, From: ref}}
	s.Plan.Priority = []amo.StatusRef{ref}
	s.Schedule.DigestChat, s.Schedule.PublicRanking, s.Schedule.EscalationsOffHours = -100, true, true
	data, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	cat := mustCatalog(t)
	for _, path := range leafPaths(t, "", data) {
		for _, lang := range langs {
			if label := settingLabel(cat.Printer(lang), path); label == path || label == "" {
				t.Errorf("%s: %s has no label", lang, path)
			}
		}
	}
}

// Problems Validate reports on list items and weekdays are named by their list and day.
func TestProblemLabels(t *testing.T) {
	p := mustCatalog(t).Printer("ru")
	for path, want := range map[string]string{
		"disabled[1]":              "Правила вкл. и выкл.",
		"r4.limits[0].limit":       "Сроки на этапах",
		"r10.required[2].entity":   "Обязательные поля (R10)",
		"calendar.absences[0]":     "Отпуска и отсутствия",
		"calendar.week.2":          "вторник",
		"calendar.week":            "Рабочие часы",
		"r1.limit":                 "R1: время на взятие лида",
		"something.nobody.knows.x": "something.nobody.knows.x",
	} {
		if got := settingLabel(p, path); got != want {
			t.Errorf("settingLabel(%q) = %q, want %q", path, got, want)
		}
	}
	for path, want := range map[string]durationUnit{"r4.limits[0].limit": unitDays, "r1.limit": unitMinutes,
		"r7.trouble_max": unitSeconds, "r6.window": unitDays, "nothing": unitMinutes} {
		if got := settingUnit(path); got != want {
			t.Errorf("settingUnit(%q) = %d, want %d", path, got, want)
		}
	}
}
