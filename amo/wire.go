package amo

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/segmentio/encoding/json"
)

// decodeJSON decodes a body, refusing an empty one (API.md §6.1: never decode an empty body).
// Its error never quotes the body (see jsonError).
func decodeJSON(b []byte, v any) error {
	if len(bytes.TrimSpace(b)) == 0 {
		return errors.New("empty body")
	}
	return jsonError(json.Unmarshal(b, v))
}

// jsonError rewords a decoding error so that it says what is wrong, and where, without the
// input: the decoder (github.com/segmentio/encoding/json, four times as fast on amoCRM's pages
// as encoding/json) quotes what follows the fault, which can be a whole HTML error page, a
// client's name or phone, or a token. Errors of the package's own decoders pass as they are.
func jsonError(err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &syn):
		msg, _, _ := strings.Cut(strings.TrimPrefix(syn.Error(), "json: "), ": ")
		return fmt.Errorf("invalid JSON: %s", msg)
	case errors.As(err, &typ):
		where := typ.Field
		if where == "" {
			where = "the value"
		} else {
			where = "field " + strconv.Quote(where)
		}
		return fmt.Errorf("%s: %s where %s was expected", where, jsonKind(typ.Value), typ.Type)
	}
	return err
}

// jsonKind names the kind of a JSON value from its text (an UnmarshalTypeError's Value: the
// value and what follows it, quoted, or a kind's name).
func jsonKind(v string) string {
	if u, err := strconv.Unquote(v); err == nil {
		v = u
	}
	v = strings.TrimSpace(v)
	if v == "" {
		return "nothing"
	}
	switch c := v[0]; {
	case c == '"':
		return "a string"
	case c == '{':
		return "an object"
	case c == '[':
		return "a list"
	case c == 't' || c == 'f':
		return "a boolean"
	case c == 'n':
		return "null"
	case c == '-' || c >= '0' && c <= '9':
		return "a number"
	}
	for _, k := range []string{"string", "object", "array", "number", "bool"} {
		if strings.HasPrefix(v, k) {
			return "a " + k
		}
	}
	return "a value"
}

// unixTime is a Unix-seconds timestamp that also accepts null, 0, a string or a float;
// null and 0 decode to the zero time.
type unixTime struct{ time.Time }

// UnmarshalJSON implements json.Unmarshaler.
func (t *unixTime) UnmarshalJSON(b []byte) error {
	var n flexInt
	if err := n.UnmarshalJSON(b); err != nil {
		return err
	}
	t.Time = time.Time{}
	if n != 0 {
		t.Time = time.Unix(int64(n), 0).UTC()
	}
	return nil
}

// flexInt is an integer sent as a number, a numeric string, a float, a bool or null.
type flexInt int64

// UnmarshalJSON implements json.Unmarshaler. Unparseable text decodes to 0.
func (n *flexInt) UnmarshalJSON(b []byte) error {
	*n = 0
	b = bytes.TrimSpace(b)
	switch {
	case len(b) == 0 || string(b) == "null" || string(b) == "false":
		return nil
	case string(b) == "true":
		*n = 1
		return nil
	case b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		b = []byte(s)
	case b[0] == '[' || b[0] == '{':
		return nil
	}
	if v, ok := digits(b); ok {
		*n = flexInt(v)
		return nil
	}
	if v, err := strconv.ParseInt(string(b), 10, 64); err == nil {
		*n = flexInt(v)
		return nil
	}
	if f, err := strconv.ParseFloat(string(b), 64); err == nil {
		*n = flexInt(f)
	}
	return nil
}

// digits parses a plain non-negative decimal without allocating.
func digits(b []byte) (int64, bool) {
	if len(b) == 0 || len(b) > 18 {
		return 0, false
	}
	var v int64
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		v = v*10 + int64(c-'0')
	}
	return v, true
}

// flexString is text sent as a string, a number, a bool or null.
type flexString string

// UnmarshalJSON implements json.Unmarshaler.
func (s *flexString) UnmarshalJSON(b []byte) error {
	*s = flexString(scalarText(b))
	return nil
}

