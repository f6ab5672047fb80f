package locales

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"maps"
	"slices"
	"strings"
	"testing"

	"golang.org/x/text/language"
)

// ruleIDs mirrors checks.AllRuleIDs plus checks.RuleDataHealth; hardcoded because locales
// imports nothing of ours.
var ruleIDs = []string{"R1", "R2", "R3", "R4", "R5", "R6", "R7", "R8", "R9", "R10", "R11", "R12", "R13", "DATA"}

// alertKinds lists every rule/kind the checks emit (shared/RULES.md, checks/finding.go).
var alertKinds = map[string][]string{
	"R1":   {"warning", "escalation"},
	"R2":   {"no_task"},
	"R3":   {"overdue"},
	"R4":   {"stale"},
	"R5":   {"no_reason", "other_without_note", "cant_reach_contradicted"},
	"R6":   {"unjustified_closure", "no_attempt_today"},
	"R7":   {"telephony_trouble", "faked_activity", "call_sample"},
	"R8":   {"empty_result", "trivial_result"},
	"R9":   {"no_comment"},
	"R10":  {"missing_fields"},
	"R11":  {"forgotten"},
	"R12":  {"unsorted"},
	"R13":  {"audit"},
	"DATA": {"no_call_data", "no_call_data_manager"},
}

func TestEveryKeyInEveryLanguageWithSamePlaceholders(t *testing.T) {
	c := mustLoad(t)
	en := c.Printer("en")
	for _, lang := range c.Languages() {
		p := c.Printer(lang)
		if len(p.msgs) != len(en.msgs) {
			t.Errorf("%s has %d keys, en has %d", lang, len(p.msgs), len(en.msgs))
		}
		for _, key := range c.Keys() {
			if !p.Has(key) {
				t.Errorf("%s: missing %s", lang, key)
				continue
			}
			got, err := checkEntry(p.msgs[key], nil)
			if err != nil {
				t.Errorf("%s: %s: %v", lang, key, err)
			}
			if want, _ := checkEntry(en.msgs[key], nil); got != want {
				t.Errorf("%s: %s: placeholders %q, en has %q", lang, key, got, want)
			}
		}
	}
}

func TestPluralEntriesHaveTheirLanguageCategories(t *testing.T) {
	wantForms := map[string][]string{
		"en": {"one", "other"},
		"es": {"one", "other"}, // CLDR 32 in x/text v0.41.0; newer CLDR adds "many" (millions)
		"ru": {"few", "many", "one", "other"},
	}
	c := mustLoad(t)
	for _, lang := range c.Languages() {
		got := requiredForms(language.Make(lang))
		if !slices.Equal(got, wantForms[lang]) {
			t.Errorf("%s: CLDR forms %v, want %v (did golang.org/x/text change CLDR?)", lang, got, wantForms[lang])
		}
		p := c.Printer(lang)
		for key, e := range p.msgs {
			if !e.isPlural() {
				continue
			}
			var names []string
			for f := range e.forms {
				names = append(names, formName(f))
			}
			if slices.Sort(names); !slices.Equal(names, got) {
				t.Errorf("%s: %s has categories %v, want %v", lang, key, names, got)
			}
		}
	}
}

func TestRulesHaveNameAndDescription(t *testing.T) {
	c := mustLoad(t)
	for _, lang := range c.Languages() {
		p := c.Printer(lang)
		for _, id := range ruleIDs {
			for _, key := range []string{"rule." + id + ".name", "rule." + id + ".desc"} {
				if !p.Has(key) || strings.TrimSpace(p.T(key)) == "" {
					t.Errorf("%s: %s is missing or empty", lang, key)
				}
			}
		}
	}
}

func TestAlertForEveryRuleKind(t *testing.T) {
	c := mustLoad(t)
	if got := slices.Sorted(maps.Keys(alertKinds)); len(got) != len(ruleIDs) {
		t.Fatalf("alertKinds covers %v, want every rule of %v", got, ruleIDs)
	}
	for _, lang := range c.Languages() {
		p := c.Printer(lang)
		for rule, kinds := range alertKinds {
			for _, kind := range kinds {
				if key := AlertKey(rule, kind); !p.Has(key) {
					t.Errorf("%s: missing %s", lang, key)
				}
			}
		}
		for _, level := range []string{"warning", "escalation", "info", "data_health"} {
			if !p.Has("level." + level) {
				t.Errorf("%s: missing level.%s", lang, level)
			}
		}
	}
}

// TestAlertFrame checks that alerts use only the documented frame (deal, manager, value,
// limit, extra as %[1]s…%[5]s), so the bot can render any finding with one call.
func TestAlertFrame(t *testing.T) {
	c := mustLoad(t)
	en := c.Printer("en")
	for _, key := range c.Keys() {
		if !strings.HasPrefix(key, "alert.R") && !strings.HasPrefix(key, "alert.DATA") {
			continue
		}
		e := en.msgs[key]
		sig, _ := checkEntry(e, nil)
		for _, part := range strings.Fields(sig) {
			n := part[2] - '0'
			limit := byte(5)
			if e.isPlural() {
				limit = 6
			}
			if part[len(part)-1] != 's' && !(e.isPlural() && part == "%[1]d") || n > limit || len(part) != 5 {
				t.Errorf("%s uses %s outside the alert frame", key, part)
			}
		}
	}
}

func TestCatalogFilesSortedAndTidy(t *testing.T) {
	files, err := fs.Glob(translations, "translations/*/*.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("glob: %v, %d files", err, len(files))
	}
	for _, file := range files {
		data, err := fs.ReadFile(translations, file)
		if err != nil {
			t.Fatal(err)
		}
		entries, err := parseFile(data)
		if err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		keys := make([]string, len(entries))
		for i, e := range entries {
			keys[i] = e.key
			texts := []string{e.entry.text}
			if e.entry.isPlural() {
				texts = slices.Collect(maps.Values(e.entry.forms))
			}
			for _, s := range texts {
				if s == "" || strings.TrimSpace(s) != s {
					t.Errorf("%s: %s: empty or padded text %q", file, e.key, s)
				}
			}
		}
		if !slices.IsSorted(keys) {
			t.Errorf("%s: keys are not sorted (run jq -S . %s)", file, file)
		}
		if !json.Valid(data) || !bytes.HasSuffix(data, []byte("\n")) {
			t.Errorf("%s: not valid JSON ending in a newline", file)
		}
	}
}
