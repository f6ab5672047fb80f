package locales

import (
	"fmt"
	"maps"
	"slices"

	"golang.org/x/text/feature/plural"
	"golang.org/x/text/language"
)

// CLDR plural categories come from golang.org/x/text/feature/plural (the Go team's generated
// CLDR tables), never from hand-written rules.

var formNames = map[string]plural.Form{
	"zero": plural.Zero, "one": plural.One, "two": plural.Two,
	"few": plural.Few, "many": plural.Many, "other": plural.Other,
}

func formName(f plural.Form) string {
	for name, v := range formNames {
		if v == f {
			return name
		}
	}
	return fmt.Sprintf("form(%d)", f)
}

// cardinalForm returns the CLDR cardinal category of the integer n in the language.
func cardinalForm(tag language.Tag, n int) plural.Form {
	if n < 0 {
		n = -n
	}
	return plural.Cardinal.MatchPlural(tag, n, 0, 0, 0, 0)
}

// requiredForms lists, by name, the categories a plural entry of the language must define:
// every category an integer can fall into, plus "other" (CLDR's mandatory fallback, also the
// form of fractions). The probe covers 0..1099 and round numbers up to 10^9, which reaches
// every integer rule of CLDR (mod 10, mod 100, mod 1000 and the "millions" rules).
func requiredForms(tag language.Tag) []string {
	seen := map[string]bool{"other": true}
	probe := func(n int) { seen[formName(cardinalForm(tag, n))] = true }
	for n := range 1100 {
		probe(n)
	}
	for p := 10_000; p <= 1_000_000_000; p *= 10 {
		probe(p)
		probe(2 * p)
	}
	return slices.Sorted(maps.Keys(seen))
}
