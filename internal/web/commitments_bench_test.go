// SPDX-License-Identifier: AGPL-3.0-or-later

package web_test

import (
	"io"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/amparo-project/amparo/internal/store/storetest"
	"github.com/amparo-project/amparo/internal/testutil"
)

// benchPage requests path from the real application (router, middleware,
// database, templates; over TLS from the same process) and reports the
// 50th and 95th percentile of the time to the last byte of the answer,
// the figures the issue sets targets for.
func benchPage(b *testing.B, path string) {
	a := testutil.New(b, storetest.URL(b, "sqlite"))
	c := a.Client()
	get := func() {
		res, err := c.Get(a.Server.URL + path)
		if err != nil {
			b.Fatal(err)
		}
		n, _ := io.Copy(io.Discard, res.Body)
		_ = res.Body.Close()
		if res.StatusCode != http.StatusOK || n == 0 {
			b.Fatalf("GET %s: %d, %d bytes", path, res.StatusCode, n)
		}
	}
	get() // connection, template and map caches warm
	var took []time.Duration
	for b.Loop() {
		start := time.Now()
		get()
		took = append(took, time.Since(start))
	}
	slices.Sort(took)
	pct := func(p float64) float64 {
		return float64(took[min(len(took)-1, int(float64(len(took))*p))].Microseconds()) / 1000
	}
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.95), "p95-ms")
}

// BenchmarkCommitmentsMatrix is every country against every instrument.
func BenchmarkCommitmentsMatrix(b *testing.B) { benchPage(b, "/commitments") }

// BenchmarkCommitmentsInstrument is an instrument's page with its line
// chart and world map.
func BenchmarkCommitmentsInstrument(b *testing.B) { benchPage(b, "/commitments/instruments/CRC") }
