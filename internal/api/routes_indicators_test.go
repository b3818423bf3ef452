// SPDX-License-Identifier: AGPL-3.0-or-later

package api_test

import (
	"context"
	"net/http"
	"strconv"
	"sync/atomic"
	"testing"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/indicators"
)

// routeIndicator is the route-table fixture's indicator of its own, which
// the PUT route changes; a deletion gets one of its own each time.
const routeIndicator = "RT.P1"

var routeIndicatorSeq atomic.Int64

// isIndicatorParam reports whether segs[i] is the {code} of an indicator
// route.
func isIndicatorParam(segs []string, i int) bool {
	return segs[i] == "{code}" && i > 0 && segs[i-1] == "indicators"
}

// indicatorParam fills an indicator's {code}: a fresh indicator for a
// deletion, the fixture's for a change, a live indicator for record-live,
// and a shipped SDG indicator to read.
func (w *routeWorld) indicatorParam(t *testing.T, method string, segs []string, i int) string {
	t.Helper()
	last := segs[len(segs)-1]
	switch {
	case last == "record-live":
		return "AP1.O1"
	case method == http.MethodDelete:
		return w.newIndicator(t)
	case method == http.MethodPut:
		w.indicatorFixture(t)
		return routeIndicator
	}
	return "10.c.1"
}

func routeIndicatorInput(code string) indicators.Indicator {
	return indicators.Indicator{Code: code, Kind: indicators.Process, Computation: indicators.Entered, Unit: "NUMBER",
		Names: map[string]string{"en": "Route test indicator " + code}, Nodes: []string{"A68190:7"}}
}

func (w *routeWorld) indicatorFixture(t *testing.T) {
	t.Helper()
	if _, err := w.a.Indicators.Get(context.Background(), routeIndicator); err == nil {
		return
	}
	if _, err := w.a.Indicators.Create(context.Background(), access.System, routeIndicatorInput(routeIndicator), nil); err != nil {
		t.Fatal(err)
	}
}

func (w *routeWorld) newIndicator(t *testing.T) string {
	t.Helper()
	code := "RT.D" + strconv.FormatInt(routeIndicatorSeq.Add(1), 10)
	if _, err := w.a.Indicators.Create(context.Background(), access.System, routeIndicatorInput(code), nil); err != nil {
		t.Fatal(err)
	}
	return code
}

// indicatorBodies are minimal valid bodies of the indicator routes; each
// create names a new code so that every success leaves an audit entry.
func (w *routeWorld) indicatorBodies() map[string]func() any {
	body := func(code string) map[string]any {
		return map[string]any{"code": code, "kind": "process", "computation": "entered", "unit": "NUMBER",
			"names": map[string]string{"en": "Route test indicator"}, "nodes": []string{"A68190:7"}}
	}
	return map[string]func() any{
		"POST /api/v1/indicators": func() any { return body("RT.C" + strconv.FormatInt(routeIndicatorSeq.Add(1), 10)) },
		"PUT /api/v1/indicators/{code}": func() any {
			b := body(routeIndicator)
			b["custodian"] = "Route test " + strconv.FormatInt(routeIndicatorSeq.Add(1), 10)
			return b
		},
		"POST /api/v1/indicators/{code}/record-live": func() any { return map[string]string{"area": "ESP", "period": "2026"} },
	}
}
