package locales

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"path"
	"slices"
	"strings"

	"golang.org/x/text/feature/plural"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

// DefaultLanguage is the language of a Printer asked for an empty or unknown language.
const DefaultLanguage = "en"

//go:embed translations
var translations embed.FS // read-only data, not state

// entry is one message: a plain template, or plural forms keyed by CLDR category.
type entry struct {
	text  string
	forms map[plural.Form]string // nil for a plain message
}

func (e entry) isPlural() bool { return e.forms != nil }

// Catalog holds every message of every language. It is immutable after Load and safe for
// concurrent use; load it once at start and pass it (or its Printers) to whoever renders text.
type Catalog struct {
	printers map[string]*Printer
	keys     []string
}

// Load reads the embedded catalogs (translations/<lang>/*.json) and validates them. It fails,
// listing every problem, when a key is defined twice, a language lacks a key another one has,
// placeholders differ between languages, a verb has no explicit argument index, a plural entry
// lacks a category its language needs (or has one it never uses), or a text contains '<', '>'
// or '&' (texts are plain, so the bot can embed them in Telegram HTML).
func Load() (*Catalog, error) {
	return load(translations, "translations")
}

func load(fsys fs.FS, root string) (*Catalog, error) {
	dirs, err := fs.ReadDir(fsys, root)
	if err != nil {
		return nil, fmt.Errorf("read catalogs: %w", err)
	}
	langs := map[string]map[string]entry{}
	var errs []error
	for _, d := range dirs {
		if !d.IsDir() {
			continue
		}
		msgs, err := loadLanguage(fsys, path.Join(root, d.Name()))
		if err != nil {
			errs = append(errs, fmt.Errorf("language %s: %w", d.Name(), err))
			continue
		}
		langs[d.Name()] = msgs
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	if _, ok := langs[DefaultLanguage]; !ok {
		return nil, fmt.Errorf("catalogs: default language %q is missing", DefaultLanguage)
	}
	if err := validate(langs); err != nil {
		return nil, err
	}
	c := &Catalog{printers: map[string]*Printer{}, keys: slices.Sorted(maps.Keys(langs[DefaultLanguage]))}
	for lang, msgs := range langs {
		tag := language.Make(lang)
		c.printers[lang] = &Printer{lang: lang, tag: tag, msgs: msgs, num: message.NewPrinter(tag)}
	}
	return c, nil
}

// loadLanguage merges the JSON files of one language directory.
func loadLanguage(fsys fs.FS, dir string) (map[string]entry, error) {
	files, err := fs.Glob(fsys, path.Join(dir, "*.json"))
	if err != nil {
		return nil, fmt.Errorf("list %s: %w", dir, err)
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("no *.json files in %s", dir)
	}
	msgs := map[string]entry{}
	origin := map[string]string{}
	var errs []error
	for _, file := range files {
		data, err := fs.ReadFile(fsys, file)
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", file, err)
		}
		entries, err := parseFile(data)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", file, err))
			continue
		}
		for _, ke := range entries {
			if prev, dup := origin[ke.key]; dup {
				errs = append(errs, fmt.Errorf("key %q is defined in %s and %s", ke.key, prev, file))
				continue
			}
			origin[ke.key] = file
			msgs[ke.key] = ke.entry
		}
	}
	return msgs, errors.Join(errs...)
}

// validate checks every language against the default one and each entry on its own.
func validate(langs map[string]map[string]entry) error {
	var errs []error
	ref := langs[DefaultLanguage]
	for _, lang := range slices.Sorted(maps.Keys(langs)) {
		msgs := langs[lang]
		required := requiredForms(language.Make(lang))
		for _, key := range slices.Sorted(maps.Keys(msgs)) {
			sig, err := checkEntry(msgs[key], required)
			if err != nil {
				errs = append(errs, fmt.Errorf("%s: %s: %w", lang, key, err))
				continue
			}
			refEntry, ok := ref[key]
			if !ok {
				errs = append(errs, fmt.Errorf("%s: %s: key is missing in %s", lang, key, DefaultLanguage))
				continue
			}
			if refSig, _ := checkEntry(refEntry, nil); lang != DefaultLanguage && refSig != sig {
				errs = append(errs, fmt.Errorf("%s: %s: placeholders %q differ from %s %q", lang, key, sig, DefaultLanguage, refSig))
			}
			if refEntry.isPlural() != msgs[key].isPlural() {
				errs = append(errs, fmt.Errorf("%s: %s: plural in one language and plain in %s", lang, key, DefaultLanguage))
			}
		}
		for _, key := range slices.Sorted(maps.Keys(ref)) {
			if _, ok := msgs[key]; !ok {
				errs = append(errs, fmt.Errorf("%s: %s: key is missing (present in %s)", lang, key, DefaultLanguage))
			}
		}
	}
	return errors.Join(errs...)
}

// checkEntry validates one entry and returns its placeholder signature (the union over its
// plural forms). A nil required skips the plural-category check.
func checkEntry(e entry, required []string) (string, error) {
	texts := []string{e.text}
	if e.isPlural() {
		texts = slices.Collect(maps.Values(e.forms))
		if required != nil {
			if err := checkForms(e.forms, required); err != nil {
				return "", err
			}
		}
	}
	union := map[int]rune{}
	for _, s := range texts {
		if strings.ContainsAny(s, "<>&") {
			return "", errors.New("text contains '<', '>' or '&'; keep markup out of catalogs")
		}
		ph, err := placeholders(s)
		if err != nil {
			return "", err
		}
		for n, v := range ph {
			if u, ok := union[n]; ok && u != v {
				return "", fmt.Errorf("argument %d is %%%c in one form and %%%c in another", n, u, v)
			}
			union[n] = v
		}
	}
	return signature(union), nil
}

func checkForms(forms map[plural.Form]string, required []string) error {
	have := map[string]bool{}
	for f := range forms {
		have[formName(f)] = true
	}
	var missing, unused []string
	for _, name := range required {
		if !have[name] {
			missing = append(missing, name)
		}
	}
	for name := range have {
		if !slices.Contains(required, name) {
			unused = append(unused, name)
		}
	}
	if len(missing) > 0 || len(unused) > 0 {
		slices.Sort(unused)
		return fmt.Errorf("plural categories: want %v, missing %v, unused %v", required, missing, unused)
	}
	return nil
}

// Printer returns the printer of a language. It accepts BCP 47 and POSIX spellings and
// matches on the primary language ("ru-RU", "ru_RU" → ru; "es-MX" → es); an empty or unknown
// language gets DefaultLanguage. Printers are shared and safe for concurrent use.
func (c *Catalog) Printer(lang string) *Printer {
	if p, ok := c.printers[baseLanguage(lang)]; ok {
		return p
	}
	return c.printers[DefaultLanguage]
}

// Languages lists the languages of the catalog, sorted ("en", "es", "ru").
func (c *Catalog) Languages() []string { return slices.Sorted(maps.Keys(c.printers)) }

// Keys lists every message key, sorted. Every language has the same keys (Load checks it).
func (c *Catalog) Keys() []string { return slices.Clone(c.keys) }

// baseLanguage reduces a language tag to its lower-case primary subtag.
func baseLanguage(lang string) string {
	lang = strings.ToLower(strings.TrimSpace(lang))
	if i := strings.IndexAny(lang, "-_."); i >= 0 {
		lang = lang[:i]
	}
	return lang
}
