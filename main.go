// Command salesguard watches an amoCRM (Kommo) account for sales discipline and talks to the
// head of sales and the managers in Telegram. See README.md.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"
	_ "time/tzdata" // time zones work on images without a zoneinfo database
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// env is what a subcommand gets: arguments, environment lookup and output streams.
type env struct {
	args   []string
	getenv func(string) string
	stdout io.Writer
	stderr io.Writer
}

// command is one subcommand of the binary.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, e env) error
}

func commands() []command {
	return []command{
		{"run", "run the service: poll amoCRM, check the rules, alert in Telegram (the default)", cmdRun},
		{"demo", "run the real program against the built-in sandbox with a simulated sales team", cmdDemo},
		{"sandbox", "serve the amoCRM sandbox (API v4 with a simulated team) for other tools", cmdSandbox},
		{"check", "sync the account and print the rule findings (--json, --at, --rule)", cmdCheck},
		{"digest", "print the daily digest for a date (--date, --json)", cmdDigest},
		{"report", "write the daily table as xlsx, csv or png (--from, --to, --format, -o)", cmdReport},
		{"backup", "write a consistent copy of the database to FILE while the service runs", cmdBackup},
		{"webhooks", "list, add or remove the account's amoCRM webhooks (list|add|remove, --account, --url)", cmdWebhooks},
		{"version", "print the version", cmdVersion},
		{"help", "list the commands", nil},
	}
}

// usageError marks a usage problem: the message is printed and the exit code is 2.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, a ...any) error { return &usageError{fmt.Sprintf(format, a...)} }

func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	getenv, envErr := withDotEnv(getenv)
	name := "run"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		name, args = args[0], args[1:]
	}
	if name == "help" || name == "-h" || name == "--help" {
		printHelp(stdout)
		return 0
	}
	if envErr != nil && name != "version" {
		fmt.Fprintf(stderr, "salesguard %s: %v\n", name, envErr)
		return 2
	}
	for _, c := range commands() {
		if c.name != name || c.run == nil {
			continue
		}
		err := c.run(ctx, env{args: args, getenv: getenv, stdout: stdout, stderr: stderr})
		return exitCode(err, name, stderr)
	}
	fmt.Fprintf(stderr, "salesguard: unknown command %q\n\n", name)
	printHelp(stderr)
	return 2
}

func exitCode(err error, name string, stderr io.Writer) int {
	var ue *usageError
	switch {
	case err == nil, errors.Is(err, context.Canceled):
		return 0
	case errors.As(err, &ue), IsConfigError(err):
		fmt.Fprintf(stderr, "salesguard %s: %v\n", name, err)
		return 2
	default:
		fmt.Fprintf(stderr, "salesguard %s: %v\n", name, err)
		return 1
	}
}

func printHelp(w io.Writer) {
	fmt.Fprintln(w, "salesguard: sales discipline for amoCRM (Kommo), in Telegram")
	fmt.Fprintln(w, "\nUsage: salesguard <command> [flags]\n\nCommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-8s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nConfiguration comes from the environment or a .env file; see .env.example.")
}

// newLogger builds the process logger from the configuration.
func newLogger(c Config, w io.Writer) *slog.Logger {
	opts := &slog.HandlerOptions{Level: c.LogLevel}
	if c.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

func cmdVersion(_ context.Context, e env) error {
	fmt.Fprintln(e.stdout, "salesguard", version)
	return nil
}
