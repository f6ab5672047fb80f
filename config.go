package main

import (
	"errors"
	"fmt"
	"log/slog"
	"math"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"
)

// Config is the deployment configuration read from the environment (and an optional .env file).
// Rule thresholds and working hours are not here: they are checks.Settings, kept in the database
// and edited in the bot.
type Config struct {
	DB           string        // SALESGUARD_DB
	PollInterval time.Duration // POLL_INTERVAL
	MetricsAddr  string        // SALESGUARD_HTTP_ADDR (or its alias METRICS_ADDR): metrics, health, backup, amoCRM webhooks
	PublicURL    string        // SALESGUARD_PUBLIC_URL: where amoCRM reaches MetricsAddr; set = register the webhooks
	WebhookPoll  time.Duration // WEBHOOK_POLL_INTERVAL: the safety-net poll of an account fed by webhooks
	Pprof        bool          // SALESGUARD_PPROF: serve /debug/pprof on the metrics listener
	BackupToken  string        // SALESGUARD_BACKUP_TOKEN: the credential of GET /backup; empty = a random one per start, in a 0600 file
	MemoryLimit  int64         // SALESGUARD_MEMORY_LIMIT: the Go runtime's soft memory limit in bytes; 0 = none
	LogLevel     slog.Level    // LOG_LEVEL
	LogFormat    string        // LOG_FORMAT: text or json
	Language     string        // SALESGUARD_LANG: default language of messages
	Admins       []int64       // SALESGUARD_ADMINS
	Accounts     []AccountConfig
	Telegram     TelegramConfig
}

// AccountConfig is one amoCRM account to watch. The first comes from AMO_*; more are named in
// SALESGUARD_ACCOUNTS and read from AMO_<NAME>_* variables.
type AccountConfig struct {
	Key          string  // "main" for the AMO_* account
	BaseURL      string  // AMO_BASE_URL
	Token        string  // AMO_TOKEN (long-lived token)
	ClientID     string  // AMO_CLIENT_ID
	ClientSecret string  // AMO_CLIENT_SECRET
	RedirectURI  string  // AMO_REDIRECT_URI
	AuthCode     string  // AMO_AUTH_CODE
	RateLimit    float64 // AMO_RATE_LIMIT; 0 = no limit, allowed for a loopback BaseURL (the sandbox) only
	// WebhookSecret is AMO_WEBHOOK_SECRET: the secret of the account's webhook URL; set =
	// the account takes amoCRM webhooks and its poll slows to the safety net.
	WebhookSecret string
}

// TelegramConfig configures the bot; an empty Token means the console notifier.
type TelegramConfig struct {
	Token         string // TELEGRAM_TOKEN
	APIURL        string // TELEGRAM_API_URL
	WebhookURL    string // TELEGRAM_WEBHOOK_URL
	WebhookSecret string // TELEGRAM_WEBHOOK_SECRET
	ListenAddr    string // TELEGRAM_LISTEN_ADDR
}

// DefaultConfig returns the configuration with every default filled in.
func DefaultConfig() Config {
	return Config{
		DB:           "salesguard.db",
		PollInterval: time.Minute,
		WebhookPoll:  10 * time.Minute,
		MemoryLimit:  DefaultMemoryLimit,
		LogLevel:     slog.LevelInfo,
		LogFormat:    "text",
		Language:     "ru",
		Telegram: TelegramConfig{
			APIURL:     "https://api.telegram.org",
			ListenAddr: ":8443",
		},
	}
}

// String describes the configuration with every secret masked, so it is safe to log.
func (c Config) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "db=%s poll=%s http=%q log=%s/%s lang=%s admins=%d telegram=%s memory_limit=%s backup_token=%s",
		c.DB, c.PollInterval, c.MetricsAddr, c.LogLevel, c.LogFormat, c.Language, len(c.Admins), mask(c.Telegram.Token),
		formatBytes(c.MemoryLimit), mask(c.BackupToken))
	if c.PublicURL != "" || c.webhooks() {
		fmt.Fprintf(&b, " public_url=%q webhook_poll=%s", c.PublicURL, c.WebhookPoll)
	}
	for _, a := range c.Accounts {
		fmt.Fprintf(&b, " account[%s]=%s token=%s oauth=%s webhook=%s", a.Key, a.BaseURL, mask(a.Token), mask(a.ClientSecret), mask(a.WebhookSecret))
	}
	return b.String()
}

func mask(s string) string {
	if s == "" {
		return "unset"
	}
	return "set"
}

// envReader collects every problem so the user sees them all at once.
type envReader struct {
	getenv   func(string) string
	problems []string
}

func (r *envReader) str(name string) string {
	if v := strings.TrimSpace(r.getenv(name)); v != "" {
		return v
	}
	return ""
}

// secret reads NAME, or the file named by NAME_FILE (Docker and systemd secrets).
func (r *envReader) secret(name string) string {
	v := r.str(name)
	file := r.str(name + "_FILE")
	if file == "" {
		return v
	}
	if v != "" {
		r.problems = append(r.problems, fmt.Sprintf("%s and %s_FILE are both set: use one", name, name))
		return v
	}
	b, err := os.ReadFile(file)
	if err != nil {
		r.problems = append(r.problems, fmt.Sprintf("%s_FILE: %v", name, err))
		return ""
	}
	return strings.TrimSpace(string(b))
}

