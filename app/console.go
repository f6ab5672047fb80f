package app

import (
	"context"
	"fmt"
	"html"
	"io"
	"regexp"
	"strings"
	"sync"

	"github.com/jonboulle/clockwork"

	"salesguard/notify"
)

// Console is a notify.Notifier that prints messages to a writer instead of sending them: the
// demo uses it, and so does `salesguard run` without a Telegram token.
type Console struct {
	mu    sync.Mutex
	w     io.Writer
	clock clockwork.Clock
	// Name returns a label for a chat (a person's name and role); nil prints the chat id.
	Name func(chatID int64) string
	next int
}

// NewConsole returns a console notifier writing to w, stamping lines with the clock's time.
func NewConsole(w io.Writer, clock clockwork.Clock) *Console {
	return &Console{w: w, clock: clock}
}

var tagRE = regexp.MustCompile(`<[^>]*>`)

// PlainText turns a Telegram HTML message into plain text: links keep their address.
func PlainText(s string) string {
	s = linkRE.ReplaceAllString(s, "$2 ($1)")
	return html.UnescapeString(tagRE.ReplaceAllString(s, ""))
}

var linkRE = regexp.MustCompile(`<a href="([^"]*)">([^<]*)</a>`)

// Send implements notify.Notifier.
func (c *Console) Send(_ context.Context, m notify.Message) (notify.SentRef, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.next++
	to := fmt.Sprintf("chat %d", m.ChatID)
	if c.Name != nil {
		to = c.Name(m.ChatID)
	}
	text := m.Text
	if !m.Plain {
		text = PlainText(text)
	}
	verb := "→"
	if m.Edit != nil {
		verb = "✎"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "[%s] %s %s · %s\n", c.clock.Now().Format("Mon 15:04"), verb, to, m.Kind)
	for _, line := range strings.Split(strings.TrimRight(text, "\n"), "\n") {
		fmt.Fprintf(&b, "    %s\n", line)
	}
	for _, row := range m.Buttons {
		var labels []string
		for _, btn := range row {
			labels = append(labels, "["+btn.Text+"]")
		}
		fmt.Fprintf(&b, "    %s\n", strings.Join(labels, " "))
	}
	if m.Attachment != nil {
		fmt.Fprintf(&b, "    📎 %s (%d bytes)\n", m.Attachment.Name, len(m.Attachment.Data))
	}
	if _, err := io.WriteString(c.w, b.String()); err != nil {
		return notify.SentRef{}, fmt.Errorf("console: %w", err)
	}
	if m.Edit != nil {
		return *m.Edit, nil
	}
	return notify.SentRef{ChatID: m.ChatID, MessageID: c.next}, nil
}
