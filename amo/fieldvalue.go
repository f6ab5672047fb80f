package amo

import (
	"bytes"
	"strconv"
	"strings"

	"github.com/segmentio/encoding/json"
)

// Custom field types (API.md §4.6, GET /api/v4/leads/custom_fields "type"). Contacts also have
// FieldTypeMultitext (phone, e-mail).
const (
	FieldTypeText          = "text"
	FieldTypeNumeric       = "numeric"
	FieldTypeCheckbox      = "checkbox"
	FieldTypeSelect        = "select"
	FieldTypeMultiselect   = "multiselect"
	FieldTypeDate          = "date"
	FieldTypeURL           = "url"
	FieldTypeTextarea      = "textarea"
	FieldTypeRadiobutton   = "radiobutton"
	FieldTypeStreetAddress = "streetaddress"
	FieldTypeSmartAddress  = "smart_address"
	FieldTypeBirthday      = "birthday"
	FieldTypeLegalEntity   = "legal_entity"
	FieldTypeDateTime      = "date_time"
	FieldTypePrice         = "price"
	FieldTypeCategory      = "category"
	FieldTypeItems         = "items"
	FieldTypeTrackingData  = "tracking_data"
	FieldTypeLinkedEntity  = "linked_entity"
	FieldTypeChainedList   = "chained_list"
	FieldTypeMonetary      = "monetary"
	FieldTypeFile          = "file"
	FieldTypePayer         = "payer"
	FieldTypeSupplier      = "supplier"
	FieldTypeMultitext     = "multitext"
)

// FieldTypes lists every custom field type the API documents, in the order of API.md §4.6.
var FieldTypes = []string{
	FieldTypeText, FieldTypeNumeric, FieldTypeCheckbox, FieldTypeSelect, FieldTypeMultiselect,
	FieldTypeDate, FieldTypeURL, FieldTypeTextarea, FieldTypeRadiobutton, FieldTypeStreetAddress,
	FieldTypeSmartAddress, FieldTypeBirthday, FieldTypeLegalEntity, FieldTypeDateTime, FieldTypePrice,
	FieldTypeCategory, FieldTypeItems, FieldTypeTrackingData, FieldTypeLinkedEntity, FieldTypeChainedList,
	FieldTypeMonetary, FieldTypeFile, FieldTypePayer, FieldTypeSupplier, FieldTypeMultitext,
}

// FieldState is what a custom field's value says to a "required field is filled" check (R10).
type FieldState uint8

// The states of a field's value. An unchecked checkbox is apart: whether it counts as filled
// is a setting of the check, not a fact of the data.
const (
	FieldEmpty     FieldState = iota // no value, or only blank ones (null, "", {}, [])
	FieldUnchecked                   // a checkbox that holds a value and is not checked
	FieldFilled                      // a non-empty value of any type; a checked checkbox
)

// State says whether the field holds a value. Any non-blank value of any type fills it: text,
// numbers (0 included), dates, enum options, and the object values of files, legal entities,
// linked entities, chained lists, items, payers and suppliers when one of their members is set
// (a file marked is_deleted is not). A checkbox is FieldFilled when checked ("true" or "1"),
// FieldUnchecked when it holds another value. The result depends on the value alone.
func (v FieldValue) State() FieldState {
	if v.Type == FieldTypeCheckbox {
		state := FieldEmpty
		for _, s := range v.Values {
			switch t := strings.TrimSpace(s); {
			case checkedText(t):
				return FieldFilled
			case t != "":
				state = FieldUnchecked
			}
		}
		return state
	}
	for _, s := range v.Values {
		if valueFilled(v.Type, s) {
			return FieldFilled
		}
	}
	return FieldEmpty
}

// Filled reports whether the field carries at least one non-empty value (State is FieldFilled):
// an unchecked checkbox is not filled.
func (v FieldValue) Filled() bool { return v.State() == FieldFilled }

