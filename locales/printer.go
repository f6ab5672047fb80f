package locales

import (
	"fmt"
	"io"
	"strings"

	"golang.org/x/text/feature/plural"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
	"golang.org/x/text/number"
)

// Printer renders the messages of one language. It is immutable and safe for concurrent use.
type Printer struct {
	lang string
	tag  language.Tag
	msgs map[string]entry
	num  *message.Printer // CLDR number formatting only; its message catalog is never used
}

// Lang returns the printer's language ("en", "es" or "ru").
func (p *Printer) Lang() string { return p.lang }

// Has reports whether the key exists (in every language, as Load guarantees).
func (p *Printer) Has(key string) bool {
	_, ok := p.msgs[key]
	return ok
}

// T formats the message key with fmt-style args (templates use numbered verbs, %[1]s, so a
// translation may reorder them). A missing key returns the key itself, never panics; a plural
// key is rendered with its "other" form.
func (p *Printer) T(key string, args ...any) string {
	e, ok := p.msgs[key]
	if !ok {
		return key
	}
	tmpl := e.text
	if e.isPlural() {
		tmpl = e.forms[plural.Other]
	}
	return format(tmpl, args)
}

// N formats a plural message: the CLDR cardinal category of n in the printer's language picks
// the form, and the form is formatted with n as argument 1 and args as arguments 2, 3, …
// (N("digest.manager", 5, name) fills %[1]d with 5 and %[2]s with name). Argument 1 prints
// with the locale's digit grouping under %[1]d or %[1]v ("1 250" in ru, "1,250" in en). A
// plain (non-plural) key is formatted the same way; a missing key returns the key itself.
func (p *Printer) N(key string, n int, args ...any) string {
	e, ok := p.msgs[key]
	if !ok {
		return key
	}
	tmpl := e.text
	if e.isPlural() {
		var found bool
		if tmpl, found = e.forms[cardinalForm(p.tag, n)]; !found {
			tmpl = e.forms[plural.Other]
		}
	}
	all := make([]any, 0, len(args)+1)
	all = append(all, localInt{n: n, p: p})
	return format(tmpl, append(all, args...))
}

// format fills a template. A template without verbs ignores the args: fmt would append
// "%!(EXTRA …)" for them, and a translation may legitimately use none (Load guarantees that
// every verb is numbered, so "%[" marks them all).
func format(tmpl string, args []any) string {
	if !strings.Contains(tmpl, "%[") {
		args = nil
	}
	return fmt.Sprintf(tmpl, args...)
}

// Count renders a count with its noun, "5 сделок", "1 deal", from the plural key
// "count.<noun>" (Count("deals", 5) is N("count.deals", 5)).
func (p *Printer) Count(noun string, n int) string { return p.N("count."+noun, n) }

// Number formats an integer with the locale's digit grouping: ru "1 250" (no-break space),
// en "1,250", es "1.250".
func (p *Printer) Number(n int) string { return p.num.Sprint(number.Decimal(n)) }

// localInt is N's count argument: an int that prints with locale digit grouping.
type localInt struct {
	n int
	p *Printer
}

// Format implements fmt.Formatter.
func (l localInt) Format(f fmt.State, verb rune) {
	switch verb {
	case 'd', 'v':
		_, _ = io.WriteString(f, l.p.Number(l.n))
	default:
		_, _ = fmt.Fprintf(f, fmt.FormatString(f, verb), l.n)
	}
}

// AlertKey returns the catalog key of a finding's alert text, "alert.<rule>.<kind>". For R1 the
// kind is the level ("warning", "escalation"); see the package doc for the argument frame.
func AlertKey(rule, kind string) string { return "alert." + rule + "." + kind }
