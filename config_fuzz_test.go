package main

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/joho/godotenv"

	"salesguard/amo"
)

// Fuzz targets for the configuration (issue 10): ConfigFromEnv never panics, refuses with a
// ConfigError, and what it accepts is in range: a poll interval of at least 10s, a memory
// limit of 0 or at least 16 MiB, rate limits finite and within their bounds, admins positive.

// checkConfig asserts the ranges of an accepted configuration.
func checkConfig(t *testing.T, c Config, err error) {
	t.Helper()
	if err != nil {
		if ce, ok := err.(*ConfigError); !ok || len(ce.Problems) == 0 {
			t.Fatalf("error %T %v is not a ConfigError with problems", err, err)
		}
		return
	}
	if c.PollInterval < 10*time.Second {
		t.Fatalf("poll interval %v accepted", c.PollInterval)
	}
	if c.MemoryLimit != 0 && c.MemoryLimit < 16<<20 || c.MemoryLimit < 0 {
		t.Fatalf("memory limit %d accepted", c.MemoryLimit)
	}
	for _, id := range c.Admins {
		if id <= 0 {
			t.Fatalf("admin %d accepted", id)
		}
	}
	for _, a := range c.Accounts {
		r, loop := a.RateLimit, amo.IsLoopbackURL(a.BaseURL)
		switch {
		case math.IsNaN(r) || math.IsInf(r, 0):
			t.Fatalf("account %s: rate limit %v accepted", a.Key, r)
		case r == 0 && loop, r >= minRateLimit && r <= maxRateLimit, loop && r >= minRateLimit && r <= maxLoopbackRateLimit:
		default:
			t.Fatalf("account %s at %q: rate limit %v accepted", a.Key, a.BaseURL, r)
		}
		if a.BaseURL == "" || a.Token == "" && (a.ClientID == "" || a.ClientSecret == "" || a.RedirectURI == "") {
			t.Fatalf("account %s accepted without a URL or credentials: %+v", a.Key, a)
		}
		if w := a.WebhookSecret; w != "" {
			if len(w) < minWebhookSecret || len(w) > maxWebhookSecret || strings.Trim(w, urlSafe) != "" {
				t.Fatalf("account %s: webhook secret %q accepted", a.Key, w)
			}
			if c.MetricsAddr == "" {
				t.Fatalf("account %s: a webhook secret accepted without the listener", a.Key)
			}
			shown := c // the other values may hold the same text: only the masked ones count
			shown.PublicURL, shown.MetricsAddr, shown.DB = "", "", ""
			shown.Accounts = nil
			for _, sa := range c.Accounts {
				sa.BaseURL = ""
				shown.Accounts = append(shown.Accounts, sa)
			}
			if strings.Contains(shown.String(), w) {
				t.Fatalf("String() shows the webhook secret: %s", c)
			}
		}
	}
	if c.WebhookPoll < time.Minute {
		t.Fatalf("webhook poll %v accepted", c.WebhookPoll)
	}
	if c.PublicURL != "" && (!c.webhooks() || !strings.HasPrefix(c.PublicURL, "http")) {
		t.Fatalf("public URL %q accepted without a secret or scheme", c.PublicURL)
	}
	_ = c.String()
}

// FuzzConfigWebhooks fuzzes the webhook variables: the secret (main and a second account),
// the public URL, the listener and its alias, the safety-net poll.
func FuzzConfigWebhooks(f *testing.F) {
	f.Add("0123456789abcdef0123", "https://sg.example.com", ":8080", "", "10m", "b-secret-0123456789")
	f.Add("short", "ftp://x", "", ":9090", "30s", "")
	f.Add("has spaces in it 0123", "https://sg.example.com/?q=1", ":8080", ":9090", "1m", "ok_secret.with~marks-0")
	f.Add("", "https://sg.example.com/base/", "127.0.0.1:8080", "127.0.0.1:8080", "", "")
	f.Add("ünïcödé-0123456789abcdef", "http://[::1]:8080", ":0", "", "-1m", strings.Repeat("x", 129))
	f.Fuzz(func(t *testing.T, secret, public, addr, alias, poll, second string) {
		env := map[string]string{"AMO_BASE_URL": "https://example.amocrm.ru", "AMO_TOKEN": "tok",
			"AMO_WEBHOOK_SECRET": secret, "SALESGUARD_PUBLIC_URL": public, "SALESGUARD_HTTP_ADDR": addr,
			"METRICS_ADDR": alias, "WEBHOOK_POLL_INTERVAL": poll, "SALESGUARD_ACCOUNTS": "b",
			"AMO_B_BASE_URL": "https://b.kommo.com", "AMO_B_TOKEN": "t", "AMO_B_WEBHOOK_SECRET": second}
		c, err := ConfigFromEnv(envOf(env), true)
		checkConfig(t, c, err)
		if err != nil {
			others := public + addr + alias + poll
			for _, s := range []string{secret, second} {
				if s = strings.TrimSpace(s); len(s) >= 8 && !strings.Contains(others, s) && strings.Contains(err.Error(), s) {
					t.Fatalf("the problem shows a webhook secret: %v", err)
				}
			}
			return
		}
		if got := c.Accounts[0].WebhookSecret; got != strings.TrimSpace(secret) {
			t.Fatalf("AMO_WEBHOOK_SECRET=%q read as %q", secret, got)
		}
	})
}