// checkedText reports whether a checkbox value is checked: JSON true, or "1" as the webhooks
// and older API versions send it.
func checkedText(t string) bool { return t == "1" || strings.EqualFold(t, "true") }

// verbatimTypes hold text, numbers, dates or enum options: their values are never read as JSON,
// so a text field that happens to hold "{}" is filled.
var verbatimTypes = map[string]bool{
	FieldTypeText: true, FieldTypeNumeric: true, FieldTypeSelect: true, FieldTypeMultiselect: true,
	FieldTypeDate: true, FieldTypeURL: true, FieldTypeTextarea: true, FieldTypeRadiobutton: true,
	FieldTypeStreetAddress: true, FieldTypeSmartAddress: true, FieldTypeBirthday: true,
	FieldTypeDateTime: true, FieldTypePrice: true, FieldTypeCategory: true, FieldTypeTrackingData: true,
	FieldTypeMonetary: true, FieldTypeMultitext: true,
}

// valueFilled reports whether one value of a field of type typ is non-empty. Object values
// (kept as compact JSON, see FieldValue) are filled when a member is.
func valueFilled(typ, s string) bool {
	t := strings.TrimSpace(s)
	if t == "" {
		return false
	}
	if verbatimTypes[typ] || (t[0] != '{' && t[0] != '[') {
		return true
	}
	var x any
	if json.Unmarshal([]byte(t), &x) != nil {
		return true // not JSON after all: text
	}
	return jsonFilled(x)
}

// descriptorKeys name members of object values that describe the value rather than hold it: a
// linked entity's entity_type or an items discount's type alone do not fill a field.
var descriptorKeys = map[string]bool{
	"entity_type": true, "type": true, "unit_type": true, "catalog_id": true, "is_deleted": true,
	"currency": true, "vat_rate_id": true,
}

// jsonFilled reports whether a decoded JSON value holds something: a non-blank string, a
// non-zero number, true, or an array or object with such a member (descriptor keys aside; an
// object marked "is_deleted": true, a deleted file, is empty).
func jsonFilled(x any) bool {
	switch v := x.(type) {
	case string:
		return strings.TrimSpace(v) != ""
	case float64:
		return v != 0
	case bool:
		return v
	case []any:
		for _, e := range v {
			if jsonFilled(e) {
				return true
			}
		}
	case map[string]any:
		if del, _ := v["is_deleted"].(bool); del {
			return false
		}
		for k, e := range v {
			if !descriptorKeys[k] && jsonFilled(e) {
				return true
			}
		}
	}
	return false
}

// enumTypes are the types whose enum_id is the option chosen (in smart_address and multitext
// it names the part or the kind of the value instead).
var enumTypes = map[string]bool{
	FieldTypeSelect: true, FieldTypeMultiselect: true, FieldTypeRadiobutton: true, FieldTypeCategory: true,
}

// fieldText renders one element of a field's "values" as FieldValue text: scalars as
// scalarText does, objects and arrays as compact JSON, null, {} and [] as "". An option of a
// select-like field sent with only its enum_id (its text left out) keeps the id as its text.
func fieldText(typ string, raw json.RawMessage, enumID int64) string {
	b := bytes.TrimSpace(raw)
	var s string
	if len(b) > 0 && (b[0] == '{' || b[0] == '[') {
		var buf bytes.Buffer
		if json.Compact(&buf, b) == nil && !emptyJSON(buf.Bytes()) {
			s = buf.String()
		}
	} else {
		s = scalarText(b)
	}
	if enumID != 0 && enumTypes[typ] && strings.TrimSpace(s) == "" {
		return strconv.FormatInt(enumID, 10)
	}
	return s
}

// emptyJSON reports whether compact JSON is an empty object or array.
func emptyJSON(b []byte) bool { return string(b) == "{}" || string(b) == "[]" }

// isJSONBool reports whether a raw value is true or false.
func isJSONBool(raw json.RawMessage) bool {
	b := bytes.TrimSpace(raw)
	return string(b) == "true" || string(b) == "false"
}
