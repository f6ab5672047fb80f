package bot

import (
	"strings"
	"testing"

	"salesguard/notify"
)

// Fuzz targets for the account picker's data and the account tag other buttons carry. Both
// come back from Telegram verbatim: user input, parsed strictly and within 64 bytes.

func FuzzParseAccountData(f *testing.F) {
	for _, s := range []string{"main", "north", "client-a", "a_b", strings.Repeat("z", maxAccountKeyData),
		strings.Repeat("z", maxAccountKeyData+1), "", "Main", "main~AAAAAAAA", "../main", "ma in", "main\n", "кириллица"} {
		f.Add(s, "main")
	}
	f.Fuzz(func(t *testing.T, s, key string) {
		got, ok := parseAccountData(s)
		if ok {
			if got != s || accountData(got) != s || len("\f"+uniqAccount+"|"+s) > maxCallbackData {
				t.Fatalf("parseAccountData(%q) = %q", s, got)
			}
			for _, c := range []byte(s) {
				if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
					t.Fatalf("accepted %q with the byte %q", s, c)
				}
			}
		} else if got != "" {
			t.Fatalf("refused %q but returned %q", s, got)
		}
		// Every key the configuration allows round-trips.
		if validConfigKey(key) {
			if back, ok := parseAccountData(accountData(key)); !ok || back != key {
				t.Fatalf("key %q reads back as %q, %v", key, back, ok)
			}
		}
	})
}

// validConfigKey is the configuration's rule for account keys (SALESGUARD_ACCOUNTS).
func validConfigKey(k string) bool {
	if k == "" || len(k) > 32 {
		return false
	}
	for _, c := range []byte(k) {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

func FuzzAccountTag(f *testing.F) {
	key := shortKey(fuzzKey([]byte("a finding key of thirty-two byte")))
	for _, s := range []string{"h:" + key, key, "overdue:3", "t:r:R11", "", "~", "x~", "x~AAAAAAAA", "x~AAAAAAA", "x~AAAAAAAAA",
		"x~AA~AAAAAAAA", "x~AAAAAAA=", "x~AAAAAAA/", "x~" + accountTag("main")} {
		f.Add(uniqSnooze, s, "main")
	}
	f.Fuzz(func(t *testing.T, unique, data, account string) {
		base, tag, state := cutAccountTag(data)
		switch state {
		case tagNone:
			if base != data || tag != "" || strings.Contains(data, accountSep) {
				t.Fatalf("cutAccountTag(%q) = %q, %q, untagged", data, base, tag)
			}
		case tagOK:
			if !isAccountTag(tag) || base+accountSep+tag != data || strings.Contains(base, accountSep) {
				t.Fatalf("cutAccountTag(%q) = %q, %q", data, base, tag)
			}
		case tagBad:
			if base != "" || tag != "" {
				t.Fatalf("refused %q but returned %q, %q", data, base, tag)
			}
		}
		// What tagData writes is within Telegram's limit and cuts back to the data and the tag.
		if strings.Contains(data, accountSep) || len(unique) == 0 || len(unique) > 8 {
			return
		}
		want := accountTag(account)
		out := tagData(unique, data, want)
		if out == data {
			if len("\f"+unique+"|"+data+accountSep+want) <= maxCallbackData {
				t.Fatalf("tagData(%q, %q) left a data that fits untagged", unique, data)
			}
			return
		}
		if len("\f"+unique+"|"+out) > maxCallbackData {
			t.Fatalf("tagData(%q, %q) = %q: over %d bytes", unique, data, out, maxCallbackData)
		}
		if b, tg, st := cutAccountTag(out); st != tagOK || b != data || tg != want {
			t.Fatalf("tagged %q cuts back to %q, %q, %d", out, b, tg, st)
		}
		rows := tagRows([][]notify.Button{{{Unique: unique, Data: data}, {URL: "https://x.example", Data: data}}}, account)
		if rows[0][0].Data != out || rows[0][1].Data != data {
			t.Fatalf("tagRows = %+v", rows)
		}
	})
}
