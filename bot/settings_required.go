package bot

import (
	"slices"
	"strconv"
	"strings"

	tele "gopkg.in/telebot.v3"

	"salesguard/amo"
	"salesguard/checks"
	"salesguard/notify"
)

// Screens and actions of R10's required fields (all arguments re-checked on every press):
//
//	rq                                       the list, the from_amo toggle and "add"
//	rqe                                      pick the entity
//	rqf:<l|c>                                pick a custom field of the entity
//	rqp:<l|c>:<field>                        pick the pipeline of the stage
//	rqs:<l|c>:<field>:<pipeline>             pick the stage the field is required from
//	rq+:<l|c>:<field>:<pipeline>:<status>    add the required field
//	rq-:<l|c>:<field>:<pipeline>:<status>    remove it

// entityOf maps the one-letter entity of callback data to amoCRM's entity type.
func entityOf(code string) (string, bool) {
	switch code {
	case "l":
		return amo.EntityLeads, true
	case "c":
		return amo.EntityContacts, true
	}
	return "", false
}

// entityCode is the one-letter code of an entity type.
func entityCode(entity string) string {
	if entity == amo.EntityContacts {
		return "c"
	}
	return "l"
}

// findField looks a custom field of an entity up in the snapshot.
func findField(snap *amo.Snapshot, entity string, id amo.FieldID) (amo.CustomField, bool) {
	if snap == nil {
		return amo.CustomField{}, false
	}
	i := slices.IndexFunc(snap.CustomFields, func(f amo.CustomField) bool { return f.ID == id && f.EntityType == entity })
	if i < 0 {
		return amo.CustomField{}, false
	}
	return snap.CustomFields[i], true
}

// fieldName names a custom field, or "#id" when the snapshot no longer has it.
func fieldName(snap *amo.Snapshot, entity string, id amo.FieldID) string {
	if f, ok := findField(snap, entity, id); ok && strings.TrimSpace(f.Name) != "" {
		return f.Name
	}
	return "#" + strconv.FormatInt(int64(id), 10)
}

// requiredData writes the callback arguments of a required field: entity, field, stage.
func requiredData(r checks.RequiredField) string {
	return entityCode(r.Entity) + ":" + strconv.FormatInt(int64(r.Field), 10) + ":" +
		strconv.FormatInt(int64(r.From.PipelineID), 10) + ":" + strconv.FormatInt(int64(r.From.StatusID), 10)
}

// parseRequired reads "<l|c>:<field>:<pipeline>:<status>" strictly; with a snapshot it also
// requires the field and the stage to exist in it.
func parseRequired(arg string, snap *amo.Snapshot, inSnapshot bool) (checks.RequiredField, bool) {
	parts := strings.Split(arg, ":")
	if len(parts) != 4 {
		return checks.RequiredField{}, false
	}
	entity, ok := entityOf(parts[0])
	fid, err1 := strconv.ParseInt(parts[1], 10, 64)
	if !ok || err1 != nil {
		return checks.RequiredField{}, false
	}
	r := checks.RequiredField{Entity: entity, Field: amo.FieldID(fid)}
	if !inSnapshot {
		pid, err2 := strconv.ParseInt(parts[2], 10, 64)
		sid, err3 := strconv.ParseInt(parts[3], 10, 64)
		r.From = amo.StatusRef{PipelineID: amo.PipelineID(pid), StatusID: amo.StatusID(sid)}
		return r, err2 == nil && err3 == nil
	}
	if _, found := findField(snap, entity, r.Field); !found {
		return checks.RequiredField{}, false
	}
	ref, _, found := stageRef(snap, parts[2]+"."+parts[3])
	r.From = ref
	return r, found
}

// requiredScreen lists R10's required fields (a press removes one), "add" and from_amo.
func requiredScreen(p Printer, s checks.Settings, snap *amo.Snapshot) (string, [][]notify.Button) {
	lines := []string{"<b>" + esc(p.T("bot.settings.section.rq")) + "</b>", esc(p.T("bot.settings.required.hint"))}
	if len(s.R10.Required) == 0 {
		lines = append(lines, esc(p.T("bot.settings.required.none")))
	}
	var rows [][]notify.Button
	for _, r := range s.R10.Required {
		line := p.T("bot.settings.required.line", p.T("bot.settings.required.entity."+r.Entity),
			fieldName(snap, r.Entity, r.Field), stageLabel(p, snap, r.From))
		lines = append(lines, bullet(esc(line)))
		rows = append(rows, []notify.Button{menuButton("✖ "+cut(line, 40), "rq-:"+requiredData(r))})
	}
	rows = append(rows,
		[]notify.Button{menuButton(p.T("bot.settings.required.add"), "rqe")},
		[]notify.Button{menuButton(mark(s.R10.FromAmo, p.T("bot.settings.f.r10.from_amo")), "t:amo")},
		[]notify.Button{menuButton(mark(s.R10.Checkbox == checks.CheckboxSet, p.T("bot.settings.f.r10.checkbox_set")), "t:cbx")},
		backRow(p, "m"))
	return joinLines(lines...), rows
}

// stageLabel names a stage with its pipeline ("Sales → Intro").
func stageLabel(p Printer, snap *amo.Snapshot, r amo.StatusRef) string {
	if pl, ok := findPipeline(snap, r.PipelineID); ok {
		return pl.Name + " → " + stageName(p, snap, r)
	}
	return stageName(p, snap, r)
}

// requiredStep renders the screens of adding a required field; ok is false for bad data.
func requiredStep(p Printer, snap *amo.Snapshot, action, arg string) (string, [][]notify.Button, bool) {
	parts := strings.Split(arg, ":")
	title := "<b>" + esc(p.T("bot.settings.section.rq")) + "</b>\n"
	switch action {
	case "rqe":
		if arg != "" {
			return "", nil, false
		}
		rows := [][]notify.Button{{
			menuButton(p.T("bot.settings.required.entity."+amo.EntityLeads), "rqf:l"),
			menuButton(p.T("bot.settings.required.entity."+amo.EntityContacts), "rqf:c"),
		}, backRow(p, "rq")}
		return title + esc(p.T("bot.settings.required.pick_entity")), rows, true
	case "rqf":
		entity, ok := entityOf(arg)
		if !ok {
			return "", nil, false
		}
		var rows [][]notify.Button
		if snap != nil {
			for _, f := range snap.CustomFields {
				if f.EntityType == entity {
					rows = append(rows, []notify.Button{menuButton(cut(f.Name, 40), "rqp:"+arg+":"+strconv.FormatInt(int64(f.ID), 10))})
				}
			}
		}
		text := title + esc(p.T("bot.settings.required.pick_field"))
		if len(rows) == 0 {
			text += "\n" + esc(p.T("bot.settings.required.no_fields"))
		}
		return text, append(rows, backRow(p, "rqe")), true
	case "rqp":
		if len(parts) != 2 {
			return "", nil, false
		}
		r, ok := parseRequired(arg+":0:0", snap, false)
		if _, found := findField(snap, r.Entity, r.Field); !ok || !found {
			return "", nil, false
		}
		var rows [][]notify.Button
		for _, pl := range snapPipelines(snap) {
			rows = append(rows, []notify.Button{menuButton(pl.Name, "rqs:"+arg+":"+strconv.FormatInt(int64(pl.ID), 10))})
		}
		text := title + esc(fieldName(snap, r.Entity, r.Field)) + "\n" + esc(p.T("bot.settings.pick_pipeline"))
		return text, append(rows, backRow(p, "rqf:"+parts[0])), true
	case "rqs":
		if len(parts) != 3 {
			return "", nil, false
		}
		r, ok := parseRequired(arg+":0", snap, false)
		_, found := findField(snap, r.Entity, r.Field)
		pl, plFound := findPipeline(snap, r.From.PipelineID)
		if !ok || !found || !plFound {
			return "", nil, false
		}
		var rows [][]notify.Button
		for _, st := range pl.Statuses {
			rows = append(rows, []notify.Button{menuButton(st.Name, "rq+:"+arg+":"+strconv.FormatInt(int64(st.ID), 10))})
		}
		text := title + esc(fieldName(snap, r.Entity, r.Field)) + " · " + esc(pl.Name) + "\n" + esc(p.T("bot.settings.required.pick_stage"))
		return text, append(rows, backRow(p, "rqp:"+parts[0]+":"+parts[1])), true
	}
	return "", nil, false
}

// onRequired adds ("rq+") or removes ("rq-") a required field and redraws the list; the
// change is validated and recorded like any other.
func (b *Bot) onRequired(c tele.Context, p Person, s checks.Settings, snap *amo.Snapshot, action, arg string) error {
	next := s
	switch action {
	case "rq+":
		r, ok := parseRequired(arg, snap, true)
		if !ok {
			return c.Respond()
		}
		if !slices.Contains(s.R10.Required, r) {
			next.R10.Required = append(slices.Clone(s.R10.Required), r)
		}
	case "rq-":
		r, ok := parseRequired(arg, snap, false)
		if !ok || !slices.Contains(s.R10.Required, r) {
			return c.Respond()
		}
		next.R10.Required = toggle(s.R10.Required, r)
	default:
		return c.Respond()
	}
	if slices.Equal(next.R10.Required, s.R10.Required) {
		text, rows := requiredScreen(b.printer(p, c), s, snap)
		return b.show(c, text, rows)
	}
	return b.saveToggle(c, p, s, next, "rq")
}
