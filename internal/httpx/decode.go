// SPDX-License-Identifier: AGPL-3.0-or-later

package httpx

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"
)

// maxEchoedField bounds a client-supplied field name echoed back in a
// problem, so an unknown key of a megabyte is not returned in full.
const maxEchoedField = 128

// DecodeJSON decodes the request body, which must be exactly one JSON value,
// into dst, a non-nil pointer. It returns true on success. On failure it has
// written a problem response and returns false; dst may then be partly
// filled and must not be used.
//
//   - Content-Type other than application/json (a charset other than utf-8
//     included): 415, code "request.unsupported_media_type".
//   - A field dst does not have: 422, code "validation.failed", with
//     errors [{field: <name>, code: "unknown_field"}]. Rejecting rather than
//     ignoring unknown fields is the guard against mass assignment: a client
//     cannot slip in a field the handler did not mean to accept.
//   - A value of the wrong JSON type: 422, "validation.failed", with
//     errors [{field: <path>, code: "invalid_type"}].
//   - A body over the MaxBody cap: 413, code "request.too_large".
//   - Empty, malformed or truncated JSON, or data after the value: 400,
//     code "json.malformed".
//
// A body of null is one JSON value: it leaves dst unchanged, and the
// handler's validation sees an empty input.
//
// The body is capped by MaxBody, not here: a surface that accepts larger
// JSON documents sets its own cap. DecodeJSON panics if dst is not a
// non-nil pointer, a programming error.
func DecodeJSON(w http.ResponseWriter, r *http.Request, dst any) bool {
	if !isJSON(r.Header.Get("Content-Type")) {
		WriteProblem(w, r, http.StatusUnsupportedMediaType, codeUnsupportedMedia, "Content-Type must be application/json")
		return false
	}
	body := r.Body
	if body == nil {
		body = http.NoBody
	}
	dec := json.NewDecoder(body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		writeDecodeProblem(w, r, err)
		return false
	}
	switch err := onlyWhitespace(io.MultiReader(dec.Buffered(), body)); {
	case errors.As(err, new(*http.MaxBytesError)):
		writeTooLarge(w, r)
		return false
	case err != nil:
		WriteProblem(w, r, http.StatusBadRequest, codeMalformedJSON, "Request body has data after the JSON value")
		return false
	}
	return true
}

// isJSON reports whether a Content-Type header names application/json in
// UTF-8, the only encoding JSON may use between systems (RFC 8259 §8.1).
func isJSON(contentType string) bool {
	mt, params, err := mime.ParseMediaType(contentType)
	if err != nil || mt != "application/json" {
		return false
	}
	cs, ok := params["charset"]
	return !ok || strings.EqualFold(cs, "utf-8")
}

func writeTooLarge(w http.ResponseWriter, r *http.Request) {
	WriteProblem(w, r, http.StatusRequestEntityTooLarge, codeTooLarge, "Request body is too large")
}

// writeDecodeProblem answers for an error from json.Decoder.Decode.
func writeDecodeProblem(w http.ResponseWriter, r *http.Request, err error) {
	var typeErr *json.UnmarshalTypeError
	var invalid *json.InvalidUnmarshalError
	switch {
	case errors.As(err, new(*http.MaxBytesError)):
		writeTooLarge(w, r)
	case errors.As(err, &invalid):
		panic(fmt.Sprintf("httpx: DecodeJSON needs a non-nil pointer, got %s", invalid.Type))
	case errors.As(err, &typeErr):
		WriteProblem(w, r, http.StatusUnprocessableEntity, codeValidation, "Request body has a value of the wrong type",
			FieldError{Field: echoField(typeErr.Field), Code: "invalid_type"})
	default:
		if name, ok := unknownField(err); ok {
			WriteProblem(w, r, http.StatusUnprocessableEntity, codeValidation, "Request body has an unknown field",
				FieldError{Field: echoField(name), Code: "unknown_field"})
			return
		}
		// Syntax errors, an empty or truncated body, a failed read, and
		// errors from a type's own UnmarshalJSON, whose text is not ours
		// to show.
		WriteProblem(w, r, http.StatusBadRequest, codeMalformedJSON, "Request body is not valid JSON")
	}
}

// unknownField extracts the field name from the error encoding/json returns
// for an unknown field under DisallowUnknownFields. The package has no error
// type for it, so the message, `json: unknown field "name"`, is parsed; its
// format has been stable since Go 1.10 and a test pins it.
func unknownField(err error) (string, bool) {
	quoted, ok := strings.CutPrefix(err.Error(), "json: unknown field ")
	if !ok {
		return "", false
	}
	name, uerr := strconv.Unquote(quoted)
	if uerr != nil {
		return "", false
	}
	return name, true
}

// echoField bounds a client-supplied field name to maxEchoedField bytes of
// valid UTF-8.
func echoField(s string) string {
	if len(s) > maxEchoedField {
		s = s[:maxEchoedField]
	}
	return strings.ToValidUTF8(s, string(utf8.RuneError))
}

// onlyWhitespace reads rd to its end and returns nil if it held nothing but
// JSON whitespace, an error otherwise: errTrailingData at the first other
// byte, or the read error.
func onlyWhitespace(rd io.Reader) error {
	buf := make([]byte, 512)
	for {
		n, err := rd.Read(buf)
		for _, c := range buf[:n] {
			if c != ' ' && c != '\t' && c != '\n' && c != '\r' {
				return errTrailingData
			}
		}
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

var errTrailingData = errors.New("data after the JSON value")
