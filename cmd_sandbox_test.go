package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"

	"salesguard/amo/sandbox"
)

func TestParseSandboxFlags(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		wantErr string // substring of the usage error; "" = valid
		check   func(t *testing.T, f sandboxFlags)
	}{
		{name: "defaults", check: func(t *testing.T, f sandboxFlags) {
			if f.size != "" || f.live || f.rateLimit != 7 || f.days != 30 {
				t.Errorf("defaults %+v", f)
			}
		}},
		{name: "size", args: []string{"--size", "large", "--seed", "4"}, check: func(t *testing.T, f sandboxFlags) {
			if f.size != "large" || f.seed != 4 || f.live {
				t.Errorf("flags %+v", f)
			}
		}},
		{name: "size live", args: []string{"--size=small", "--live", "--rate-limit", "0"}, check: func(t *testing.T, f sandboxFlags) {
			if f.size != "small" || !f.live || f.rateLimit != 0 {
				t.Errorf("flags %+v", f)
			}
		}},
		{name: "unknown size", args: []string{"--size", "huge"}, wantErr: `--size "huge": want small, medium, large`},
		{name: "live without size", args: []string{"--live"}, wantErr: "--live needs --size"},
		{name: "size with days", args: []string{"--size", "small", "--days", "3"}, wantErr: "--days does not apply with --size"},
		{name: "size with managers", args: []string{"--size", "small", "--managers", "5"}, wantErr: "--managers does not apply"},
		{name: "size with lang", args: []string{"--size", "medium", "--lang", "en"}, wantErr: "--lang does not apply"},
		{name: "negative rate", args: []string{"--rate-limit", "-1"}, wantErr: "--rate-limit -1: want 0 (no limit) or a positive number"},
		{name: "NaN rate", args: []string{"--rate-limit", "NaN"}, wantErr: "--rate-limit NaN"},
		{name: "Inf rate", args: []string{"--rate-limit", "+Inf"}, wantErr: "--rate-limit +Inf"},
		{name: "stray argument", args: []string{"--size", "small", "large"}, wantErr: `unexpected argument "large"`},
		{name: "unknown flag", args: []string{"--sise", "small"}, wantErr: "flag provided but not defined"},
		{name: "webhook", args: []string{"--webhook", "http://127.0.0.1:8080/amocrm/webhook/main/s"}, check: func(t *testing.T, f sandboxFlags) {
			if f.webhook != "http://127.0.0.1:8080/amocrm/webhook/main/s" {
				t.Errorf("flags %+v", f)
			}
		}},
		{name: "webhook not a URL", args: []string{"--webhook", "127.0.0.1:8080"}, wantErr: "--webhook"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := parseSandboxFlags(tt.args, io.Discard)
			if tt.wantErr != "" {
				var ue *usageError
				if !errors.As(err, &ue) || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error %v, want a usage error containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			tt.check(t, f)
		})
	}
}

// TestCmdSandboxSize starts `salesguard sandbox --size small` on a free loopback port, reads
// the printed lines, and uses the API and the control API.
func TestCmdSandboxSize(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- cmdSandbox(ctx, env{args: []string{"--size", "small", "--addr", "127.0.0.1:0", "--token", "tok", "--rate-limit", "0"},
			getenv: envOf(nil), stdout: pw, stderr: io.Discard})
		pw.Close()
	}()
	vars, header := map[string]string{}, ""
	sc := bufio.NewScanner(pr)
	for vars["AMO_TOKEN"] == "" && sc.Scan() {
		if k, v, ok := strings.Cut(sc.Text(), "="); ok && strings.HasPrefix(k, "AMO_") {
			vars[k] = v
		} else {
			header = sc.Text()
		}
	}
	go func() { _, _ = io.Copy(io.Discard, pr) }()
	if !strings.Contains(header, "1000 leads, 1000 contacts, 3000 tasks, 3000 notes, 10000 events, generated in") || vars["AMO_TOKEN"] != "tok" {
		t.Fatalf("printed %q and %v", header, vars)
	}
	base := vars["AMO_BASE_URL"]
	if code := httpStatus(t, http.MethodGet, base+"/api/v4/account", "tok"); code != http.StatusOK {
		t.Errorf("GET /api/v4/account = %d", code)
	}
	if code := httpStatus(t, http.MethodPost, base+"/_sandbox/touch?deals=3", ""); code != http.StatusOK {
		t.Errorf("POST /_sandbox/touch = %d", code)
	}
	var st sandbox.ControlStats
	resp, err := http.Get(base + "/_sandbox/stats")
	if err != nil {
		t.Fatal(err)
	}
	err = json.NewDecoder(resp.Body).Decode(&st)
	resp.Body.Close()
	if err != nil || st.Total != 1 || st.Counts.Leads != 1000 || st.Counts.Notes+st.Counts.Events < 13000 || st.MinFullSyncRequests < 12 {
		t.Errorf("stats %+v, %v", st, err)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("cmdSandbox after cancel: %v", err)
	}
}

// httpStatus sends a request with an optional bearer token and returns the status.
func httpStatus(t *testing.T, method, url, token string) int {
	t.Helper()
	req, err := http.NewRequest(method, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}
