package locales

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
)

// placeholders returns the fmt verbs of a template as a map from argument index to verb
// ("%[2]s" → 2:'s'). Every verb must carry an explicit index so translations may reorder
// arguments; "%%" is a literal percent sign.
func placeholders(s string) (map[int]rune, error) {
	out := map[int]rune{}
	for i := 0; i < len(s); i++ {
		if s[i] != '%' {
			continue
		}
		i++
		if i < len(s) && s[i] == '%' {
			continue
		}
		for i < len(s) && strings.IndexByte("+-# 0", s[i]) >= 0 {
			i++
		}
		if i >= len(s) || s[i] != '[' {
			return nil, fmt.Errorf("verb at byte %d has no argument index: write %%[1]s, not %%s", i)
		}
		end := strings.IndexByte(s[i:], ']')
		if end < 0 {
			return nil, fmt.Errorf("unclosed argument index at byte %d", i)
		}
		n, err := strconv.Atoi(s[i+1 : i+end])
		if err != nil || n < 1 {
			return nil, fmt.Errorf("bad argument index %q", s[i:i+end+1])
		}
		i += end + 1
		for i < len(s) && (s[i] >= '0' && s[i] <= '9' || s[i] == '.') {
			i++
		}
		if i >= len(s) || !isVerb(s[i]) {
			return nil, fmt.Errorf("argument %d has no verb", n)
		}
		if v, ok := out[n]; ok && v != rune(s[i]) {
			return nil, fmt.Errorf("argument %d is used as %%%c and %%%c", n, v, s[i])
		}
		out[n] = rune(s[i])
	}
	return out, nil
}

func isVerb(b byte) bool { return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' }

// signature renders a placeholder set canonically ("%[1]d %[2]s") for comparisons and messages.
func signature(ph map[int]rune) string {
	parts := make([]string, 0, len(ph))
	for _, n := range slices.Sorted(maps.Keys(ph)) {
		parts = append(parts, fmt.Sprintf("%%[%d]%c", n, ph[n]))
	}
	return strings.Join(parts, " ")
}
