package bot

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"strings"

	"salesguard/checks"
)

// errMoreJSON means a settings file holds more than one JSON value.
var errMoreJSON = errors.New("more than one JSON value")

// decodeError is why a settings file does not decode, with the line it happened on.
type decodeError struct {
	err  error
	line int
}

// Error is the decoder's own (English) message, for logs.
func (e *decodeError) Error() string { return e.err.Error() }

// Unwrap gives the decoder's error.
func (e *decodeError) Unwrap() error { return e.err }

// lineAt is the 1-based line of a byte offset of data; the decoder's own offsets are
// preferred (they point at the fault, not past it).
func lineAt(data []byte, offset int64) int {
	return 1 + bytes.Count(data[:min(max(offset, 0), int64(len(data)))], []byte("\n"))
}

// faultOffset is where a decoding error points, or at when the error does not say.
func faultOffset(err error, at int64) int64 {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		return se.Offset
	case errors.As(err, &te):
		return te.Offset
	}
	return at
}

// unknownFieldPrefix starts encoding/json's message for a key DisallowUnknownFields refuses.
const unknownFieldPrefix = `json: unknown field "`

// parseKeys explain a value of a settings file that does not read as its kind.
var parseKeys = map[string]string{
	checks.KindDuration: "bot.settings.import.bad_json.duration",
	checks.KindDate:     "bot.settings.import.bad_json.date",
	checks.KindClock:    "bot.settings.import.bad_json.clock",
}

// decodeProblem says, wholly in the person's language, why a settings file was not imported.
func decodeProblem(p Printer, err error) string {
	line := 0
	var de *decodeError
	if errors.As(err, &de) {
		line = de.line
	}
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	var pe *checks.ParseError
	switch {
	case errors.Is(err, io.EOF):
		return p.T("bot.settings.import.bad_json.empty")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return p.T("bot.settings.import.bad_json.truncated")
	case errors.Is(err, errMoreJSON):
		return p.T("bot.settings.import.bad_json.more", line)
	case errors.As(err, &se):
		return p.T("bot.settings.import.bad_json.syntax", line)
	case errors.As(err, &te) && te.Field == "":
		return p.T("bot.settings.import.bad_json.not_object")
	case errors.As(err, &te):
		return p.T("bot.settings.import.bad_json.type", settingRef(p, te.Field), line)
	case errors.As(err, &pe) && parseKeys[pe.Kind] != "":
		return p.T(parseKeys[pe.Kind], cut(pe.Text, 40), line)
	}
	if rest, ok := strings.CutPrefix(err.Error(), unknownFieldPrefix); ok {
		return p.T("bot.settings.import.bad_json.unknown", cut(strings.TrimSuffix(rest, `"`), 60), line)
	}
	return p.T("bot.settings.import.bad_json")
}

// settingRef names a setting for someone editing the file: its label and its JSON path.
func settingRef(p Printer, path string) string {
	if label := settingLabel(p, path); label != path {
		return p.T("bot.settings.problem.path", label, path)
	}
	return path
}
