package amo

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"math"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// Fuzz targets for the bodies the API sends besides pages: the OAuth token response and error
// responses, and the Retry-After header (issue 10).

// tokenFake is an account whose /oauth2/access_token answers with a fuzzed response, in
// memory; every other path is GET /api/v4/account, served from testdata.
type tokenFake struct {
	status  int
	body    []byte
	account []byte
	grants  int      // requests to the token endpoint
	bearers []string // Authorization of the API requests
}

func (f *tokenFake) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Body != nil {
		_, _ = io.Copy(io.Discard, r.Body)
		_ = r.Body.Close()
	}
	status, body := http.StatusOK, f.account
	if r.URL.Path == "/oauth2/access_token" {
		f.grants++
		status, body = f.status, f.body
	} else {
		f.bearers = append(f.bearers, r.Header.Get("Authorization"))
	}
	return &http.Response{StatusCode: status, Status: http.StatusText(status), Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header: http.Header{"Content-Type": {"application/json"}}, Body: io.NopCloser(bytes.NewReader(body)),
		ContentLength: int64(len(body)), Request: r}, nil
}

// fuzzStatuses are the statuses the token endpoint answers with, picked by a fuzzed byte. The
// retried ones (429, 5xx) are left out: they only repeat the request (request_test.go).
var fuzzStatuses = []int{200, 200, 200, 201, 204, 400, 401, 403, 404, 402}

// maxExpiresIn is the largest number of seconds that fits a time.Duration (the client caps
// expires_in far below it).
const maxExpiresIn = math.MaxInt64 / int64(time.Second)

// FuzzTokenResponse exchanges an authorization code against a fuzzed /oauth2/access_token
// response, through the client's public API: when the exchange succeeds, the API call carries
// the access token the body held and, the token being valid for more than the refresh margin,
// a second call makes no new grant; a refused code (400, 401) is ErrReauthorize; nothing panics.
func FuzzTokenResponse(f *testing.F) {
	f.Add(uint8(0), []byte(`{"token_type":"Bearer","expires_in":86400,"access_token":"a.b.c","refresh_token":"def"}`))
	f.Add(uint8(0), []byte(`{"access_token":"a","expires_in":0}`))
	f.Add(uint8(0), []byte(`{"access_token":"a","expires_in":-5,"refresh_token":null}`))
	f.Add(uint8(0), []byte(`{"access_token":"a","expires_in":"86400"}`))
	f.Add(uint8(0), []byte(`{"access_token":"","refresh_token":"r"}`))
	f.Add(uint8(0), []byte(`{"access_token":"a","refresh_token":"r","expires_in":9223372036}`))
	f.Add(uint8(0), []byte(`{"access_token":"a","refresh_token":"r","expires_in":1e3}`))
	f.Add(uint8(0), []byte(``))
	f.Add(uint8(0), []byte(`<html>ok</html>`))
	f.Add(uint8(5), []byte(`{"hint":"Token has been revoked","title":"Некорректный запрос","status":400,"detail":"x"}`))
	f.Add(uint8(6), []byte(`{"title":"Unauthorized"}`))
	f.Add(uint8(7), []byte(`<html><h1>403 Forbidden</h1></html>`))
	account, err := os.ReadFile(filepath.Join("testdata", "account.json"))
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, status uint8, body []byte) {
		if len(body) > fuzzMaxBody {
			t.Skip()
		}
		tf := &tokenFake{status: fuzzStatuses[int(status)%len(fuzzStatuses)], body: body, account: account}
		c, err := New(Config{BaseURL: "http://127.0.0.1:1", RateLimit: Unlimited, Clock: newAutoClock(), Transport: tf,
			OAuth: OAuthConfig{ClientID: "id", ClientSecret: "secret", RedirectURI: "https://r.example", AuthCode: "code"}})
		if err != nil {
			t.Fatal(err)
		}
		_, err = c.Account(context.Background())
		var sent struct {
			AccessToken string `json:"access_token"`
			ExpiresIn   int64  `json:"expires_in"`
		}
		parsed := json.Unmarshal(body, &sent) == nil
		switch {
		case err != nil:
			if (tf.status == 400 || tf.status == 401) && !errors.Is(err, ErrReauthorize) {
				t.Fatalf("status %d: %v, want ErrReauthorize", tf.status, err)
			}
			if len(tf.bearers) != 0 {
				t.Fatalf("failed exchange (%v), yet API calls were made with %q", err, tf.bearers)
			}
			return
		case tf.status < 200 || tf.status > 299 || !parsed || sent.AccessToken == "":
			t.Fatalf("status %d body %q was accepted", tf.status, body)
		case len(tf.bearers) != 1 || tf.bearers[0] != "Bearer "+sent.AccessToken:
			t.Fatalf("token %q, API called with %q", sent.AccessToken, tf.bearers)
		}
		grants := tf.grants
		_, _ = c.Account(context.Background())
		if sent.ExpiresIn > int64(2*refreshMargin/time.Second) && sent.ExpiresIn < maxExpiresIn && tf.grants != grants {
			t.Fatalf("expires_in %d: the next call made a new grant", sent.ExpiresIn)
		}
	})
}

