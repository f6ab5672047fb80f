package bot

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"salesguard/notify"
)

func TestNotifierSend(t *testing.T) {
	h := newHarness(t, "en")
	n := h.bot.Notifier()
	m := notify.Message{ChatID: 300, Kind: notify.KindAlert, Text: "<b>Hi</b>",
		Buttons: [][]notify.Button{{{Text: "Open", URL: "https://x.example/1"}}, {{Text: "Snooze", Unique: uniqSnooze, Data: "h:abc"}}}}
	ref, err := n.Send(context.Background(), m)
	if err != nil {
		t.Fatal(err)
	}
	calls := h.tg.take()
	if len(calls) != 1 || calls[0].Method != "sendMessage" || ref.ChatID != 300 || ref.MessageID == 0 {
		t.Fatalf("calls = %+v ref = %+v", calls, ref)
	}
	p := calls[0].Params
	if p["parse_mode"] != "HTML" || p["text"] != "<b>Hi</b>" || p["chat_id"] != "300" {
		t.Errorf("params = %v", p)
	}
	if !strings.Contains(p["reply_markup"], `"callback_data":"\fsnz|h:abc"`) || !strings.Contains(p["reply_markup"], `"url":"https://x.example/1"`) {
		t.Errorf("reply_markup = %s", p["reply_markup"])
	}
}

func TestNotifierErrors(t *testing.T) {
	cases := []struct {
		name   string
		answer string
		check  func(error) bool
	}{
		{"429", `{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 7","parameters":{"retry_after":7}}`,
			func(err error) bool {
				var ra *notify.RetryAfterError
				return errors.As(err, &ra) && ra.After == 7*time.Second
			}},
		{"403 blocked", `{"ok":false,"error_code":403,"description":"Forbidden: bot was blocked by the user"}`,
			func(err error) bool { return errors.Is(err, notify.ErrUnreachable) }},
		{"403 other", `{"ok":false,"error_code":403,"description":"Forbidden: bot can't initiate conversation with a user"}`,
			func(err error) bool { return errors.Is(err, notify.ErrUnreachable) }},
		{"chat not found", `{"ok":false,"error_code":400,"description":"Bad Request: chat not found"}`,
			func(err error) bool { return errors.Is(err, notify.ErrUnreachable) }},
		{"500", `{"ok":false,"error_code":500,"description":"Internal Server Error"}`,
			func(err error) bool {
				var ra *notify.RetryAfterError
				return err != nil && !errors.Is(err, notify.ErrUnreachable) && !errors.As(err, &ra)
			}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, "en")
			h.tg.fail("sendMessage", tc.answer)
			_, err := h.bot.Notifier().Send(context.Background(), notify.Message{ChatID: 300, Text: "x"})
			if !tc.check(err) {
				t.Errorf("err = %v (%T)", err, errors.Unwrap(err))
			}
		})
	}
}

