package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"salesguard/storage"
)

// cmdBackup writes a consistent copy of the database to FILE. When the service is not running
// the file is opened directly; when it is (bbolt allows one process), the copy is asked from the
// running service's METRICS_ADDR /backup endpoint, which serves a hot copy from a read
// transaction.
func cmdBackup(ctx context.Context, e env) error {
	if len(e.args) != 1 || e.args[0] == "" || e.args[0][0] == '-' {
		return usagef("usage: salesguard backup FILE")
	}
	out := e.args[0]
	cfg, err := ConfigFromEnv(e.getenv, false)
	if err != nil {
		return err
	}
	db, err := storage.Open(cfg.DB, storage.Options{Timeout: 500 * time.Millisecond})
	switch {
	case err == nil:
		defer db.Close()
		if err := db.BackupFile(out); err != nil {
			return err
		}
	case errors.Is(err, storage.ErrInUse) && cfg.MetricsAddr != "":
		token, err := clientBackupToken(cfg)
		if err != nil {
			return fmt.Errorf("the service holds %s; asking it for a copy: %w", cfg.DB, err)
		}
		if err := backupFromService(ctx, cfg.MetricsAddr, token, out); err != nil {
			return fmt.Errorf("the service holds %s; asking it for a copy: %w", cfg.DB, err)
		}
	case errors.Is(err, storage.ErrInUse):
		return fmt.Errorf("%w; set METRICS_ADDR on the service so backup can ask it for a hot copy", err)
	default:
		return err
	}
	st, err := os.Stat(out)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "backup written to %s (%d bytes)\n", out, st.Size())
	return nil
}

func backupFromService(ctx context.Context, addr, token, out string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+addr+"/backup", nil)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET /backup: %s", resp.Status)
	}
	tmp, err := os.CreateTemp(filepath.Dir(out), ".salesguard-backup-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := io.Copy(tmp, resp.Body); err != nil {
		tmp.Close()
		return fmt.Errorf("download backup: %w", err)
	}
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), out)
}