// FuzzAPIError decodes error bodies of every kind (problem+json, other JSON, HTML, text): the
// error keeps the status and endpoint, maps to the status's sentinel, and a non-JSON body
// becomes one short line of text.
func FuzzAPIError(f *testing.F) {
	f.Add(400, "application/problem+json", []byte(`{"hint":"Token has been revoked","title":"Некорректный запрос","type":"https://developers.amocrm.ru/v3/errors/OAuthProblemJson","status":400,"detail":"В запросе отсутствует ряд параметров"}`))
	f.Add(401, "application/problem+json", []byte(`{"title":"Unauthorized","type":"https://httpstatus.es/401","status":401,"detail":"Неверный логин или пароль"}`))
	f.Add(400, "application/problem+json", []byte(`{"validation-errors":[{"request_id":"0","errors":[{"code":"NotSupportedChoice","path":"custom_fields_values.0.field_id","detail":"The value you selected is not a valid choice."}]}],"title":"Bad Request","type":"https://httpstatus.es/400","status":400,"detail":"Request validation failed"}`))
	f.Add(402, "application/json", []byte(`{"title":"Payment Required","status":402}`))
	f.Add(403, "text/html", []byte("<html>\r\n<head><title>403 Forbidden</title></head>\r\n<body>\r\n<center><h1>403 Forbidden</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"))
	f.Add(404, "", []byte(``))
	f.Add(429, "text/plain", []byte("Too Many Requests"))
	f.Add(500, "application/json", []byte(`[1,2,3]`))
	f.Add(502, "application/json", []byte(`{"title":5}`))
	f.Add(503, "text/plain", []byte(strings.Repeat("ошибка ", 60)))
	f.Add(599, "", []byte("\xff\xfe{"))
	f.Fuzz(func(t *testing.T, status int, ctype string, body []byte) {
		if len(body) > fuzzMaxBody {
			t.Skip()
		}
		e := newAPIError("GET /api/v4/leads", status, http.StatusText(status), body)
		if e.Status != status || e.Endpoint != "GET /api/v4/leads" {
			t.Fatalf("status %d endpoint %q", e.Status, e.Endpoint)
		}
		msg := e.Error()
		if !strings.HasPrefix(msg, "amo: GET /api/v4/leads: http ") {
			t.Fatalf("message %q", msg)
		}
		sentinel := map[int]error{401: ErrUnauthorized, 402: ErrPaymentRequired, 403: ErrForbidden, 404: ErrNotFound, 429: ErrRateLimited}[status]
		if !errors.Is(e, sentinel) && sentinel != nil || sentinel == nil && e.Unwrap() != nil {
			t.Fatalf("status %d unwraps to %v", status, e.Unwrap())
		}
		if !isJSON(body) {
			if strings.ContainsAny(e.Detail, "\n\r\t") || len(e.Detail) > 200+len("…") {
				t.Fatalf("detail of a non-JSON body is not one short line: %q", e.Detail)
			}
			if !utf8.ValidString(e.Detail) { // snippet cuts on a character boundary
				t.Fatalf("detail %q of a UTF-8 body is not UTF-8", e.Detail)
			}
		}
		_ = isHTML(ctype, body)
	})
}

// FuzzRetryAfter reads Retry-After values: a delay it accepts is never negative and the
// back-off built on it stays within retryAfterMax.
func FuzzRetryAfter(f *testing.F) {
	for _, s := range []string{"0", "1", "120", " 30 ", "-1", "1.5", "Wed, 21 Oct 2015 07:28:00 GMT", "Mon, 02 Mar 2026 09:00:30 GMT",
		"Monday, 02-Mar-26 09:01:00 GMT", "Mon Mar  2 09:02:00 2026", "9223372036", "", "soon"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		d, ok := retryAfter(v, t0)
		if !ok {
			if d != 0 {
				t.Fatalf("refused %q with delay %v", v, d)
			}
			return
		}
		if d < 0 { // retryAfter caps the seconds: no overflow
			t.Fatalf("Retry-After %q gave %v", v, d)
		}
		h := http.Header{"Retry-After": {v}}
		if b := backoff(h, 0, t0); b < 0 || b > retryAfterMax {
			t.Fatalf("Retry-After %q: back-off %v", v, b)
		}
	})
}

// FuzzDecodeToken reads /oauth2/access_token bodies: an accepted one has an access token and
// an expiry after now and within maxTokenLifetime, or none; a refused one yields no token.
func FuzzDecodeToken(f *testing.F) {
	for _, s := range []string{
		`{"token_type":"Bearer","expires_in":86400,"access_token":"a","refresh_token":"r"}`,
		`{"access_token":"a","expires_in":"86400"}`, `{"access_token":"a","expires_in":-5}`,
		`{"access_token":"a","expires_in":99999999999999}`, `{"access_token":""}`, `{"hint":"x"}`, `<html>`, ``,
		`{"access_token":"a","refresh_token":null,"expires_in":1.5}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		tok, err := decodeToken(body, t0)
		if err != nil {
			if tok != (Token{}) {
				t.Fatalf("refused %q with %+v", body, tok)
			}
			return
		}
		if tok.AccessToken == "" {
			t.Fatalf("accepted %q without an access token", body)
		}
		if !tok.ExpiresAt.IsZero() && (!tok.ExpiresAt.After(t0) || tok.ExpiresAt.Sub(t0) > maxTokenLifetime) {
			t.Fatalf("%q: expiry %v", body, tok.ExpiresAt)
		}
	})
}
