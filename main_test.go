package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"
)

func envOf(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestConfigFromEnv(t *testing.T) {
	tests := []struct {
		name        string
		env         map[string]string
		needAccount bool
		wantErr     []string // substrings, all must appear
		check       func(t *testing.T, c Config)
	}{
		{
			name: "defaults without account",
			env:  map[string]string{},
			check: func(t *testing.T, c Config) {
				if c.PollInterval != time.Minute || c.DB != "salesguard.db" || len(c.Accounts) != 0 {
					t.Errorf("defaults: %+v", c)
				}
			},
		},
		{
			name:        "missing account names every problem",
			env:         map[string]string{"POLL_INTERVAL": "1s", "LOG_FORMAT": "xml"},
			needAccount: true,
			wantErr:     []string{"POLL_INTERVAL", "LOG_FORMAT", "AMO_BASE_URL is not set", "AMO_TOKEN is not set"},
		},
		{
			name:        "long-lived token",
			env:         map[string]string{"AMO_BASE_URL": "https://example.amocrm.ru/", "AMO_TOKEN": "secret-token"},
			needAccount: true,
			check: func(t *testing.T, c Config) {
				if len(c.Accounts) != 1 || c.Accounts[0].BaseURL != "https://example.amocrm.ru" || c.Accounts[0].RateLimit != 7 {
					t.Errorf("accounts: %+v", c.Accounts)
				}
				if strings.Contains(c.String(), "secret-token") {
					t.Errorf("String() leaks the token: %s", c)
				}
			},
		},
		{
			name:        "half OAuth",
			env:         map[string]string{"AMO_BASE_URL": "https://example.kommo.com", "AMO_CLIENT_ID": "id"},
			needAccount: true,
			wantErr:     []string{"OAuth needs all of AMO_CLIENT_ID, AMO_CLIENT_SECRET and AMO_REDIRECT_URI"},
		},
		{
			name: "second account and bad values",
			env: map[string]string{
				"AMO_BASE_URL": "https://a.amocrm.ru", "AMO_TOKEN": "t",
				"SALESGUARD_ACCOUNTS": "clientb", "AMO_CLIENTB_BASE_URL": "ftp://x", "AMO_CLIENTB_TOKEN": "u",
				"AMO_CLIENTB_RATE_LIMIT": "100", "SALESGUARD_ADMINS": "12, abc", "SALESGUARD_LANG": "de",
			},
			needAccount: true,
			wantErr:     []string{"AMO_CLIENTB_BASE_URL", "AMO_CLIENTB_RATE_LIMIT", `"abc" is not a Telegram user id`, "SALESGUARD_LANG"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := ConfigFromEnv(envOf(tt.env), tt.needAccount)
			if len(tt.wantErr) > 0 {
				if err == nil || !IsConfigError(err) {
					t.Fatalf("want config error, got %v", err)
				}
				for _, w := range tt.wantErr {
					if !strings.Contains(err.Error(), w) {
						t.Errorf("error %q does not mention %q", err, w)
					}
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if tt.check != nil {
				tt.check(t, c)
			}
		})
	}
}

func TestRunHelpAndUnknown(t *testing.T) {
	var out, errb bytes.Buffer
	if code := run(context.Background(), []string{"help"}, envOf(nil), &out, &errb); code != 0 {
		t.Fatalf("help exit %d", code)
	}
	for _, c := range commands() {
		if !strings.Contains(out.String(), c.name) {
			t.Errorf("help does not list %s", c.name)
		}
	}
	if code := run(context.Background(), []string{"nope"}, envOf(nil), &out, &errb); code != 2 {
		t.Errorf("unknown command exit %d, want 2", code)
	}
	out.Reset()
	if code := run(context.Background(), []string{"version"}, envOf(nil), &out, &errb); code != 0 || !strings.Contains(out.String(), "salesguard") {
		t.Errorf("version: %d %q", code, out.String())
	}
}
