package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"

	"salesguard/amo/sandbox"
)

// sandboxFlags are the options of `salesguard sandbox`.
type sandboxFlags struct {
	addr        string
	token       string
	seed        int64
	managers    int
	leadsPerDay int
	days        int
	rateLimit   float64
	lang        string
	tz          string
}

func parseSandboxFlags(args []string, stderr io.Writer) (sandboxFlags, error) {
	var f sandboxFlags
	fs := flag.NewFlagSet("sandbox", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&f.addr, "addr", "127.0.0.1:8765", "address to listen on")
	fs.StringVar(&f.token, "token", "sandbox-token", "long-lived token clients must send")
	fs.Int64Var(&f.seed, "seed", 1, "simulation seed: the same seed gives the same account")
	fs.IntVar(&f.managers, "managers", 20, "managers in the simulated team")
	fs.IntVar(&f.leadsPerDay, "leads-per-day", 100, "new leads per day")
	fs.IntVar(&f.days, "days", 30, "days of history before now")
	fs.Float64Var(&f.rateLimit, "rate-limit", sandbox.DefaultRateLimit, "requests per second before 429 (0 = off)")
	fs.StringVar(&f.lang, "lang", "ru", "language of names, stages and reasons: ru, en or es")
	fs.StringVar(&f.tz, "tz", "Europe/Moscow", "the account's time zone")
	if err := fs.Parse(args); err != nil {
		return f, usagef("%v", err)
	}
	switch {
	case f.managers < 1 || f.managers > 500:
		return f, usagef("--managers %d: want 1 to 500", f.managers)
	case f.leadsPerDay < 0 || f.leadsPerDay > 100000:
		return f, usagef("--leads-per-day %d: want 0 to 100000", f.leadsPerDay)
	case f.days < 0 || f.days > 365:
		return f, usagef("--days %d: want 0 to 365", f.days)
	case f.lang != "ru" && f.lang != "en" && f.lang != "es":
		return f, usagef("--lang %q: want ru, en or es", f.lang)
	case f.token == "":
		return f, usagef("--token must not be empty")
	}
	if _, err := time.LoadLocation(f.tz); err != nil {
		return f, usagef("--tz %q: not a time zone (want e.g. Europe/Moscow)", f.tz)
	}
	return f, nil
}

// cmdSandbox serves the amoCRM sandbox with a simulated team that keeps working in real time.
func cmdSandbox(ctx context.Context, e env) error {
	f, err := parseSandboxFlags(e.args, e.stderr)
	if err != nil {
		return err
	}
	now := time.Now()
	w := sandbox.NewWorld(now)
	sim := sandbox.NewSim(w, sandbox.SimConfig{
		Seed: f.seed, Managers: f.managers, LeadsPerDay: f.leadsPerDay, Days: f.days,
		Start: now, TimeZone: f.tz, Lang: f.lang,
	})
	sim.Populate()
	cfg := sandbox.DefaultConfig(f.token)
	cfg.RateLimit = f.rateLimit
	ln, err := net.Listen("tcp", f.addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", f.addr, err)
	}
	base := "http://" + ln.Addr().String()
	srv := &http.Server{Handler: sandbox.NewServer(w, cfg), ReadHeaderTimeout: 5 * time.Second}
	var leads int
	w.Read(func(d *sandbox.Data) { leads = len(d.Leads) })
	fmt.Fprintf(e.stdout, "amoCRM sandbox: %d managers, %d leads, seed %d\n", f.managers, leads, f.seed)
	fmt.Fprintf(e.stdout, "AMO_BASE_URL=%s\nAMO_TOKEN=%s\n", base, f.token)
	go func() {
		t := time.NewTicker(15 * time.Second)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
				_ = srv.Shutdown(shutdown)
				cancel()
				return
			case now := <-t.C:
				sim.AdvanceTo(now)
			}
		}
	}()
	if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("sandbox server: %w", err)
	}
	return nil
}
