package bot

import (
	"fmt"
	"html"
	"strconv"
	"strings"
	"time"

	"salesguard/amo"
	"salesguard/checks"
	"salesguard/locales"
)

// Printer is the part of a locales printer the renderer uses.
type Printer interface {
	T(key string, args ...any) string
	N(key string, n int, args ...any) string
	Has(key string) bool
	Duration(d time.Duration) string
	Date(t time.Time) string
	Time(t time.Time) string
	DateTime(t time.Time) string
	Delta(n int) string
	Number(n int) string
	Count(noun string, n int) string
	Percent(ratio float64) string
	Weekday(d time.Weekday) string
}

// Renderer turns findings, digests and plans into HTML messages. It is pure: it needs no
// running bot, so the demo's console renders with it too. Every string that comes from amoCRM
// (deal, contact, manager, stage names, task text) is escaped here.
type Renderer struct {
	printer func(lang string) Printer
}

// NewRenderer builds a renderer over the message catalog.
func NewRenderer(cat *locales.Catalog) *Renderer {
	return &Renderer{printer: func(lang string) Printer { return cat.Printer(lang) }}
}

// p returns the printer of a language (unknown languages fall back to English in locales).
func (r *Renderer) p(lang string) Printer { return r.printer(lang) }

// esc escapes a CRM string for Telegram HTML.
func esc(s string) string { return html.EscapeString(s) }

// dealName returns a deal's name (the finding carries it), else "#id".
func dealName(id amo.LeadID, name string) string {
	if n := strings.TrimSpace(name); n != "" {
		return n
	}
	return "#" + strconv.FormatInt(int64(id), 10)
}

// dealLink renders the deal as a link to its card; without a base URL, as bold text.
func dealLink(snap *amo.Snapshot, id amo.LeadID, name string) string {
	if id == 0 {
		return "—"
	}
	name = esc(dealName(id, name))
	if snap == nil || snap.BaseURL == "" {
		return "<b>" + name + "</b>"
	}
	return `<a href="` + esc(snap.DealURL(id)) + `">` + name + "</a>"
}

// dealURL returns the link to a deal's card, or "" when the account URL is unknown.
func dealURL(snap *amo.Snapshot, id amo.LeadID) string {
	if snap == nil || snap.BaseURL == "" {
		return ""
	}
	return snap.DealURL(id)
}

// userName returns an amoCRM user's name, or "#id".
func userName(snap *amo.Snapshot, id amo.UserID) string {
	if snap != nil {
		for _, u := range snap.Users {
			if u.ID == id && strings.TrimSpace(u.Name) != "" {
				return u.Name
			}
		}
	}
	return "#" + strconv.FormatInt(int64(id), 10)
}

// amount converts a finding's Value or Limit to a duration when its unit is a time.
func amount(v float64, u checks.Unit) (time.Duration, bool) {
	switch u {
	case checks.UnitSeconds:
		return time.Duration(v * float64(time.Second)), true
	case checks.UnitMinutes:
		return time.Duration(v * float64(time.Minute)), true
	case checks.UnitHours:
		return time.Duration(v * float64(time.Hour)), true
	case checks.UnitDays:
		return time.Duration(v * float64(24*time.Hour)), true
	}
	return 0, false
}

