// SPDX-License-Identifier: AGPL-3.0-or-later

package httpx

import (
	"bufio"
	"compress/gzip"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

var bigText = strings.Repeat("Amparo protects people on the move. ", 200)

func compressMux() *http.ServeMux {
	mux := http.NewServeMux()
	write := func(ct string, status int) http.Handler {
		return Routed(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			if ct != "" {
				w.Header().Set("Content-Type", ct)
			}
			w.Header().Set("Content-Length", "7200")
			w.Header().Set("Etag", `"v1"`)
			w.WriteHeader(status)
			_, _ = io.WriteString(w, bigText)
		}))
	}
	mux.Handle("GET /json", write("application/json; charset=utf-8", 200))
	mux.Handle("GET /html", write("text/html; charset=utf-8", 200))
	mux.Handle("GET /svg", write("image/svg+xml", 200))
	mux.Handle("GET /js", write("application/javascript", 200))
	mux.Handle("GET /png", write("image/png", 200))
	mux.Handle("GET /sniffed", write("", 200))
	mux.Handle("GET /problem", Routed(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		WriteProblem(w, r, http.StatusBadRequest, "json.malformed", "Request body is not valid JSON")
	})))
	mux.Handle("GET /empty", Routed(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusNoContent)
	})))
	mux.Handle("GET /encoded", Routed(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		w.Header().Set("Content-Encoding", "br")
		_, _ = io.WriteString(w, "already")
	})))
	return mux
}

func TestCompress(t *testing.T) {
	tests := []struct {
		name     string
		method   string
		target   string
		accept   string
		wantGzip bool
		wantVary bool
		// plainBody: when not compressed, the body is bigText unchanged.
		plainBody bool
	}{
		{"json", "GET", "/json", "gzip, deflate, br", true, true, false},
		{"html", "GET", "/html", "gzip", true, true, false},
		{"svg", "GET", "/svg", "gzip", true, true, false},
		{"javascript", "GET", "/js", "gzip", true, true, false},
		{"problem", "GET", "/problem", "gzip", true, true, false},
		{"wildcard", "GET", "/json", "*", true, true, false},
		{"quality", "GET", "/json", "br;q=1.0, gzip;q=0.8", true, true, false},
		{"png is not compressed", "GET", "/png", "gzip", false, false, true},
		{"no content type is not compressed", "GET", "/sniffed", "gzip", false, false, true},
		{"not accepted", "GET", "/json", "", false, true, true},
		{"other coding only", "GET", "/json", "br", false, true, true},
		{"gzip refused", "GET", "/json", "gzip;q=0, *", false, true, true},
		{"wildcard refused", "GET", "/json", "*;q=0", false, true, true},
		{"head", "HEAD", "/json", "gzip", false, true, false},
		{"no content", "GET", "/empty", "gzip", false, true, false},
		{"already encoded", "GET", "/encoded", "gzip", false, true, false},
	}
	h := Chain(compressMux(), Compress())
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest(tt.method, tt.target, nil)
			if tt.accept != "" {
				req.Header.Set("Accept-Encoding", tt.accept)
			}
			rec := serve(h, req)
			gotGzip := rec.Header().Get("Content-Encoding") == "gzip"
			if gotGzip != tt.wantGzip {
				t.Fatalf("Content-Encoding = %q, want gzip %v", rec.Header().Get("Content-Encoding"), tt.wantGzip)
			}
			if got := rec.Header().Get("Vary") == "Accept-Encoding"; got != tt.wantVary {
				t.Errorf("Vary = %q, want Accept-Encoding %v", rec.Header().Get("Vary"), tt.wantVary)
			}
			if !gotGzip {
				if tt.plainBody && rec.Body.String() != bigText {
					t.Errorf("uncompressed body altered: %d bytes, want %d", rec.Body.Len(), len(bigText))
				}
				return
			}
			if cl := rec.Header().Get("Content-Length"); cl != "" {
				t.Errorf("Content-Length %q kept on a compressed response", cl)
			}
			if rec.Body.Len() >= len(bigText) && tt.target != "/problem" {
				t.Errorf("compressed body is %d bytes, plain %d", rec.Body.Len(), len(bigText))
			}
			zr, err := gzip.NewReader(rec.Body)
			if err != nil {
				t.Fatalf("not gzip: %v", err)
			}
			plain, err := io.ReadAll(zr)
			if err != nil {
				t.Fatalf("gzip stream broken: %v", err)
			}
			if tt.target == "/problem" {
				if !strings.Contains(string(plain), `"code":"json.malformed"`) {
					t.Errorf("problem body = %q", plain)
				}
				return
			}
			if string(plain) != bigText {
				t.Errorf("round trip changed the body (%d bytes, want %d)", len(plain), len(bigText))
			}
			if et := rec.Header().Get("Etag"); et != `W/"v1"` {
				t.Errorf("Etag = %q, want the weak form", et)
			}
		})
	}
}

