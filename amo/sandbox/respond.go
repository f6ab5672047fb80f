package sandbox

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"
)

// Content types of API.md §1.
const (
	ctypeHAL     = "application/hal+json"
	ctypeProblem = "application/problem+json"
	ctypeJSON    = "application/json"
	ctypeHTML    = "text/html"
)

// problemBody is an application/problem+json error (API.md §3.6).
type problemBody struct {
	Hint             string            `json:"hint,omitempty"`
	Title            string            `json:"title"`
	Type             string            `json:"type"`
	Status           int               `json:"status"`
	Detail           string            `json:"detail"`
	ValidationErrors []validationGroup `json:"validation-errors,omitempty"`
}

type validationGroup struct {
	RequestID string            `json:"request_id"`
	Errors    []validationError `json:"errors"`
}

type validationError struct {
	Code   string `json:"code"`
	Path   string `json:"path"`
	Detail string `json:"detail"`
}

// problem returns a problem+json response with the httpstatus.es type of the real API.
func problem(status int, title, detail string) *response {
	return problemResponse(status, problemBody{
		Title:  title,
		Type:   "https://httpstatus.es/" + strconv.Itoa(status),
		Status: status,
		Detail: detail,
	})
}

// badRequest is a 400 with one validation error naming the query parameter at fault.
func badRequest(path, detail string) *response {
	return problemResponse(http.StatusBadRequest, problemBody{
		Title:  "Bad Request",
		Type:   "https://httpstatus.es/400",
		Status: http.StatusBadRequest,
		Detail: "Request validation failed",
		ValidationErrors: []validationGroup{{RequestID: "0", Errors: []validationError{
			{Code: "InvalidType", Path: path, Detail: detail},
		}}},
	})
}

func problemResponse(status int, p problemBody) *response {
	b, err := json.Marshal(p)
	if err != nil {
		return &response{status: http.StatusInternalServerError}
	}
	return &response{status: status, ctype: ctypeProblem, body: b}
}

// halJSON encodes v as a 200 application/hal+json response.
func halJSON(v any) *response {
	return jsonResponse(http.StatusOK, ctypeHAL, v)
}

// jsonResponse encodes v without HTML escaping, so hrefs keep a plain "&" as the API sends.
func jsonResponse(status int, ctype string, v any) *response {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return problem(http.StatusInternalServerError, "Internal Server Error", "encode response: "+err.Error())
	}
	return &response{status: status, ctype: ctype, body: bytes.TrimSuffix(buf.Bytes(), []byte("\n"))}
}

// noContent is the 204 with an empty body for empty lists, pages past the end and unknown ids.
func noContent() *response {
	return &response{status: http.StatusNoContent}
}

// tooManyResponse is the HTML 429 with no Retry-After header (API.md §3.6, §3.7).
func tooManyResponse() *response {
	return &response{status: http.StatusTooManyRequests, ctype: ctypeHTML, body: []byte(html429)}
}

// bannedResponse is the nginx HTML 403 served during a ban (API.md §3.6).
func bannedResponse() *response {
	return &response{status: http.StatusForbidden, ctype: ctypeHTML, body: []byte(html403)}
}

const html429 = `<html>
<head><title>429 Too Many Requests</title></head>
<body>
<center><h1>429 Too Many Requests</h1></center>
<hr><center>nginx</center>
</body>
</html>
`

const html403 = `<html>
<head><title>403 Forbidden</title></head>
<body>
<center><h1>403 Forbidden</h1></center>
<hr><center>nginx</center>
</body>
</html>
`

const html502 = `<html>
<head><title>502 Bad Gateway</title></head>
<body>
<center><h1>502 Bad Gateway</h1></center>
<hr><center>nginx</center>
</body>
</html>
`

func formatFloat(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }
