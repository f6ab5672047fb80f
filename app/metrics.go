package app

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics are the service's Prometheus metrics, on a registry of their own (no globals).
type Metrics struct {
	Registry     *prometheus.Registry
	PollDuration *prometheus.HistogramVec
	PollCPU      *prometheus.HistogramVec
	AmoRequests  *prometheus.CounterVec
	FindingsOpen *prometheus.GaugeVec
	AlertsSent   *prometheus.CounterVec
	OutboxDepth  prometheus.Gauge
	PollErrors   *prometheus.CounterVec

	TelegramUp   prometheus.Gauge
	ItemsSkipped *prometheus.CounterVec
	// WebhooksReceived counts amoCRM webhooks by account and result: ok, unparsed (a body
	// that named nothing readable, synced all the same), too_large, unreadable, and rejected
	// (unknown account or wrong secret; the account label is empty).
	WebhooksReceived *prometheus.CounterVec

	lastPollOK  atomic.Int64 // unix seconds of the last successful poll, for /healthz
	lastWebhook atomic.Int64 // unix seconds of the last accepted amoCRM webhook, for /healthz
	telegram    atomic.Pointer[telegramLink]
}

// telegramLink is the bot's connection state as /healthz shows it.
type telegramLink struct {
	state string
	since time.Time
	err   string
}

// SetTelegram records the state of the connection to the Bot API ("connected",
// "unreachable", "unauthorized", "connecting"), since when, and the last error (token masked).
// A refused token makes /healthz fail; an outage is shown but is not a failure of the service.
func (m *Metrics) SetTelegram(state string, since time.Time, err string) {
	m.telegram.Store(&telegramLink{state: state, since: since, err: err})
	up := 0.0
	if state == "connected" {
		up = 1
	}
	m.TelegramUp.Set(up)
}

