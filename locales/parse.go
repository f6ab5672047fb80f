package locales

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"

	"golang.org/x/text/feature/plural"
)

// keyPattern is a flat dotted key: "digest.header", "alert.R1.warning".
var keyPattern = regexp.MustCompile(`^[a-z][a-z0-9_]*(\.[A-Za-z0-9_]+)+$`)

type keyedEntry struct {
	key   string
	entry entry
}

// parseFile reads one catalog file: a JSON object whose values are strings (plain messages)
// or objects of strings keyed by plural category. Unlike encoding/json's map decoding it
// reports duplicate keys instead of keeping the last one.
func parseFile(data []byte) ([]keyedEntry, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := expectDelim(dec, '{'); err != nil {
		return nil, err
	}
	var out []keyedEntry
	seen := map[string]bool{}
	for dec.More() {
		key, err := stringToken(dec)
		if err != nil {
			return nil, err
		}
		if !keyPattern.MatchString(key) {
			return nil, fmt.Errorf("key %q: want dotted words like digest.header or alert.R1.warning", key)
		}
		if seen[key] {
			return nil, fmt.Errorf("key %q is defined twice", key)
		}
		seen[key] = true
		e, err := parseValue(dec)
		if err != nil {
			return nil, fmt.Errorf("key %q: %w", key, err)
		}
		out = append(out, keyedEntry{key, e})
	}
	if err := expectDelim(dec, '}'); err != nil {
		return nil, err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, errors.New("trailing data after the top-level object")
	}
	return out, nil
}

func parseValue(dec *json.Decoder) (entry, error) {
	tok, err := dec.Token()
	if err != nil {
		return entry{}, fmt.Errorf("read value: %w", err)
	}
	switch v := tok.(type) {
	case string:
		return entry{text: v}, nil
	case json.Delim:
		if v != '{' {
			break
		}
		forms := map[plural.Form]string{}
		for dec.More() {
			name, err := stringToken(dec)
			if err != nil {
				return entry{}, err
			}
			f, ok := formNames[name]
			if !ok {
				return entry{}, fmt.Errorf("unknown plural category %q (want zero, one, two, few, many, other)", name)
			}
			if _, dup := forms[f]; dup {
				return entry{}, fmt.Errorf("plural category %q is defined twice", name)
			}
			if forms[f], err = stringToken(dec); err != nil {
				return entry{}, err
			}
		}
		if err := expectDelim(dec, '}'); err != nil {
			return entry{}, err
		}
		if len(forms) == 0 {
			return entry{}, errors.New("empty plural object")
		}
		return entry{forms: forms}, nil
	}
	return entry{}, fmt.Errorf("want a string or an object of plural forms, got %v", tok)
}

func stringToken(dec *json.Decoder) (string, error) {
	tok, err := dec.Token()
	if err != nil {
		return "", fmt.Errorf("read string: %w", err)
	}
	s, ok := tok.(string)
	if !ok {
		return "", fmt.Errorf("want a string, got %v", tok)
	}
	return s, nil
}

func expectDelim(dec *json.Decoder, want json.Delim) error {
	tok, err := dec.Token()
	if err != nil {
		return fmt.Errorf("read %q: %w", want, err)
	}
	if d, ok := tok.(json.Delim); !ok || d != want {
		return fmt.Errorf("want %q, got %v", want, tok)
	}
	return nil
}