// Through a real server and client: the transport decompresses the body
// transparently when it asked for gzip itself.
func TestCompressRoundTripOverHTTP(t *testing.T) {
	srv := httptest.NewServer(Chain(compressMux(), Compress()))
	defer srv.Close()
	resp, err := srv.Client().Get(srv.URL + "/json")
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if !resp.Uncompressed {
		t.Error("the response was not sent compressed")
	}
	if string(body) != bigText {
		t.Errorf("body changed: %d bytes, want %d", len(body), len(bigText))
	}
}

// Flush must push what the handler wrote so far through the compressor to
// the client, for streamed responses.
func TestCompressFlush(t *testing.T) {
	release := make(chan struct{})
	mux := http.NewServeMux()
	mux.HandleFunc("GET /stream", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		_, _ = io.WriteString(w, "first line\n")
		w.(http.Flusher).Flush()
		<-release
		_, _ = io.WriteString(w, "second line\n")
	})
	srv := httptest.NewServer(Chain(mux, SecurityHeaders(false), AccessLog(slog.New(slog.DiscardHandler)), Compress()))
	defer srv.Close()
	req, _ := http.NewRequest(http.MethodGet, srv.URL+"/stream", nil)
	req.Header.Set("Accept-Encoding", "gzip")
	client := srv.Client()
	client.Timeout = 10 * time.Second // A Flush that does not flush would otherwise hang the test.
	resp, err := client.Do(req)
	if err != nil {
		close(release)
		t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	zr, err := gzip.NewReader(resp.Body)
	if err != nil {
		close(release)
		t.Fatal(err)
	}
	line, err := bufio.NewReader(zr).ReadString('\n')
	close(release)
	if err != nil || line != "first line\n" {
		t.Fatalf("before the handler finished, read %q, %v", line, err)
	}
}

func TestCompressConcurrentPoolUse(t *testing.T) {
	h := Chain(compressMux(), Compress())
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 20 {
				req := httptest.NewRequest(http.MethodGet, "/json", nil)
				req.Header.Set("Accept-Encoding", "gzip")
				rec := serve(h, req)
				zr, err := gzip.NewReader(rec.Body)
				if err != nil {
					t.Error(err)
					return
				}
				plain, err := io.ReadAll(zr)
				if err != nil || string(plain) != bigText {
					t.Errorf("body mixed up under concurrency: %d bytes, %v", len(plain), err)
					return
				}
			}
		})
	}
	wg.Wait()
}

// A panic after compressed output started must not end the gzip stream:
// a terminated stream would pass a cut-off body off as complete.
func TestCompressPanicLeavesStreamUnterminated(t *testing.T) {
	h := Compress()(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, bigText)
		w.(http.Flusher).Flush()
		panic(http.ErrAbortHandler)
	}))
	req := httptest.NewRequest(http.MethodGet, "/", nil)
	req.Header.Set("Accept-Encoding", "gzip")
	rec := httptest.NewRecorder()
	func() {
		defer func() { _ = recover() }()
		h.ServeHTTP(rec, req)
	}()
	zr, err := gzip.NewReader(rec.Body)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.ReadAll(zr); err != io.ErrUnexpectedEOF {
		t.Fatalf("reading the cut-off stream gave %v, want io.ErrUnexpectedEOF", err)
	}
}

func TestAcceptsGzip(t *testing.T) {
	tests := []struct {
		name   string
		values []string
		want   bool
	}{
		{"none", nil, false},
		{"gzip", []string{"gzip"}, true},
		{"upper case", []string{"GZIP"}, true},
		{"legacy", []string{"x-gzip"}, true},
		{"list", []string{"deflate, gzip"}, true},
		{"several headers", []string{"br", "gzip;q=0.5"}, true},
		{"zero quality", []string{"gzip;q=0"}, false},
		{"zero quality with spaces", []string{"gzip ; q=0.000"}, false},
		{"bad quality", []string{"gzip;q=high"}, false},
		{"wildcard", []string{"*"}, true},
		{"gzip refused over wildcard", []string{"*, gzip;q=0"}, false},
		{"identity only", []string{"identity"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := acceptsGzip(tt.values); got != tt.want {
				t.Fatalf("acceptsGzip(%q) = %v, want %v", tt.values, got, tt.want)
			}
		})
	}
}

func TestAddVary(t *testing.T) {
	tests := []struct {
		name     string
		existing []string
		want     []string
	}{
		{"none", nil, []string{"Accept-Encoding"}},
		{"other", []string{"Origin"}, []string{"Origin", "Accept-Encoding"}},
		{"present in a list", []string{"Origin, accept-encoding"}, []string{"Origin, accept-encoding"}},
		{"star", []string{"*"}, []string{"*"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := http.Header{}
			for _, v := range tt.existing {
				h.Add("Vary", v)
			}
			addVary(h, "Accept-Encoding")
			if got := h.Values("Vary"); strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Fatalf("Vary = %q, want %q", got, tt.want)
			}
		})
	}
}