// NewMetrics registers the metrics on a new registry.
func NewMetrics() *Metrics {
	m := &Metrics{
		Registry: prometheus.NewRegistry(),
		PollDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "salesguard_poll_duration_seconds", Help: "Duration of one poll cycle (sync, checks, ledger, outbox).",
			Buckets: prometheus.ExponentialBuckets(0.05, 2, 12),
		}, []string{"account"}),
		PollCPU: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "salesguard_poll_cpu_seconds", Help: "CPU time of the process during one poll cycle.",
			Buckets: prometheus.ExponentialBuckets(0.001, 2, 14),
		}, []string{"account"}),
		AmoRequests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "salesguard_amocrm_requests_total", Help: "Requests made to amoCRM, by HTTP status.",
		}, []string{"account", "status"}),
		FindingsOpen: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "salesguard_findings_open", Help: "Open findings in the ledger, by rule.",
		}, []string{"account", "rule"}),
		AlertsSent: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "salesguard_messages_sent_total", Help: "Messages delivered, by kind.",
		}, []string{"kind"}),
		OutboxDepth: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "salesguard_outbox_depth", Help: "Messages written to the outbox and not delivered yet.",
		}),
		PollErrors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "salesguard_poll_errors_total", Help: "Poll cycles that failed.",
		}, []string{"account"}),
		TelegramUp: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "salesguard_telegram_connected", Help: "1 while the Bot API answers the bot, else 0.",
		}),
		ItemsSkipped: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "salesguard_amocrm_items_skipped_total", Help: "amoCRM items skipped as malformed (each is logged).",
		}, []string{"account"}),
		WebhooksReceived: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "salesguard_amocrm_webhooks_total", Help: "amoCRM webhooks received, by account and result.",
		}, []string{"account", "result"}),
	}
	m.Registry.MustRegister(m.PollDuration, m.PollCPU, m.AmoRequests, m.FindingsOpen, m.AlertsSent, m.OutboxDepth, m.PollErrors, m.TelegramUp, m.ItemsSkipped,
		m.WebhooksReceived,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// AmoRequestHook is the amo client's OnRequest hook for one account.
func (m *Metrics) AmoRequestHook(account string) func(endpoint string, status int, d time.Duration) {
	return func(_ string, status int, _ time.Duration) {
		m.AmoRequests.WithLabelValues(account, strconv.Itoa(status)).Inc()
	}
}

// Backuper writes a consistent copy of the database (implemented by *storage.DB).
type Backuper interface {
	Backup(w io.Writer) (int64, error)
}

// BackupAuth is the credential GET /backup asks for: the copy holds the OAuth tokens.
type BackupAuth struct {
	// Token is compared with the request's "Authorization: Bearer" header; empty disables
	// /backup.
	Token string
	// Remote allows clients beyond loopback (the token was configured on purpose, for a
	// backup job on another host or container); otherwise only loopback clients are served.
	Remote bool
}

// Handler serves /metrics, /healthz and, when db is set, /backup (a hot copy of the database
// for `salesguard backup`, behind auth). Health is "ok" once a poll has succeeded within
// maxAge (three poll intervals), else 503 with the reason; a bot token Telegram refuses is a
// 503 too, a Telegram outage only a line under "ok".
func (m *Metrics) Handler(now func() time.Time, maxAge time.Duration, db Backuper, auth BackupAuth) http.Handler {
	mux := http.NewServeMux()
	if db != nil {
		mux.HandleFunc("GET /backup", func(w http.ResponseWriter, r *http.Request) {
			if !auth.Remote {
				if host, _, err := net.SplitHostPort(r.RemoteAddr); err != nil || !net.ParseIP(host).IsLoopback() {
					http.Error(w, "backup is only served to loopback clients", http.StatusForbidden)
					return
				}
			}
			got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
			if auth.Token == "" || !ok || subtle.ConstantTimeCompare([]byte(got), []byte(auth.Token)) != 1 {
				http.Error(w, "backup needs the service's backup token", http.StatusUnauthorized)
				return
			}
			w.Header().Set("Content-Type", "application/octet-stream")
			w.Header().Set("Content-Disposition", `attachment; filename="salesguard.db"`)
			_, _ = db.Backup(w)
		})
	}
	mux.Handle("GET /metrics", promhttp.HandlerFor(m.Registry, promhttp.HandlerOpts{}))
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		tg := ""
		if l := m.telegram.Load(); l != nil && l.state != "connected" {
			tg = fmt.Sprintf("telegram: %s since %s", l.state, l.since.UTC().Format(time.RFC3339))
			if l.err != "" {
				tg += ": " + l.err
			}
			if l.state == "unauthorized" {
				http.Error(w, tg+" (the bot token is refused: fix TELEGRAM_TOKEN)", http.StatusServiceUnavailable)
				return
			}
		}
		last := m.lastPollOK.Load()
		if last == 0 {
			http.Error(w, "starting: no successful poll yet", http.StatusServiceUnavailable)
			return
		}
		if age := now().Sub(time.Unix(last, 0)); age > maxAge {
			http.Error(w, fmt.Sprintf("last successful poll %s ago", age.Round(time.Second)), http.StatusServiceUnavailable)
			return
		}
		fmt.Fprintln(w, "ok")
		if tg != "" {
			fmt.Fprintln(w, tg)
		}
		if at := m.lastWebhook.Load(); at != 0 {
			fmt.Fprintf(w, "amocrm webhook: last received %s\n", time.Unix(at, 0).UTC().Format(time.RFC3339))
		}
	})
	return mux
}

// Serve runs the service's HTTP listener (SALESGUARD_HTTP_ADDR: metrics, health, backup and,
// through App.WithWebhooks, the amoCRM webhooks) until ctx ends.
func (m *Metrics) Serve(ctx context.Context, addr string, h http.Handler, log *slog.Logger) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("metrics listener %s: %w", addr, err)
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second, ReadTimeout: 10 * time.Second}
	go func() {
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(shutdown)
	}()
	log.Info("metrics listening", "addr", ln.Addr().String())
	if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("metrics server: %w", err)
	}
	return nil
}

// WithPprof serves the runtime profiles (/debug/pprof/) beside h, for measuring memory and CPU
// on a real account; only for loopback or private listeners.
func WithPprof(h http.Handler) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	mux.Handle("/", h)
	return mux
}