func (r *envReader) duration(dst *time.Duration, name string, min time.Duration) {
	v := r.str(name)
	if v == "" {
		return
	}
	d, err := time.ParseDuration(v)
	if err != nil || d < min {
		r.problems = append(r.problems, fmt.Sprintf("%s=%q: want a duration of at least %s, like 60s or 2m", name, v, min))
		return
	}
	*dst = d
}

// DefaultMemoryLimit is the soft memory limit of the Go runtime when SALESGUARD_MEMORY_LIMIT
// and GOMEMLIMIT are unset: it keeps the service within a small VPS's budget (the collector
// works harder as the heap nears it; it is not a cap that fails allocations).
const DefaultMemoryLimit = 100 << 20

// byteUnits are the suffixes bytes accepts, longest first.
var byteUnits = []struct {
	suffix string
	mult   int64
}{{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30}, {"KB", 1e3}, {"MB", 1e6}, {"GB", 1e9}, {"B", 1}}

// bytes reads a size like 100MiB, 256MB, 1GiB or a plain number of bytes; 0 means none.
func (r *envReader) bytes(dst *int64, name string) {
	v := r.str(name)
	if v == "" {
		return
	}
	n, err := parseBytes(v)
	if err != nil {
		r.problems = append(r.problems, fmt.Sprintf("%s=%q: %v", name, v, err))
		return
	}
	*dst = n
}

// parseBytes parses a size: a whole number with an optional unit (B, KB, MB, GB, KiB, MiB,
// GiB); below 16 MiB only 0 (no limit) is accepted, as the service cannot run in less.
func parseBytes(v string) (int64, error) {
	num, mult := strings.TrimSpace(v), int64(1)
	for _, u := range byteUnits {
		if strings.HasSuffix(num, u.suffix) {
			num, mult = strings.TrimSpace(strings.TrimSuffix(num, u.suffix)), u.mult
			break
		}
	}
	n, err := strconv.ParseInt(num, 10, 64)
	const hint = "want a size like 100MiB, 256MB or 1GiB, or 0 for no limit"
	if err != nil || n < 0 || n > math.MaxInt64/mult {
		return 0, errors.New(hint)
	}
	if n*mult != 0 && n*mult < 16<<20 {
		return 0, fmt.Errorf("%s is below 16MiB: %s", formatBytes(n*mult), hint)
	}
	return n * mult, nil
}

// formatBytes writes a size in MiB ("none" for 0).
func formatBytes(n int64) string {
	if n == 0 {
		return "none"
	}
	return fmt.Sprintf("%.0fMiB", float64(n)/(1<<20))
}

// float reads a number from min to max; NaN and infinities are refused. hint, when set, is
// added to the problem in parentheses.
func (r *envReader) float(dst *float64, name string, min, max float64, hint string) {
	v := r.str(name)
	if v == "" {
		return
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) || f < min || f > max {
		p := fmt.Sprintf("%s=%q: want a number from %g to %g", name, v, min, max)
		if hint != "" {
			p += " (" + hint + ")"
		}
		r.problems = append(r.problems, p)
		return
	}
	*dst = f
}

// ConfigFromEnv reads the configuration. needAccount says whether an amoCRM account is
// required (the demo and the sandbox need none). The error names every problem.
func ConfigFromEnv(getenv func(string) string, needAccount bool) (Config, error) {
	c := DefaultConfig()
	r := &envReader{getenv: getenv}
	if v := r.str("SALESGUARD_DB"); v != "" {
		c.DB = v
	}
	r.duration(&c.PollInterval, "POLL_INTERVAL", 10*time.Second)
	c.MetricsAddr = r.httpAddr()
	c.Pprof = r.str("SALESGUARD_PPROF") == "1"
	if v := r.str("SALESGUARD_BACKUP_TOKEN"); v != "" {
		if len(v) < 16 || strings.ContainsAny(v, " \t\r\n") {
			r.problems = append(r.problems, "SALESGUARD_BACKUP_TOKEN: want at least 16 characters without spaces (e.g. `openssl rand -hex 16`)")
		}
		c.BackupToken = v
	}
	r.bytes(&c.MemoryLimit, "SALESGUARD_MEMORY_LIMIT")
	if v := r.str("LOG_LEVEL"); v != "" {
		if err := c.LogLevel.UnmarshalText([]byte(v)); err != nil {
			r.problems = append(r.problems, fmt.Sprintf("LOG_LEVEL=%q: want debug, info, warn or error", v))
		}
	}
	if v := r.str("LOG_FORMAT"); v != "" {
		if v != "text" && v != "json" {
			r.problems = append(r.problems, fmt.Sprintf("LOG_FORMAT=%q: want text or json", v))
		}
		c.LogFormat = v
	}
	if v := r.str("SALESGUARD_LANG"); v != "" {
		if v != "ru" && v != "en" && v != "es" {
			r.problems = append(r.problems, fmt.Sprintf("SALESGUARD_LANG=%q: want ru, en or es", v))
		}
		c.Language = v
	}
	c.Admins = r.ids("SALESGUARD_ADMINS")
	c.Telegram.Token = r.secret("TELEGRAM_TOKEN")
	if v := r.str("TELEGRAM_API_URL"); v != "" {
		r.url("TELEGRAM_API_URL", v)
		c.Telegram.APIURL = v
	}
	if v := r.str("TELEGRAM_WEBHOOK_URL"); v != "" {
		r.url("TELEGRAM_WEBHOOK_URL", v)
		c.Telegram.WebhookURL = v
	}
	c.Telegram.WebhookSecret = r.secret("TELEGRAM_WEBHOOK_SECRET")
	if v := r.str("TELEGRAM_LISTEN_ADDR"); v != "" {
		c.Telegram.ListenAddr = v
	}
	c.Accounts = r.accounts(needAccount)
	r.webhooks(&c)
	if len(r.problems) > 0 {
		return c, &ConfigError{Problems: r.problems}
	}
	return c, nil
}