func TestNotifierBadMarkupFallsBackToPlain(t *testing.T) {
	h := newHarness(t, "en")
	h.tg.fail("sendMessage", `{"ok":false,"error_code":400,"description":"Bad Request: can't parse entities: Unsupported start tag \"x\" at byte offset 3"}`)
	m := notify.Message{ChatID: 300, Text: `Deal <a href="https://a.example/1">&lt;b&gt;Acme&lt;/b&gt; &amp; &#34;Co&#34;</a> <b>late</b>`,
		Buttons: [][]notify.Button{{{Text: "Snooze", Unique: uniqSnooze, Data: "h:abc"}}}}
	if _, err := h.bot.Notifier().Send(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	calls := h.tg.take()
	if len(calls) != 2 {
		t.Fatalf("calls = %+v, want the HTML try and the plain retry", calls)
	}
	p := calls[1].Params
	want := `Deal <b>Acme</b> & "Co" (https://a.example/1) late`
	if p["parse_mode"] != "" || p["text"] != want {
		t.Errorf("retry = %v, want plain %q", p, want)
	}
	if !strings.Contains(p["reply_markup"], `"callback_data":"\fsnz|h:abc"`) {
		t.Errorf("retry keyboard = %s (callback data must not be prefixed twice)", p["reply_markup"])
	}
}

func TestNotifierSplitsLongText(t *testing.T) {
	h := newHarness(t, "en")
	var lines []string
	for i := range 700 {
		lines = append(lines, strings.Repeat("x", 15)+"·"+strings.Repeat("😀", 2)+string(rune('a'+i%26)))
	}
	text := strings.Join(lines, "\n")
	m := notify.Message{ChatID: 300, Text: text, Buttons: [][]notify.Button{{{Text: "Open", URL: "https://x.example"}}}}
	ref, err := h.bot.Notifier().Send(context.Background(), m)
	if err != nil {
		t.Fatal(err)
	}
	calls := h.tg.take()
	if len(calls) < 4 {
		t.Fatalf("%d calls, want the text split in several parts", len(calls))
	}
	var parts []string
	for i, c := range calls {
		if n := utf16Len(c.Params["text"]); n > maxText {
			t.Errorf("part %d is %d UTF-16 units long", i, n)
		}
		if hasKB := c.Params["reply_markup"] != ""; hasKB != (i == len(calls)-1) {
			t.Errorf("part %d keyboard = %v, want only on the last part", i, hasKB)
		}
		parts = append(parts, c.Params["text"])
	}
	if strings.Join(parts, "\n") != text {
		t.Error("the parts do not add up to the text (split must be on line boundaries)")
	}
	if ref.MessageID == 0 {
		t.Error("no reference returned")
	}
}

func TestSplitText(t *testing.T) {
	long := strings.Repeat("é", 10)
	cases := []struct {
		in    string
		limit int
		want  []string
	}{
		{"short", 10, []string{"short"}},
		{"aaaa\nbbbb\ncccc", 9, []string{"aaaa\nbbbb", "cccc"}},
		{long, 4, []string{"éééé", "éééé", "éé"}},
		{"😀😀😀", 4, []string{"😀😀", "😀"}},
		{"a\n\n\n\nb", 2, []string{"a", "b"}},
	}
	for _, tc := range cases {
		got := splitText(tc.in, tc.limit)
		if strings.Join(got, "|") != strings.Join(tc.want, "|") {
			t.Errorf("splitText(%q, %d) = %q, want %q", tc.in, tc.limit, got, tc.want)
		}
	}
}

func TestNotifierAttachments(t *testing.T) {
	h := newHarness(t, "en")
	n := h.bot.Notifier()
	photo := notify.Message{ChatID: 300, Text: "<b>chart</b>", Attachment: &notify.Attachment{Name: "c.png", MIME: "image/png", IsPhoto: true, Data: []byte("png")}}
	if _, err := n.Send(context.Background(), photo); err != nil {
		t.Fatal(err)
	}
	doc := notify.Message{ChatID: 300, Text: strings.Repeat("long caption ", 100), Attachment: &notify.Attachment{Name: "t.xlsx", MIME: "application/vnd.ms-excel", Data: []byte("xlsx")}}
	if _, err := n.Send(context.Background(), doc); err != nil {
		t.Fatal(err)
	}
	calls := h.tg.take()
	if len(calls) != 3 || calls[0].Method != "sendPhoto" || calls[1].Method != "sendDocument" || calls[2].Method != "sendMessage" {
		t.Fatalf("calls = %+v, want sendPhoto, sendDocument and the long caption as text", calls)
	}
	if calls[0].Params["caption"] != "<b>chart</b>" || calls[0].Params["parse_mode"] != "HTML" || calls[0].Params["photo"] == "" {
		t.Errorf("photo params = %v", calls[0].Params)
	}
	if calls[1].Params["caption"] != "" || calls[1].Params["document"] != "file:t.xlsx" {
		t.Errorf("document params = %v", calls[1].Params)
	}
}

func TestNotifierEdit(t *testing.T) {
	h := newHarness(t, "en")
	n := h.bot.Notifier()
	m := notify.Message{Kind: notify.KindFixed, Text: "<b>Fixed</b>", Edit: &notify.SentRef{ChatID: 300, MessageID: 42}}
	h.tg.fail("editMessageText", `{"ok":false,"error_code":400,"description":"Bad Request: message is not modified"}`)
	ref, err := n.Send(context.Background(), m)
	if err != nil || ref.MessageID != 42 {
		t.Fatalf("not-modified edit: ref %+v err %v, want success", ref, err)
	}
	if _, err := n.Send(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	calls := h.tg.take()
	if len(calls) != 2 || calls[1].Method != "editMessageText" || calls[1].Params["message_id"] != "42" || calls[1].Params["chat_id"] != "300" {
		t.Errorf("calls = %+v", calls)
	}
}

func TestNotifierCancelled(t *testing.T) {
	h := newHarness(t, "en")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := h.bot.Notifier().Send(ctx, notify.Message{ChatID: 1, Text: "x"}); !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
	if calls := h.tg.take(); len(calls) != 0 {
		t.Errorf("calls = %+v, want none", calls)
	}
}

func BenchmarkSplitText(b *testing.B) {
	text := strings.Repeat(strings.Repeat("я", 60)+"\n", 2000)
	for b.Loop() {
		splitText(text, maxText)
	}
}
