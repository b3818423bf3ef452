// SPDX-License-Identifier: AGPL-3.0-or-later

package httpx

import (
	"bytes"
	"errors"
	"mime/multipart"
	"net/http/httptest"
	"testing"
)

func TestReadParts(t *testing.T) {
	body := func(parts ...[2]string) (*bytes.Buffer, string) {
		var b bytes.Buffer
		mw := multipart.NewWriter(&b)
		for _, p := range parts {
			if p[0] == "file" {
				fw, _ := mw.CreateFormFile(p[0], "cases.csv")
				_, _ = fw.Write([]byte(p[1]))
				continue
			}
			_ = mw.WriteField(p[0], p[1])
		}
		_ = mw.Close()
		return &b, mw.FormDataContentType()
	}
	b, ct := body([2]string{"other", "x"}, [2]string{"file", "a,b\n"}, [2]string{"dry_run", "on"}, [2]string{"dry_run", "off"})
	r := httptest.NewRequest("POST", "/", b)
	r.Header.Set("Content-Type", ct)
	got, err := ReadParts(r, map[string]int64{"file": 10, "dry_run": 5})
	if err != nil || len(got) != 2 || string(got["file"].Data) != "a,b\n" || got["file"].FileName != "cases.csv" ||
		string(got["dry_run"].Data) != "on" {
		t.Fatalf("ReadParts = %+v, %v", got, err)
	}
	b, ct = body([2]string{"file", "too long for ten"})
	r = httptest.NewRequest("POST", "/", b)
	r.Header.Set("Content-Type", ct)
	if _, err := ReadParts(r, map[string]int64{"file": 10}); !errors.Is(err, ErrPartTooLarge) {
		t.Fatalf("over the limit: %v", err)
	}
	r = httptest.NewRequest("POST", "/", bytes.NewReader([]byte("{}")))
	r.Header.Set("Content-Type", "application/json")
	if _, err := ReadParts(r, map[string]int64{"file": 10}); err == nil {
		t.Fatal("a JSON body was read as a form")
	}
}
