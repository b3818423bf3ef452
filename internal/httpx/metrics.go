// SPDX-License-Identifier: AGPL-3.0-or-later

package httpx

import (
	"bytes"
	"cmp"
	"fmt"
	"net/http"
	"os"
	"runtime"
	rtmetrics "runtime/metrics"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// durationBuckets are the upper bounds, in seconds, of the request duration
// histogram.
var durationBuckets = [...]float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10}

// processStart approximates the process start time by this package's
// initialisation, which happens before main runs.
var processStart = time.Now()

// Names of the series Metrics writes itself; Counter refuses them.
const (
	metricRequests  = "amparo_http_requests_total"
	metricDuration  = "amparo_http_request_duration_seconds"
	metricInFlight  = "amparo_http_in_flight"
	metricGoroutine = "go_goroutines"
	metricHeap      = "go_memstats_heap_alloc_bytes"
	metricRSS       = "process_resident_memory_bytes"
	metricStart     = "process_start_time_seconds"
)

// Metrics collects HTTP and process metrics and serves them in the
// Prometheus text exposition format, version 0.0.4. Every label value is
// bounded: the route is a mux pattern or "unmatched", the method a standard
// method or "other", the code a status code. A raw path never becomes a
// label, both for privacy and because one series per path would grow
// without bound. The zero value is not usable; call NewMetrics.
type Metrics struct {
	inFlight atomic.Int64

	mu        sync.Mutex
	requests  map[requestSeries]uint64 // guarded by mu
	durations map[string]*histogram    // by route; guarded by mu
	counters  map[string]*Counter      // by name; guarded by mu
}

type requestSeries struct {
	method, route string
	code          int
}

// histogram holds per-bucket (not cumulative) counts; the exposition
// accumulates them.
type histogram struct {
	buckets [len(durationBuckets)]uint64
	count   uint64
	sum     float64
}

// NewMetrics returns an empty Metrics.
func NewMetrics() *Metrics {
	return &Metrics{
		requests:  map[requestSeries]uint64{},
		durations: map[string]*histogram{},
		counters:  map[string]*Counter{},
	}
}

// Middleware counts requests in amparo_http_requests_total{method,route,code},
// times them in amparo_http_request_duration_seconds{route} and tracks
// amparo_http_in_flight. The route comes from Routed, as for AccessLog. A
// request whose handler panicked past this layer is counted with code 500.
func (m *Metrics) Middleware() Middleware {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			start := time.Now()
			r, slot := withRouteSlot(r)
			sw := &statusWriter{ResponseWriter: w}
			m.inFlight.Add(1)
			returned := false
			defer func() {
				m.inFlight.Add(-1)
				m.observe(methodLabel(r.Method), slot.route(), finalStatus(sw.status, returned), time.Since(start))
			}()
			next.ServeHTTP(sw, r)
			returned = true
		})
	}
}

func (m *Metrics) observe(method, route string, code int, d time.Duration) {
	secs := d.Seconds()
	m.mu.Lock()
	defer m.mu.Unlock()
	m.requests[requestSeries{method, route, code}]++
	h := m.durations[route]
	if h == nil {
		h = new(histogram)
		m.durations[route] = h
	}
	// The first bound >= secs: bounds are inclusive ("le"). Past the last
	// bound the observation counts only towards +Inf, which is count.
	if i, _ := slices.BinarySearch(durationBuckets[:], secs); i < len(durationBuckets) {
		h.buckets[i]++
	}
	h.count++
	h.sum += secs
}

// Counter is a monotonically increasing count exposed by Metrics, safe for
// concurrent use.
type Counter struct {
	name, help string
	v          atomic.Uint64
}

// Inc adds one to the counter.
func (c *Counter) Inc() { c.v.Add(1) }

// Counter returns the counter called name, registering it with help text on
// first use; later calls with the same name return the same counter and
// ignore help. It panics if name is not a valid Prometheus metric name or is
// one Metrics writes itself: both are programming errors, caught at start.
func (m *Metrics) Counter(name, help string) *Counter {
	if !validMetricName(name) {
		panic(fmt.Sprintf("httpx: invalid metric name %q", name))
	}
	switch name {
	case metricRequests, metricDuration, metricInFlight, metricGoroutine, metricHeap, metricRSS, metricStart:
		panic(fmt.Sprintf("httpx: metric name %q is reserved", name))
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if c, ok := m.counters[name]; ok {
		return c
	}
	c := &Counter{name: name, help: help}
	m.counters[name] = c
	return c
}

// validMetricName reports whether name matches [a-zA-Z_:][a-zA-Z0-9_:]*.
func validMetricName(name string) bool {
	if name == "" {
		return false
	}
	for i, c := range []byte(name) {
		letter := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c == ':'
		if !letter && (i == 0 || c < '0' || c > '9') {
			return false
		}
	}
	return true
}

// Handler serves the metrics. Metrics reveal the shape of traffic, so mount
// the handler where only the monitoring system reaches it.
func (m *Metrics) Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
		_, _ = w.Write(m.exposition()) // A failed write means the scraper left.
	})
}

