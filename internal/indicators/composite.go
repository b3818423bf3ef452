// SPDX-License-Identifier: AGPL-3.0-or-later

package indicators

import (
	"context"
	"fmt"
	"regexp"
	"strconv"

	"github.com/amparo-project/amparo/internal/observations"
)

// MethodSDG1072 names the scoring of SDG indicator 10.7.2 as its
// custodians (UN DESA Population Division and IOM) describe it in the
// indicator's metadata (10-07-02): the six policy domains of the Migration
// Governance Framework have five sub-categories each; each sub-category's
// answer is a value from 0 to 1; a domain's value is the mean of its five
// sub-category values times 100,
//
//	D_i = (Σ_j s_ji / n) × 100, n = 5,
//
// and it is read as one of four categories (1 "requires further
// progress", 2 "partially meets", 3 "meets", 4 "fully meets"). The overall
// value is the mean of the six domain values, read the same way.
const MethodSDG1072 = "sdg_10_7_2"

// compositeMethods are the scoring methods a composite indicator may name.
var compositeMethods = map[string]bool{MethodSDG1072: true}

// Answers1072Series is the series holding 10.7.2's thirty sub-category
// answers, one observation per answer, disaggregated by ITEM=D<domain>Q<sub>
// (D1Q1 … D6Q5), each a value from 0 to 1.
const Answers1072Series = "AMP_10_7_2_ANSWERS"

// Score1072Series holds the six domain values and the overall value
// (0–100): ITEM=D1 … D6, and the total.
const Score1072Series = "AMP_10_7_2_SCORE"

// Domains and sub-categories of 10.7.2.
const (
	Domains1072       = 6
	SubCategories1072 = 5
)

// Category thresholds of a 10.7.2 value (0–100): the lower bound of
// categories 2, 3 and 4.
var thresholds1072 = [3]float64{40, 80, 100}

// Category1072 reads a 10.7.2 domain or overall value (0–100) as its
// category: 1 requires further progress, 2 partially meets, 3 meets,
// 4 fully meets.
func Category1072(v float64) int {
	c := 1
	for _, t := range thresholds1072 {
		if v >= t {
			c++
		}
	}
	return c
}

// Score1072 is the scoring of one country's answers.
type Score1072 struct {
	Domains    [Domains1072]float64
	Categories [Domains1072]int
	Overall    float64
	Category   int
}

var itemRE = regexp.MustCompile(`^D([1-6])Q([1-5])$`)

// ItemKey is the disaggregation key of the answer to sub-category q of
// domain d (both from 1).
func ItemKey(d, q int) string { return fmt.Sprintf("ITEM=D%dQ%d", d, q) }

// ScoreSDG1072 scores the answers, keyed by item code (D1Q1 … D6Q5). All
// thirty are needed: a domain with an unanswered sub-category has no value,
// as the custodians' method divides by the five sub-categories. An answer
// outside 0–1 is an error.
func ScoreSDG1072(answers map[string]float64) (Score1072, error) {
	var sc Score1072
	var sums [Domains1072]float64
	var counts [Domains1072]int
	for item, v := range answers {
		m := itemRE.FindStringSubmatch(item)
		if m == nil {
			return sc, fmt.Errorf("indicators: 10.7.2: unknown sub-category %q", item)
		}
		if v < 0 || v > 1 {
			return sc, fmt.Errorf("indicators: 10.7.2: answer %s = %v is outside 0–1", item, v)
		}
		d, _ := strconv.Atoi(m[1])
		sums[d-1] += v
		counts[d-1]++
	}
	total := 0.0
	for d := range Domains1072 {
		if counts[d] != SubCategories1072 {
			return sc, fmt.Errorf("indicators: 10.7.2: domain %d has %d of %d answers", d+1, counts[d], SubCategories1072)
		}
		sc.Domains[d] = sums[d] / SubCategories1072 * 100
		sc.Categories[d] = Category1072(sc.Domains[d])
		total += sc.Domains[d]
	}
	sc.Overall = total / Domains1072
	sc.Category = Category1072(sc.Overall)
	return sc, nil
}

// compositeValues scores every area and period with a complete set of
// answers: the categories as the indicator's main series (the total the
// overall category, ITEM=D1…D6 the domains'), and the values as
// Score1072Series when the indicator has that series.
func (s *Service) compositeValues(ctx context.Context, layer observations.Layer, in Indicator, areas []string, from, to string) ([]observations.Observation, error) {
	answers := map[cell]map[string]float64{}
	status := map[cell]string{}
	var order []cell
	err := s.obs.Each(ctx, observations.Query{Layer: layer, Series: []string{Answers1072Series}, Areas: areas, From: from, To: to},
		func(o observations.Observation) error {
			d, err := observations.ParseDisagg(o.Disagg)
			if err != nil || len(d) != 1 || d["ITEM"] == "" {
				return nil
			}
			c := cell{o.Area, o.Period}
			if answers[c] == nil {
				answers[c] = map[string]float64{}
				status[c] = observations.StatusFinal
				order = append(order, c)
			}
			answers[c][d["ITEM"]] = o.Value
			status[c] = weaker(status[c], o.Status)
			return nil
		})
	if err != nil {
		return nil, err
	}
	var out []observations.Observation
	for _, c := range order {
		sc, err := ScoreSDG1072(answers[c])
		if err != nil {
			continue // incomplete or invalid answers give no score
		}
		put := func(series, disagg string, v float64) {
			out = append(out, observations.Observation{Series: series, Area: c.area, Period: c.period, Disagg: disagg,
				Value: v, Status: status[c], Source: MethodSDG1072})
		}
		put(in.MainSeries(), "", float64(sc.Category))
		for d := range Domains1072 {
			put(in.MainSeries(), fmt.Sprintf("ITEM=D%d", d+1), float64(sc.Categories[d]))
		}
		for _, se := range in.Series {
			if se == Score1072Series {
				put(se, "", sc.Overall)
				for d := range Domains1072 {
					put(se, fmt.Sprintf("ITEM=D%d", d+1), sc.Domains[d])
				}
			}
		}
	}
	return out, nil
}
