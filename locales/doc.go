// Package locales holds every text a person reads in SalesGuard, in English, Russian and
// Spanish, and renders it with CLDR plural rules and locale formats.
//
// # Use
//
//	cat, err := locales.Load()      // once, at start; immutable, safe for concurrent use
//	p := cat.Printer(user.Language) // "ru-RU", "ru_RU" → ru; "es-MX" → es; "" or unknown → en
//	p.T("alert.R2.no_task", dealName)            // "📌 Сделка «Окна» без задачи. …"
//	p.N("digest.manager", 5, "Анна")             // "Анна: 5 нарушений"
//	p.Count("deals", 21)                         // "21 сделка"
//	p.Duration(65 * time.Minute)                 // "1 ч 5 мин"
//
// A missing key renders as the key itself ("alert.R99.x"), never a panic; Printer.Has and
// Catalog.Keys let tests assert that every key they use exists.
//
// # Catalog files
//
// Messages live in translations/<lang>/*.json (embedded). All files of a language are merged;
// a key defined twice, in one file or across files, is a load error. Each engineer keeps a
// file per domain, e.g. translations/{en,ru,es}/bot.json for the bot, next to core.json (this
// package's: rules, alerts, digest, nudge, plan, weekly report, console, data health, errors,
// formats). Adding a key means adding it to the same-named file of every language.
//
// A file is one flat JSON object with dotted keys, sorted (jq -S . file.json sorts in place):
// the first word is the domain (alert, digest, bot, …), later words may hold rule ids
// ("alert.R1.warning"). A value is either a string or, for a message that depends on a count,
// an object keyed by CLDR plural category:
//
//	"count.deals": {"one": "%[1]d сделка", "few": "%[1]d сделки", "many": "%[1]d сделок", "other": "%[1]d сделки"}
//
// Categories are exactly those the language uses (golang.org/x/text/feature/plural, CLDR 32):
// ru one/few/many/other ("other" serves fractions), en one/other, es one/other.
//
// Load refuses a catalog (listing every problem) when: a key is missing in some language; the
// placeholders of a key differ between languages; a verb lacks an argument index; a plural
// entry misses or adds a category; a text contains '<', '>' or '&'. Texts are plain: the bot
// escapes arguments and adds HTML markup around them, never inside catalogs.
//
// # Placeholders
//
// Every verb is numbered, %[1]s, %[2]d, so word order may differ between languages (%% is a
// literal percent). Arguments are preformatted strings (%[n]s) wherever the value needs
// locale formatting: pass p.Duration(d), p.Number(n), p.Date(t), not raw values. Arguments a
// translation does not use are simply ignored (fmt reports no EXTRA with numbered verbs).
//
// N's convention: the count n is argument 1 and the caller's args follow as 2, 3, …; %[1]d
// prints n with the locale's digit grouping ("1 250"). T on a plural key uses its "other" form.
//
// # Alert frame
//
// Alerts take one argument frame so the bot can render any finding with one call,
// p.T(AlertKey(rule, kind), deal, manager, value, limit, extra):
//
//	%[1]s deal name   %[2]s manager name   %[3]s measured value   %[4]s limit   %[5]s extra
//
// where value and limit are formatted from Finding.Value/Limit by Finding.Unit (Duration for
// time units, Number for counts) and extra is the rule's text argument: the stage name (R4,
// R6 no_attempt_today), the task text (R3 overdue, R8), the missing field names (R10), the
// recording link (R7 call_sample). Keys are "alert.<rule>.<kind>", with the level as kind for R1
// (warning, escalation). The plural alert alert.R3.overdue_count shifts the frame by one: n is
// %[1]d, then deal %[2]s, manager %[3]s, value %[4]s, limit %[5]s, extra %[6]s.
//
// # Formats
//
// Duration, Date, DateTime, Time, Weekday, Number, Percent and Delta render values the way each
// locale writes them; layouts and unit words are catalog entries under "fmt." and "count.".
// Date and time helpers print t in its own location: convert to the account's zone first.
package locales