// FuzzConfigValues fuzzes the value of each numeric, duration and size variable, for an
// amoCRM and a loopback account.
func FuzzConfigValues(f *testing.F) {
	f.Add("60s", "128MiB", "7", "https://example.amocrm.ru", "1,2", "info")
	f.Add("10s", "0", "0", "http://127.0.0.1:8765", "", "debug")
	f.Add("9s", "16MiB", "1000", "http://localhost:1/", "1 ;2", "WARN+2")
	f.Add("1h", "15MiB", "50.0001", "https://[::1]", "-1", "nope")
	f.Add("-1s", "9223372036854775807", "NaN", "http://127.0.0.1", "0", "error-4")
	f.Add("1e3s", "8589934592GiB", "0x1p-3", "http://[::ffff:127.0.0.1]", "9223372036854775808", "")
	f.Add(" 2m ", "1 GB", "-0", "http://127.0.0.1.", "abc", "INFO")
	f.Fuzz(func(t *testing.T, poll, memory, rate, base, admins, level string) {
		env := map[string]string{"POLL_INTERVAL": poll, "SALESGUARD_MEMORY_LIMIT": memory, "AMO_RATE_LIMIT": rate,
			"AMO_BASE_URL": base, "AMO_TOKEN": "tok", "SALESGUARD_ADMINS": admins, "LOG_LEVEL": level,
			"SALESGUARD_ACCOUNTS": "b", "AMO_B_BASE_URL": "http://127.0.0.1:9", "AMO_B_TOKEN": "t", "AMO_B_RATE_LIMIT": rate}
		c, err := ConfigFromEnv(envOf(env), true)
		checkConfig(t, c, err)
		if err != nil {
			return
		}
		if v := strings.TrimSpace(poll); v != "" {
			if d, _ := time.ParseDuration(v); d != c.PollInterval {
				t.Fatalf("POLL_INTERVAL=%q read as %v", poll, c.PollInterval)
			}
		}
		if v := strings.TrimSpace(memory); v != "" {
			if n, _ := parseBytes(v); n != c.MemoryLimit {
				t.Fatalf("SALESGUARD_MEMORY_LIMIT=%q read as %d", memory, c.MemoryLimit)
			}
		}
	})
}

// FuzzConfigDotEnv parses a whole .env text with godotenv, as the service reads its .env
// file, and feeds it to ConfigFromEnv. *_FILE variables are dropped: they name files to read
// (a secret's file), and a fuzzed name like /dev/zero would only test the file system.
func FuzzConfigDotEnv(f *testing.F) {
	f.Add("AMO_BASE_URL=https://example.amocrm.ru\nAMO_TOKEN=tok\nAMO_RATE_LIMIT=7\nTELEGRAM_TOKEN=123:abc\nSALESGUARD_ADMINS=1,2\n" +
		"SALESGUARD_DB=salesguard.db\nSALESGUARD_LANG=ru\nPOLL_INTERVAL=60s\nMETRICS_ADDR=\nLOG_LEVEL=info\nLOG_FORMAT=text\n")
	f.Add("# comment\nexport AMO_BASE_URL=\"http://127.0.0.1:8765\"\nAMO_TOKEN='x'\nAMO_RATE_LIMIT=0 # unlimited\n")
	f.Add("SALESGUARD_ACCOUNTS=b,c\nAMO_B_BASE_URL=https://b.kommo.com\nAMO_B_CLIENT_ID=id\nAMO_B_CLIENT_SECRET=s\nAMO_B_REDIRECT_URI=https://r\n" +
		"AMO_C_BASE_URL=x\nSALESGUARD_MEMORY_LIMIT=1GiB\n")
	f.Add("TELEGRAM_API_URL=ftp://x\nTELEGRAM_WEBHOOK_URL=https://h/x\nLOG_FORMAT=xml\nSALESGUARD_LANG=de\nPOLL_INTERVAL=5s\n")
	f.Add("A=\"unterminated\nB=${A}\nC=\"multi\nline\"\n=x\n\"=\n")
	f.Add("AMO_BASE_URL=https://a.amocrm.ru\nAMO_TOKEN=t\nAMO_WEBHOOK_SECRET=0123456789abcdef0123\nSALESGUARD_HTTP_ADDR=:8080\n" +
		"SALESGUARD_PUBLIC_URL=https://sg.example.com\nWEBHOOK_POLL_INTERVAL=10m\nMETRICS_ADDR=:8080\n")
	f.Fuzz(func(t *testing.T, text string) {
		if len(text) > 16<<10 {
			t.Skip()
		}
		vals, err := godotenv.Unmarshal(text)
		if err != nil {
			return
		}
		for k := range vals {
			if strings.HasSuffix(k, "_FILE") {
				delete(vals, k)
			}
		}
		for _, need := range []bool{false, true} {
			c, err := ConfigFromEnv(envOf(vals), need)
			checkConfig(t, c, err)
		}
	})
}