// exposition renders every series, sorted so that output is stable.
func (m *Metrics) exposition() []byte {
	type requestCount struct {
		requestSeries
		n uint64
	}
	m.mu.Lock()
	requests := make([]requestCount, 0, len(m.requests))
	for k, n := range m.requests {
		requests = append(requests, requestCount{k, n})
	}
	routes := make([]string, 0, len(m.durations))
	hists := make(map[string]histogram, len(m.durations))
	for route, h := range m.durations {
		routes = append(routes, route)
		hists[route] = *h
	}
	counters := make([]*Counter, 0, len(m.counters))
	for _, c := range m.counters {
		counters = append(counters, c)
	}
	m.mu.Unlock()

	var b bytes.Buffer

	slices.SortFunc(requests, func(a, c requestCount) int {
		return cmp.Or(cmp.Compare(a.route, c.route), cmp.Compare(a.method, c.method), cmp.Compare(a.code, c.code))
	})
	header(&b, metricRequests, "counter", "HTTP requests served, by method, route pattern and status code.")
	for _, k := range requests {
		fmt.Fprintf(&b, "%s{method=%s,route=%s,code=\"%d\"} %d\n", metricRequests, labelValue(k.method), labelValue(k.route), k.code, k.n)
	}

	slices.Sort(routes)
	header(&b, metricDuration, "histogram", "HTTP request durations in seconds, by route pattern.")
	for _, route := range routes {
		h := hists[route]
		lv := labelValue(route)
		var cum uint64
		for i, le := range durationBuckets {
			cum += h.buckets[i]
			fmt.Fprintf(&b, "%s_bucket{route=%s,le=\"%s\"} %d\n", metricDuration, lv, formatFloat(le), cum)
		}
		fmt.Fprintf(&b, "%s_bucket{route=%s,le=\"+Inf\"} %d\n", metricDuration, lv, h.count)
		fmt.Fprintf(&b, "%s_sum{route=%s} %s\n", metricDuration, lv, formatFloat(h.sum))
		fmt.Fprintf(&b, "%s_count{route=%s} %d\n", metricDuration, lv, h.count)
	}

	header(&b, metricInFlight, "gauge", "HTTP requests being served.")
	fmt.Fprintf(&b, "%s %d\n", metricInFlight, m.inFlight.Load())

	slices.SortFunc(counters, func(a, c *Counter) int { return cmp.Compare(a.name, c.name) })
	for _, c := range counters {
		header(&b, c.name, "counter", c.help)
		fmt.Fprintf(&b, "%s %d\n", c.name, c.v.Load())
	}

	header(&b, metricGoroutine, "gauge", "Number of goroutines that currently exist.")
	fmt.Fprintf(&b, "%s %d\n", metricGoroutine, runtime.NumGoroutine())

	// runtime/metrics reads this without stopping the world, unlike
	// runtime.ReadMemStats; it is the quantity MemStats.HeapAlloc reports.
	heap := []rtmetrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	rtmetrics.Read(heap)
	if heap[0].Value.Kind() == rtmetrics.KindUint64 {
		header(&b, metricHeap, "gauge", "Bytes of allocated heap objects.")
		fmt.Fprintf(&b, "%s %d\n", metricHeap, heap[0].Value.Uint64())
	}

	if rss, ok := residentBytes(); ok {
		header(&b, metricRSS, "gauge", "Resident memory size in bytes.")
		fmt.Fprintf(&b, "%s %d\n", metricRSS, rss)
	}

	header(&b, metricStart, "gauge", "Start time of the process since the Unix epoch in seconds.")
	fmt.Fprintf(&b, "%s %s\n", metricStart, formatFloat(float64(processStart.UnixMilli())/1000))

	return b.Bytes()
}

// residentBytes reads the resident set size from /proc/self/statm, whose
// second field counts resident pages. ok is false where there is no procfs.
func residentBytes() (int64, bool) {
	data, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		return 0, false
	}
	fields := strings.Fields(string(data))
	if len(fields) < 2 {
		return 0, false
	}
	pages, err := strconv.ParseInt(fields[1], 10, 64)
	if err != nil {
		return 0, false
	}
	return pages * int64(os.Getpagesize()), true
}

// header writes the HELP and TYPE lines of a metric family.
func header(b *bytes.Buffer, name, typ, help string) {
	// HELP text escapes only backslash and newline.
	help = strings.NewReplacer(`\`, `\\`, "\n", `\n`).Replace(help)
	fmt.Fprintf(b, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, typ)
}

// labelValue quotes a label value, escaping backslash, double quote and
// newline as the exposition format requires.
func labelValue(v string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`).Replace(v) + `"`
}

func formatFloat(f float64) string {
	return strconv.FormatFloat(f, 'f', -1, 64)
}
