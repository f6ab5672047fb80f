package amo

import (
	"strings"
	"testing"
)

// TestDecodeErrorsQuoteNoInput: a decoding error says what is wrong and where, never the body
// (a client's phone, an HTML error page, a token), whichever decoder the page went through.
func TestDecodeErrorsQuoteNoInput(t *testing.T) {
	const secret = "+7 900 SECRET"
	tests := []struct {
		name string
		body string
		want string // in the page's error or its item's warning
	}{
		{"HTML error page", `<html><body>` + secret + `</body></html>`, "invalid JSON: invalid character '<'"},
		{"truncated page", `{"_embedded":{"leads":[{"id":1,"name":"` + secret, "invalid JSON"},
		{"text in a number field", `{"_embedded":{"leads":[{"id":1,"status_id":"` + secret + `"}]}}`, `field "status_id": a string where int64 was expected`},
		{"object in a list field", `{"_embedded":{"leads":[{"id":1,"custom_fields_values":{"x":"` + secret + `"}}]}}`, `an object where`},
		{"trailing text", `{"_embedded":{"leads":[]}} ` + secret, "invalid JSON"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ch := &Changes{}
			_, err := decodeLeads([]byte(tt.body), ch)
			got := strings.Join(ch.Warnings, "\n")
			if err != nil {
				got = err.Error() + "\n" + got
			}
			if strings.Contains(got, "SECRET") || strings.Contains(got, "<html") {
				t.Fatalf("the error quotes the input: %q", got)
			}
			if !strings.Contains(got, tt.want) {
				t.Fatalf("error %q, want it to say %q", got, tt.want)
			}
		})
	}
}

// TestJSONKind names a value's kind from an UnmarshalTypeError's text.
func TestJSONKind(t *testing.T) {
	for in, want := range map[string]string{
		`"\"x\",\"b\":2}"`: "a string", `"{\"x\":1}"`: "an object", `"[1]"`: "a list", `"true"`: "a boolean",
		`"null"`: "null", `"-1.5"`: "a number", "string": "a string", "": "nothing", "?": "a value",
	} {
		if got := jsonKind(in); got != want {
			t.Errorf("jsonKind(%s) = %q, want %q", in, got, want)
		}
	}
}
