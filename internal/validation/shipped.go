// SPDX-License-Identifier: AGPL-3.0-or-later

package validation

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"

	"github.com/amparo-project/amparo/internal/ids"
	"github.com/amparo-project/amparo/internal/store"
)

// shippedJSON holds the rules Amparo ships, over series of the SDG Global
// Database (codes as the custodians publish them): ranges a value cannot
// leave, and sums of disaggregations that must equal the total.
//
//go:embed data/rules.json
var shippedJSON []byte

type shippedRule struct {
	Code       string            `json:"code"`
	Names      map[string]string `json:"names"`
	Left       string            `json:"left"`
	Operator   string            `json:"operator"`
	Right      string            `json:"right"`
	Missing    string            `json:"missing"`
	Importance string            `json:"importance"`
}

// shipped parses and checks the shipped rules.
func shipped() ([]Input, error) {
	var rs []shippedRule
	if err := json.Unmarshal(shippedJSON, &rs); err != nil {
		return nil, fmt.Errorf("validation: shipped rules: %w", err)
	}
	out := make([]Input, len(rs))
	for i, r := range rs {
		in := Input{Code: r.Code, Names: r.Names, Left: r.Left, Operator: r.Operator, Right: r.Right,
			Missing: r.Missing, Importance: r.Importance, Active: true}
		if fe, _, _ := in.check(); fe.OrNil() != nil {
			return nil, fmt.Errorf("validation: shipped rule %s: %w", r.Code, fe)
		}
		out[i] = in
	}
	return out, nil
}

// EnsureShipped adds the shipped rules that are not there yet, by code. A
// rule already present is left as it is, so an office's changes to it (or
// its deactivation) survive restarts. It is not audited: it is the
// program's own set-up, like the migrations.
func (s *Service) EnsureShipped(ctx context.Context) error {
	ins, err := shipped()
	if err != nil {
		return err
	}
	now := s.now()
	return s.db.InTx(ctx, func(tx *store.Tx) error {
		for _, in := range ins {
			var n int
			if err := store.ScanRow(tx.QueryRow(ctx, `SELECT COUNT(*) FROM validation_rules WHERE code = ?`, in.Code), &n); err != nil {
				return err
			}
			if n > 0 {
				continue
			}
			r := Rule{ID: ids.New(), Code: in.Code, Names: in.Names, Left: in.Left, Operator: in.Operator,
				Right: in.Right, Missing: in.Missing, Importance: in.Importance, Active: true, Shipped: true,
				CreatedAt: now, UpdatedAt: now}
			if err := insertRule(ctx, tx, r); err != nil {
				return err
			}
		}
		return nil
	})
}
