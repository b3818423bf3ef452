// SPDX-License-Identifier: AGPL-3.0-or-later

package scorecard

import (
	"math"
	"testing"

	"github.com/amparo-project/amparo/internal/indicators"
	"github.com/amparo-project/amparo/internal/observations"
)

func TestAssess(t *testing.T) {
	trend := func(pv ...any) []observations.Observation {
		var out []observations.Observation
		for i := 0; i < len(pv); i += 2 {
			out = append(out, observations.Observation{Period: pv[i].(string), Value: pv[i+1].(float64)})
		}
		return out
	}
	higher := indicators.Indicator{Polarity: indicators.Higher, TargetValue: ptr(80), TargetYear: 2030}
	lower := indicators.Indicator{Polarity: indicators.Lower, TargetValue: ptr(10), TargetYear: 2030}
	tests := []struct {
		name     string
		in       indicators.Indicator
		trend    []observations.Observation
		status   Status
		distance float64
	}{
		{"higher met", higher, trend("2024", 85.0), Met, 0},
		{"higher met exactly", higher, trend("2024", 80.0), Met, 0},
		{"higher on track", higher, trend("2019", 50.0, "2025", 70.0), OnTrack, 10},
		{"higher off track", higher, trend("2019", 60.0, "2025", 62.0), OffTrack, 18},
		{"higher falling", higher, trend("2019", 70.0, "2025", 60.0), OffTrack, 20},
		{"higher one value", higher, trend("2025", 70.0), OffTrack, 10},
		{"lower met", lower, trend("2025", 9.5), Met, 0},
		{"lower on track", lower, trend("2020", 30.0, "2025", 15.0), OnTrack, 5},
		{"lower off track", lower, trend("2020", 16.0, "2025", 15.0), OffTrack, 5},
		{"lower rising", lower, trend("2020", 12.0, "2025", 15.0), OffTrack, 5},
		{"quarters on track", lower, trend("2024-Q1", 14.0, "2025-Q1", 12.0), OnTrack, 2},
		{"target year past", indicators.Indicator{Polarity: indicators.Higher, TargetValue: ptr(80), TargetYear: 2020},
			trend("2019", 10.0, "2025", 70.0), OffTrack, 10},
		{"no target year", indicators.Indicator{Polarity: indicators.Higher, TargetValue: ptr(80)},
			trend("2019", 10.0, "2025", 70.0), OffTrack, 10},
		{"no target", indicators.Indicator{Polarity: indicators.Higher}, trend("2025", 70.0), NoTarget, 0},
		{"neutral", indicators.Indicator{Polarity: indicators.Neutral, TargetValue: ptr(5)}, trend("2025", 70.0), NoTarget, 0},
		{"no data", higher, nil, NoData, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := Assess(tc.in, tc.trend)
			if p.Status != tc.status || math.Abs(p.Distance-tc.distance) > 1e-9 {
				t.Errorf("got %s %v, want %s %v", p.Status, p.Distance, tc.status, tc.distance)
			}
		})
	}
}

func TestBreaks(t *testing.T) {
	tests := []struct {
		values []float64
		n      int
		want   []float64
	}{
		{nil, 5, nil},
		{[]float64{3}, 5, []float64{3}},
		{[]float64{5, 1, 4, 2, 3}, 5, []float64{1, 2, 3, 4, 5}},
		{[]float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 5, []float64{2, 4, 6, 8, 10}},
		{[]float64{1, 1, 1, 1, 9}, 4, []float64{1, 9}},
		{[]float64{math.NaN(), 2, math.Inf(1)}, 3, []float64{2}},
	}
	for _, tc := range tests {
		got := Breaks(tc.values, tc.n)
		if len(got) != len(tc.want) {
			t.Errorf("Breaks(%v, %d) = %v, want %v", tc.values, tc.n, got, tc.want)
			continue
		}
		for i := range got {
			if got[i] != tc.want[i] {
				t.Errorf("Breaks(%v, %d) = %v, want %v", tc.values, tc.n, got, tc.want)
			}
		}
		for _, v := range tc.values {
			if c := Class(got, v); len(got) > 0 && !math.IsNaN(v) && !math.IsInf(v, 0) && (v > got[c] || (c > 0 && v <= got[c-1])) {
				t.Errorf("Class(%v, %v) = %d", got, v, c)
			}
		}
	}
}

func TestByMigratoryStatus(t *testing.T) {
	for key, want := range map[string]bool{
		"": false, "SEX=F": false, "MIGRATORY_STATUS=MS_MIGRANT": true, "AGE=Y15T64;MIGRATORY_STATUS=MS_NONMIGRANT": true,
		"MIGRATORY_STATUS=MS_MIGRANT;SEX=F": true, "XMIGRATORY_STATUS=1": false,
	} {
		if got := byMigratoryStatus(key); got != want {
			t.Errorf("byMigratoryStatus(%q) = %v", key, got)
		}
	}
}
