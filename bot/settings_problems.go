package bot

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"salesguard/checks"
)

// settingLabels name the settings that are not typed fields (toggles and lists picked in the
// menu), as validation problems and the history show them.
var settingLabels = map[string]string{
	"disabled":                       "bot.settings.section.rl",
	"pipelines":                      "bot.settings.section.pl",
	"stages.first":                   "bot.settings.stages.first",
	"stages.missed_call":             "bot.settings.stages.missed_call",
	"loss_reasons.cant_reach":        "bot.settings.f.loss_reasons.cant_reach",
	"loss_reasons.other":             "bot.settings.f.loss_reasons.other",
	"calendar.week":                  "bot.settings.f.calendar.week",
	"calendar.production":            "bot.settings.f.calendar.production",
	"r4.limits":                      "bot.settings.section.lim",
	"r4.by_name":                     "bot.settings.limits.by_name",
	"r6.message_after_miss":          "bot.settings.f.r6.message_after_miss",
	"r10.required":                   "bot.settings.section.rq",
	"r10.from_amo":                   "bot.settings.f.r10.from_amo",
	"r10.checkbox":                   "bot.settings.label.r10.checkbox",
	"plan.priority":                  "bot.settings.section.pri",
	"schedule.public_ranking":        "bot.settings.f.schedule.public_ranking",
	"schedule.escalations_off_hours": "bot.settings.f.schedule.escalations_off_hours",
}

// basePath drops the list index and what follows it: "r4.limits[0].limit" → "r4.limits".
func basePath(path string) string {
	if i := strings.IndexByte(path, '['); i >= 0 {
		return path[:i]
	}
	return path
}

// settingLabel names a setting path in the person's language: a typed field by its label, a
// list item by its list ("disabled[1]" is the rules on and off); an unknown path stays as is.
func settingLabel(p Printer, path string) string {
	if _, ok := fieldByPath(path); ok {
		return fieldLabel(p, path)
	}
	base := basePath(path)
	if _, ok := fieldByPath(base); ok {
		return fieldLabel(p, base)
	}
	if key, ok := settingLabels[base]; ok {
		return p.T(key)
	}
	return path
}

// settingUnit is the unit a duration setting is shown in (R4's limits are in days; minutes
// when the path names no duration field).
func settingUnit(path string) durationUnit {
	if strings.HasPrefix(path, "r4.") {
		return unitDays
	}
	if f, ok := fieldByPath(basePath(path)); ok {
		if d, ok := f.ptr(&checks.Settings{}).(durationField); ok {
			return d.unit
		}
	}
	return unitMinutes
}

// problemsOf unpacks Validate's error.
func problemsOf(err error) []checks.Problem {
	var se *checks.SettingsError
	if errors.As(err, &se) {
		return slices.Clone(se.Problems)
	}
	return nil
}

// newProblems returns the problems of next that cur does not already have, so a setting that
// was invalid before does not block changing another one.
func newProblems(cur, next checks.Settings) []checks.Problem {
	before, after := problemsOf(cur.Validate()), problemsOf(next.Validate())
	return slices.DeleteFunc(after, func(p checks.Problem) bool {
		return slices.ContainsFunc(before, func(q checks.Problem) bool {
			return p.Setting == q.Setting && p.Key == q.Key && p.Value == q.Value
		})
	})
}

// problemLines renders problems for the admin wholly in their language: the setting's label,
// the value found and what is allowed. Values are plain text, escaped here.
func problemLines(p Printer, ps []checks.Problem) []string { return renderProblems(p, ps, false) }

// fileProblemLines renders the problems of an imported file, naming each setting by its label
// and its JSON path too, for someone editing the file.
func fileProblemLines(p Printer, ps []checks.Problem) []string { return renderProblems(p, ps, true) }

func renderProblems(p Printer, ps []checks.Problem, withPath bool) []string {
	out := make([]string, 0, min(len(ps), maxProblemsShown)+1)
	for i, pr := range ps {
		if i == maxProblemsShown {
			out = append(out, esc(p.N("bot.settings.more_problems", len(ps)-i)))
			break
		}
		out = append(out, bullet(esc(problemText(p, pr, withPath))))
	}
	return out
}

// problemText is one problem in words.
func problemText(p Printer, pr checks.Problem, withPath bool) string {
	label := settingLabel(p, pr.Setting)
	if withPath {
		label = settingRef(p, pr.Setting)
	}
	unit := settingUnit(pr.Setting)
	args := make([]any, 0, len(pr.Args))
	for _, a := range pr.Args {
		args = append(args, problemArg(p, unit, a))
	}
	want := p.T("bot.settings.want."+pr.Key, args...)
	if pr.Found == nil {
		return p.T("bot.settings.problem.none", label, want)
	}
	return p.T("bot.settings.problem", label, problemArg(p, unit, pr.Found), want)
}

// problemArg writes a value or a limit of a problem the way the settings show values.
func problemArg(p Printer, unit durationUnit, a any) string {
	switch x := a.(type) {
	case checks.Duration:
		return showDuration(p, x, unit)
	case float64:
		return showNumber(p, x)
	case int:
		return strconv.Itoa(x)
	case checks.SettingRef:
		return settingLabel(p, string(x))
	case []string:
		return strings.Join(x, ", ")
	}
	return fmt.Sprint(a)
}
