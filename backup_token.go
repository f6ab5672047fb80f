package main

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
)

// backupTokenFile is where a running service keeps the credential of its GET /backup when
// SALESGUARD_BACKUP_TOKEN is not set: next to the database, readable by its owner only (who
// can read the database file anyway). `salesguard backup` reads it from there.
func backupTokenFile(db string) string { return db + ".backup-token" }

// serviceBackupToken returns the credential the service asks /backup for: the configured one,
// or a new random one written to backupTokenFile (mode 0600) for `salesguard backup`. remove
// deletes that file when the service stops.
func serviceBackupToken(cfg Config) (token string, remove func(), err error) {
	if cfg.BackupToken != "" {
		return cfg.BackupToken, func() {}, nil
	}
	var b [24]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", nil, fmt.Errorf("backup token: %w", err)
	}
	token = hex.EncodeToString(b[:])
	path := backupTokenFile(cfg.DB)
	_ = os.Remove(path) // a stale file of an earlier run: rewrite it with our mode
	if err := os.WriteFile(path, []byte(token+"\n"), 0o600); err != nil {
		return "", nil, fmt.Errorf("backup token: %w", err)
	}
	return token, func() { _ = os.Remove(path) }, nil
}

// clientBackupToken is the credential `salesguard backup` sends to a running service.
func clientBackupToken(cfg Config) (string, error) {
	if cfg.BackupToken != "" {
		return cfg.BackupToken, nil
	}
	b, err := os.ReadFile(backupTokenFile(cfg.DB))
	if errors.Is(err, fs.ErrNotExist) {
		return "", fmt.Errorf("no %s: run backup as the service's user on its machine, or set SALESGUARD_BACKUP_TOKEN on both", backupTokenFile(cfg.DB))
	}
	if err != nil {
		return "", fmt.Errorf("backup token: %w", err)
	}
	return strings.TrimSpace(string(b)), nil
}