// scalarText renders a JSON scalar as text: strings unquoted, numbers and bools verbatim,
// null, objects and arrays as "".
func scalarText(b []byte) string {
	b = bytes.TrimSpace(b)
	if len(b) == 0 {
		return ""
	}
	switch b[0] {
	case '"':
		if len(b) >= 2 && bytes.IndexByte(b, '\\') < 0 {
			return string(b[1 : len(b)-1]) // no escapes: the bytes are the text
		}
		var s string
		if json.Unmarshal(b, &s) == nil {
			return s
		}
		return ""
	case 'n', '[', '{':
		return ""
	}
	return string(b)
}

// taskResult is task.result: [] when there is none, {"text": …} when there is one.
type taskResult string

// UnmarshalJSON implements json.Unmarshaler.
func (r *taskResult) UnmarshalJSON(b []byte) error {
	*r = ""
	b = bytes.TrimSpace(b)
	if len(b) == 0 || b[0] != '{' {
		return nil
	}
	var v struct {
		Text flexString `json:"text"`
	}
	if err := json.Unmarshal(b, &v); err != nil {
		return nil //nolint:nilerr // an odd result shape must not fail the page
	}
	*r = taskResult(v.Text)
	return nil
}

// idObj is {"id": …} with a tolerant id.
type idObj struct {
	ID flexInt `json:"id"`
}

// oneOrMany decodes an object or an array of objects (lead _embedded.loss_reason).
type oneOrMany []idObj

// UnmarshalJSON implements json.Unmarshaler.
func (o *oneOrMany) UnmarshalJSON(b []byte) error {
	*o = nil
	b = bytes.TrimSpace(b)
	if len(b) == 0 {
		return nil
	}
	switch b[0] {
	case '{':
		var v idObj
		if json.Unmarshal(b, &v) == nil {
			*o = oneOrMany{v}
		}
	case '[':
		var v []idObj
		if json.Unmarshal(b, &v) == nil {
			*o = v
		}
	}
	return nil
}

// wireField is one entry of custom_fields_values.
type wireField struct {
	FieldID   flexInt    `json:"field_id"`
	FieldName flexString `json:"field_name"`
	FieldCode flexString `json:"field_code"`
	FieldType flexString `json:"field_type"`
	Values    []struct {
		Value  json.RawMessage `json:"value"`
		EnumID flexInt         `json:"enum_id"`
	} `json:"values"`
}

// fieldValues converts custom_fields_values (null or an array) to model values (see
// FieldValue and fieldText for each value's shape). A field sent without its type whose value
// is a bool is a checkbox.
func fieldValues(in []wireField) []FieldValue {
	if len(in) == 0 {
		return nil
	}
	out := make([]FieldValue, 0, len(in))
	for _, f := range in {
		v := FieldValue{FieldID: FieldID(f.FieldID), Name: string(f.FieldName), Code: string(f.FieldCode), Type: string(f.FieldType)}
		v.Values = make([]string, 0, len(f.Values))
		for _, x := range f.Values {
			if v.Type == "" && isJSONBool(x.Value) {
				v.Type = FieldTypeCheckbox
			}
			v.Values = append(v.Values, fieldText(v.Type, x.Value, int64(x.EnumID)))
		}
		out = append(out, v)
	}
	return out
}

// tolerantSlice decodes an array of T skipping elements that don't decode; anything other
// than an array (null, an object) gives nil.
type tolerantSlice[T any] []T

// UnmarshalJSON implements json.Unmarshaler.
func (s *tolerantSlice[T]) UnmarshalJSON(b []byte) error {
	*s = nil
	var raw []json.RawMessage
	if json.Unmarshal(b, &raw) != nil {
		return nil
	}
	out := make([]T, 0, len(raw))
	for _, r := range raw {
		var v T
		if json.Unmarshal(r, &v) == nil {
			out = append(out, v)
		}
	}
	*s = out
	return nil
}

// object decodes a JSON object into V and treats anything else ([] for an empty _embedded,
// null) as empty, since the API renders empty objects as arrays in places.
type object[T any] struct{ V T }

// UnmarshalJSON implements json.Unmarshaler.
func (o *object[T]) UnmarshalJSON(b []byte) error {
	var zero T
	o.V = zero
	if b = bytes.TrimSpace(b); len(b) == 0 || b[0] != '{' {
		return nil
	}
	return json.Unmarshal(b, &o.V)
}
