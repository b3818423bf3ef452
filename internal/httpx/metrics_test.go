// SPDX-License-Identifier: AGPL-3.0-or-later

package httpx

import (
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// sampleLine is one exposition sample: name, optional {labels} with quoted
// values, and a float value.
var sampleLine = regexp.MustCompile(`^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\.)*",?)*\})? (\S+)$`)

// scrape fetches the exposition and checks its syntax line by line, returning
// samples keyed by name{labels}.
func scrape(t *testing.T, m *Metrics) (map[string]float64, string) {
	t.Helper()
	rec := serve(m.Handler(), httptest.NewRequest(http.MethodGet, "/metrics", nil))
	if ct := rec.Header().Get("Content-Type"); ct != "text/plain; version=0.0.4; charset=utf-8" {
		t.Errorf("Content-Type = %q", ct)
	}
	text := rec.Body.String()
	if !strings.HasSuffix(text, "\n") {
		t.Error("exposition does not end with a newline")
	}
	samples := map[string]float64{}
	typed := map[string]bool{}
	for line := range strings.SplitSeq(strings.TrimSuffix(text, "\n"), "\n") {
		if rest, ok := strings.CutPrefix(line, "# TYPE "); ok {
			name, typ, _ := strings.Cut(rest, " ")
			if typed[name] {
				t.Errorf("TYPE repeated for %s", name)
			}
			typed[name] = true
			switch typ {
			case "counter", "gauge", "histogram":
			default:
				t.Errorf("unknown type in %q", line)
			}
			continue
		}
		if strings.HasPrefix(line, "# HELP ") {
			continue
		}
		mt := sampleLine.FindStringSubmatch(line)
		if mt == nil {
			t.Errorf("not a sample line: %q", line)
			continue
		}
		v, err := strconv.ParseFloat(mt[3], 64)
		if err != nil {
			t.Errorf("bad value in %q", line)
		}
		family := strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(mt[1], "_bucket"), "_sum"), "_count")
		if !typed[mt[1]] && !typed[family] {
			t.Errorf("sample before its TYPE: %q", line)
		}
		key := mt[1] + mt[2]
		if _, dup := samples[key]; dup {
			t.Errorf("duplicate series %s", key)
		}
		samples[key] = v
	}
	return samples, text
}

func TestMetrics(t *testing.T) {
	m := NewMetrics()
	mux := http.NewServeMux()
	mux.Handle("GET /things/{id}", Routed(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.PathValue("id") == "missing" {
			http.NotFound(w, r)
		}
	})))
	mux.Handle("POST /things", Routed(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusCreated)
	})))
	mux.Handle("GET /slow", Routed(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {
		time.Sleep(30 * time.Millisecond)
	})))
	mux.Handle("GET /quote\"d", Routed(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {})))
	logger, _ := newLogger()
	h := stack(mux, logger, m, false)

	for _, rq := range []struct{ method, target string }{
		{"GET", "/things/SECRET-1?q=SNTL"},
		{"GET", "/things/SECRET-2"},
		{"GET", "/things/missing"},
		{"POST", "/things"},
		{"GET", "/slow"},
		{"GET", "/nowhere/SECRET-3"},
		{"BREW", "/things/SECRET-4"},
		{"GET", "/quote%22d"},
	} {
		serve(h, httptest.NewRequest(rq.method, rq.target, nil))
	}
	samples, text := scrape(t, m)

	for _, leak := range []string{"SECRET", "SNTL", "nowhere", "BREW"} {
		if strings.Contains(text, leak) {
			t.Errorf("exposition contains %q:\n%s", leak, text)
		}
	}
	want := map[string]float64{
		`amparo_http_requests_total{method="GET",route="GET /things/{id}",code="200"}`:    2,
		`amparo_http_requests_total{method="GET",route="GET /things/{id}",code="404"}`:    1,
		`amparo_http_requests_total{method="POST",route="POST /things",code="201"}`:       1,
		`amparo_http_requests_total{method="GET",route="GET /slow",code="200"}`:           1,
		`amparo_http_requests_total{method="GET",route="unmatched",code="404"}`:           1,
		`amparo_http_requests_total{method="other",route="unmatched",code="405"}`:         1,
		`amparo_http_requests_total{method="GET",route="GET /quote\"d",code="200"}`:       1,
		`amparo_http_request_duration_seconds_count{route="GET /things/{id}"}`:            3,
		`amparo_http_request_duration_seconds_bucket{route="GET /things/{id}",le="+Inf"}`: 3,
		`amparo_http_request_duration_seconds_bucket{route="GET /slow",le="0.025"}`:       0,
		`amparo_http_request_duration_seconds_bucket{route="GET /slow",le="+Inf"}`:        1,
		`amparo_http_request_duration_seconds_count{route="unmatched"}`:                   2,
		`amparo_http_in_flight`: 0,
	}
	for k, v := range want {
		got, ok := samples[k]
		if !ok {
			t.Errorf("missing %s in\n%s", k, text)
			continue
		}
		if got != v {
			t.Errorf("%s = %v, want %v", k, got, v)
		}
	}
	if s := samples[`amparo_http_request_duration_seconds_sum{route="GET /slow"}`]; s < 0.03 {
		t.Errorf("GET /slow duration sum = %v, want >= 0.03", s)
	}

	// Buckets are cumulative and end at the count.
	var prev float64
	for _, le := range []string{"0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5", "5", "10", "+Inf"} {
		v, ok := samples[`amparo_http_request_duration_seconds_bucket{route="GET /things/{id}",le="`+le+`"}`]
		if !ok || v < prev {
			t.Errorf("bucket le=%s = %v (present %v), previous %v", le, v, ok, prev)
		}
		prev = v
	}

	for _, name := range []string{"go_goroutines", "go_memstats_heap_alloc_bytes", "process_start_time_seconds"} {
		if samples[name] <= 0 {
			t.Errorf("%s = %v, want > 0", name, samples[name])
		}
	}
	if _, err := os.Stat("/proc/self/statm"); err == nil && samples["process_resident_memory_bytes"] <= 0 {
		t.Errorf("process_resident_memory_bytes = %v with procfs present", samples["process_resident_memory_bytes"])
	}
	if start := samples["process_start_time_seconds"]; start > float64(time.Now().Add(time.Second).Unix()) || start < float64(time.Now().Add(-time.Hour).Unix()) {
		t.Errorf("process_start_time_seconds = %v", start)
	}
}

