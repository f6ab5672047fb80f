package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestParseDotEnv(t *testing.T) {
	tests := []struct {
		name, text string
		want       map[string]string
		wantErr    string
	}{
		{"plain", "# comment\nAMO_BASE_URL=https://x.amocrm.ru\nexport POLL_INTERVAL=60s\n", map[string]string{"AMO_BASE_URL": "https://x.amocrm.ru", "POLL_INTERVAL": "60s"}, ""},
		{"multi-line quoted value", "A=1\nB=\"two\nlines\"\nC=3\n", map[string]string{"A": "1", "B": "two\nlines", "C": "3"}, ""},
		{"dash in a name", "A=1\nB=2\nFOO-BAR=1\n", nil, "line 3: unexpected character"},
		{"a word alone", "A=1\njunk\nC=3\n", nil, "line 2: unexpected character"},
		{"unterminated quote", "A=1\nB=\"abc\nC=3\n", nil, "line 2: unterminated quoted value"},
		{"space in a name", "A=1\nTELEGRAM TOKEN=x\n", nil, `line 2: "TELEGRAM TOKEN" is not a variable name`},
		{"no name", "A=1\n=2\n", nil, `line 2: "" is not a variable name`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseDotEnv(tt.text)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v; want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			for k, v := range tt.want {
				if got[k] != v {
					t.Errorf("%s = %q; want %q", k, got[k], v)
				}
			}
		})
	}
}

// TestDotEnvErrorStopsWithItsLine: a .env with a syntax error is reported with its line, not
// ignored into "AMO_BASE_URL is not set".
func TestDotEnvErrorStopsWithItsLine(t *testing.T) {
	file := filepath.Join(t.TempDir(), "env")
	if err := os.WriteFile(file, []byte("AMO_BASE_URL=http://127.0.0.1:1\nAMO TOKEN=x\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), []string{"check"}, envOf(map[string]string{"SALESGUARD_ENV_FILE": file}), &stdout, &stderr)
	if code != 2 || !strings.Contains(stderr.String(), "line 2") || strings.Contains(stderr.String(), "not set") {
		t.Errorf("exit %d, stderr %q; want 2 naming line 2", code, stderr.String())
	}
	code = run(context.Background(), []string{"check"}, envOf(map[string]string{"SALESGUARD_ENV_FILE": filepath.Join(t.TempDir(), "missing")}), &stdout, &stderr)
	if code != 2 || !strings.Contains(stderr.String(), "env file") {
		t.Errorf("a missing SALESGUARD_ENV_FILE: exit %d, stderr %q", code, stderr.String())
	}
}