// quantity formats a Value or Limit in its unit.
func quantity(p Printer, v float64, u checks.Unit) string {
	if d, ok := amount(v, u); ok {
		if u == checks.UnitSeconds { // a call's length: "1 min 35 s", not "2 min"
			d = d.Round(time.Second)
			if s := d % time.Minute; d > time.Minute && d < time.Hour && s != 0 {
				return p.Duration(d-s) + " " + p.T("fmt.duration.seconds", p.Number(int(s/time.Second)))
			}
			return p.Duration(d)
		}
		return p.Duration(d.Round(time.Minute))
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

// has reports whether the catalog holds a key.
func has(p Printer, key string) bool { return p.Has(key) }

// ruleName returns the rule's short name from the core catalog.
func ruleName(p Printer, rule checks.RuleID) string {
	return p.T("rule." + string(rule) + ".name")
}

// defaultKinds names the alert sentence of rules whose findings carry no Kind.
var defaultKinds = map[checks.RuleID]string{
	checks.R2: "no_task", checks.R3: "overdue", checks.R4: "stale", checks.R11: "forgotten",
	checks.R12: "unsorted", checks.R13: "audit",
}

// alertKey picks a finding's sentence in the core catalog: "alert.<rule>.<kind>", else
// "alert.<rule>.<level>" (R1), else the rule's only sentence.
func alertKey(p Printer, f checks.Finding) string {
	base := "alert." + string(f.Rule) + "."
	for _, k := range []string{f.Kind, string(f.Level), defaultKinds[f.Rule]} {
		if k != "" && has(p, base+k) {
			return base + k
		}
	}
	return ""
}

// sentence renders what is wrong with a finding, with the deal as a link. The core catalog's
// alert sentences take: 1 the deal, 2 the manager, 3 the measured value, 4 the limit, 5 the
// detail (task text, stage, fields or the recording link). now is the moment of the snapshot,
// for R3's "overdue by".
func sentence(p Printer, f checks.Finding, snap *amo.Snapshot, now time.Time) string {
	deal := dealLink(snap, f.DealID, f.DealName)
	mgr := esc(userName(snap, f.ManagerID))
	val, lim := quantity(p, f.Value, f.Unit), quantity(p, f.Limit, f.Unit)
	switch {
	case f.Rule == checks.R3:
		val = p.Duration(max(now.Sub(f.Due), 0).Round(time.Minute))
		if f.Value > 1 {
			return p.N("alert.R3.overdue_count", int(f.Value), deal, mgr, val, lim)
		}
	case f.Rule == checks.RuleDataHealth:
		if f.Extra > 0 {
			val = p.Count("days", f.Extra)
		}
	case f.Kind == checks.KindTelephonyTrouble:
		val = p.Number(f.Extra)
	}
	key := alertKey(p, f)
	if key == "" {
		return deal + " — " + esc(ruleName(p, f.Rule))
	}
	return p.T(key, deal, mgr, val, lim, extra(p, f, snap))
}

// extra is the fifth argument of an alert sentence: the recording to listen to, else the
// task's text, the missing fields or the stage.
func extra(p Printer, f checks.Finding, snap *amo.Snapshot) string {
	if safeURL(f.Link) && f.Rule != checks.R13 {
		return `<a href="` + esc(f.Link) + `">` + p.T("button.listen") + "</a>"
	}
	if v := strings.TrimSpace(f.TaskText); v != "" {
		return esc(v)
	}
	if len(f.Fields) > 0 {
		return esc(strings.Join(fieldNames(snap, f.Fields), ", "))
	}
	if f.Stage != (amo.StatusRef{}) {
		return esc(statusName(snap, f.Stage))
	}
	return ""
}

// fieldNames names custom fields by id, "#id" for a field the account no longer has.
func fieldNames(snap *amo.Snapshot, ids []amo.FieldID) []string {
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		name := ""
		if snap != nil {
			for _, cf := range snap.CustomFields {
				if cf.ID == id {
					name = cf.Name
					break
				}
			}
		}
		out = append(out, checks.FieldName(name, id))
	}
	return out
}

// statusName returns a stage's name, "" when the snapshot does not know it.
func statusName(snap *amo.Snapshot, r amo.StatusRef) string {
	if snap == nil {
		return ""
	}
	for _, pl := range snap.Pipelines {
		if pl.ID != r.PipelineID {
			continue
		}
		for _, st := range pl.Statuses {
			if st.ID == r.StatusID {
				return st.Name
			}
		}
	}
	return ""
}

// safeURL accepts only http(s) links from the CRM, so a javascript: link never reaches a chat.
func safeURL(u string) bool {
	return strings.HasPrefix(u, "https://") || strings.HasPrefix(u, "http://")
}

// joinLines joins non-empty lines.
func joinLines(lines ...string) string {
	out := make([]string, 0, len(lines))
	for _, l := range lines {
		if l != "" {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// bullet prefixes a list line.
func bullet(s string) string { return fmt.Sprintf("• %s", s) }
