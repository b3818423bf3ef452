// SPDX-License-Identifier: AGPL-3.0-or-later

package httpx

import (
	"encoding/json"
	"fmt"
	"net/http"
)

// Problem codes this package answers with. Clients translate a response by
// its code, so a code, once published, keeps its meaning.
const (
	codeInternal         = "internal"
	codeRateLimited      = "rate_limited"
	codeValidation       = "validation.failed"
	codeMalformedJSON    = "json.malformed"
	codeTooLarge         = "request.too_large"
	codeUnsupportedMedia = "request.unsupported_media_type"
)

// problemTypePrefix makes a problem's type URI from its code. A URN rather
// than an https URL, because there is no page to fetch and a client must not
// be tempted to.
const problemTypePrefix = "urn:amparo:problem:"

// FieldError names one input that failed: the JSON field (a dotted path for
// nested fields, "" for the body as a whole), a code the client translates
// (e.g. "required", "unknown_field"), and for imports the 1-based row, 0
// meaning the error is not about a row.
type FieldError struct {
	Field string `json:"field"`
	Code  string `json:"code"`
	Row   int    `json:"row,omitempty"`
}

// Problem is an RFC 9457 problem details body, sent as
// application/problem+json. Code is the translatable identifier clients act
// on; Title is a short fixed English text for people reading raw responses.
// Detail is never filled by this package: free text about a failure is
// where error strings, and with them personal data, leak into responses.
type Problem struct {
	Type      string       `json:"type"`
	Title     string       `json:"title"`
	Status    int          `json:"status"`
	Detail    string       `json:"detail,omitempty"`
	Code      string       `json:"code"`
	Errors    []FieldError `json:"errors,omitempty"`
	RequestID string       `json:"request_id,omitempty"`
}

// WriteProblem answers with status and a Problem made of code, title, errs
// and the request id from r's context. Title must be a fixed text, never an
// error's message. Nothing may have been written to w yet.
func WriteProblem(w http.ResponseWriter, r *http.Request, status int, code, title string, errs ...FieldError) {
	p := Problem{
		Type:      problemTypePrefix + code,
		Title:     title,
		Status:    status,
		Code:      code,
		Errors:    errs,
		RequestID: RequestIDFrom(r.Context()),
	}
	body, _ := json.Marshal(p) // Strings and ints only: it cannot fail.
	h := w.Header()
	h.Set("Content-Type", "application/problem+json")
	h.Del("Content-Length")
	w.WriteHeader(status)
	_, _ = w.Write(append(body, '\n')) // A failed write means the client left; there is no one to tell.
}

// WriteJSON answers with status and v encoded as JSON, Content-Type
// application/json; charset=utf-8. v is encoded before anything is written,
// so an encoding failure leaves the response untouched; such a failure is a
// programming error (a channel, a cycle, a failing MarshalJSON), and WriteJSON
// panics with a message naming only v's type, for Recover to answer 500 and
// log the stack.
func WriteJSON(w http.ResponseWriter, status int, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		// Not err itself: its text can quote the value being encoded.
		panic(fmt.Sprintf("httpx: WriteJSON cannot encode a %T", v))
	}
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Del("Content-Length")
	w.WriteHeader(status)
	_, _ = w.Write(append(body, '\n')) // A failed write means the client left; there is no one to tell.
}
