package sandbox

import (
	"encoding/json"
	"hash/fnv"
	"strconv"
	"strings"
	"time"

	"salesguard/amo"
)

// wireCtx carries what every item rendering needs: the href prefix and the account id.
type wireCtx struct {
	base    string
	account int64
}

func (c wireCtx) self(path string, id int64) itemLinks {
	return itemLinks{Self: href{Href: c.base + path + strconv.FormatInt(id, 10)}}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// unix is a required timestamp in Unix seconds (API.md §3.5).
func unix(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.Unix()
}

// unixOrNull is an optional timestamp: null when unset (closed_at, closest_task_at).
func unixOrNull(t time.Time) *int64 {
	if t.IsZero() {
		return nil
	}
	u := t.Unix()
	return &u
}

// idOrNull is an optional id: null when 0 (loss_reason_id).
func idOrNull(id int64) *int64 {
	if id == 0 {
		return nil
	}
	return &id
}

// stringOrNull is an optional string: null when empty (field_code, link).
func stringOrNull(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// stableID derives a small positive id from text, for things the model keeps by name only
// (tag ids, enum ids, chat message ids).
func stableID(parts ...string) int64 {
	h := fnv.New64a()
	for _, p := range parts {
		_, _ = h.Write([]byte(p))
		_, _ = h.Write([]byte{0})
	}
	return int64(h.Sum64()%9_000_000) + 1_000_000
}

// wireTag is an item of _embedded.tags.
type wireTag struct {
	ID    int64   `json:"id"`
	Name  string  `json:"name"`
	Color *string `json:"color"`
}

func tagsOf(names []string) []wireTag {
	out := make([]wireTag, len(names))
	for i, n := range names {
		out[i] = wireTag{ID: stableID("tag", n), Name: n}
	}
	return out
}

// wireFieldValue is one element of custom_fields_values (API.md §4.6).
type wireFieldValue struct {
	FieldID   int64       `json:"field_id"`
	FieldName string      `json:"field_name"`
	FieldCode *string     `json:"field_code"`
	FieldType string      `json:"field_type"`
	Values    []wireValue `json:"values"`
}

type wireValue struct {
	Value    any     `json:"value"`
	EnumID   *int64  `json:"enum_id,omitempty"`
	EnumCode *string `json:"enum_code,omitempty"`
}

// fieldValues renders custom_fields_values: null (a nil slice) when no field is set.
func fieldValues(fs []amo.FieldValue) []wireFieldValue {
	var out []wireFieldValue
	for _, f := range fs {
		typ := f.Type
		if typ == "" {
			typ = "text"
		}
		w := wireFieldValue{FieldID: int64(f.FieldID), FieldName: f.Name, FieldCode: stringOrNull(f.Code),
			FieldType: typ, Values: make([]wireValue, 0, len(f.Values))}
		for i, v := range f.Values {
			w.Values = append(w.Values, fieldValue(f, typ, v, i))
		}
		out = append(out, w)
	}
	return out
}

// objectTypes send their values as JSON objects (API.md §4.6): file, legal entity, linked
// entity, chained list, items, payer, supplier.
var objectTypes = map[string]bool{
	amo.FieldTypeFile: true, amo.FieldTypeLegalEntity: true, amo.FieldTypeLinkedEntity: true,
	amo.FieldTypeChainedList: true, amo.FieldTypeItems: true, amo.FieldTypePayer: true, amo.FieldTypeSupplier: true,
}

// smartAddressParts are the enum codes of a smart address's parts, in the order its values
// come.
var smartAddressParts = []string{"country", "city", "address_line_1", "address_line_2", "zip", "state"}

// fieldValue gives a value the JSON type the live API uses for its field type (quirk 6): an
// object value as the object (null when empty), a checkbox as a bool, numbers and dates as
// numbers, options with their enum_id, smart address parts with their enum_code.
func fieldValue(f amo.FieldValue, typ, v string, i int) wireValue {
	if objectTypes[typ] {
		if v == "" || !json.Valid([]byte(v)) {
			return wireValue{Value: nil}
		}
		return wireValue{Value: json.RawMessage(v)}
	}
	switch typ {
	case "numeric", "price", "monetary":
		if json.Valid([]byte(v)) && strings.Trim(v, "0123456789.-eE+") == "" {
			return wireValue{Value: json.Number(v)}
		}
	case "checkbox":
		return wireValue{Value: v == "1" || strings.EqualFold(v, "true")}
	case "date", "date_time", "birthday":
		if n, err := strconv.ParseInt(v, 10, 64); err == nil {
			return wireValue{Value: n}
		}
		if t, err := time.Parse(time.RFC3339, v); err == nil {
			return wireValue{Value: t.Unix()}
		}
		if t, err := time.Parse(time.DateOnly, v); err == nil {
			return wireValue{Value: t.Unix()}
		}
	case "select", "multiselect", "radiobutton", "category":
		id := stableID("enum", strconv.FormatInt(int64(f.FieldID), 10), v)
		return wireValue{Value: v, EnumID: &id}
	case "smart_address":
		code := smartAddressParts[i%len(smartAddressParts)]
		id := int64(i%len(smartAddressParts) + 1)
		return wireValue{Value: v, EnumID: &id, EnumCode: &code}
	case "multitext":
		id, code := stableID("enum", strconv.FormatInt(int64(f.FieldID), 10), "WORK"), "WORK"
		return wireValue{Value: v, EnumID: &id, EnumCode: &code}
	}
	return wireValue{Value: v}
}

// wireLead is an item of _embedded.leads (API.md §4.4), field for field.
type wireLead struct {
	ID                 int64            `json:"id"`
	Name               string           `json:"name"`
	Price              int64            `json:"price"`
	ResponsibleUserID  int64            `json:"responsible_user_id"`
	GroupID            int64            `json:"group_id"`
	StatusID           int64            `json:"status_id"`
	PipelineID         int64            `json:"pipeline_id"`
	LossReasonID       *int64           `json:"loss_reason_id"`
	SourceID           *int64           `json:"source_id"`
	CreatedBy          int64            `json:"created_by"`
	UpdatedBy          int64            `json:"updated_by"`
	CreatedAt          int64            `json:"created_at"`
	UpdatedAt          int64            `json:"updated_at"`
	ClosedAt           *int64           `json:"closed_at"`
	ClosestTaskAt      *int64           `json:"closest_task_at"`
	IsDeleted          bool             `json:"is_deleted"`
	CustomFieldsValues []wireFieldValue `json:"custom_fields_values"`
	Score              *int64           `json:"score"`
	AccountID          int64            `json:"account_id"`
	LaborCost          *int64           `json:"labor_cost"`
	Links              itemLinks        `json:"_links"`
	Embedded           leadEmbedded     `json:"_embedded"`
}

type leadEmbedded struct {
	Tags       []wireTag         `json:"tags"`
	Companies  []struct{}        `json:"companies"`
	Contacts   *[]wireLinkRef    `json:"contacts,omitempty"`
	LossReason *[]wireLossReason `json:"loss_reason,omitempty"`
}

// wireLinkRef is a linked entity in _embedded (contacts of a lead, leads of a contact).
type wireLinkRef struct {
	ID     int64     `json:"id"`
	IsMain *bool     `json:"is_main,omitempty"`
	Links  itemLinks `json:"_links"`
}

// leadWith says which with= extras a lead list renders.
type leadWith struct {
	contacts    bool
	lossReason  bool
	lossReasons map[amo.LossReasonID]*amo.LossReason
	lossAt      time.Time
}

func (c wireCtx) lead(l *amo.Lead, with leadWith) wireLead {
	w := wireLead{
		ID: int64(l.ID), Name: l.Name, Price: l.Price, ResponsibleUserID: int64(l.ResponsibleUserID),
		GroupID: l.GroupID, StatusID: int64(l.StatusID), PipelineID: int64(l.PipelineID),
		LossReasonID: idOrNull(int64(l.LossReasonID)), CreatedBy: int64(l.CreatedBy),
		UpdatedBy: int64(l.UpdatedBy), CreatedAt: unix(l.CreatedAt), UpdatedAt: unix(l.UpdatedAt),
		ClosedAt: unixOrNull(l.ClosedAt), ClosestTaskAt: unixOrNull(l.ClosestTaskAt),
		IsDeleted: l.IsDeleted, CustomFieldsValues: fieldValues(l.CustomFields), AccountID: c.account,
		Links:    c.self("/api/v4/leads/", int64(l.ID)),
		Embedded: leadEmbedded{Tags: tagsOf(l.Tags), Companies: []struct{}{}},
	}
	if with.contacts {
		refs := make([]wireLinkRef, len(l.ContactIDs))
		for i, id := range l.ContactIDs {
			isMain := i == 0
			refs[i] = wireLinkRef{ID: int64(id), IsMain: &isMain, Links: c.self("/api/v4/contacts/", int64(id))}
		}
		w.Embedded.Contacts = &refs
	}
	if lr, ok := with.lossReasons[l.LossReasonID]; with.lossReason && ok {
		// The docs example's array form (API.md §4.4), not the field table's object.
		w.Embedded.LossReason = &[]wireLossReason{c.lossReason(lr, with.lossAt)}
	}
	return w
}

// wireDeletedLead is an item of with=only_deleted: few fields (API.md §4.4).
type wireDeletedLead struct {
	ID        int64     `json:"id"`
	UpdatedAt int64     `json:"updated_at"`
	UpdatedBy int64     `json:"updated_by"`
	IsDeleted bool      `json:"is_deleted"`
	AccountID int64     `json:"account_id"`
	Links     itemLinks `json:"_links"`
}

func (c wireCtx) deletedLead(l *amo.Lead) wireDeletedLead {
	return wireDeletedLead{ID: int64(l.ID), UpdatedAt: unix(l.UpdatedAt), UpdatedBy: int64(l.UpdatedBy),
		IsDeleted: true, AccountID: c.account, Links: c.self("/api/v4/leads/", int64(l.ID))}
}
