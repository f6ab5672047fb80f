package bot

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"time"

	tele "gopkg.in/telebot.v3"
)

// webhookPoller receives updates over a webhook. It replaces telebot's Webhook poller, whose
// Poll closes the stop channel Bot.Start also closes (a panic on Stop, upstream issue #760):
// this one only reads stop, and it answers a request without the secret token with 401.
type webhookPoller struct {
	listen    string
	publicURL string
	secret    string
	log       *slog.Logger
}

// Poll registers the webhook, serves updates until stop is closed, then shuts the server down.
func (w *webhookPoller) Poll(b *tele.Bot, dest chan tele.Update, stop chan struct{}) {
	hook := &tele.Webhook{SecretToken: w.secret, Endpoint: &tele.WebhookEndpoint{PublicURL: w.publicURL},
		AllowedUpdates: []string{"message", "callback_query", "my_chat_member"}}
	if err := b.SetWebhook(hook); err != nil {
		w.log.Error("register telegram webhook", "err", Redact(err, b.Token))
		<-stop
		return
	}
	srv := &http.Server{Addr: w.listen, Handler: w.handler(dest, stop), ReadHeaderTimeout: 10 * time.Second}
	go func() {
		<-stop
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(ctx) // the listener is closing; nothing to do with the error
	}()
	if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
		w.log.Error("serve telegram webhook", "addr", w.listen, "err", err)
		<-stop
	}
}

// handler accepts POSTed updates that carry the secret token.
func (w *webhookPoller) handler(dest chan<- tele.Update, stop <-chan struct{}) http.Handler {
	return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			http.Error(rw, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		got := r.Header.Get("X-Telegram-Bot-Api-Secret-Token")
		if w.secret != "" && subtle.ConstantTimeCompare([]byte(got), []byte(w.secret)) != 1 {
			http.Error(rw, "unauthorized", http.StatusUnauthorized)
			return
		}
		select {
		case <-stop:
			http.Error(rw, "stopping", http.StatusServiceUnavailable)
			return
		default:
		}
		var u tele.Update
		if err := json.NewDecoder(http.MaxBytesReader(rw, r.Body, 1<<20)).Decode(&u); err != nil {
			http.Error(rw, "bad update", http.StatusBadRequest)
			return
		}
		select {
		case dest <- u:
		case <-stop:
			http.Error(rw, "stopping", http.StatusServiceUnavailable)
		case <-r.Context().Done():
		}
	})
}
