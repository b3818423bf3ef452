// SPDX-License-Identifier: AGPL-3.0-or-later

package httpx

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

type person struct {
	Name    string   `json:"name"`
	Age     int      `json:"age"`
	Tags    []string `json:"tags"`
	Address struct {
		City string `json:"city"`
	} `json:"address"`
}

// decodeServer routes POST /people through MaxBody(limit) to a handler that
// decodes a person and echoes it.
func decodeServer(limit int64) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("POST /people", Routed(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var p person
		if !DecodeJSON(w, r, &p) {
			return
		}
		WriteJSON(w, http.StatusOK, p)
	})))
	return Chain(mux, RequestID(), MaxBody(limit))
}

func TestDecodeJSON(t *testing.T) {
	tests := []struct {
		name        string
		contentType string
		body        string
		wantStatus  int
		wantCode    string
		wantErrors  []FieldError
	}{
		{"valid", "application/json", `{"name":"Ana","age":30,"tags":["a"],"address":{"city":"Quito"}}`, 200, "", nil},
		{"valid with charset", "application/json; charset=UTF-8", `{"name":"Ana"}`, 200, "", nil},
		{"trailing whitespace", "application/json", "{\"name\":\"Ana\"} \r\n\t ", 200, "", nil},
		{"unknown field", "application/json", `{"name":"Ana","role":"admin"}`, 422, "validation.failed",
			[]FieldError{{Field: "role", Code: "unknown_field"}}},
		{"unknown nested field", "application/json", `{"address":{"city":"Quito","org_id":"x"}}`, 422, "validation.failed",
			[]FieldError{{Field: "org_id", Code: "unknown_field"}}},
		{"unknown field name is bounded", "application/json", `{"` + strings.Repeat("k", 500) + `":1}`, 422, "validation.failed",
			[]FieldError{{Field: strings.Repeat("k", maxEchoedField), Code: "unknown_field"}}},
		{"wrong type", "application/json", `{"age":"thirty"}`, 422, "validation.failed",
			[]FieldError{{Field: "age", Code: "invalid_type"}}},
		{"wrong nested type", "application/json", `{"address":{"city":7}}`, 422, "validation.failed",
			[]FieldError{{Field: "address.city", Code: "invalid_type"}}},
		{"array instead of object", "application/json", `[1,2]`, 422, "validation.failed",
			[]FieldError{{Field: "", Code: "invalid_type"}}},
		{"missing content type", "", `{"name":"Ana"}`, 415, "request.unsupported_media_type", nil},
		{"form content type", "application/x-www-form-urlencoded", `name=Ana`, 415, "request.unsupported_media_type", nil},
		{"text content type", "text/plain", `{"name":"Ana"}`, 415, "request.unsupported_media_type", nil},
		{"json suffix type", "application/merge-patch+json", `{"name":"Ana"}`, 415, "request.unsupported_media_type", nil},
		{"other charset", "application/json; charset=latin1", `{"name":"Ana"}`, 415, "request.unsupported_media_type", nil},
		{"unparsable content type", "application/json; charset", `{"name":"Ana"}`, 415, "request.unsupported_media_type", nil},
		{"oversize", "application/json", `{"name":"` + strings.Repeat("a", 2000) + `"}`, 413, "request.too_large", nil},
		{"oversize in trailing whitespace", "application/json", `{"name":"Ana"}` + strings.Repeat(" ", 2000), 413, "request.too_large", nil},
		{"empty", "application/json", ``, 400, "json.malformed", nil},
		{"malformed", "application/json", `{"name":`, 400, "json.malformed", nil},
		{"not json", "application/json", `name=Ana`, 400, "json.malformed", nil},
		{"bad escape", "application/json", `{"name":"\x"}`, 400, "json.malformed", nil},
		{"trailing garbage", "application/json", `{"name":"Ana"}garbage`, 400, "json.malformed", nil},
		{"second value", "application/json", `{"name":"Ana"}{"name":"Eve"}`, 400, "json.malformed", nil},
		{"trailing brace", "application/json", `{"name":"Ana"}}`, 400, "json.malformed", nil},
	}
	h := decodeServer(1024)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest(http.MethodPost, "/people", strings.NewReader(tt.body))
			if tt.contentType != "" {
				req.Header.Set("Content-Type", tt.contentType)
			}
			rec := serve(h, req)
			if rec.Code != tt.wantStatus {
				t.Fatalf("status = %d, want %d; body %s", rec.Code, tt.wantStatus, rec.Body.String())
			}
			if tt.wantStatus == http.StatusOK {
				return
			}
			p := decodeProblem(t, rec)
			if p.Code != tt.wantCode {
				t.Errorf("code = %q, want %q", p.Code, tt.wantCode)
			}
			if p.RequestID == "" {
				t.Error("no request id in the problem")
			}
			if len(p.Errors) != len(tt.wantErrors) {
				t.Fatalf("errors = %+v, want %+v", p.Errors, tt.wantErrors)
			}
			for i := range p.Errors {
				if p.Errors[i] != tt.wantErrors[i] {
					t.Errorf("errors[%d] = %+v, want %+v", i, p.Errors[i], tt.wantErrors[i])
				}
			}
			if strings.Contains(rec.Body.String(), "json:") {
				t.Errorf("decoder error text reached the client: %s", rec.Body.String())
			}
		})
	}
}

