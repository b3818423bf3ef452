// SPDX-License-Identifier: AGPL-3.0-or-later

package indicators

import (
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/amparo-project/amparo/internal/store"
)

//go:embed data/indicators.json
var shippedJSON []byte

// shippedIndicator is one entry of data/indicators.json.
type shippedIndicator struct {
	Code            string            `json:"code"`
	Kind            string            `json:"kind"`
	Names           map[string]string `json:"names"`
	Definitions     map[string]string `json:"definitions"`
	Methods         map[string]string `json:"methods"`
	Unit            string            `json:"unit"`
	UnitMult        int               `json:"unit_mult"`
	Polarity        string            `json:"polarity"`
	TargetValue     *float64          `json:"target_value"`
	TargetYear      int               `json:"target_year"`
	Disaggregations []string          `json:"disaggregations"`
	Custodian       string            `json:"custodian"`
	Source          string            `json:"source"`
	Computation     string            `json:"computation"`
	Expression      string            `json:"expression"`
	Aggregation     string            `json:"aggregation"`
	WeightSeries    string            `json:"weight_series"`
	Nodes           []string          `json:"nodes"`
	Series          []struct {
		Code  string            `json:"code"`
		Names map[string]string `json:"names"`
		Unit  string            `json:"unit"`
	} `json:"series"`
}

// Shipped returns the shipped indicators and their series, checked: an
// entry the registry would refuse is an error (a test reads every one).
func Shipped() ([]Indicator, [][]Series, error) {
	var file struct {
		Indicators []shippedIndicator `json:"indicators"`
	}
	if err := json.Unmarshal(shippedJSON, &file); err != nil {
		return nil, nil, err
	}
	var list []Indicator
	var series [][]Series
	for _, e := range file.Indicators {
		in := Indicator{Code: e.Code, Kind: e.Kind, Names: e.Names, Definitions: e.Definitions, Methods: e.Methods,
			Unit: e.Unit, UnitMult: e.UnitMult, Polarity: e.Polarity, TargetValue: e.TargetValue, TargetYear: e.TargetYear,
			Disaggregations: e.Disaggregations, Custodian: e.Custodian, Source: e.Source, Computation: e.Computation,
			Expression: e.Expression, Aggregation: e.Aggregation, WeightSeries: e.WeightSeries, Nodes: e.Nodes, Shipped: true}
		var ss []Series
		for _, s := range e.Series {
			ss = append(ss, Series{Code: s.Code, Names: s.Names, Unit: s.Unit})
		}
		norm, ss, fe := normalize(in, ss)
		if err := fe.OrNil(); err != nil {
			return nil, nil, fmt.Errorf("indicators: shipped %s: %w", e.Code, err)
		}
		norm.Shipped = true
		list = append(list, norm)
		series = append(series, ss)
	}
	return list, series, nil
}

// EnsureShipped writes the shipped indicators that are not in the registry
// yet, with their series and framework links, in one transaction. An
// indicator already there is left as it is, edits included, so that running
// it at every start changes nothing. The references between shipped
// entries (formulas, weight series) are checked by the package's tests,
// not here, since their order in the file need not follow them.
func (s *Service) EnsureShipped(ctx context.Context) error {
	list, series, err := Shipped()
	if err != nil {
		return err
	}
	now := s.now()
	return s.db.InTx(ctx, func(tx *store.Tx) error {
		for i, in := range list {
			_, err := s.get(ctx, tx, in.Code)
			if err == nil {
				continue
			}
			if !errors.Is(err, ErrNotFound) {
				return err
			}
			in.CreatedBy, in.CreatedAt, in.UpdatedAt = "system", now, now
			if err := storeIndicator(ctx, tx, in, series[i], true); err != nil {
				return fmt.Errorf("indicators: shipped %s: %w", in.Code, err)
			}
		}
		return nil
	})
}