func (r *envReader) ids(name string) []int64 {
	var out []int64
	for _, f := range strings.FieldsFunc(r.str(name), func(c rune) bool { return c == ',' || c == ' ' || c == ';' }) {
		id, err := strconv.ParseInt(f, 10, 64)
		if err != nil || id <= 0 {
			r.problems = append(r.problems, fmt.Sprintf("%s: %q is not a Telegram user id (a positive number)", name, f))
			continue
		}
		out = append(out, id)
	}
	return out
}

func (r *envReader) url(name, v string) {
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		r.problems = append(r.problems, fmt.Sprintf("%s=%q: want a full URL like https://example.amocrm.ru", name, v))
	}
}

// accounts reads AMO_* as the "main" account and AMO_<KEY>_* for every key in SALESGUARD_ACCOUNTS.
func (r *envReader) accounts(need bool) []AccountConfig {
	var out []AccountConfig
	keys := []string{"main"}
	for _, k := range strings.FieldsFunc(r.str("SALESGUARD_ACCOUNTS"), func(c rune) bool { return c == ',' || c == ' ' }) {
		k = strings.ToLower(k)
		if !validKey(k) {
			r.problems = append(r.problems, fmt.Sprintf("SALESGUARD_ACCOUNTS: %q is not a valid account name (letters, digits, _ and -)", k))
			continue
		}
		keys = append(keys, k)
	}
	for _, k := range keys {
		prefix := "AMO_"
		if k != "main" {
			prefix = "AMO_" + strings.ToUpper(strings.ReplaceAll(k, "-", "_")) + "_"
		}
		a := AccountConfig{
			Key:          k,
			BaseURL:      strings.TrimRight(r.str(prefix+"BASE_URL"), "/"),
			Token:        r.secret(prefix + "TOKEN"),
			ClientID:     r.str(prefix + "CLIENT_ID"),
			ClientSecret: r.secret(prefix + "CLIENT_SECRET"),
			RedirectURI:  r.str(prefix + "REDIRECT_URI"),
			AuthCode:     r.secret(prefix + "AUTH_CODE"),
		}
		a.WebhookSecret = r.webhookSecret(prefix + "WEBHOOK_SECRET")
		if a.BaseURL == "" && a.Token == "" && a.ClientID == "" && k == "main" && !need {
			continue
		}
		a.RateLimit = r.rateLimit(prefix, a.BaseURL)
		r.checkAccount(prefix, a)
		out = append(out, a)
	}
	return out
}

func (r *envReader) checkAccount(prefix string, a AccountConfig) {
	if a.BaseURL == "" {
		r.problems = append(r.problems, prefix+"BASE_URL is not set: the full account URL, like https://example.amocrm.ru or https://example.kommo.com")
	} else {
		r.url(prefix+"BASE_URL", a.BaseURL)
	}
	oauth := a.ClientID != "" || a.ClientSecret != "" || a.RedirectURI != ""
	switch {
	case a.Token == "" && !oauth:
		r.problems = append(r.problems, prefix+"TOKEN is not set: give a long-lived token, or "+prefix+"CLIENT_ID, "+prefix+"CLIENT_SECRET and "+prefix+"REDIRECT_URI for OAuth")
	case a.Token == "" && (a.ClientID == "" || a.ClientSecret == "" || a.RedirectURI == ""):
		r.problems = append(r.problems, "OAuth needs all of "+prefix+"CLIENT_ID, "+prefix+"CLIENT_SECRET and "+prefix+"REDIRECT_URI")
	}
}

func validKey(k string) bool {
	if k == "" || len(k) > 32 {
		return false
	}
	for _, c := range k {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

// ConfigError lists every configuration problem found.
type ConfigError struct{ Problems []string }

// Error implements error.
func (e *ConfigError) Error() string {
	return "configuration:\n  - " + strings.Join(e.Problems, "\n  - ")
}

// IsConfigError reports whether err is a configuration problem (exit code 2).
func IsConfigError(err error) bool {
	var ce *ConfigError
	return errors.As(err, &ce)
}