func TestDecodeJSONDecodes(t *testing.T) {
	req := httptest.NewRequest(http.MethodPost, "/people",
		strings.NewReader(`{"name":"Ana","age":30,"tags":["a","b"],"address":{"city":"Quito"}}`))
	req.Header.Set("Content-Type", "application/json")
	rec := serve(decodeServer(1<<20), req)
	var got person
	if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if got.Name != "Ana" || got.Age != 30 || len(got.Tags) != 2 || got.Address.City != "Quito" {
		t.Fatalf("decoded %+v", got)
	}
}

// unknownField parses encoding/json's message; this pins its format so an
// upgrade that changes it fails here rather than turning 422s into 400s.
func TestUnknownFieldMessageFormat(t *testing.T) {
	var dst struct{ A int }
	dec := json.NewDecoder(strings.NewReader(`{"b\"c":1}`))
	dec.DisallowUnknownFields()
	err := dec.Decode(&dst)
	if name, ok := unknownField(err); !ok || name != `b"c` {
		t.Fatalf("unknownField(%v) = %q, %v", err, name, ok)
	}
	if _, ok := unknownField(errors.New("json: unknown field not-quoted")); ok {
		t.Fatal("an unquoted name was accepted")
	}
}

// Requests built by hand, as in other packages' tests, may have a nil body.
func TestDecodeJSONNilBody(t *testing.T) {
	req := httptest.NewRequest(http.MethodPost, "/", nil)
	req.Body = nil
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	var p person
	if DecodeJSON(rec, req, &p) {
		t.Fatal("a missing body decoded")
	}
	if got := decodeProblem(t, rec); got.Code != "json.malformed" {
		t.Fatalf("code = %q", got.Code)
	}
}

func TestDecodeJSONPanicsOnNonPointer(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Fatal("no panic for a non-pointer destination")
		}
	}()
	req := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(`{}`))
	req.Header.Set("Content-Type", "application/json")
	var p person
	DecodeJSON(httptest.NewRecorder(), req, p)
}

// FuzzDecodeJSON feeds arbitrary bodies to DecodeJSON. It must never panic;
// a success must be a body a strict decoder accepts as exactly one value;
// a failure must be a 4xx problem+json.
func FuzzDecodeJSON(f *testing.F) {
	for _, seed := range []string{
		`{"name":"Ana","age":30,"tags":["a"],"address":{"city":"Quito"}}`,
		`{"name":"Ana","role":"admin"}`,
		`{"age":"thirty"}`,
		`{"name":"Ana"} garbage`,
		`{"name":"Ana"}{}`,
		`{"name":`,
		`[]`,
		`null`,
		`"\ud800"`,
		`{"name":"` + strings.Repeat("a", 300) + `"}`,
		``,
		"\xff\xfe{}",
	} {
		f.Add([]byte(seed))
	}
	h := decodeServer(256)
	f.Fuzz(func(t *testing.T, body []byte) {
		req := httptest.NewRequest(http.MethodPost, "/people", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		rec := serve(h, req)
		if rec.Code >= 200 && rec.Code < 300 {
			var p person
			dec := json.NewDecoder(bytes.NewReader(body))
			dec.DisallowUnknownFields()
			if len(body) > 256 || dec.Decode(&p) != nil || !json.Valid(body) {
				t.Fatalf("status %d for a body a strict decoder rejects: %q", rec.Code, body)
			}
			return
		}
		if rec.Code < 400 || rec.Code >= 500 {
			t.Fatalf("status %d, want 2xx or 4xx", rec.Code)
		}
		if ct := rec.Header().Get("Content-Type"); ct != "application/problem+json" {
			t.Fatalf("status %d with Content-Type %q", rec.Code, ct)
		}
		var p Problem
		if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil || p.Status != rec.Code || p.Code == "" {
			t.Fatalf("bad problem body %q: %v", rec.Body.String(), err)
		}
	})
}