func TestMetricsInFlight(t *testing.T) {
	m := NewMetrics()
	entered, release := make(chan struct{}), make(chan struct{})
	h := m.Middleware()(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {
		entered <- struct{}{}
		<-release
	}))
	done := make(chan struct{})
	go func() {
		serve(h, httptest.NewRequest(http.MethodGet, "/", nil))
		close(done)
	}()
	<-entered
	samples, _ := scrape(t, m)
	close(release)
	<-done
	if samples["amparo_http_in_flight"] != 1 {
		t.Fatalf("in flight during a request = %v, want 1", samples["amparo_http_in_flight"])
	}
	if samples, _ := scrape(t, m); samples["amparo_http_in_flight"] != 0 {
		t.Fatalf("in flight after = %v, want 0", samples["amparo_http_in_flight"])
	}
}

// A panic that escapes the metrics layer must still leave the gauge right
// and count the request as a 500.
func TestMetricsPanicPastIt(t *testing.T) {
	m := NewMetrics()
	h := m.Middleware()(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic(http.ErrAbortHandler) }))
	func() {
		defer func() { _ = recover() }()
		serve(h, httptest.NewRequest(http.MethodGet, "/", nil))
	}()
	samples, _ := scrape(t, m)
	if samples["amparo_http_in_flight"] != 0 {
		t.Errorf("in flight = %v after a panic", samples["amparo_http_in_flight"])
	}
	if samples[`amparo_http_requests_total{method="GET",route="unmatched",code="500"}`] != 1 {
		t.Errorf("panicked request not counted as 500")
	}
}

func TestMetricsCounter(t *testing.T) {
	m := NewMetrics()
	c := m.Counter("amparo_logins_failed_total", "Failed logins.\nSecond \\ line.")
	if again := m.Counter("amparo_logins_failed_total", "ignored"); again != c {
		t.Fatal("same name returned a different counter")
	}
	var wg sync.WaitGroup
	for range 10 {
		wg.Go(func() {
			for range 100 {
				c.Inc()
			}
		})
	}
	wg.Wait()
	samples, text := scrape(t, m)
	if samples["amparo_logins_failed_total"] != 1000 {
		t.Fatalf("counter = %v, want 1000", samples["amparo_logins_failed_total"])
	}
	if !strings.Contains(text, "# HELP amparo_logins_failed_total Failed logins.\\nSecond \\\\ line.\n# TYPE amparo_logins_failed_total counter\n") {
		t.Errorf("HELP/TYPE not as expected:\n%s", text)
	}
}

func TestMetricsCounterRejectsBadNames(t *testing.T) {
	for _, name := range []string{"", "9lives", "has space", "dash-ed", "amparo_http_requests_total", "go_goroutines", "process_start_time_seconds"} {
		t.Run(name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Fatalf("Counter(%q) did not panic", name)
				}
			}()
			NewMetrics().Counter(name, "x")
		})
	}
}

// Requests, counters and scrapes at once, for the race detector.
func TestMetricsConcurrent(t *testing.T) {
	m := NewMetrics()
	mux := http.NewServeMux()
	mux.Handle("GET /a", Routed(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {})))
	h := Chain(mux, m.Middleware())
	var wg sync.WaitGroup
	for i := range 4 {
		wg.Go(func() {
			c := m.Counter("amparo_test_total", "Test.")
			for range 50 {
				serve(h, httptest.NewRequest(http.MethodGet, "/a", nil))
				c.Inc()
				if i == 0 {
					rec := serve(m.Handler(), httptest.NewRequest(http.MethodGet, "/metrics", nil))
					_, _ = io.Copy(io.Discard, rec.Body)
				}
			}
		})
	}
	wg.Wait()
	samples, _ := scrape(t, m)
	if got := samples[`amparo_http_requests_total{method="GET",route="GET /a",code="200"}`]; got != 200 {
		t.Errorf("requests = %v, want 200", got)
	}
	if got := samples["amparo_test_total"]; got != 200 {
		t.Errorf("counter = %v, want 200", got)
	}
}

func TestValidMetricName(t *testing.T) {
	tests := []struct {
		name string
		want bool
	}{
		{"a", true},
		{"_a:b_1", true},
		{"A9", true},
		{"", false},
		{"1a", false},
		{"a-b", false},
		{"a b", false},
		{"é", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := validMetricName(tt.name); got != tt.want {
				t.Fatalf("validMetricName(%q) = %v, want %v", tt.name, got, tt.want)
			}
		})
	}
}
