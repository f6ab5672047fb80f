package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"regexp"
	"strings"

	"github.com/joho/godotenv"
)

// withDotEnv lets a .env file in the working directory (or SALESGUARD_ENV_FILE) fill the
// variables the environment lacks, without changing the process environment. A missing file
// is fine; a file that cannot be read or parsed is an error naming its line, not a silent
// "AMO_BASE_URL is not set" later.
func withDotEnv(getenv func(string) string) (func(string) string, error) {
	file := getenv("SALESGUARD_ENV_FILE")
	explicit := file != ""
	if !explicit {
		file = ".env"
	}
	data, err := os.ReadFile(file)
	switch {
	case errors.Is(err, fs.ErrNotExist) && !explicit:
		return getenv, nil
	case err != nil:
		return getenv, fmt.Errorf("env file: %w", err)
	}
	vals, err := parseDotEnv(string(data))
	if err != nil {
		return getenv, fmt.Errorf("%s: %w", file, err)
	}
	return func(k string) string {
		if v := getenv(k); v != "" {
			return v
		}
		return vals[k]
	}, nil
}

// envName is what a variable name may look like.
var envName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// parseDotEnv parses a .env text; an error names the line at fault.
func parseDotEnv(text string) (map[string]string, error) {
	vals, err := godotenv.Unmarshal(text)
	if err != nil {
		return nil, fmt.Errorf("line %d: %w", faultyLine(text), err)
	}
	lines := strings.Split(text, "\n")
	for k := range vals {
		if envName.MatchString(k) {
			continue
		}
		n := 0
		for i, l := range lines {
			l = strings.TrimPrefix(strings.TrimSpace(l), "export ")
			rest, ok := strings.CutPrefix(l, k)
			if rest = strings.TrimLeft(rest, " \t"); ok && (strings.HasPrefix(rest, "=") || strings.HasPrefix(rest, ":")) {
				n = i + 1
				break
			}
		}
		return nil, fmt.Errorf("line %d: %q is not a variable name (letters, digits and _; e.g. AMO_BASE_URL=https://…)", n, k)
	}
	return vals, nil
}

// faultyLine finds the line a parse error starts at: the first line from which every longer
// prefix of the text fails to parse (a quoted value may span lines, so a prefix that ends
// inside one fails too, but a longer one parses again).
func faultyLine(text string) int {
	lines := strings.SplitAfter(text, "\n")
	bad := len(lines)
	for n := len(lines); n >= 1; n-- {
		if _, err := godotenv.Unmarshal(strings.Join(lines[:n], "")); err == nil {
			break
		}
		bad = n
	}
	return bad
}
