package bot

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestCatalogHasEveryKeyUsed checks the literal keys of the report, audit, funnel and
// settings code, and the keys built from the settings fields, in every language.
func TestCatalogHasEveryKeyUsed(t *testing.T) {
	re := regexp.MustCompile(`"(bot\.(?:report|audit|funnel|settings|cmd)\.[a-z0-9_.]*[a-z0-9_]|accounts\.[a-z0-9_.]*[a-z0-9_])"`)
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	keys := map[string]bool{}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range re.FindAllStringSubmatch(string(src), -1) {
			keys[m[1]] = true
		}
	}
	for _, fs := range [][]field{thresholdFields, calendarFields, scheduleFields} {
		for _, f := range fs {
			if !strings.HasPrefix(f.path, "calendar.week.") {
				keys["bot.settings.f."+f.path] = true
			}
		}
	}
	for _, sec := range []string{"pl", "lim", "sp", "lr", "cal", "thr", "rl", "sch", "h", "x"} {
		keys["bot.settings.section."+sec] = true
	}
	for _, cmd := range (&Bot{}).commands() {
		keys["bot.cmd."+cmd.name] = true
	}
	cat := mustCatalog(t)
	for _, lang := range langs {
		p := cat.Printer(lang)
		for k := range keys {
			if !p.Has(k) {
				t.Errorf("%s: missing %s", lang, k)
			}
		}
	}
}
